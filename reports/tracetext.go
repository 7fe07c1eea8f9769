package reports

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/olekukonko/tablewriter/tw"
)

// WriteTrace renders a trace: for each message what was sent, each attempt with what the
// sender decided next, the mock's log of the same requests, what was read back, and the
// verdict with its cause.
func WriteTrace(w io.Writer, t *Trace) error {
	_, err := fmt.Fprintf(w, "trace %s: run of %s, seed %s, prefix %s, %s\n", t.Query,
		t.Scenario, t.Seed, t.Prefix, plural(len(t.Messages), "message"))
	if err != nil {
		return err
	}
	for _, m := range t.Messages {
		if err := writeTracedMessage(w, t, m); err != nil {
			return fmt.Errorf("render trace: %w", err)
		}
	}
	return nil
}

func writeTracedMessage(w io.Writer, t *Trace, m TracedMessage) error {
	faults := m.Faults
	if faults == "" {
		faults = "none"
	}
	_, err := fmt.Fprintf(w, "\nmessage %d: %s %s of %s %s in %s\n"+
		"  record %s, meant to %s; faults: %s; Idempotency-Key %s\n",
		m.ID, m.Entity, m.Role, m.DocKind, m.Correlation, m.Company, m.Key, m.Fate, faults,
		m.IdempotencyKey())
	if err != nil {
		return err
	}
	if m.Changes != "" {
		if _, err := fmt.Fprintf(w, "  sets %s\n", shortText(m.Changes, 160)); err != nil {
			return err
		}
	}
	steps := []func(io.Writer, *Trace, TracedMessage) error{
		writeAttempts, writeMockLog, writeStored, writeTraceVerdict,
	}
	for _, step := range steps {
		if err := step(w, t, m); err != nil {
			return err
		}
	}
	return nil
}

func writeAttempts(w io.Writer, _ *Trace, m TracedMessage) error {
	if len(m.Attempts) == 0 {
		_, err := fmt.Fprintln(w, "  attempts: none (the run ended before its delivery)")
		return err
	}
	if _, err := fmt.Fprintln(w, "  attempts (time since the load started):"); err != nil {
		return err
	}
	t := alignedTable(w, columns("rlrrlrrll"))
	t.Header("time", "delivery", "try", "seq", "answer", "latency", "Retry-After", "injected",
		"sender's decision")
	for _, a := range m.Attempts {
		err := t.Append([]string{
			"+" + seconds(a.Started), delivery(a), strconv.Itoa(a.Try),
			strconv.FormatInt(a.Seq, 10), answer(a), millis(a.Latency), retryAfter(a.RetryAfter),
			dash(a.Injected), decision(a),
		})
		if err != nil {
			return err
		}
	}
	return t.Render()
}

func writeMockLog(w io.Writer, t *Trace, m TracedMessage) error {
	if !t.MockLog {
		return nil
	}
	if len(m.Log) == 0 {
		_, err := fmt.Fprintln(w, "  the mock logged no request with this Idempotency-Key")
		return err
	}
	if _, err := fmt.Fprintln(w, "  the mock's integration log (mock.db):"); err != nil {
		return err
	}
	tb := alignedTable(w, columns("lrrll"))
	tb.Header("time (UTC)", "seq", "status", "outcome", "record or reason")
	for _, e := range m.Log {
		what := e.RecordKey
		if e.Reason != "" {
			what = shortText(e.Reason, 90)
		}
		err := tb.Append([]string{clockTime(e.Time), e.Attempt, strconv.Itoa(e.Status),
			e.Outcome, dash(what)})
		if err != nil {
			return err
		}
	}
	return tb.Render()
}

func writeStored(w io.Writer, _ *Trace, m TracedMessage) error {
	if m.Verdict == nil {
		return nil
	}
	_, err := fmt.Fprintf(w, "  read back: %s under its key\n", plural(len(m.Stored), "record"))
	if err != nil {
		return err
	}
	for _, body := range m.Stored {
		if _, err := fmt.Fprintf(w, "    %s\n", shortText(body, 160)); err != nil {
			return err
		}
	}
	return nil
}

func writeTraceVerdict(w io.Writer, _ *Trace, m TracedMessage) error {
	v := m.Verdict
	if m.Role == roleUpdate {
		_, err := fmt.Fprintln(w, "  verdict: none of its own; the record it revises is "+
			"judged against its last revision")
		return err
	}
	if v == nil {
		_, err := fmt.Fprintln(w, "  verdict: not verified (the run ended before verification)")
		return err
	}
	line := "  verdict: " + v.Class
	if v.Detail != "" {
		line += ": " + v.Detail
	}
	_, err := fmt.Fprintln(w, line)
	return err
}

// delivery names the delivery an attempt belongs to (the original, or an injected copy),
// and marks a look-up of the record.
func delivery(a TracedAttempt) string {
	name := "original"
	if a.Copy > 0 {
		name = "copy " + strconv.Itoa(a.Copy)
	}
	if a.Method == "GET" {
		name += ", look-up"
	}
	return name
}

// answer is what the sender saw: a status, or no answer and why.
func answer(a TracedAttempt) string {
	switch {
	case a.Status != 0:
		return strconv.Itoa(a.Status)
	case strings.Contains(a.Injected, "ack-loss"):
		return "none: answer lost"
	case a.Error == "":
		return "none"
	}
	why := a.Error
	if i := strings.LastIndex(why, ": "); i >= 0 {
		why = why[i+2:]
	}
	return "none: " + shortText(why, 30)
}

// columns turns a pattern such as "lrr" into column alignments: l left, r right.
func columns(pattern string) []tw.Align {
	out := make([]tw.Align, len(pattern))
	for i, c := range pattern {
		out[i] = tw.AlignRight
		if c == 'l' {
			out[i] = tw.AlignLeft
		}
	}
	return out
}

func decision(a TracedAttempt) string {
	text := a.Decision
	if text == "" {
		text = "done"
	}
	if a.Answer != "" {
		text += ": " + shortText(a.Answer, 90)
	}
	return text
}

func retryAfter(d time.Duration) string {
	if d == 0 {
		return "-"
	}
	return d.String()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', 3, 64) + "s"
}

func millis(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64) + "ms"
}

// clockTime keeps the time of day of an RFC 3339 time, to the millisecond.
func clockTime(s string) string {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return s
	}
	return t.UTC().Format("15:04:05.000")
}

// shortText puts text on one line and cuts it at n characters.
func shortText(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
