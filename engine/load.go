package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/stormcheck/stormcheck/faults"
	"github.com/stormcheck/stormcheck/generators"
	"github.com/stormcheck/stormcheck/ledger"
)

// attemptTimeout bounds one request of the harness's own (seeding master data, reading the
// state back); the simulated sender's attempts have the scenario's sender.timeout.
const attemptTimeout = 30 * time.Second

// loadConfig is what one load phase needs.
type loadConfig struct {
	baseURL     string
	header      http.Header // sent with every request (authorisation)
	concurrency int
	sched       *scheduler
	planner     *faults.Planner
	policy      *faults.Policy
	lookupFirst bool              // strategy query-before-create
	timeout     time.Duration     // bounds each attempt, answer included
	transport   http.RoundTripper // the network: normally an *http.Transport
	clock       Clock
	ledger      *ledger.Ledger
	results     vegeta.Encoder // results.bin
	progress    func(Progress)
	down        *downtime // when the restart fault held the target down; nil for none
}

// Progress is a snapshot of a running load, for progress displays.
type Progress struct {
	Messages int64  // messages sent at least once (retries and copies not counted)
	Requests uint64 // attempts answered or failed so far
	Failures uint64 // of which not answered with a 2xx
}

// loadResult is what a load phase measured.
type loadResult struct {
	metrics   vegeta.Metrics
	sent      int64          // messages sent at least once (first tries of originals)
	transport map[string]int // transport faults injected, by faults.KindNames
	bursts    int            // messages that went out in a burst
	abandoned int
}

// runLoad drives the scheduler's deliveries through vegeta's attacker until every
// message is delivered or given up, or ctx ends.
func runLoad(ctx context.Context, cfg loadConfig) (*loadResult, error) {
	ft := &faults.Transport{Next: cfg.transport}
	rec := newRecorder(ctx, ft, cfg.planner, cfg.clock)
	client := &http.Client{Transport: rec, Timeout: cfg.timeout, CheckRedirect: noRedirects}
	atk := vegeta.NewAttacker(
		vegeta.Client(client),
		vegeta.Workers(uint64(min(cfg.concurrency, 8))),
		vegeta.MaxWorkers(uint64(cfg.concurrency)),
	)

	// The pacer never waits: the targeter blocks until the scheduler has a due delivery,
	// and MaxWorkers bounds how many requests are in flight.
	eager := vegeta.ConstantPacer{}
	cfg.sched.begin()
	results := atk.Attack(targeter(ctx, cfg, rec), eager, 0, "stormcheck")

	// A stop ends the attack at once, even while every worker waits on a slow target;
	// the recorder cancels the requests in flight.
	stopped := context.AfterFunc(ctx, func() {
		cfg.sched.stop()
		atk.Stop()
	})
	defer stopped()

	res := &loadResult{}
	var loopErr error
	for r := range results {
		if err := record(r, rec, cfg, res); err != nil && loopErr == nil {
			loopErr = err
			atk.Stop()
			cfg.sched.stop()
		}
	}
	res.metrics.Close()
	res.transport = ft.Counts()
	res.bursts = cfg.sched.burstMessages()
	res.abandoned = cfg.sched.abandoned()
	return res, loopErr
}

// noRedirects makes a redirect the answer: load goes only where the scenario points, never
// where a target sends it (a production environment, say).
func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// targeter hands vegeta the next due delivery as a request.
func targeter(ctx context.Context, cfg loadConfig, rec *recorder) vegeta.Targeter {
	return func(t *vegeta.Target) error {
		d, err := cfg.sched.next(ctx)
		if err != nil {
			return vegeta.ErrNoTargets
		}
		h := cfg.header.Clone()
		if h == nil {
			h = http.Header{}
		}
		h.Set("Accept", "application/json")
		h.Set(deliveryHeader, rec.handOver(d))
		if d.lookup {
			*t = vegeta.Target{Method: http.MethodGet, URL: lookupURL(cfg.baseURL, d.msg), Header: h}
			return nil
		}
		h.Set("Content-Type", "application/json")
		h.Set("Idempotency-Key", idempotencyKey(d))
		method, path := d.msg.Request()
		*t = vegeta.Target{Method: method, URL: cfg.baseURL + path, Body: d.msg.Body(), Header: h}
		return nil
	}
}

// idempotencyKey is the same for every try and every resend of a message, and new for a
// copy that the source system exported as a new message.
func idempotencyKey(d *delivery) string {
	key := d.msg.Correlation + "." + strconv.FormatInt(d.msg.ID, 10)
	if d.newID() {
		key += ".copy" + strconv.Itoa(d.copy)
	}
	return key
}

// record turns one vegeta result into a ledger attempt, the sender's next step, and a
// sample of the load metrics.
func record(r *vegeta.Result, rec *recorder, cfg loadConfig, res *loadResult) error {
	if r.Code == 0 && r.Error == vegeta.ErrNoTargets.Error() {
		return nil // a worker found the stream over
	}
	t := rec.take(r.Seq)
	if t == nil {
		return fmt.Errorf("internal error: vegeta request %d has no delivery (%s)", r.Seq, r.Error)
	}
	r.Timestamp, r.Latency = t.start, t.latency()
	o := outcomeOf(r)
	next := cfg.decide(t.d, r, o)
	cfg.ledger.AddAttempt(ledger.Attempt{
		Message: t.d.msg.ID, Copy: t.d.copy, Try: t.d.try, Seq: int64(r.Seq),
		StartedNS: t.start.Sub(cfg.sched.start).Nanoseconds(), LatencyNS: r.Latency.Nanoseconds(),
		Status: int(r.Code), Outcome: next.outcome, Error: errorText(r),
		Injected: cfg.injected(t, r.Latency, o), Decision: next.decision, Answer: answerText(r),
		RetryAfterNS: o.RetryAfter.Nanoseconds(), Method: r.Method,
	})
	cfg.sched.done(t.d, next)
	if t.d.copy == 0 && t.d.try == 1 {
		res.sent++
	}

	m := &res.metrics
	m.Add(r)
	r.Body = nil // the ledger keeps the answer's text; results.bin keeps timings and codes
	if err := cfg.results(r); err != nil {
		return fmt.Errorf("write results.bin: %w", err)
	}
	if cfg.progress != nil {
		cfg.progress(Progress{Messages: res.sent, Requests: m.Requests,
			Failures: m.Requests - okCount(m)})
	}
	return nil
}

// injected names the faults that struck an attempt: its transport plan's, and the restart
// fault when the attempt got no answer while the target was down.
func (cfg loadConfig) injected(t *trace, latency time.Duration, o faults.Outcome) string {
	kinds := t.plan.Injected()
	if o.Answered() || cfg.down == nil || !cfg.down.overlaps(t.start, t.start.Add(latency)) {
		return kinds
	}
	if kinds == "" {
		return "restart"
	}
	return "restart," + kinds
}

// okCount returns how many results so far had a 2xx.
func okCount(m *vegeta.Metrics) uint64 {
	n := 0
	for code, c := range m.StatusCodes {
		if len(code) == 3 && code[0] == '2' {
			n += c
		}
	}
	return uint64(n)
}

func outcomeOf(r *vegeta.Result) faults.Outcome {
	o := faults.Outcome{Status: int(r.Code), RetryAfter: retryAfter(r.Headers.Get("Retry-After"))}
	if r.Code == 0 {
		o.Failure = faults.FailureOf(r.Error)
	}
	return o
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date; 0 when absent or unreadable.
func retryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(time.Until(at), 0)
	}
	return 0
}

func ledgerOutcome(o faults.Outcome) string {
	switch {
	case !o.Answered():
		return ledger.OutcomeUnknown
	case o.OK():
		return ledger.OutcomeOK
	case o.Status == http.StatusTooManyRequests || o.Status >= 500:
		return ledger.OutcomeFailed
	}
	return ledger.OutcomeRejected
}

func errorText(r *vegeta.Result) string {
	if r.Code != 0 {
		return ""
	}
	return r.Error
}

// answerText extracts the message of an F&O error body (the Infolog text when there is
// one), shortened for the ledger.
func answerText(r *vegeta.Result) string {
	if r.Code < 400 || len(r.Body) == 0 {
		return ""
	}
	var body struct {
		Error struct {
			Message    string `json:"message"`
			InnerError struct {
				Message string `json:"message"`
			} `json:"innererror"`
		} `json:"error"`
	}
	text := strings.TrimSpace(string(r.Body))
	if err := json.Unmarshal(r.Body, &body); err == nil {
		text = body.Error.InnerError.Message
		if text == "" {
			text = body.Error.Message
		}
	}
	return shorten(text, 500)
}

func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// messageRow is the ledger row of a message entering the run.
func messageRow(m *generators.Message) ledger.Message {
	spec, _ := generators.SpecFor(m.Entity)
	return ledger.Message{
		ID: m.ID, Doc: m.Doc, DocKind: m.DocKind, Entity: m.Entity, Role: string(m.Role),
		Company: m.Company, MatchKey: m.Key, ParentEntity: spec.Parent, ParentKey: m.ParentKey,
		Correlation: m.Correlation, Fate: string(m.Fate), Faults: strings.Join(m.Faults, ","),
		Quantity: m.Quantity, Amount: m.Amount, Copies: len(m.Copies), Body: m.Body(),
	}
}
