package verify

import (
	"context"
	"os"
	"strconv"
	"testing"
)

// BenchmarkClassify verifies a synthetic run of STORMCHECK_BENCH_RECORDS expected records
// (default 1,000,000) whose ledger and state are already in run.db: the verify phase
// after the read-back. Building the run is not timed.
func BenchmarkClassify(b *testing.B) {
	n := 1_000_000
	if v := os.Getenv("STORMCHECK_BENCH_RECORDS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			b.Fatalf("STORMCHECK_BENCH_RECORDS=%q: %v", v, err)
		}
	}
	s := synthetic{records: n}
	l := s.build(b, b.TempDir())
	defer l.Close()
	want := s.want()
	b.ResetTimer()
	for b.Loop() {
		res, err := Classify(context.Background(), l)
		if err != nil {
			b.Fatal(err)
		}
		if res.Counts != want {
			b.Fatalf("counts %+v, want %+v", res.Counts, want)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
