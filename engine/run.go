package engine

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/stormcheck/stormcheck/faults"
	"github.com/stormcheck/stormcheck/generators"
	"github.com/stormcheck/stormcheck/ledger"
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
	return secretsSet(s)
}

// secretsSet checks that the environment holds every client secret the scenario names, so
// that a missing one stops the run before it writes or sends anything.
func secretsSet(s *scenarios.Scenario) error {
	for path, a := range map[string]*scenarios.Auth{
		"target.auth": s.Target.Auth, "verify.source.auth": sourceAuth(s.Verify.Source),
	} {
		if a == nil {
			continue
		}
		if v, ok := os.LookupEnv(a.ClientSecretEnv); !ok || v == "" {
			return &UsageError{Msg: fmt.Sprintf("%s.client_secret_env: the environment "+
				"variable %s is not set; set it to the client secret", path, a.ClientSecretEnv)}
		}
	}
	return nil
}

func sourceAuth(src *scenarios.Source) *scenarios.Auth {
	if src == nil {
		return nil
	}
	return src.Auth
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
	// restarted records that the restart fault took the mock down and brought it back.
	restarted bool
	down      downtime // when the restart fault held the mock down
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

// execute runs the phases in order; the first failure ends the run with a partial summary.
func (r *run) execute(ctx context.Context) {
	phases := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"record run", r.recordMeta},
		{"start target", r.startTarget},
		{"check read-back source", r.probeSource},
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
	return seedMasterData(ctx, client, r.cfg.Clock, r.target, nil, msgs)
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
	if b := r.s.Faults.Burst; b != nil {
		slots.Burst(b.At.D(), b.Messages)
	}
	sched := newScheduler(r.cfg.Clock, src, slots, func(m *generators.Message) {
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
		timeout:   r.s.Sender.Timeout.D(),
		transport: toTarget, clock: r.cfg.Clock, ledger: r.ledger,
		results: vegeta.NewEncoder(r.results), progress: r.cfg.Progress, down: &r.down,
	})
	err = errors.Join(err, stopRestart())
	if res != nil {
		r.summary.Load = reports.LoadFrom(&res.metrics, res.sent)
		r.summary.Load.Asked = r.s.Load.Rate.String()
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

// source is the document stream after stream faults.
func (r *run) source() (source, *faults.Pipeline, error) {
	cfg := generators.Config{
		Seed: r.seed, Prefix: r.cfg.Prefix, Companies: r.masterData(),
		MaxMessages: r.s.Load.Messages,
	}
	for _, f := range r.s.Flows {
		cfg.Flows = append(cfg.Flows, generators.FlowMix{
			Flow: f.Flow, Weight: f.Weight, MinLines: f.Lines.Min, MaxLines: f.Lines.Max,
			Changes: float64(f.Changes),
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
