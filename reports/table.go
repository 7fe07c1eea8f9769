package reports

import (
	"fmt"
	"io"
	"sort"
	"strconv"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/stormcheck/stormcheck/verify"
)

// WriteText renders a summary as terminal tables: the run, the load, the faults injected,
// the verdicts per entity and legal entity, and the expectations.
func WriteText(w io.Writer, s *Summary) error {
	steps := []func(io.Writer, *Summary) error{
		writeHeading, writeLoad, writeFaults, writeVerdicts, writeExamples,
		writeReconciliation, writeExpectations, writeOutcome,
	}
	for _, step := range steps {
		if err := step(w, s); err != nil {
			return fmt.Errorf("render report: %w", err)
		}
	}
	return nil
}

// newTable returns a borderless table whose first labels columns are text, aligned left,
// and whose other columns are numbers, aligned right.
func newTable(w io.Writer, columns, labels int) *tablewriter.Table {
	align := make([]tw.Align, columns)
	for i := range align {
		align[i] = tw.AlignRight
		if i < labels {
			align[i] = tw.AlignLeft
		}
	}
	return alignedTable(w, align)
}

// alignedTable returns a borderless table whose columns are aligned as align says.
func alignedTable(w io.Writer, align []tw.Align) *tablewriter.Table {
	perColumn := tw.CellAlignment{PerColumn: align}
	return tablewriter.NewTable(w,
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{
			Borders: tw.BorderNone,
			Symbols: tw.NewSymbols(tw.StyleLight),
			Settings: tw.Settings{
				Separators: tw.Separators{BetweenColumns: tw.On, BetweenRows: tw.Off},
				Lines:      tw.Lines{ShowHeaderLine: tw.On, ShowFooterLine: tw.On},
			},
		})),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignmentConfig(perColumn),
		tablewriter.WithRowAlignmentConfig(perColumn),
		tablewriter.WithFooterAlignmentConfig(perColumn),
	)
}

func writeHeading(w io.Writer, s *Summary) error {
	_, err := fmt.Fprintf(w, "stormcheck run %s: design %s, seed %d, prefix %s, target %s\n\n",
		s.Scenario, s.Design, s.Seed, s.Prefix, s.Target)
	return err
}

func writeLoad(w io.Writer, s *Summary) error {
	l := s.Load
	if _, err := fmt.Fprintln(w, "Load"); err != nil {
		return err
	}
	t := newTable(w, 12, 0)
	t.Header("messages", "requests", "duration", "asked", "rate", "throughput", "success",
		"p50", "p90", "p95", "p99", "max")
	err := t.Append([]string{
		strconv.FormatInt(l.Messages, 10), strconv.FormatUint(l.Requests, 10),
		fmt.Sprintf("%.1fs", l.Duration), l.Asked, fmt.Sprintf("%.1f/s", l.Rate),
		fmt.Sprintf("%.1f/s", l.Throughput), fmt.Sprintf("%.2f%%", l.Success*100),
		formatMS(l.LatencyMS.P50), formatMS(l.LatencyMS.P90), formatMS(l.LatencyMS.P95),
		formatMS(l.LatencyMS.P99), formatMS(l.LatencyMS.Max),
	})
	if err != nil {
		return err
	}
	if err := t.Render(); err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "status codes: %s\n\n", formatCodes(l.StatusCodes))
	return err
}

func formatCodes(codes map[string]int) string {
	keys := make([]string, 0, len(codes))
	for k := range codes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := ""
	for i, k := range keys {
		if i > 0 {
			out += ", "
		}
		name := k
		if k == "0" {
			name = "no answer"
		}
		out += fmt.Sprintf("%s × %d", name, codes[k])
	}
	if out == "" {
		return "none"
	}
	return out
}

func writeFaults(w io.Writer, s *Summary) error {
	if _, err := fmt.Fprintln(w, "Faults injected"); err != nil {
		return err
	}
	t := newTable(w, 2, 1)
	t.Header("fault", "injected")
	keys := make([]string, 0, len(s.Faults))
	for k := range s.Faults {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := t.Append([]string{k, strconv.Itoa(s.Faults[k])}); err != nil {
			return err
		}
	}
	if len(keys) == 0 {
		if err := t.Append([]string{"none", "0"}); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w)
	return err
}

func writeVerdicts(w io.Writer, s *Summary) error {
	if s.Verify == nil {
		_, err := fmt.Fprint(w, "Verdicts: not verified\n\n")
		return err
	}
	if _, err := fmt.Fprintln(w, "Verdicts (records read back from the target)"); err != nil {
		return err
	}
	if _, err := fmt.Fprint(w, settleLine(s.Settle)); err != nil {
		return err
	}
	t := newTable(w, 10, 2)
	t.Header("entity", "company", "expected", "committed", "duplicated", "lost", "altered",
		"bad data\naccepted", "rejected as\nexpected", "orphans")
	for _, e := range s.Entities {
		if err := t.Append(verdictRow(e.Entity, e.Company, e.Counts)); err != nil {
			return err
		}
	}
	t.Footer(verdictRow("total", "", *s.Verify))
	if err := t.Render(); err != nil {
		return err
	}
	v := s.Verify
	_, err := fmt.Fprintf(w, "duplicated (+n): n extra copies stored; lost (n ack): n of them had a 2xx\n"+
		"recovered %d: stored once after a failed or unanswered attempt, the sender knowing\n"+
		"false negatives %d: the sender gave up on records that were in fact committed\n"+
		"unexpected %d: records with this run's prefix that no message created\n"+
		"Retry-After violations %d: retries sent sooner than the answer before them asked\n"+
		"unclear rejections %d: rejected as expected, but not with a 4xx and a message\n\n",
		v.Recovered, v.FalseNegatives, v.Unexpected, v.RetryAfterViolations,
		v.UnclearRejections)
	return err
}

// settleLine says how the wait for the target to settle ended.
func settleLine(st *verify.SettleResult) string {
	if st == nil || st.EndedBy == verify.SettleOff {
		return "settle: off (verify.settle is 0)\n"
	}
	how := "the state stopped changing"
	if st.EndedBy == verify.SettleTimeout {
		how = "verify.settle ran out while the state still changed"
	}
	return fmt.Sprintf("settle: %s after %s (%d counts, %d records)\n", how,
		formatMS(st.WaitedMS), st.Polls, st.Records)
}

func verdictRow(entity, company string, c verify.Counts) []string {
	dup := strconv.Itoa(c.Duplicated)
	if c.DuplicateCopies > 0 {
		dup = fmt.Sprintf("%d (+%d)", c.Duplicated, c.DuplicateCopies)
	}
	lost := strconv.Itoa(c.Lost)
	if c.LostAcknowledged > 0 {
		lost = fmt.Sprintf("%d (%d ack)", c.Lost, c.LostAcknowledged)
	}
	return []string{entity, company, strconv.Itoa(c.Expected), strconv.Itoa(c.Committed), dup,
		lost, strconv.Itoa(c.Altered), strconv.Itoa(c.BadDataAccepted),
		strconv.Itoa(c.RejectedAsExpected), strconv.Itoa(c.Orphans)}
}

func writeExpectations(w io.Writer, s *Summary) error {
	if _, err := fmt.Fprintln(w, "Expectations"); err != nil {
		return err
	}
	t := newTable(w, 5, 2)
	t.Header("expectation", "kind", "want", "got", "result")
	for _, r := range s.Expectations {
		result := "pass"
		switch {
		case r.Got == notVerified:
			result = "n/a" // the run ended before it could be judged
		case !r.Passed:
			result = "FAIL"
		}
		op := "<= "
		if r.Name == "throughput" {
			op = ">= "
		}
		if err := t.Append([]string{r.Name, r.Kind, op + r.Want, r.Got, result}); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w)
	return err
}

func writeOutcome(w io.Writer, s *Summary) error {
	var line string
	switch {
	case s.Error != "":
		line = fmt.Sprintf("INCOMPLETE (exit %d): %s", s.ExitCode, s.Error)
	case s.Interrupted:
		line = fmt.Sprintf("INTERRUPTED (exit %d): partial results", s.ExitCode)
	case s.Passed:
		line = "PASSED (exit 0): every expectation held"
	default:
		line = fmt.Sprintf("FAILED (exit %d): %s", s.ExitCode, failedKinds(s.ExitCode))
	}
	_, err := fmt.Fprintln(w, line)
	return err
}

func failedKinds(code int) string {
	switch code {
	case ExitIntegrity:
		return "a data-integrity expectation failed"
	case ExitPerformance:
		return "a performance expectation failed"
	}
	return "data-integrity and performance expectations failed"
}
