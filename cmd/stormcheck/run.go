package main

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/stormcheck/stormcheck/engine"
	"github.com/stormcheck/stormcheck/reports"
	"github.com/stormcheck/stormcheck/scenarios"
)

// runFlags are the flags of run; each one set overrides the scenario.
type runFlags struct {
	out             string
	seed            uint64
	target          string
	design          string
	rate            string
	duration        string
	messages        int
	format          string
	quiet           bool
	verbose         bool
	allowProduction bool
}

var formats = []string{"table", "json"}

func newRunCmd() *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run SCENARIO",
		Short: "Run a scenario (a file path or a bundled name)",
		Long: "run generates the scenario's load from its seed, injects its faults, sends it to\n" +
			"the target (the embedded mock D365 when the scenario names none), reads the\n" +
			"target's state back and reports every record's fate.\n\n" +
			"Exit codes: 0 every expectation held; 1 a data-integrity expectation failed;\n" +
			"2 a performance expectation failed; 3 both; 4 the run could not complete\n" +
			"(partial results are written); 64 usage error or invalid scenario.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runScenario(cmd, args[0], f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.out, "out", "", "run directory (default runs/<scenario>-<UTC time>)")
	fl.Uint64Var(&f.seed, "seed", 0, "seed for documents, faults and schedule")
	fl.StringVar(&f.target, "target", "", "target URL (default: the embedded mock D365)")
	fl.StringVar(&f.design, "design", "", "design of the embedded mock: "+
		strings.Join(scenarios.Designs, ", "))
	fl.StringVar(&f.rate, "rate", "", "messages per time unit, such as 200/s")
	fl.StringVar(&f.duration, "duration", "", "longest time new messages are sent, such as 60s")
	fl.IntVar(&f.messages, "messages", 0, "most messages to send")
	fl.StringVar(&f.format, "format", "table", "report printed: "+strings.Join(formats, ", "))
	fl.BoolVar(&f.quiet, "quiet", false, "print nothing but errors; the run directory has it all")
	fl.BoolVar(&f.verbose, "verbose", false, "log each phase of the run to stderr")
	fl.BoolVar(&f.allowProduction, "allow-production", false,
		"allow a target that looks like a production F&O environment")
	return cmd
}

func runScenario(cmd *cobra.Command, name string, f runFlags) error {
	s, err := scenarios.Load(name)
	if err != nil {
		return usage(err)
	}
	if err := applyFlags(cmd, s, f); err != nil {
		return usage(err)
	}
	progress, clear := func(engine.Progress) {}, func() {}
	if !f.quiet {
		progress, clear = newProgress(cmd.ErrOrStderr(), s.Load.Messages)
	}
	cfg := engine.Config{Scenario: s, Logger: logger(cmd.ErrOrStderr(), f), Progress: progress}
	summary, dir, err := runIn(cmd, cfg, f.out)
	clear()
	if summary != nil {
		if perr := printReport(cmd.OutOrStdout(), summary, f, dir); perr != nil && err == nil {
			err = perr
		}
	}
	var ue *engine.UsageError
	switch {
	case errors.As(err, &ue), errors.Is(err, engine.ErrDirTaken):
		return usage(err)
	case err != nil:
		// The run started: what it recorded is in its directory, but it is not whole.
		return &exitError{code: reports.ExitIncomplete, err: err}
	case f.quiet && summary.ExitCode == reports.ExitIncomplete:
		// The report would have said why; --quiet still owes the error.
		return &exitError{code: summary.ExitCode, err: incomplete(summary, dir)}
	}
	return &exitError{code: summary.ExitCode}
}

// incomplete says why a run could not complete, and where its partial results are.
func incomplete(s *reports.Summary, dir string) error {
	why := s.Error
	if s.Interrupted {
		why = "interrupted"
	}
	return fmt.Errorf("the run could not complete: %s; partial results are in %s", why, dir)
}

// runIn runs in the directory --out names, or in runs/<scenario>-<UTC time>, with a
// number added when another run took that name first.
func runIn(cmd *cobra.Command, cfg engine.Config, out string) (*reports.Summary, string, error) {
	if out != "" {
		cfg.Dir = out
		runDir.Store(out)
		summary, err := engine.Run(cmd.Context(), cfg)
		return summary, out, err
	}
	base := filepath.Join("runs", cfg.Scenario.Name+"-"+time.Now().UTC().Format("20060102T150405Z"))
	for n := 1; ; n++ {
		cfg.Dir = base
		if n > 1 {
			cfg.Dir = fmt.Sprintf("%s-%d", base, n)
		}
		runDir.Store(cfg.Dir)
		summary, err := engine.Run(cmd.Context(), cfg)
		if !errors.Is(err, engine.ErrDirTaken) || n == 100 {
			return summary, cfg.Dir, err
		}
	}
}

// applyFlags overrides the scenario with the flags that were set and validates the result.
func applyFlags(cmd *cobra.Command, s *scenarios.Scenario, f runFlags) error {
	set := cmd.Flags().Changed
	if err := checkFlags(set, f); err != nil {
		return err
	}
	for flag, path := range flagPaths {
		if set(flag) {
			s.SetByFlag(path, "--"+flag)
		}
	}
	if set("seed") {
		s.Seed = &f.seed
	}
	if set("target") {
		s.Target.URL, s.Target.Mock = f.target, scenarios.Mock{}
	}
	if set("design") {
		if s.Target.URL != "" {
			return fmt.Errorf("--design chooses the embedded mock's design, but the scenario "+
				"names target.url %s, so no mock is started", s.Target.URL)
		}
		s.Target.Mock.Design = f.design
	}
	if set("rate") {
		r, err := scenarios.ParseRate(f.rate)
		if err != nil {
			return fmt.Errorf("--rate: %w", err)
		}
		s.Load.Rate = r
	}
	if set("duration") {
		d, err := scenarios.ParseDuration(f.duration)
		if err != nil {
			return fmt.Errorf("--duration: %w", err)
		}
		if d <= 0 {
			return fmt.Errorf("--duration %s: give a time longer than 0, such as 60s", f.duration)
		}
		s.Load.Duration = d
	}
	if set("messages") {
		s.Load.Messages = f.messages
	}
	if s.Seed == nil {
		seed := randomSeed()
		s.Seed = &seed
	}
	if err := s.Validate(); err != nil {
		return err
	}
	return s.CheckProduction(f.allowProduction)
}

// flagPaths are the scenario keys that run's flags set.
var flagPaths = map[string]string{
	"target": "target.url", "design": "target.mock.design", "rate": "load.rate",
	"duration": "load.duration", "messages": "load.messages",
}

// checkFlags refuses flag values that are wrong on their own or together, naming the
// flag rather than a line of the scenario.
func checkFlags(set func(string) bool, f runFlags) error {
	switch {
	case !slices.Contains(formats, f.format):
		return fmt.Errorf("--format %q is not one of %s", f.format, strings.Join(formats, ", "))
	case set("out") && f.out == "":
		return errors.New("--out needs a directory; leave it out for runs/<scenario>-<time>")
	case f.quiet && f.verbose:
		return errors.New("--quiet and --verbose contradict each other; choose one")
	case set("target") && set("design"):
		return errors.New("--design chooses the embedded mock's design; with --target no mock " +
			"is started, so leave one of them out")
	case set("design") && !slices.Contains(scenarios.Designs, f.design):
		return fmt.Errorf("--design %q is not one of %s", f.design,
			strings.Join(scenarios.Designs, ", "))
	case set("messages") && f.messages < 1:
		return fmt.Errorf("--messages %d must be 1 or more", f.messages)
	case set("target"):
		u, err := url.Parse(f.target)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("--target %q must be an http or https URL with a host", f.target)
		}
	}
	return nil
}

// randomSeed draws a seed for a scenario that names none; the report prints it, so the
// run can be repeated with --seed.
func randomSeed() uint64 {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("stormcheck: no system randomness: " + err.Error())
	}
	return binary.BigEndian.Uint64(b[:]) >> 1
}

func logger(w io.Writer, f runFlags) *slog.Logger {
	level := slog.LevelWarn
	switch {
	case f.verbose:
		level = slog.LevelInfo
	case f.quiet:
		level = slog.LevelError
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

func printReport(w io.Writer, s *reports.Summary, f runFlags, dir string) error {
	if f.quiet {
		return nil
	}
	var err error
	switch f.format {
	case "json":
		err = reports.EncodeJSON(w, s)
	default:
		err = reports.WriteText(w, s)
		if err == nil {
			_, err = fmt.Fprintf(w, "run directory: %s\n", dir)
		}
	}
	return err
}
