package verify

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// A related message explains a record without creating it: a revision of the record, or
// the message that creates its parent. It comes from run.db as JSON (see relatedJSON).
type related struct {
	ID       int64           `json:"id"`
	Faults   string          `json:"faults"`
	Body     json.RawMessage `json:"body"` // a revision's PATCH body; absent for a parent
	Attempts history         `json:"attempts"`
}

// attemptJSON is an attempt as relatedJSON writes it.
type attemptJSON struct {
	Copy       int    `json:"copy"`
	Try        int    `json:"try"`
	Started    int64  `json:"started"`
	Latency    int64  `json:"latency"`
	RetryAfter int64  `json:"retry_after"`
	Status     int    `json:"status"`
	Outcome    string `json:"outcome"`
	Injected   string `json:"injected"`
	Decision   string `json:"decision"`
	Answer     string `json:"answer"`
	Lookup     int    `json:"lookup"` // 1 for a look-up, as SQLite writes a true comparison
}

// UnmarshalJSON reads a history from the JSON array of attempts that relatedJSON builds.
func (h *history) UnmarshalJSON(data []byte) error {
	var rows []attemptJSON
	if err := json.Unmarshal(data, &rows); err != nil {
		return err
	}
	*h = make(history, len(rows))
	for i, r := range rows {
		(*h)[i] = attempt{
			copy: r.Copy, try: r.Try, started: time.Duration(r.Started),
			latency: time.Duration(r.Latency), retryAfter: time.Duration(r.RetryAfter),
			status: r.Status, outcome: r.Outcome, injected: r.Injected, decision: r.Decision,
			answer: r.Answer, lookup: r.Lookup != 0,
		}
	}
	return nil
}

// revisionList returns the record's revisions in the order the source made them.
func (ev *evidence) revisionList() ([]related, error) {
	if len(ev.revisions) == 0 {
		return nil, nil
	}
	var revs []related
	if err := json.Unmarshal(ev.revisions, &revs); err != nil {
		return nil, fmt.Errorf("revisions of the record: %w", err)
	}
	return revs, nil
}

// parentMessage returns the message that creates the record's absent parent, when the
// ledger has one.
func (ev *evidence) parentMessage() (related, bool) {
	var p related
	if len(ev.parent) == 0 || json.Unmarshal(ev.parent, &p) != nil {
		return related{}, false
	}
	return p, true
}

// fate says what became of a message, for a sentence about it such as "message 1 that
// creates it was never accepted (503 on its only attempt, retries off)": acknowledged,
// never accepted (every send answered with a failure), got no answer (every send left
// without one), never acknowledged (some of each), or never sent.
func fate(h history) string {
	if a, ok := h.acknowledged(); ok {
		return fmt.Sprintf("was acknowledged with %d on %s", a.status, label(a))
	}
	sends := h.sends()
	if len(sends) == 0 {
		return "was never sent (the run ended before its delivery)"
	}
	unanswered := 0
	for _, a := range sends {
		if a.status == 0 {
			unanswered++
		}
	}
	verb := "was never acknowledged"
	switch unanswered {
	case 0:
		verb = "was never accepted"
	case len(sends):
		verb = "got no answer"
	}
	return verb + " (" + failures(sends) + senderEnd(h) + ")"
}

// failures says what went wrong with each send: "503 on both attempts", or "injected
// 503 on attempt 1, no answer on attempt 2" when the failures differ.
func failures(sends []attempt) string {
	words := make([]string, len(sends))
	same := true
	for i, a := range sends {
		words[i] = strings.TrimPrefix(failure(a), "status ")
		if strings.Contains(a.injected, "status-") {
			words[i] = "injected " + words[i]
		}
		same = same && words[i] == words[0]
	}
	switch {
	case same && len(sends) == 1:
		return words[0] + " on its only attempt"
	case same && len(sends) == 2:
		return words[0] + " on both attempts"
	case same:
		return words[0] + " on all " + strconv.Itoa(len(sends)) + " attempts"
	}
	for i, a := range sends {
		words[i] += " on " + label(a)
	}
	return strings.Join(words, ", ")
}

// senderEnd says how the sender ended a delivery that never got through, from its last
// decision as faults.Policy words it, with the target's text for a refusal (a 4xx).
func senderEnd(h history) string {
	last, _ := h.last()
	var end string
	switch d := last.decision; {
	case strings.Contains(d, " of 1: gave up"):
		end = ", retries off"
	case strings.Contains(d, "gave up"):
		end = ", the sender gave up"
	case strings.HasSuffix(d, "is not retried"):
		end = ", not retried"
	case strings.Contains(d, ": retry "):
		end = ", the run ended before the next retry"
	}
	if last.status >= 400 && last.status < 500 && last.answer != "" {
		end += ": " + infolog(last.answer)
	}
	return end
}
