package verify

import (
	"strings"
	"time"

	"github.com/stormcheck/stormcheck/ledger"
)

// An attempt is one try of one delivery of a message, as the ledger recorded it.
type attempt struct {
	copy, try  int
	started    time.Duration // since the start of the load
	latency    time.Duration
	retryAfter time.Duration // the answer's Retry-After, 0 when none
	status     int
	outcome    string
	injected   string
	decision   string
	answer     string
	lookup     bool // a GET that looked the record up (query-before-create), not a send
}

func (a attempt) end() time.Duration { return a.started + a.latency }

func (a attempt) ackLost() bool { return strings.Contains(a.injected, "ack-loss") }

// A history is every attempt of one message, ordered by copy, then try.
type history []attempt

// acknowledged reports whether any send got a 2xx.
func (h history) acknowledged() (attempt, bool) {
	for _, a := range h {
		if !a.lookup && a.outcome == ledger.OutcomeOK {
			return a, true
		}
	}
	return attempt{}, false
}

// sends returns the attempts that sent the message, look-ups left out.
func (h history) sends() []attempt {
	var out []attempt
	for _, a := range h {
		if !a.lookup {
			out = append(out, a)
		}
	}
	return out
}

// troubled reports whether the original delivery had a failed or unanswered send.
func (h history) troubled() (attempt, bool) {
	for _, a := range h {
		if a.copy == 0 && !a.lookup && a.outcome != ledger.OutcomeOK {
			return a, true
		}
	}
	return attempt{}, false
}

// last returns the last attempt of the original delivery, a send or a look-up: the
// sender's final word on it.
func (h history) last() (attempt, bool) {
	for i := len(h) - 1; i >= 0; i-- {
		if h[i].copy == 0 {
			return h[i], true
		}
	}
	return attempt{}, false
}

// clearRefusal returns a send refused with a 4xx and a message, if there is one.
func (h history) clearRefusal() (attempt, bool) {
	for _, a := range h {
		if !a.lookup && a.status >= 400 && a.status < 500 && a.answer != "" {
			return a, true
		}
	}
	return attempt{}, false
}

// violations counts retries sent before the Retry-After of the answer before them had
// passed. Retries of a delivery follow each other; copies are new deliveries, not
// retries, and are not held to it.
func (h history) violations() int {
	n := 0
	for i := 1; i < len(h); i++ {
		prev, a := h[i-1], h[i]
		if a.copy == prev.copy && a.try == prev.try+1 && prev.retryAfter > 0 &&
			a.started < prev.end()+prev.retryAfter {
			n++
		}
	}
	return n
}

// previous returns the attempt before a in the same delivery.
func (h history) previous(a attempt) (attempt, bool) {
	for _, p := range h {
		if p.copy == a.copy && p.try == a.try-1 {
			return p, true
		}
	}
	return attempt{}, false
}

// arrivals returns the sends that may have stored the record, in the order they were
// sent: those acknowledged and those left without an answer.
func (h history) arrivals() []attempt {
	var out []attempt
	for _, a := range h {
		if !a.lookup && (a.outcome == ledger.OutcomeOK || a.outcome == ledger.OutcomeUnknown) {
			out = append(out, a)
		}
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].started < out[j-1].started; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
