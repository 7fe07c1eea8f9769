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
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

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
	case s.Faults.Restart != nil:
		return &UsageError{Msg: "faults.restart is not supported by this version yet"}
	case s.Target.Auth != nil:
		return &UsageError{Msg: "target.auth is not supported by this version yet"}
	case s.Verify.Source != nil:
		return &UsageError{Msg: "verify.source is not supported by this version yet"}
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
	mock    *mockd365.Server
	net     *http.Transport // every connection of the run to the target
	target  string
	summary *reports.Summary
	counts  map[string]int
	msgs    int64
}

func newRun(cfg Config) (*run, error) {
	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("create run directory: %w", err)
	}
	if err := writeScenario(cfg); err != nil {
		return nil, err
	}
	l, err := ledger.Create(filepath.Join(cfg.Dir, LedgerFile))
	if err != nil {
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
		counts: map[string]int{},
		summary: &reports.Summary{
			Schema: reports.SchemaVersion, Scenario: s.Name, Design: s.Target.Mock.Design,
			Seed: *s.Seed, Prefix: cfg.Prefix, Started: cfg.Clock.Now().UTC(),
		},
	}, nil
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
			r.log.Warn("interrupted", "phase", p.name)
			return
		}
		if err != nil {
			r.summary.Error = fmt.Sprintf("%s: %v", p.name, err)
			r.log.Error("run could not complete", "phase", p.name, "err", err)
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
		r.target = r.s.Target.URL
		r.summary.Target = r.target
		r.summary.Design = "external"
		return nil
	}
	m := r.s.Target.Mock
	srv, err := mockd365.NewServer(mockd365.Options{
		Design: m.Design, DBPath: filepath.Join(r.cfg.Dir, MockFile), Addr: m.Listen,
		DefaultCompany: r.s.Target.LegalEntities[0],
		Latency:        mockd365.Latency{Base: m.Latency.Base.D(), Jitter: m.Latency.Jitter.D()},
		Seed:           r.seed,
		Logger:         r.log.With("component", "mock"),
	})
	if err != nil {
		return fmt.Errorf("start the embedded mock: %w", err)
	}
	r.mock, r.target = srv, srv.URL
	r.summary.Target = "embedded mock " + srv.URL
	return r.ledger.SetMeta("mock_url", srv.URL)
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
	return seedMasterData(ctx, &http.Client{Transport: r.network(), Timeout: attemptTimeout},
		r.target, nil, msgs)
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
	slots := generators.NewSchedule(pacer, r.s.Load.Duration.D())
	sched := newScheduler(r.cfg.Clock, src, slots, func(m *generators.Message) {
		r.msgs++
		r.ledger.AddMessage(messageRow(m))
	})
	res, err := runLoad(ctx, loadConfig{
		baseURL: r.target, concurrency: r.s.Load.Concurrency, sched: sched, planner: planner,
		policy: policy, transport: r.network(), clock: r.cfg.Clock, ledger: r.ledger,
		results: vegeta.NewEncoder(r.results), progress: r.cfg.Progress,
	})
	if res != nil {
		r.summary.Load = reports.LoadFrom(&res.metrics, r.msgs)
		r.countFaults(pipeline, res)
	}
	return err
}

// countFaults records how often each configured fault struck, zero included, so that a
// report never leaves out a fault the scenario asked for.
func (r *run) countFaults(p *faults.Pipeline, res *loadResult) {
	for _, name := range p.Names() {
		r.counts[name] = 0
	}
	for k, v := range p.Counts() {
		r.counts[k] = v
	}
	if r.s.Faults.AckLoss != nil {
		r.counts["ack_loss"] = int(res.ackLosses)
	}
	if r.s.Faults.Transport != nil {
		r.counts["transport"] = int(res.injected)
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
	return func() (*generators.Document, error) {
		doc, err := stream.Next()
		if err == nil {
			p.Apply(doc)
		}
		return doc, err
	}, p, nil
}

// settle gives an asynchronous target time to finish before its state is read.
func (r *run) settle(ctx context.Context) error {
	select {
	case <-r.cfg.Clock.After(r.s.Verify.Settle.D()):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (r *run) verify(ctx context.Context) error {
	if err := r.ledger.Flush(); err != nil {
		return err
	}
	src := verify.Source{URL: r.target, Prefix: r.cfg.Prefix,
		Client: &http.Client{Transport: r.network(), Timeout: attemptTimeout}}
	if _, err := verify.ReadBack(ctx, src, r.ledger); err != nil {
		return err
	}
	res, err := verify.Classify(ctx, r.ledger)
	if err != nil {
		return err
	}
	r.summary.Verify = &res.Counts
	r.summary.Entities = res.Entities
	return nil
}

// finish closes what the run opened, evaluates the expectations and writes the reports.
// It runs after any failure too, so that what was recorded is never lost.
func (r *run) finish() (*reports.Summary, error) {
	var errs []error
	if r.net != nil {
		// A connection dialed but never used counts as active for the mock's shutdown.
		r.net.CloseIdleConnections()
	}
	if r.mock != nil {
		errs = append(errs, r.mock.Close())
	}
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
