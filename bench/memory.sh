#!/usr/bin/env bash
# Peak memory of whole runs of growing size against the embedded mock: if memory stays
# flat while the message count grows fivefold, nothing per message is kept in memory.
# Usage: bench/memory.sh [sizes...]   (default 20000 100000). Needs GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-20000 100000}")
[ $# -eq 0 ] && sizes=(20000 100000)
bin=$(mktemp -d)/stormcheck
go build -o "$bin" ./cmd/stormcheck
out=$(mktemp -d)
printf '%10s %10s %10s %10s %12s\n' messages requests seconds "rate/s" "max RSS MB"
for n in "${sizes[@]}"; do
	/usr/bin/time -v "$bin" run quickstart --messages "$n" --rate 4000/s --quiet \
		--out "$out/run-$n" 2> "$out/time-$n.txt" || true
	rss=$(awk -F: '/Maximum resident/ {print int($2/1024)}' "$out/time-$n.txt")
	python3 - "$out/run-$n/summary.json" "$rss" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))["load"]
print("%10d %10d %10.1f %10.0f %12s" % (s["messages"], s["requests"], s["duration_s"], s["rate"], sys.argv[2]))
PY
done
rm -rf "$out"
