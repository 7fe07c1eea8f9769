package engine

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	authpkg "github.com/stormcheck/stormcheck/auth"
	"github.com/stormcheck/stormcheck/faults"
	"github.com/stormcheck/stormcheck/generators"
	"github.com/stormcheck/stormcheck/ledger"
	"github.com/stormcheck/stormcheck/mockd365"
	"github.com/stormcheck/stormcheck/reports"
	"github.com/stormcheck/stormcheck/scenarios"
	"github.com/stormcheck/stormcheck/verify"
)

// Files of a run directory.
const (
	ScenarioFile = "scenario.yaml"
	LedgerFile   = "run.db"
	ResultsFile  = "results.bin"
	SummaryFile  = "summary.json"
	ReportFile   = "report.txt"
	MockFile     = "mock.db"
)

// Config is one run of a resolved scenario.
type Config struct {
	Scenario *scenarios.Scenario // validated, with its seed set
	Dir      string              // run directory; created, must not hold a run already
	Prefix   string              // correlation prefix; "" draws a fresh one
	Clock    Clock               // nil means the real clock
	Logger   *slog.Logger        // lifecycle messages; nil means none
	// Progress, when set, is called after every attempt of the load, from one goroutine.
	Progress func(Progress)
}

// A UsageError is a scenario the engine cannot run; nothing was sent.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// Run executes a scenario end to end and writes its run directory. The summary it returns
// is complete, or partial with Error or Interrupted set; the error is non-nil only when
// not even a partial run directory could be written.
func Run(ctx context.Context, cfg Config) (*reports.Summary, error) {
	if err := supported(cfg.Scenario); err != nil {
		return nil, err
	}
	cfg = withDefaults(cfg)
	r, err := newRun(cfg)
	if err != nil {
		return nil, err
	}
	r.execute(ctx)
	return r.finish()
}

// supported refuses parts of the scenario format this version cannot carry out, before
// anything is sent.
func supported(s *scenarios.Scenario) error {
	switch {
	case s.Seed == nil:
		return &UsageError{Msg: "scenario has no seed: resolve it first"}
	case s.Load.Rate.IsZero():
		return &UsageError{Msg: "load.rate is required by this version"}
	}
	return nil
}

func withDefaults(cfg Config) Config {
	if cfg.Clock == nil {
		cfg.Clock = RealClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Prefix == "" {
		cfg.Prefix = generators.NewPrefix()
	}
	return cfg
}

// run is the state of one run while it executes.
type run struct {
	cfg     Config
	s       *scenarios.Scenario
	seed    uint64
	log     *slog.Logger
	ledger  *ledger.Ledger
	results *os.File
	mock    embeddedMock    // the embedded mock, when the scenario names no target
	net     *http.Transport // every connection of the run to the target
	slots   *generators.Schedule
	// restarted records that the restart fault took the mock down and brought it back.
	restarted bool
	target    string
	summary   *reports.Summary
	counts    map[string]int
	// readBack is where the state is read back, made once for settle and verify, so that
	// both share one token.
	readBack *verify.Source
}

func newRun(cfg Config) (*run, error) {
	l, err := claimDir(cfg.Dir)
	if err != nil {
		return nil, err
	}
	if err := writeScenario(cfg); err != nil {
		l.Close()
		return nil, err
	}
	results, err := os.Create(filepath.Join(cfg.Dir, ResultsFile))
	if err != nil {
		l.Close()
		return nil, fmt.Errorf("create results file: %w", err)
	}
	s := cfg.Scenario
	return &run{
		cfg: cfg, s: s, seed: *s.Seed, log: cfg.Logger, ledger: l, results: results,
		counts: configuredFaults(s.Faults),
		summary: &reports.Summary{
			Schema: reports.SchemaVersion, Scenario: s.Name, Design: s.Target.Mock.Design,
			Seed: *s.Seed, Prefix: cfg.Prefix, Dir: cfg.Dir, Started: cfg.Clock.Now().UTC(),
		},
	}, nil
}

// ErrDirTaken is the error of a run directory that already holds files; nothing was
// written to it.
var ErrDirTaken = errors.New("run directory is not empty")

// claimDir makes dir the run's own: it must be absent or empty, and creating the ledger
// there is exclusive, so that two runs started at once never share a directory.
func claimDir(dir string) (*ledger.Ledger, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create run directory: %w", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read run directory: %w", err)
	}
	if len(entries) > 0 {
		return nil, fmt.Errorf("%w: %s holds %s; choose another --out", ErrDirTaken, dir,
			entries[0].Name())
	}
	l, err := ledger.Create(filepath.Join(dir, LedgerFile))
	if errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("%w: another run claimed %s", ErrDirTaken, dir)
	}
	return l, err
}

func writeScenario(cfg Config) error {
	data, err := scenarios.Marshal(cfg.Scenario)
	if err != nil {
		return fmt.Errorf("resolve scenario: %w", err)
	}
	path := filepath.Join(cfg.Dir, ScenarioFile)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("write resolved scenario: %w", err)
	}
	return nil
}

// execute runs the phases in order; the first failure ends the run with a partial summary.
func (r *run) execute(ctx context.Context) {
	phases := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"record run", r.recordMeta},
		{"start target", r.startTarget},
		{"seed master data", r.seedPhase},
		{"load", r.load},
		{"settle", r.settle},
		{"verify", r.verify},
	}
	for _, p := range phases {
		r.log.Info("phase", "name", p.name)
		err := p.fn(ctx)
		if ctx.Err() != nil {
			r.summary.Interrupted = true
			r.log.Info("interrupted", "phase", p.name)
			return
		}
		if err != nil {
			// The report says why; the log only marks the moment.
			r.summary.Error = fmt.Sprintf("%s: %v", p.name, err)
			r.log.Info("run could not complete", "phase", p.name, "err", err)
			return
		}
	}
}

func (r *run) recordMeta(context.Context) error {
	meta := map[string]string{
		"scenario": r.s.Name, "seed": strconv.FormatUint(r.seed, 10), "prefix": r.cfg.Prefix,
		"started": r.summary.Started.Format(time.RFC3339Nano),
	}
	for k, v := range meta {
		if err := r.ledger.SetMeta(k, v); err != nil {
			return err
		}
	}
	return nil
}

func (r *run) startTarget(context.Context) error {
	if r.s.Target.URL != "" {
		r.target = strings.TrimRight(r.s.Target.URL, "/")
		r.summary.Target = r.target
		r.summary.Design = "external"
		return nil
	}
	srv, err := mockd365.NewServer(r.mockOptions())
	if err != nil {
		return fmt.Errorf("start the embedded mock: %w", err)
	}
	r.mock.set(srv)
	r.target = srv.URL
	r.summary.Target = "embedded mock " + srv.URL
	return r.ledger.SetMeta("mock_url", srv.URL)
}

// mockOptions are the embedded mock's options from the scenario.
func (r *run) mockOptions() mockd365.Options {
	m := r.s.Target.Mock
	return mockd365.Options{
		Design: m.Design, DBPath: filepath.Join(r.cfg.Dir, MockFile), Addr: m.Listen,
		DefaultCompany: r.s.Target.LegalEntities[0],
		Latency:        mockd365.Latency{Base: m.Latency.Base.D(), Jitter: m.Latency.Jitter.D()},
		Throttle: mockd365.Throttle{Capacity: m.Throttle.Capacity.PerSecond(),
			RetryAfter: m.Throttle.RetryAfter.D()},
		Seed:   r.seed,
		Logger: r.log.With("component", "mock"),
	}
}

func (r *run) masterData() []*generators.MasterData {
	var out []*generators.MasterData
	for _, c := range r.s.Target.LegalEntities {
		out = append(out, generators.NewMasterData(r.seed, c, r.s.MasterData.Vendors,
			r.s.MasterData.Products))
	}
	return out
}

func (r *run) seedPhase(ctx context.Context) error {
	var msgs []*generators.Message
	for _, md := range r.masterData() {
		msgs = append(msgs, md.Messages()...)
	}
	for i, m := range msgs {
		m.ID = int64(i + 1) // identifies the record to the retry jitter
	}
	rt, err := r.toTarget(ctx)
	if err != nil {
		return err
	}
	client := &http.Client{Transport: rt, Timeout: attemptTimeout, CheckRedirect: noRedirects}
	return seedMasterData(ctx, client, r.target, nil, msgs)
}

// toTarget is the transport of every request to the target: the network, with a bearer
// token from target.auth when the scenario has one.
func (r *run) toTarget(ctx context.Context) (http.RoundTripper, error) {
	a := r.s.Target.Auth
	if a == nil {
		return r.network(), nil
	}
	rt, err := authpkg.Authorize(ctx, r.network(), a, r.target, os.LookupEnv)
	if err != nil {
		return nil, fmt.Errorf("target credentials: %w", err)
	}
	return rt, nil
}

// network is the HTTP transport to the target, sized for the scenario's concurrency and
// shared by every phase, so that finish can close its connections.
func (r *run) network() *http.Transport {
	if r.net == nil {
		dialer := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
		r.net = &http.Transport{
			DialContext:         dialer.DialContext,
			MaxIdleConnsPerHost: r.s.Load.Concurrency,
			IdleConnTimeout:     90 * time.Second,
		}
	}
	return r.net
}

func (r *run) load(ctx context.Context) error {
	src, pipeline, err := r.source()
	if err != nil {
		return err
	}
	planner := faults.NewPlanner(r.s.Faults, r.seed)
	policy, err := faults.NewPolicy(r.s.Sender, r.seed)
	if err != nil {
		return err
	}
	pacer := vegeta.ConstantPacer{Freq: r.s.Load.Rate.Freq, Per: r.s.Load.Rate.Per}
	r.slots = generators.NewSchedule(pacer, r.s.Load.Duration.D())
	if b := r.s.Faults.Burst; b != nil {
		r.slots.Burst(b.At.D(), b.Messages)
	}
	sched := newScheduler(r.cfg.Clock, src, r.slots, func(m *generators.Message) {
		r.ledger.AddMessage(messageRow(m))
	})
	toTarget, err := r.toTarget(ctx)
	if err != nil {
		return err
	}
	stopRestart := r.startRestart(ctx)
	res, err := runLoad(ctx, loadConfig{
		baseURL: r.target, concurrency: r.s.Load.Concurrency, sched: sched, planner: planner,
		policy: policy, lookupFirst: r.s.Sender.Strategy == "query-before-create",
		transport: toTarget, clock: r.cfg.Clock, ledger: r.ledger,
		results: vegeta.NewEncoder(r.results), progress: r.cfg.Progress,
	})
	err = errors.Join(err, stopRestart())
	if res != nil {
		r.summary.Load = reports.LoadFrom(&res.metrics, res.sent)
		r.countFaults(pipeline, res)
		if err == nil && res.sent == 0 && ctx.Err() == nil {
			err = fmt.Errorf("no message was sent: the load ended before its first message "+
				"was due (rate %s, duration %s)", r.s.Load.Rate, r.s.Load.Duration)
		}
	}
	return err
}

// startRestart starts the restart fault, if the scenario has one, beside the load; the
// function it returns ends the fault's wait and returns its error once it is over.
func (r *run) startRestart(ctx context.Context) func() error {
	rs := r.s.Faults.Restart
	if rs == nil {
		return func() error { return nil }
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	start := r.cfg.Clock.Now()
	go func() { done <- r.restart(ctx, start, rs.At.D(), rs.DownFor.D()) }()
	return func() error {
		cancel()
		return <-done
	}
}

// configuredFaults names the fault counts a scenario's report shows, each at zero, so
// that a report never leaves out a fault the scenario asked for, even when the run ended
// before it could strike.
func configuredFaults(f scenarios.Faults) map[string]int {
	counts := map[string]int{}
	for name, on := range map[string]bool{
		"duplicate": f.Duplicate != nil, "malformed": f.Malformed != nil,
		"reorder": f.Reorder != nil, "ack_loss": f.AckLoss != nil, "burst": f.Burst != nil,
		"restart": f.Restart != nil,
	} {
		if on {
			counts[name] = 0
		}
	}
	if t := f.Transport; t != nil {
		for name, share := range map[string]scenarios.Share{
			"transport_status": t.ErrorRate, "transport_reset": t.ResetRate,
			"transport_timeout": t.TimeoutRate, "transport_slow_body": t.SlowBodyRate,
		} {
			if share > 0 {
				counts[name] = 0
			}
		}
	}
	return counts
}

// countFaults records how often each configured fault struck.
func (r *run) countFaults(p *faults.Pipeline, res *loadResult) {
	measured := p.Counts()
	for k, v := range res.transport {
		measured[k] = v
	}
	measured["burst"] = r.slots.Bursted()
	if r.restarted {
		measured["restart"] = 1
	}
	for name := range r.counts {
		r.counts[name] = measured[name]
	}
}

// source is the document stream after stream faults.
func (r *run) source() (source, *faults.Pipeline, error) {
	cfg := generators.Config{
		Seed: r.seed, Prefix: r.cfg.Prefix, Companies: r.masterData(),
		MaxMessages: r.s.Load.Messages,
	}
	for _, f := range r.s.Flows {
		cfg.Flows = append(cfg.Flows, generators.FlowMix{
			Flow: f.Flow, Weight: f.Weight, MinLines: f.Lines.Min, MaxLines: f.Lines.Max,
		})
	}
	stream, err := generators.NewStream(cfg)
	if err != nil {
		return nil, nil, err
	}
	fs, err := faults.NewStreamFaults(r.s.Faults, r.seed)
	if err != nil {
		return nil, nil, err
	}
	p := faults.NewPipeline(fs...)
	return func() (generators.Case, error) {
		c, err := stream.NextCase()
		if err == nil {
			p.Apply(c)
		}
		return c, err
	}, p, nil
}

// settle gives an asynchronous target time to finish before its state is read: it
// counts the run's records until they stop changing or verify.settle runs out, and the
// summary says which of the two ended the wait.
func (r *run) settle(ctx context.Context) error {
	src, err := r.readSource(ctx)
	if err != nil {
		return err
	}
	res, err := verify.Settle(ctx, src, r.s.Verify.Settle.D(), verify.DefaultSettlePoll)
	r.summary.Settle = &res
	return err
}

func (r *run) verify(ctx context.Context) error {
	if err := r.ledger.Flush(); err != nil {
		return err
	}
	src, err := r.readSource(ctx)
	if err != nil {
		return err
	}
	read, err := verify.ReadBack(ctx, src, r.ledger)
	r.summary.ReadBack = &read
	if err != nil {
		return err
	}
	res, err := verify.Classify(ctx, r.ledger)
	if err != nil {
		return err
	}
	r.summary.Verify = &res.Counts
	r.summary.Entities = res.Entities
	r.summary.Reconciliation = res.Reconciliation
	r.summary.Examples = res.Examples
	return nil
}

// readSource is where the state is read back: verify.source when the scenario names
// one, else the target (the embedded mock or target.url), with its credentials.
func (r *run) readSource(ctx context.Context) (verify.Source, error) {
	if r.readBack != nil {
		return *r.readBack, nil
	}
	url, auth := r.target, r.s.Target.Auth
	if vs := r.s.Verify.Source; vs != nil {
		url, auth = vs.URL, vs.Auth
	}
	client := &http.Client{Transport: r.network(), Timeout: attemptTimeout,
		CheckRedirect: noRedirects}
	if auth != nil {
		rt, err := authpkg.Authorize(ctx, r.network(), auth, url, os.LookupEnv)
		if err != nil {
			return verify.Source{}, fmt.Errorf("read-back credentials: %w", err)
		}
		client.Transport = rt
	}
	r.readBack = &verify.Source{URL: url, Prefix: r.cfg.Prefix, Client: client,
		Clock: r.cfg.Clock}
	return *r.readBack, nil
}

// finish closes what the run opened, evaluates the expectations and writes the reports.
// It runs after any failure too, so that what was recorded is never lost.
func (r *run) finish() (*reports.Summary, error) {
	var errs []error
	if r.net != nil {
		// A connection dialed but never used counts as active for the mock's shutdown.
		r.net.CloseIdleConnections()
	}
	errs = append(errs, r.mock.close())
	errs = append(errs, r.results.Close(), r.ledger.Close())
	if err := errors.Join(errs...); err != nil && r.summary.Error == "" {
		r.summary.Error = "close run: " + err.Error()
	}

	s := r.summary
	s.Finished = r.cfg.Clock.Now().UTC()
	s.Faults = r.counts
	s.Expectations = reports.Evaluate(r.s.Expect, s)
	s.ExitCode = reports.ExitCode(s)
	s.Passed = s.ExitCode == reports.ExitOK
	return s, r.writeReports()
}

func (r *run) writeReports() error {
	if err := reports.WriteJSON(filepath.Join(r.cfg.Dir, SummaryFile), r.summary); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(r.cfg.Dir, ReportFile))
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if err := reports.WriteText(f, r.summary); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
