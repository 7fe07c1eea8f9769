package mockd365

import (
	"context"
	"slices"
	"testing"
	"time"
)

// draws returns the first n delays of a delayer.
func draws(l Latency, seed uint64, n int) []time.Duration {
	d := newDelayer(l, seed)
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = d.next()
	}
	return out
}

// Ensure the same seed draws the same delays, within [Base, Base+Jitter).
func TestLatencyIsDeterministic(t *testing.T) {
	l := Latency{Base: 20 * time.Millisecond, Jitter: 10 * time.Millisecond}
	a, b := draws(l, 42, 200), draws(l, 42, 200)
	if !slices.Equal(a, b) {
		t.Fatal("same seed, different delays")
	}
	if slices.Equal(a, draws(l, 43, 200)) {
		t.Error("different seeds, same delays")
	}
	for i, d := range a {
		if d < l.Base || d >= l.Base+l.Jitter {
			t.Fatalf("delay %d = %v, outside [%v, %v)", i, d, l.Base, l.Base+l.Jitter)
		}
	}
	if slices.Min(a) == slices.Max(a) {
		t.Error("jitter draws no variation")
	}
	if got := draws(Latency{Base: time.Second}, 1, 3); !slices.Equal(got,
		[]time.Duration{time.Second, time.Second, time.Second}) {
		t.Errorf("no jitter: %v", got)
	}
}

// Ensure a wait ends when the request is cancelled or the server closes.
func TestLatencyWaitEnds(t *testing.T) {
	d := newDelayer(Latency{Base: time.Hour}, 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	d.wait(ctx, nil, time.Now()) // returns at once, or the test times out

	stop := make(chan struct{})
	close(stop)
	d.wait(context.Background(), stop, time.Now())
}
