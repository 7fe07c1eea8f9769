// Package reports renders a finished run: terminal tables, summary.json, and the verdict of
// the scenario's expectations with the exit code that CI acts on.
package reports

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/stormcheck/stormcheck/verify"
)

// SchemaVersion is the version of summary.json's layout.
const SchemaVersion = 1

// Exit codes, bit flags so CI can tell the kinds of failure apart.
const (
	ExitOK          = 0
	ExitIntegrity   = 1  // a data-integrity expectation failed
	ExitPerformance = 2  // a performance expectation failed
	ExitIncomplete  = 4  // the run could not complete; partial results are written
	ExitUsage       = 64 // usage error or invalid scenario; nothing was sent
)

// A Summary is everything a report shows about a run; it is written as summary.json.
type Summary struct {
	Schema      int                   `json:"schema"`
	Scenario    string                `json:"scenario"`
	Design      string                `json:"design"`
	Seed        uint64                `json:"seed"`
	Prefix      string                `json:"prefix"`
	Dir         string                `json:"dir"` // the run directory
	Target      string                `json:"target"`
	Started     time.Time             `json:"started"`
	Finished    time.Time             `json:"finished"`
	Interrupted bool                  `json:"interrupted"`
	Error       string                `json:"error,omitempty"` // why the run did not complete
	Passed      bool                  `json:"passed"`
	ExitCode    int                   `json:"exit_code"`
	Load        Load                  `json:"load"`
	Faults      map[string]int        `json:"faults"`
	Verify      *verify.Counts        `json:"verify,omitempty"` // nil when verification did not run
	Entities    []verify.EntityCounts `json:"entities,omitempty"`
	// Reconciliation compares quantities and amounts sent and stored, per entity and
	// legal entity.
	Reconciliation []verify.Reconciliation `json:"reconciliation,omitempty"`
	Settle         *verify.SettleResult    `json:"settle,omitempty"` // how the wait ended
	ReadBack       *verify.ReadStats       `json:"read_back,omitempty"`
	// Examples are the first record of each kind of trouble, with its cause.
	Examples     []verify.Example    `json:"examples,omitempty"`
	Expectations []ExpectationResult `json:"expectations"`
}

// Load is the load side of a run, from vegeta's metrics.
type Load struct {
	Messages    int64          `json:"messages"` // first deliveries; retries and copies excluded
	Requests    uint64         `json:"requests"`
	Duration    float64        `json:"duration_s"`
	Asked       string         `json:"asked_rate"` // the scenario's pace of new messages
	Rate        float64        `json:"rate"`       // requests per second, as vegeta counts
	Throughput  float64        `json:"throughput"`
	Success     float64        `json:"success"`
	LatencyMS   Latencies      `json:"latency_ms"`
	StatusCodes map[string]int `json:"status_codes"`
	Errors      []string       `json:"errors,omitempty"`
}

// Latencies are latency percentiles in milliseconds.
type Latencies struct {
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P95  float64 `json:"p95"`
	P99  float64 `json:"p99"`
	Max  float64 `json:"max"`
	Mean float64 `json:"mean"`
}

// LoadFrom summarises vegeta's metrics.
func LoadFrom(m *vegeta.Metrics, messages int64) Load {
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	codes := m.StatusCodes
	if codes == nil {
		codes = map[string]int{}
	}
	return Load{
		Messages: messages, Requests: m.Requests, Duration: m.Duration.Seconds(),
		Rate: m.Rate, Throughput: m.Throughput, Success: m.Success,
		LatencyMS: Latencies{
			P50: ms(m.Latencies.P50), P90: ms(m.Latencies.P90), P95: ms(m.Latencies.P95),
			P99: ms(m.Latencies.P99), Max: ms(m.Latencies.Max), Mean: ms(m.Latencies.Mean),
		},
		StatusCodes: codes, Errors: m.Errors,
	}
}

// WriteJSON writes the summary to path as EncodeJSON does.
func WriteJSON(path string, s *Summary) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write summary: %w", err)
	}
	if err := EncodeJSON(f, s); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// EncodeJSON writes the summary as indented JSON with a final newline.
func EncodeJSON(w io.Writer, s *Summary) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		return fmt.Errorf("write summary: %w", err)
	}
	return nil
}

// ReadJSON reads a summary.json written by WriteJSON.
func ReadJSON(path string) (*Summary, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read summary: %w", err)
	}
	var s Summary
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("read summary %s: %w", path, err)
	}
	return &s, nil
}
