#!/usr/bin/env bash
# Time and peak memory of verification: BenchmarkClassify builds a synthetic run.db of N
# expected records (ledger, attempts and state read back), then classifies every record,
# reconciles the totals and writes the verdicts. Two CPUs, as the target machine has.
# Usage: bench/verify.sh [N]   (default 1000000). Needs GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
bin=$(mktemp -d)/verify.test
go test -c -o "$bin" ./verify
log=$(mktemp)
STORMCHECK_BENCH_RECORDS=$n /usr/bin/time -v "$bin" -test.run '^$' \
	-test.bench BenchmarkClassify -test.benchtime 1x -test.cpu 2 -test.benchmem 2> "$log" |
	grep -E '^Benchmark'
awk -F: '/Maximum resident/ {printf "max RSS of the process (building included): %d MB\n", $2/1024}' "$log"
rm -f "$bin" "$log"
