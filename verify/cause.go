package verify

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/stormcheck/stormcheck/ledger"
)

// The causes below explain a verdict from the ledger: which attempts reached the target,
// what the sender did next, and which faults the run injected. They read as a sentence
// after the class, such as "duplicated: stored 2 times: ack lost on attempt 1, retried
// after 400 ms".

// duplicatedCause explains the extra copies of a record from the deliveries that may
// have stored it.
func duplicatedCause(ev *evidence) string {
	return "stored " + times(ev.found) + ": " + strings.Join(copyReasons(ev), "; ")
}

// copyReasons says how each copy beyond the first reached the target, from the
// deliveries that may have stored the record.
func copyReasons(ev *evidence) []string {
	extra := ev.found - 1
	arrivals := ev.attempts.arrivals()
	var reasons []string
	for _, a := range arrivals[min(1, len(arrivals)):] {
		reasons = append(reasons, arrivalReason(ev, a))
	}
	if extra > len(reasons) {
		reasons = append(reasons, fmt.Sprintf("%s not explained by this run's deliveries",
			plural(extra-len(reasons), "copy")))
	}
	return reasons
}

// arrivalReason says why a delivery after the first reached the target.
func arrivalReason(ev *evidence, a attempt) string {
	p, ok := ev.attempts.previous(a)
	if ok && p.lookup {
		reason := fmt.Sprintf("looked up on %s and not found, sent again after %s", label(p),
			span(waited(p, a)))
		for ok && p.lookup {
			p, ok = ev.attempts.previous(p)
		}
		if ok {
			reason = fmt.Sprintf("%s on %s, %s", failure(p), label(p), reason)
		}
		return reason
	}
	if ok {
		return fmt.Sprintf("%s on %s, retried after %s", failure(p), label(p),
			span(waited(p, a)))
	}
	if a.copy > 0 {
		return fmt.Sprintf("sent again as copy %d%s, %s after the first delivery", a.copy,
			faultNote(ev.faults, "duplicate"), span(a.started-firstStart(ev.attempts)))
	}
	return "delivered again on " + label(a)
}

// waited is how long the sender waited after attempt p before sending a: the wait that
// p's decision names, as faults.Policy words it ("retry 2 of 4 after 57ms", "after
// Retry-After 2s"), so that a verdict and the sender's decision in a trace tell the same
// wait; else the time between the end of p and the start of a.
func waited(p, a attempt) time.Duration {
	if i := strings.LastIndex(p.decision, " after "); i >= 0 {
		planned := strings.TrimPrefix(p.decision[i+len(" after "):], "Retry-After ")
		if d, err := time.ParseDuration(planned); err == nil {
			return d
		}
	}
	return a.started - p.end()
}

// failure names what went wrong with an attempt, as the sender saw it.
func failure(a attempt) string {
	switch {
	case a.ackLost():
		return "ack lost"
	case a.outcome == ledger.OutcomeUnknown:
		return "no answer"
	case a.status == 0:
		return "no status"
	}
	return "status " + strconv.Itoa(a.status)
}

// lostCause explains why a valid record is absent.
func lostCause(ev *evidence) string {
	if a, ok := ev.attempts.acknowledged(); ok {
		cause := fmt.Sprintf("acknowledged with %d on %s, yet absent", a.status, label(a))
		if a.status == http.StatusAccepted {
			cause = fmt.Sprintf("accepted with 202 on %s to be processed later, yet absent: "+
				"the target never finished it", label(a))
		}
		if !ev.parentFound {
			cause += fmt.Sprintf("; its parent %s %s is absent too", ev.parentEntity,
				ev.parentKey)
		}
		return cause + faultNote(ev.faults, "")
	}
	last, ok := ev.attempts.last()
	if !ok {
		return "never sent: the run ended before its delivery"
	}
	return "never accepted: " + final(last) + faultNote(ev.faults, "")
}

// rejectedCause explains the absence of a record sent malformed on purpose, and reports
// whether the refusal was clear (a 4xx with a message).
func rejectedCause(ev *evidence) (cause string, clear bool) {
	if a, ok := ev.attempts.clearRefusal(); ok {
		return fmt.Sprintf("refused with %d: %s", a.status, infolog(a.answer)), true
	}
	last, ok := ev.attempts.last()
	if !ok {
		return "absent, but never sent: the run ended before its delivery", false
	}
	return "absent, but never clearly refused: " + final(last), false
}

// badDataCause explains a record stored although it was meant to be refused.
func badDataCause(ev *evidence, diff difference, differs bool) string {
	what := "meant to be refused (a record it refers to was sent malformed)"
	if strings.Contains(ev.faults, "malformed:") {
		what = "sent malformed on purpose (" + ev.faults + ")"
	} else if id := neededRejected(ev.faults); id != "" {
		what = "meant to be refused: message " + id + ", which it refers to, was sent malformed"
	}
	cause := what + ", yet stored"
	if a, ok := ev.attempts.acknowledged(); ok {
		cause += fmt.Sprintf(" with %d", a.status)
	}
	if differs {
		cause += ": " + diff.String()
	}
	return cause
}

// orphanCause says that an orphan's parent is absent and, when the ledger has the
// message that creates the parent, why; and how each extra copy of the orphan came.
func orphanCause(ev *evidence) string {
	cause := fmt.Sprintf("stored, but its parent %s %s is absent", ev.parentEntity,
		ev.parentKey)
	if ev.found > 1 {
		cause = "stored " + times(ev.found) + cause[len("stored"):]
	}
	if p, ok := ev.parentMessage(); ok {
		words := fmt.Sprintf("message %d that creates it %s%s", p.ID, fate(p.Attempts),
			faultNote(p.Faults, ""))
		if _, acked := p.Attempts.acknowledged(); acked {
			cause += ", although " + words
		} else {
			cause += ": " + words
		}
	}
	if ev.found > 1 {
		cause += "; " + plural(ev.found-1, "extra copy") + ": " +
			strings.Join(copyReasons(ev), "; ")
	}
	return cause
}

// presentCause notes what a present record went through: a false negative (the sender
// gave up on it) or a recovery (stored after a failed or unanswered attempt).
func presentCause(ev *evidence, falseNegative bool) string {
	if falseNegative {
		last, _ := ev.attempts.last()
		cause := "stored, though the sender gave up: "
		if first, ok := ev.attempts.troubled(); ok && (first.try != last.try || first.lookup) {
			// What went wrong first is why the sender tried again at all.
			cause += failure(first) + " on " + label(first) + ", then "
		}
		return cause + final(last)
	}
	if a, ok := ev.attempts.troubled(); ok {
		return "recovered after " + failure(a) + " on " + label(a)
	}
	return ""
}

// violationNote appends the Retry-After violations of a record to its cause.
func violationNote(cause string, n int) string {
	if n == 0 {
		return cause
	}
	note := plural(n, "retry") + " sent before the Retry-After of the answer before it"
	if n > 1 {
		note = plural(n, "retry") + " sent before the Retry-After of the answers before them"
	}
	return joinCause(cause, note)
}

// final is the sender's last decision on a delivery, with the target's error text.
func final(a attempt) string {
	text := a.decision
	if text == "" {
		text = failure(a) + " on " + label(a)
	}
	if a.answer != "" {
		text += ": " + infolog(a.answer)
	}
	return text
}

// infolog keeps the Infolog part of an F&O write error, which says what was wrong; the
// "Write failed for table row of type ..." before it is the same for every error.
func infolog(answer string) string {
	if _, after, ok := strings.Cut(answer, "Infolog: "); ok {
		answer = after
	}
	// Infolog texts hold line breaks between messages; a cause is one line.
	return strings.Join(strings.Fields(answer), " ")
}

// faultNote lists the stream faults of a message that start with prefix ("" for all).
func faultNote(faults, prefix string) string {
	var picked []string
	for _, f := range strings.Split(faults, ",") {
		if f != "" && strings.HasPrefix(f, prefix) {
			picked = append(picked, f)
		}
	}
	if len(picked) == 0 {
		return ""
	}
	return " (" + strings.Join(picked, ", ") + ")"
}

// label names an attempt: "attempt 2", or "attempt 1 of copy 1" for an injected copy.
func label(a attempt) string {
	if a.copy == 0 {
		return "attempt " + strconv.Itoa(a.try)
	}
	return fmt.Sprintf("attempt %d of copy %d", a.try, a.copy)
}

func firstStart(h history) time.Duration {
	first := time.Duration(-1)
	for _, a := range h {
		if first < 0 || a.started < first {
			first = a.started
		}
	}
	return first
}

func times(n int) string {
	if n == 2 {
		return "twice"
	}
	return strconv.Itoa(n) + " times"
}

// span writes a wait the way people say it, to the millisecond as the sender's decisions
// are: "400 ms", "2.5 s", "1.234 s", "1m30s".
func span(d time.Duration) string {
	switch {
	case d < 0:
		return "0 ms"
	case d < time.Second:
		return strconv.FormatInt(d.Round(time.Millisecond).Milliseconds(), 10) + " ms"
	case d < time.Minute:
		return strconv.FormatFloat(d.Round(time.Millisecond).Seconds(), 'f', -1, 64) + " s"
	}
	return d.Round(time.Second).String()
}

// plural writes n and a noun in the singular or the plural: "1 copy", "2 copies".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if stem, ok := strings.CutSuffix(noun, "y"); ok && !strings.HasSuffix(stem, "a") &&
		!strings.HasSuffix(stem, "e") {
		return strconv.Itoa(n) + " " + stem + "ies"
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// neededRejected returns the id in a "needs-rejected:<id>" fault, or "".
func neededRejected(faults string) string {
	for _, f := range strings.Split(faults, ",") {
		if id, ok := strings.CutPrefix(f, "needs-rejected:"); ok {
			return id
		}
	}
	return ""
}

// joinCause adds a note to a cause, either of which may be empty.
func joinCause(cause, note string) string {
	switch {
	case cause == "":
		return note
	case note == "":
		return cause
	}
	return cause + "; " + note
}
