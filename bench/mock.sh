#!/usr/bin/env bash
# The mock's performance: single-record creates per second (BenchmarkCreate, file-backed
# store, 16 parallel clients), the heap after storing and serving 5,000 and 50,000 records
# (BenchmarkServeMemory), then the peak resident memory of a standalone `stormcheck mock`
# process that serves whole runs of growing size (created, then read back page by page).
# Usage: bench/mock.sh [sizes...]   (default 20000 100000). Results go to docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ $# -eq 0 ] && sizes=(20000 100000)

echo "== go benchmarks (2 CPUs)"
go test ./mockd365 -run '^$' -bench BenchmarkCreate -benchtime 20000x -cpu 2 | grep -E '^Benchmark'
go test ./mockd365 -run '^$' -bench BenchmarkServeMemory -benchtime 1x -cpu 2 | grep -E '^Benchmark'

work=$(mktemp -d)
mock_pid=""
cleanup() {
	[ -n "$mock_pid" ] && kill "$mock_pid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
go build -o "$work/stormcheck" ./cmd/stormcheck
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

echo "== standalone mock: peak RSS while serving whole runs"
printf '%10s %12s %14s %12s\n' messages "stored rows" "mock RSS MB" "peak RSS MB"
for n in "${sizes[@]}"; do
	"$work/stormcheck" mock --addr "127.0.0.1:$port" --db "$work/mock-$n.db" >/dev/null 2>&1 &
	mock_pid=$!
	sleep 1
	"$work/stormcheck" run quickstart --target "http://127.0.0.1:$port" --messages "$n" \
		--rate 4000/s --quiet --out "$work/run-$n" >/dev/null 2>&1 || true
	rows=$(curl -s "http://127.0.0.1:$port/admin/counts" | python3 -c 'import json,sys; print(sum(json.load(sys.stdin).values()))')
	rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$mock_pid/status")
	hwm=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$mock_pid/status")
	printf '%10d %12d %14d %12d\n' "$n" "$rows" "$rss" "$hwm"
	kill -INT "$mock_pid"
	wait "$mock_pid" || true
	mock_pid=""
done
