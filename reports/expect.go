package reports

import (
	"fmt"
	"strconv"
	"time"

	"github.com/stormcheck/stormcheck/scenarios"
	"github.com/stormcheck/stormcheck/verify"
)

// notVerified is what an integrity expectation got when verification did not run.
const notVerified = "not verified"

// An ExpectationResult is one expectation checked against a run.
type ExpectationResult struct {
	Name   string `json:"name"`
	Want   string `json:"want"`
	Got    string `json:"got"`
	Kind   string `json:"kind"` // integrity or performance
	Passed bool   `json:"passed"`
}

// verdictCounts maps expectation names to the verdict count they bound. Duplicates count
// extra copies, not duplicated records.
var verdictCounts = map[string]func(*verify.Counts) int{
	"duplicates":        func(c *verify.Counts) int { return c.DuplicateCopies },
	"gaps":              func(c *verify.Counts) int { return c.Lost },
	"lost_acknowledged": func(c *verify.Counts) int { return c.LostAcknowledged },
	"altered":           func(c *verify.Counts) int { return c.Altered },
	"bad_data_accepted": func(c *verify.Counts) int { return c.BadDataAccepted },
	"orphans":           func(c *verify.Counts) int { return c.Orphans },
	"unexpected":        func(c *verify.Counts) int { return c.Unexpected },
	"false_negatives":   func(c *verify.Counts) int { return c.FalseNegatives },
	"retry_after_violations": func(c *verify.Counts) int {
		return c.RetryAfterViolations
	},
}

// latencyMetrics maps latency expectation names to their percentile.
var latencyMetrics = map[string]func(Latencies) float64{
	"p50_latency": func(l Latencies) float64 { return l.P50 },
	"p90_latency": func(l Latencies) float64 { return l.P90 },
	"p95_latency": func(l Latencies) float64 { return l.P95 },
	"p99_latency": func(l Latencies) float64 { return l.P99 },
	"max_latency": func(l Latencies) float64 { return l.Max },
}

// Evaluate checks a scenario's expectations against a summary. An expectation that cannot
// be measured fails and says why; it never passes silently.
func Evaluate(e scenarios.Expect, s *Summary) []ExpectationResult {
	items := e.Effective()
	out := make([]ExpectationResult, 0, len(items))
	for _, x := range items {
		r := ExpectationResult{Name: x.Name, Want: x.Want, Kind: x.Kind}
		r.Got, r.Passed = check(x, s)
		out = append(out, r)
	}
	return out
}

func check(x scenarios.Expectation, s *Summary) (got string, passed bool) {
	if count, ok := verdictCounts[x.Name]; ok {
		return checkCount(x, s, count)
	}
	if pick, ok := latencyMetrics[x.Name]; ok {
		want, err := scenarios.ParseDuration(x.Want)
		if err != nil {
			return "invalid want: " + err.Error(), false
		}
		ms := pick(s.Load.LatencyMS)
		return formatMS(ms), ms <= float64(want.D())/float64(time.Millisecond)
	}
	switch x.Name {
	case "error_rate":
		want, err := scenarios.ParseShare(x.Want)
		if err != nil {
			return "invalid want: " + err.Error(), false
		}
		rate := 1 - s.Load.Success
		return fmt.Sprintf("%.2f%%", rate*100), s.Load.Requests > 0 && rate <= float64(want)
	case "throughput":
		want, err := scenarios.ParseRate(x.Want)
		if err != nil {
			return "invalid want: " + err.Error(), false
		}
		return fmt.Sprintf("%.1f/s", s.Load.Throughput), s.Load.Throughput >= want.PerSecond()
	}
	return "not measured by this version", false
}

func checkCount(x scenarios.Expectation, s *Summary, count func(*verify.Counts) int) (string, bool) {
	if s.Verify == nil {
		return notVerified, false
	}
	want, err := strconv.Atoi(x.Want)
	if err != nil {
		return "invalid want: " + x.Want, false
	}
	n := count(s.Verify)
	return strconv.Itoa(n), n <= want
}

// formatMS writes a latency in milliseconds as a duration to three significant digits
// (620µs, 2.25s), which is as precise as a latency measured on a shared machine is.
func formatMS(ms float64) string {
	d := time.Duration(ms * float64(time.Millisecond))
	unit := time.Duration(1)
	for limit := time.Duration(1000); d >= limit && unit < time.Millisecond*10; limit *= 10 {
		unit *= 10
	}
	return d.Round(unit).String()
}

// ExitCode returns the exit code of a summary: ExitIncomplete when the run did not
// complete (its partial results prove nothing either way), else the failed kinds of
// expectation as bit flags.
func ExitCode(s *Summary) int {
	if s.Interrupted || s.Error != "" {
		return ExitIncomplete
	}
	code := ExitOK
	for _, r := range s.Expectations {
		switch {
		case r.Passed:
		case r.Kind == "performance":
			code |= ExitPerformance
		default:
			code |= ExitIntegrity
		}
	}
	return code
}
