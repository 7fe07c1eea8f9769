package faults

import (
	"cmp"
	"fmt"
	"strconv"
	"time"

	"github.com/stormcheck/stormcheck/scenarios"
)

// An Outcome is what the sender saw of one attempt: an HTTP status, or no answer at all
// (Status 0: a timeout, a reset or a refused connection, so the sender cannot know whether
// the target committed). RetryAfter is the target's Retry-After, if it sent one.
type Outcome struct {
	Status     int
	RetryAfter time.Duration
	Failure    string // without a status, what failed: "timeout", "connection reset", ...
}

// Answered reports whether the target answered with a status.
func (o Outcome) Answered() bool { return o.Status != 0 }

// OK reports whether the target acknowledged the request with a 2xx.
func (o Outcome) OK() bool { return o.Status >= 200 && o.Status < 300 }

// A Policy is the simulated sender's retry policy: how many attempts, which failures it
// retries, and how long it waits between attempts. It is safe for concurrent use.
type Policy struct {
	attempts   int
	min, max   time.Duration
	statuses   map[int]bool
	classes    map[int]bool // 4 for "4xx", 5 for "5xx"
	timeout    bool
	retryAfter bool
	dice       Dice
}

// NewPolicy returns the retry policy of a sender. Strategy fire-and-forget never retries.
func NewPolicy(s scenarios.Sender, seed uint64) (*Policy, error) {
	p := &Policy{
		attempts: s.Retry.Attempts, min: s.Retry.Backoff.Min, max: s.Retry.Backoff.Max,
		statuses: map[int]bool{}, classes: map[int]bool{},
		retryAfter: s.Retry.HonorRetryAfter, dice: NewDice(seed),
	}
	if s.Strategy == "fire-and-forget" || p.attempts < 1 {
		p.attempts = 1
	}
	for _, on := range s.Retry.On {
		if err := p.addTrigger(on); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (p *Policy) addTrigger(on string) error {
	switch on {
	case "timeout":
		p.timeout = true
	case "4xx":
		p.classes[4] = true
	case "5xx":
		p.classes[5] = true
	default:
		code, err := strconv.Atoi(on)
		if err != nil || code < 400 || code > 599 {
			return fmt.Errorf("retry on %q is not a status code, 4xx, 5xx or timeout", on)
		}
		p.statuses[code] = true
	}
	return nil
}

// Attempts returns the most attempts the sender makes per delivery, the first included.
func (p *Policy) Attempts() int { return p.attempts }

// Next decides what follows attempt a with outcome o: whether to retry, after how long,
// and why, in words for the ledger.
func (p *Policy) Next(a Attempt, o Outcome) (retry bool, wait time.Duration, reason string) {
	if o.OK() {
		return false, 0, ""
	}
	what := describe(o)
	if !p.retries(o) {
		return false, 0, what + " is not retried"
	}
	if a.Try >= p.attempts {
		return false, 0, fmt.Sprintf("%s on attempt %d of %d: gave up", what, a.Try, p.attempts)
	}
	wait = p.backoff(a)
	reason = fmt.Sprintf("%s: retry %d of %d after %s", what, a.Try+1, p.attempts,
		wait.Round(time.Millisecond))
	if p.retryAfter && o.RetryAfter > p.longestWait() {
		return false, 0, fmt.Sprintf("%s asks to wait Retry-After %s, longer than the sender "+
			"waits (%s): gave up", what, o.RetryAfter, p.longestWait())
	}
	if p.retryAfter && o.RetryAfter > wait {
		wait = o.RetryAfter
		reason = fmt.Sprintf("%s: retry %d of %d after Retry-After %s", what, a.Try+1,
			p.attempts, wait)
	}
	return true, wait, reason
}

// MinLongestWait is the least a sender waits for a Retry-After; a longer backoff raises it.
const MinLongestWait = time.Minute

// longestWait is the longest Retry-After the sender honours; beyond it, it gives up, as a
// scheduled integration does rather than wait for hours.
func (p *Policy) longestWait() time.Duration { return max(p.max, MinLongestWait) }

func (p *Policy) retries(o Outcome) bool {
	if !o.Answered() {
		return p.timeout
	}
	return p.statuses[o.Status] || p.classes[o.Status/100]
}

// backoff is exponential with jitter and stays within the policy's bounds: the n-th retry
// waits between min·2^(n-1) and twice that, both capped at max, so that senders that
// failed together do not retry together.
func (p *Policy) backoff(a Attempt) time.Duration {
	floor := p.min
	for i := 1; i < a.Try && floor < p.max; i++ {
		floor *= 2
	}
	floor = min(floor, p.max)
	ceiling := min(2*floor, p.max)
	return p.dice.Between(floor, ceiling, "backoff", a.Message, int64(a.Copy), int64(a.Try))
}

func describe(o Outcome) string {
	if !o.Answered() {
		return "no answer (" + cmp.Or(o.Failure, "timeout") + ")"
	}
	return "status " + strconv.Itoa(o.Status)
}
