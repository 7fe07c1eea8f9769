package faults

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/stormcheck/stormcheck/scenarios"
)

// An Attempt identifies one try of one delivery of one message: Copy 0 is the original
// delivery, Copy n the n-th injected copy; Try counts from 1.
type Attempt struct {
	Message int64
	Copy    int
	Try     int
}

// A Plan is what the transport does to one attempt: wait Latency, then either answer
// Status itself without reaching the target, or pass the request on and, with AckLoss,
// drop the target's answer and report a timeout.
type Plan struct {
	Latency time.Duration
	Status  int
	AckLoss bool
}

// Injected names what the plan injects, for the ledger; "" when nothing.
func (p Plan) Injected() string {
	var parts []string
	if p.AckLoss {
		parts = append(parts, "ack-loss")
	}
	if p.Status != 0 {
		parts = append(parts, "status-"+strconv.Itoa(p.Status))
	}
	if p.Latency > 0 {
		parts = append(parts, "latency-"+p.Latency.String())
	}
	return strings.Join(parts, ",")
}

// A Planner decides the transport faults of each attempt from the dice.
type Planner struct {
	dice      Dice
	ackLoss   float64
	errorRate float64
	status    int
	latency   scenarios.DurationRange
}

// NewPlanner returns the planner of a scenario's ack-loss and transport faults.
func NewPlanner(f scenarios.Faults, seed uint64) *Planner {
	p := &Planner{dice: NewDice(seed)}
	if f.AckLoss != nil {
		p.ackLoss = float64(f.AckLoss.Rate)
	}
	if t := f.Transport; t != nil {
		p.errorRate, p.status, p.latency = float64(t.ErrorRate), t.Status, t.Latency
	}
	return p
}

// Plan returns the plan of an attempt. Ack loss strikes only the first try of an original
// delivery, so that the number of ack losses is the number of messages chosen, exactly.
func (p *Planner) Plan(a Attempt) Plan {
	var plan Plan
	if p.latency.Max > 0 {
		plan.Latency = p.dice.Between(p.latency.Min, p.latency.Max, "latency",
			a.Message, int64(a.Copy), int64(a.Try))
	}
	switch {
	case a.Copy == 0 && a.Try == 1 && p.dice.Chance(p.ackLoss, "ack-loss", a.Message):
		plan.AckLoss = true
	case p.dice.Chance(p.errorRate, "transport-error", a.Message, int64(a.Copy), int64(a.Try)):
		plan.Status = p.status
	}
	return plan
}

type planKey struct{}

// WithPlan returns a context that carries a plan to the Transport.
func WithPlan(ctx context.Context, p Plan) context.Context {
	return context.WithValue(ctx, planKey{}, p)
}

// ErrAckLost is the error a sender sees when the target committed a request but its
// answer was dropped. It reports itself as a timeout, as the sender would experience it.
var ErrAckLost error = ackLost{}

type ackLost struct{}

func (ackLost) Error() string   { return "timeout awaiting response headers (answer lost after commit)" }
func (ackLost) Timeout() bool   { return true }
func (ackLost) Temporary() bool { return true }

// Transport is an http.RoundTripper that carries out the Plan found in each request's
// context (see WithPlan); requests without a plan pass through untouched.
type Transport struct {
	Next http.RoundTripper

	ackLosses atomic.Int64
	injected  atomic.Int64
}

// AckLosses returns how many answers the transport dropped after the target committed.
func (t *Transport) AckLosses() int64 { return t.ackLosses.Load() }

// Injected returns how many answers the transport made up without reaching the target.
func (t *Transport) Injected() int64 { return t.injected.Load() }

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	plan, _ := req.Context().Value(planKey{}).(Plan)
	if err := sleep(req.Context(), plan.Latency); err != nil {
		closeBody(req)
		return nil, err
	}
	if plan.Status != 0 {
		closeBody(req)
		t.injected.Add(1)
		return injectedResponse(req, plan.Status), nil
	}
	resp, err := t.Next.RoundTrip(req)
	if err != nil || !plan.AckLoss {
		return resp, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	t.ackLosses.Add(1)
	return nil, ErrAckLost
}

// injectedResponse answers as a gateway in front of F&O does when it is overloaded or
// unavailable: the status, a Retry-After for 429 and 503, and an OData error body.
func injectedResponse(req *http.Request, status int) *http.Response {
	body := fmt.Sprintf(`{"error":{"code":"","message":"%s (injected by stormcheck)"}}`,
		http.StatusText(status))
	h := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		h.Set("Retry-After", "1")
	}
	return &http.Response{
		Status:        fmt.Sprintf("%d %s", status, http.StatusText(status)),
		StatusCode:    status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          io.NopCloser(strings.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       req,
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}
