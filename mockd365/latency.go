package mockd365

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"
)

// A delayer draws per-request delays from a seeded source, so that the same seed gives the
// same sequence of delays. It is safe for concurrent use; concurrent requests take the draws
// in the order they ask for them.
type delayer struct {
	base   time.Duration
	jitter time.Duration
	cold   time.Duration

	mu        sync.Mutex // guards rnd and warmUntil
	rnd       *rand.Rand
	warmUntil time.Time // end of the cold start; zero until the first request

	// sleep waits d, or less when ctx is done or stop closes; sleepFor unless a test makes
	// time pass on a clock of its own.
	sleep func(ctx context.Context, stop <-chan struct{}, d time.Duration)
}

// newDelayer returns a delayer for l seeded with seed.
func newDelayer(l Latency, seed uint64) *delayer {
	return &delayer{
		base:   l.Base,
		jitter: l.Jitter,
		cold:   l.ColdStart,
		rnd:    rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		sleep:  sleepFor,
	}
}

// next draws the next delay: base plus a uniform draw from [0, jitter).
func (d *delayer) next() time.Duration {
	if d.jitter <= 0 {
		return d.base
	}
	d.mu.Lock()
	j := d.rnd.Int64N(int64(d.jitter))
	d.mu.Unlock()
	return d.base + time.Duration(j)
}

// coldWait returns how long a request at now still waits for the cold start: the first
// request starts it, and every request until it ends waits for its end.
func (d *delayer) coldWait(now time.Time) time.Duration {
	if d.cold <= 0 {
		return 0
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.warmUntil.IsZero() {
		d.warmUntil = now.Add(d.cold)
	}
	return max(d.warmUntil.Sub(now), 0)
}

// wait sleeps for the next delay of a request that arrived at now. It returns early when
// ctx is done (the client went away) or when stop is closed (the server is closing).
func (d *delayer) wait(ctx context.Context, stop <-chan struct{}, now time.Time) {
	if delay := d.next() + d.coldWait(now); delay > 0 {
		d.sleep(ctx, stop, delay)
	}
}

// sleepFor waits d, or until ctx is done or stop is closed.
func sleepFor(ctx context.Context, stop <-chan struct{}, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	case <-stop:
	}
}
