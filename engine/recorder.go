package engine

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/stormcheck/stormcheck/faults"
)

// deliveryHeader carries a delivery's token from the targeter to the recorder; the
// recorder removes it before the request leaves the process.
const deliveryHeader = "X-Stormcheck-Delivery"

// A trace is what the recorder saw of one attempt, keyed by vegeta's sequence number.
type trace struct {
	d     *delivery
	plan  faults.Plan
	start time.Time

	mu  sync.Mutex
	end time.Time // when the answer was read to the end, or the attempt failed
}

func (t *trace) finish(now time.Time) {
	t.mu.Lock()
	if t.end.IsZero() {
		t.end = now
	}
	t.mu.Unlock()
}

func (t *trace) latency() time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.end.Sub(t.start)
}

// A recorder is the outermost http.RoundTripper of the attacker's client. It ties each
// request to its delivery (handed over by the targeter under a token) and to vegeta's
// sequence number, gives the transport faults their plan, and times the attempt from the
// moment it is sent, so that latencies exclude the time a worker waited for a due message.
type recorder struct {
	run     context.Context // ends requests in flight when the run stops
	next    http.RoundTripper
	planner *faults.Planner
	clock   Clock

	mu      sync.Mutex
	tokens  map[string]*delivery
	traces  map[uint64]*trace
	counter uint64
}

func newRecorder(run context.Context, next http.RoundTripper, planner *faults.Planner,
	clock Clock) *recorder {
	return &recorder{
		run: run, next: next, planner: planner, clock: clock,
		tokens: map[string]*delivery{}, traces: map[uint64]*trace{},
	}
}

// handOver registers a delivery and returns the token its request carries.
func (r *recorder) handOver(d *delivery) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.counter++
	token := strconv.FormatUint(r.counter, 36)
	r.tokens[token] = d
	return token
}

// take returns and forgets the trace of vegeta's request seq.
func (r *recorder) take(seq uint64) *trace {
	r.mu.Lock()
	defer r.mu.Unlock()
	t := r.traces[seq]
	delete(r.traces, seq)
	return t
}

// RoundTrip implements http.RoundTripper.
func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	t, err := r.claim(req)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(faults.WithPlan(req.Context(), t.plan))
	unhook := context.AfterFunc(r.run, cancel)
	release := func() { unhook(); cancel() }
	out := req.Clone(ctx)
	out.Header.Del(deliveryHeader)
	// net/http replays a request on a broken connection when it can rewind the body and
	// takes the request for idempotent, which an Idempotency-Key header makes it do. A
	// replay would reach the target without an attempt in the ledger, so every resend is
	// the simulated sender's decision, never the HTTP client's.
	out.GetBody = nil
	t.start = r.clock.Now()

	resp, err := r.next.RoundTrip(out)
	if err != nil {
		t.finish(r.clock.Now())
		release()
		return nil, err
	}
	resp.Body = &timedBody{ReadCloser: resp.Body, t: t, clock: r.clock, release: release}
	return resp, nil
}

func (r *recorder) claim(req *http.Request) (*trace, error) {
	token := req.Header.Get(deliveryHeader)
	seq, err := strconv.ParseUint(req.Header.Get("X-Vegeta-Seq"), 10, 64)
	if err != nil {
		return nil, fmt.Errorf("request without vegeta sequence number: %w", err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	d, ok := r.tokens[token]
	if !ok {
		return nil, fmt.Errorf("request with unknown delivery token %q", token)
	}
	delete(r.tokens, token)
	t := &trace{d: d, plan: r.planner.Plan(d.attempt())}
	r.traces[seq] = t
	return t, nil
}

// timedBody marks the end of an attempt when its answer has been read or closed, and
// releases the attempt's context when it is closed.
type timedBody struct {
	io.ReadCloser
	t       *trace
	clock   Clock
	release func()
}

func (b *timedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil {
		b.t.finish(b.clock.Now())
	}
	return n, err
}

func (b *timedBody) Close() error {
	b.t.finish(b.clock.Now())
	err := b.ReadCloser.Close()
	b.release()
	return err
}
