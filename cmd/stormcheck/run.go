package main

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"io"
	"log/slog"
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
	dir := f.out
	if dir == "" {
		dir = filepath.Join("runs", s.Name+"-"+time.Now().UTC().Format("20060102T150405Z"))
	}
	progress, clear := func(engine.Progress) {}, func() {}
	if !f.quiet {
		progress, clear = newProgress(cmd.ErrOrStderr(), s.Load.Messages)
	}
	summary, err := engine.Run(cmd.Context(), engine.Config{
		Scenario: s, Dir: dir, Logger: logger(cmd.ErrOrStderr(), f), Progress: progress,
	})
	clear()
	if err != nil {
		return err
	}
	if err := printReport(cmd.OutOrStdout(), summary, f, dir); err != nil {
		return err
	}
	return &exitError{code: summary.ExitCode}
}

// applyFlags overrides the scenario with the flags that were set and validates the result.
func applyFlags(cmd *cobra.Command, s *scenarios.Scenario, f runFlags) error {
	set := cmd.Flags().Changed
	if !slices.Contains(formats, f.format) {
		return fmt.Errorf("--format %q is not one of %s", f.format, strings.Join(formats, ", "))
	}
	if set("seed") {
		s.Seed = &f.seed
	}
	if set("target") {
		s.Target.URL = f.target
	}
	if set("design") {
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
