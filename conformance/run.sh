#!/usr/bin/env bash
# Builds stormcheck, serves `stormcheck mock` (design d365, a fresh database) on a free
# loopback port, runs check.js against it with the pinned npm clients, and stops the mock.
# Used by .ci/run; runnable by hand from anywhere in the repository.
set -euo pipefail
cd "$(dirname "$0")"
command -v node >/dev/null || { echo "conformance: node (20 or newer) is required"; exit 1; }

work=$(mktemp -d)
mock_pid=""
cleanup() {
	if [ -n "$mock_pid" ]; then
		kill "$mock_pid" 2>/dev/null || true
		wait "$mock_pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

(cd .. && go build -o "$work/stormcheck" ./cmd/stormcheck)
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
	timeout 600 npm ci --no-audit --no-fund --loglevel=error
fi

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$work/stormcheck" mock --addr "127.0.0.1:$port" --design d365 --db "$work/mock.db" \
	>"$work/mock.log" 2>&1 &
mock_pid=$!
for _ in $(seq 1 100); do
	curl -sf "http://127.0.0.1:$port/admin/health" >/dev/null 2>&1 && break
	sleep 0.1
done
curl -sf "http://127.0.0.1:$port/admin/health" >/dev/null || {
	echo "conformance: the mock did not start:"; cat "$work/mock.log"; exit 1; }

status=0
MOCK_URL="http://127.0.0.1:$port" timeout 600 node check.js || status=$?
kill -INT "$mock_pid"
wait "$mock_pid" || true
mock_pid=""
if [ "$status" -ne 0 ]; then
	echo "conformance: the mock's log:"; cat "$work/mock.log"
fi
exit "$status"
