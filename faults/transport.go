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

// A Plan is what the transport does to one attempt: wait Latency, then at most one of:
// answer Status itself (with RetryAfter for 429 and 503) without reaching the target; fail
// with a reset connection (Reset) or a timeout (Timeout) before the request is sent; pass
// the request on and, with AckLoss, drop the target's committed answer and report a
// timeout; or pass it on and dribble the answer over SlowBody.
type Plan struct {
	Latency    time.Duration
	Status     int
	RetryAfter time.Duration
	Reset      bool
	Timeout    bool
	AckLoss    bool
	SlowBody   time.Duration
}

// Injected names what the plan injects, for the ledger; "" when nothing.
func (p Plan) Injected() string {
	var parts []string
	for _, f := range []struct {
		on   bool
		name string
	}{
		{p.AckLoss, "ack-loss"},
		{p.Status != 0, "status-" + strconv.Itoa(p.Status)},
		{p.Reset, "reset"},
		{p.Timeout, "timeout-before-send"},
		{p.SlowBody > 0, "slow-body-" + p.SlowBody.String()},
		{p.Latency > 0, "latency-" + p.Latency.String()},
	} {
		if f.on {
			parts = append(parts, f.name)
		}
	}
	return strings.Join(parts, ",")
}

// A Planner decides the transport faults of each attempt from the dice.
type Planner struct {
	dice    Dice
	ackLoss float64
	t       scenarios.TransportFault
}

// NewPlanner returns the planner of a scenario's ack-loss and transport faults.
func NewPlanner(f scenarios.Faults, seed uint64) *Planner {
	p := &Planner{dice: NewDice(seed)}
	if f.AckLoss != nil {
		p.ackLoss = float64(f.AckLoss.Rate)
	}
	if f.Transport != nil {
		p.t = *f.Transport
	}
	return p
}

// Plan returns the plan of an attempt. Ack loss strikes only the first try of an original
// delivery, so that the number of ack losses is the number of messages chosen, exactly.
// The other faults share one draw per attempt, so their rates add up and never overlap.
func (p *Planner) Plan(a Attempt) Plan {
	var plan Plan
	ids := []int64{a.Message, int64(a.Copy), int64(a.Try)}
	if p.t.Latency.Max > 0 {
		plan.Latency = p.dice.Between(p.t.Latency.Min, p.t.Latency.Max, "latency", ids...)
	}
	if a.Copy == 0 && a.Try == 1 && p.dice.Chance(p.ackLoss, "ack-loss", a.Message) {
		plan.AckLoss = true
		return plan
	}
	u := p.dice.Float("transport", ids...)
	for _, band := range []struct {
		share scenarios.Share
		set   func()
	}{
		{p.t.ErrorRate, func() { plan.Status, plan.RetryAfter = p.t.Status, p.t.RetryAfter.D() }},
		{p.t.ResetRate, func() { plan.Reset = true }},
		{p.t.TimeoutRate, func() { plan.Timeout = true }},
		{p.t.SlowBodyRate, func() { plan.SlowBody = p.t.SlowBody.D() }},
	} {
		if u < float64(band.share) {
			band.set()
			break
		}
		u -= float64(band.share)
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
var ErrAckLost error = &injectedError{msg: "timeout awaiting response headers " +
	"(answer lost after commit)", timeout: true}

// ErrTimeoutBeforeSend is the error of a request that timed out before it left: the target
// never saw it.
var ErrTimeoutBeforeSend error = &injectedError{msg: "timeout before the request was sent " +
	"(injected)", timeout: true}

// ErrReset is the error of a connection reset before the request reached the target.
var ErrReset error = &injectedError{msg: "read: connection reset by peer (injected)"}

// injectedError is a network error made up by the transport; it satisfies net.Error.
type injectedError struct {
	msg     string
	timeout bool
}

func (e *injectedError) Error() string   { return e.msg }
func (e *injectedError) Timeout() bool   { return e.timeout }
func (e *injectedError) Temporary() bool { return true }

// Transport is an http.RoundTripper that carries out the Plan found in each request's
// context (see WithPlan); requests without a plan pass through untouched. It counts what
// it injected, by kind.
type Transport struct {
	Next http.RoundTripper

	counts [kinds]atomic.Int64
}

// The kinds of transport fault counted.
const (
	kindAckLoss = iota
	kindStatus
	kindReset
	kindTimeout
	kindSlowBody
	kindLatency
	kinds
)

// KindNames name the counted kinds, in Counts' order.
var KindNames = [kinds]string{"ack_loss", "transport_status", "transport_reset",
	"transport_timeout", "transport_slow_body", "transport_latency"}

// Counts returns how often each kind struck, named as KindNames.
func (t *Transport) Counts() map[string]int {
	out := map[string]int{}
	for i := range t.counts {
		out[KindNames[i]] = int(t.counts[i].Load())
	}
	return out
}

func (t *Transport) resetCounts() {
	for i := range t.counts {
		t.counts[i].Store(0)
	}
}

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	plan, _ := req.Context().Value(planKey{}).(Plan)
	if plan.Latency > 0 {
		t.counts[kindLatency].Add(1)
	}
	if err := sleep(req.Context(), plan.Latency); err != nil {
		closeBody(req)
		return nil, err
	}
	if early, resp, err := t.beforeSend(req, plan); early {
		return resp, err
	}
	resp, err := t.Next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	switch {
	case plan.AckLoss:
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		t.counts[kindAckLoss].Add(1)
		return nil, ErrAckLost
	case plan.SlowBody > 0:
		t.counts[kindSlowBody].Add(1)
		resp.Body = newDribble(req.Context(), resp.Body, plan.SlowBody)
	}
	return resp, nil
}

// beforeSend carries out the faults that stop a request before it reaches the target.
func (t *Transport) beforeSend(req *http.Request, plan Plan) (bool, *http.Response, error) {
	switch {
	case plan.Status != 0:
		closeBody(req)
		t.counts[kindStatus].Add(1)
		return true, injectedResponse(req, plan.Status, plan.RetryAfter), nil
	case plan.Reset:
		closeBody(req)
		t.counts[kindReset].Add(1)
		return true, nil, ErrReset
	case plan.Timeout:
		closeBody(req)
		t.counts[kindTimeout].Add(1)
		return true, nil, ErrTimeoutBeforeSend
	}
	return false, nil, nil
}

// injectedResponse answers as a gateway in front of F&O does when it is overloaded or
// unavailable: the status, a Retry-After for 429 and 503, and an OData error body.
func injectedResponse(req *http.Request, status int, retryAfter time.Duration) *http.Response {
	body := fmt.Sprintf(`{"error":{"code":"","message":"%s (injected by stormcheck)"}}`,
		http.StatusText(status))
	h := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		h.Set("Retry-After", strconv.Itoa(max(1, int(retryAfter.Round(time.Second).Seconds()))))
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
