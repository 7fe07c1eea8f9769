package reports

import (
	"testing"

	"github.com/stormcheck/stormcheck/scenarios"
	"github.com/stormcheck/stormcheck/verify"
)

func TestEvaluateAndExitCode(t *testing.T) {
	s := &Summary{
		Load: Load{Requests: 100, Success: 0.97, Throughput: 120,
			LatencyMS: Latencies{P99: 850, Max: 900}},
		Verify: &verify.Counts{DuplicateCopies: 3, Lost: 0, BadDataAccepted: 1,
			RetryAfterViolations: 2},
	}
	for _, tc := range []struct {
		name  string
		items []scenarios.Expectation
		set   bool
		got   []string
		code  int
	}{
		{"integrity defaults", nil, false, []string{"3", "0", "1", "0"}, ExitIntegrity},
		{"turned off", nil, true, nil, ExitOK},
		{"performance only", []scenarios.Expectation{
			{Name: "p99_latency", Kind: "performance", Want: "800ms"},
			{Name: "error_rate", Kind: "performance", Want: "5%"},
			{Name: "throughput", Kind: "performance", Want: "100/s"},
		}, true, []string{"850ms", "3.00%", "120.0/s"}, ExitPerformance},
		{"both", []scenarios.Expectation{
			{Name: "gaps", Kind: "integrity", Want: "0"},
			{Name: "duplicates", Kind: "integrity", Want: "2"},
			{Name: "throughput", Kind: "performance", Want: "150/s"},
		}, true, []string{"0", "3", "120.0/s"}, ExitIntegrity | ExitPerformance},
		{"Retry-After violations", []scenarios.Expectation{
			{Name: "retry_after_violations", Kind: "integrity", Want: "1"},
		}, true, []string{"2"}, ExitIntegrity},
		{"unmeasured never passes", []scenarios.Expectation{
			{Name: "frobs", Kind: "integrity", Want: "0"},
		}, true, []string{"not measured by this version"}, ExitIntegrity},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s.Expectations = Evaluate(scenarios.Expect{Set: tc.set, Items: tc.items}, s)
			if len(s.Expectations) != len(tc.got) {
				t.Fatalf("%d results, want %d", len(s.Expectations), len(tc.got))
			}
			for i, r := range s.Expectations {
				if r.Got != tc.got[i] {
					t.Errorf("%s got %q, want %q", r.Name, r.Got, tc.got[i])
				}
			}
			if code := ExitCode(s); code != tc.code {
				t.Fatalf("exit %d, want %d", code, tc.code)
			}
		})
	}
}

func TestIncompleteRunExits4(t *testing.T) {
	s := &Summary{Error: "verify: connection refused",
		Expectations: []ExpectationResult{{Kind: "integrity"}}}
	if code := ExitCode(s); code != ExitIncomplete {
		t.Fatalf("exit %d, want 4", code)
	}
}

func TestFormatMSKeepsThreeSignificantDigits(t *testing.T) {
	for ms, want := range map[float64]string{0.62: "620µs", 0.9734: "973µs", 8.2449: "8.24ms",
		219.4: "219ms", 2253.66: "2.25s", 30000.83: "30s", 0.0012: "1.2µs"} {
		if got := formatMS(ms); got != want {
			t.Errorf("formatMS(%v) = %s, want %s", ms, got, want)
		}
	}
}
