package scenarios

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"time"
)

func (c *checker) faults() {
	f := c.s.Faults
	if f.Duplicate != nil {
		c.choose("faults.duplicate.mode", "mode", f.Duplicate.Mode, DuplicateModes, nil)
		c.between("faults.duplicate.copies", f.Duplicate.Copies, 1, MaxCopies)
	}
	if f.Malformed != nil {
		c.malformedKinds(f.Malformed.Kinds)
	}
	if f.Reorder != nil {
		c.choose("faults.reorder.mode", "mode", f.Reorder.Mode, ReorderModes, nil)
		if f.Reorder.Mode == "shuffle" {
			c.between("faults.reorder.window", f.Reorder.Window, 2, MaxShuffleWindow)
		} else if c.s.fromFile("faults.reorder.window") {
			c.fail("faults.reorder.window", "window applies to mode shuffle only", "")
		}
		if f.Reorder.Mode == "newer-first" && !c.s.revises() && len(c.s.Flows) > 0 {
			c.fail("faults.reorder.mode", "newer-first reorders revisions of a record, and no "+
				"flow revises any: add changes (such as changes: 20%) to a flow", "")
		}
	}
	if f.Transport != nil {
		c.transport(f.Transport)
	}
	if f.Restart != nil {
		c.restart(f.Restart)
	}
	if f.Burst != nil {
		c.between("faults.burst.messages", f.Burst.Messages, 1, MaxBurst)
		c.burstFits(f.Burst)
		c.beforeTheEnd("faults.burst.at", f.Burst.At, "burst")
	}
}

// burstFits fails when a burst asks for more messages than the run has left when it comes:
// the burst releases messages of the run, and the pace has sent some before it.
func (c *checker) burstFits(b *BurstFault) {
	l := c.s.Load
	if l.Messages <= 0 || l.Rate.Per <= 0 {
		return
	}
	paced := int(time.Duration(b.At) * time.Duration(l.Rate.Freq) / l.Rate.Per)
	if left := max(l.Messages-paced, 0); b.Messages > left {
		c.failf("faults.burst.messages", "%d is more than the %d of the run's %d messages "+
			"(load.messages) still to send at %s; the burst releases messages of the run",
			b.Messages, left, l.Messages, b.At)
	}
}

// beforeTheEnd fails when a fault is timed after the load's last message is due, where it
// would never strike. The end is the duration, or the time the messages take at the rate.
func (c *checker) beforeTheEnd(path string, at Duration, what string) {
	l := c.s.Load
	end, why := l.Duration, "load.duration"
	if l.Messages > 0 && l.Rate.Freq > 0 && l.Rate.Per > 0 {
		paced := Duration(time.Duration(l.Messages) * l.Rate.Per / time.Duration(l.Rate.Freq))
		if end == 0 || paced < end {
			end, why = paced, fmt.Sprintf("%d messages at %s", l.Messages, l.Rate)
		}
	}
	if end > 0 && at > end {
		c.failf(path, "the %s at %s would never come: the load ends after %s (%s)", what, at,
			end, why)
	}
}

// Bounds of fault parameters: beyond them a run would only measure the harness.
const (
	MaxCopies        = 100
	MaxShuffleWindow = 1000
	MaxBurst         = 1_000_000
)

// between checks that a whole number lies in [lo, hi].
func (c *checker) between(path string, n, lo, hi int) {
	if n < lo || n > hi {
		c.failf(path, "%d must lie between %d and %d", n, lo, hi)
	}
}

func (c *checker) transport(t *TransportFault) {
	if t.Status < 400 || t.Status > 599 {
		c.failf("faults.transport.status", "%d must be an HTTP error status, 400 to 599",
			t.Status)
	}
	// A setting that shapes a fault whose share is 0 does nothing; the defaults a resolved
	// scenario writes out are let through.
	for _, k := range []struct {
		key, share string
		rate       Share
		changed    bool
	}{
		{"status", "error_rate", t.ErrorRate, t.Status != DefaultTransportStatus},
		{"retry_after", "error_rate", t.ErrorRate, t.RetryAfter != DefaultRetryAfter},
		{"slow_body", "slow_body_rate", t.SlowBodyRate, t.SlowBody != DefaultSlowBody},
	} {
		if k.rate == 0 && k.changed && c.s.fromFile("faults.transport."+k.key) {
			c.failf("faults.transport."+k.key, "%s has no effect without %s, the share of "+
				"attempts it strikes", k.key, k.share)
		}
	}
	total := float64(t.ErrorRate + t.ResetRate + t.TimeoutRate + t.SlowBodyRate)
	if total > 1 {
		c.failf("faults.transport", "error_rate, reset_rate, timeout_rate and slow_body_rate "+
			"add up to %s; together they must not pass 100%%", Share(total))
	}
}

func (c *checker) malformedKinds(kinds []string) {
	const path = "faults.malformed.kinds"
	if len(kinds) == 0 {
		c.fail(path, "list at least one kind, such as [missing-required, bad-date]", "")
	}
	for i, kind := range kinds {
		at := fmt.Sprintf("%s[%d]", path, i)
		c.choose(at, "malformed kind", kind, MalformedKinds, nil)
		if slices.Index(kinds, kind) < i {
			c.failf(at, "malformed kind %q is listed twice", kind)
		}
	}
}

func (c *checker) restart(r *RestartFault) {
	if c.s.Target.URL != "" {
		c.fail("faults.restart", "a restart takes the embedded mock down, "+
			"so it cannot go with target.url; remove one of them", "")
	}
	if r.DownFor <= 0 {
		c.fail("faults.restart.down_for", "give how long the mock stays down, such as 5s", "")
	}
	c.beforeTheEnd("faults.restart.at", r.At, "restart")
}

// MaxSenderTimeout bounds sender.timeout: a sender that waits longer for one answer is
// not waiting, it is hung.
const MaxSenderTimeout = Duration(10 * time.Minute)

func (c *checker) sender() {
	s := c.s.Sender
	c.choose("sender.strategy", "strategy", s.Strategy, Strategies, plannedStrategies)
	if s.Timeout <= 0 || s.Timeout > MaxSenderTimeout {
		c.failf("sender.timeout", "%s must be longer than 0 and at most %s", s.Timeout,
			MaxSenderTimeout)
	}
	if s.Retry.Attempts < 1 || s.Retry.Attempts > MaxRetryAttempts {
		c.failf("sender.retry.attempts", "%d must lie between 1 (no retry) and %d",
			s.Retry.Attempts, MaxRetryAttempts)
	}
	for i, on := range s.Retry.On {
		if !validRetryOn(on) {
			c.failf(fmt.Sprintf("sender.retry.on[%d]", i), "%q is not a status code "+
				"from 400 to 599, 4xx, 5xx or timeout", on)
		}
	}
}

// validRetryOn reports whether on names a retryable outcome: a status code 400-599, a
// class ("4xx", "5xx") or "timeout".
func validRetryOn(on string) bool {
	switch on {
	case "4xx", "5xx", "timeout":
		return true
	}
	code, err := strconv.Atoi(on)
	return err == nil && len(on) == 3 && code >= 400 && code <= 599
}

func (c *checker) expect() {
	for i, item := range c.s.Expect.Items {
		path := "expect." + item.Name
		kind, ok := ExpectationKind(item.Name)
		switch {
		case !ok:
			all := slices.Concat(IntegrityExpectations, PerformanceExpectations)
			c.fail(fmt.Sprintf("expect[%d]", i), fmt.Sprintf("unknown expectation %q",
				item.Name), nearest(item.Name, all))
		case item.Kind != kind:
			c.failf(path, "kind %q should be %q", item.Kind, kind)
		default:
			if err := checkWant(item.Name, item.Want); err != nil {
				c.fail(path, err.Error(), "")
			}
		}
	}
}

// values re-checks every Rate, Share, Duration and DurationRange by reading back its
// written form. A file cannot hold a bad one (the decoder rejects it), but a scenario
// built or changed in code can: a share over 100%, a negative duration, an inverted
// range.
func (c *checker) values() {
	c.walkValues(reflect.ValueOf(c.s).Elem(), "")
}

func (c *checker) walkValues(v reflect.Value, path string) {
	if msg := badValue(v); msg != "" {
		c.fail(path, msg, "")
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			c.walkValues(v.Elem(), path)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if name := yamlName(v.Type().Field(i)); name != "" {
				c.walkValues(v.Field(i), joinKey(path, name))
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			c.walkValues(v.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
	}
}

// badValue returns why v, a scalar value type of this package, cannot be written in a
// scenario, or "" when it can (or is of another type, or a zero rate).
func badValue(v reflect.Value) string {
	var err error
	switch x := v.Interface().(type) {
	case Rate:
		if !x.IsZero() {
			_, err = ParseRate(x.String())
		}
	case Share:
		_, err = ParseShare(x.String())
	case Duration:
		_, err = ParseDuration(x.String())
	case DurationRange:
		_, err = ParseDurationRange(x.String())
	}
	if err != nil {
		return err.Error()
	}
	return ""
}
