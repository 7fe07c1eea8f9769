package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/stormcheck/stormcheck/engine"
	"github.com/stormcheck/stormcheck/reports"
	"github.com/stormcheck/stormcheck/scenarios"
)

// exitError ends a command with a given exit code after its message is printed.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usage wraps an error as a usage error (exit 64: nothing was sent).
func usage(err error) error { return &exitError{code: reports.ExitUsage, err: err} }

// Main runs the command line args and returns the process exit code. It is the whole
// program but for signal handling, so that tests can run it in-process.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return reports.ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) && ee.err == nil {
		return ee.code
	}
	fmt.Fprintln(stderr, "stormcheck:", err)
	return exitCodeOf(err)
}

// numberFlag matches pflag's message for a number flag that did not parse.
var numberFlag = regexp.MustCompile(
	`^invalid argument "(.*)" for "(.*)" flag: strconv\.Parse(Uint|Int|Float)`)

// flagError rewords pflag's errors for number flags, which quote Go's parser, as what the
// flag takes.
func flagError(_ *cobra.Command, err error) error {
	m := numberFlag.FindStringSubmatch(err.Error())
	if m == nil {
		return err
	}
	want := map[string]string{"Uint": "a whole number, 0 or more", "Int": "a whole number",
		"Float": "a number"}[m[3]]
	flag := m[2]
	if i := strings.Index(flag, "--"); i >= 0 {
		flag = flag[i:]
	}
	return fmt.Errorf("%s %q: give %s", flag, m[1], want)
}

func exitCodeOf(err error) int {
	var ee *exitError
	var se *scenarios.Error
	var ue *engine.UsageError
	switch {
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, &se), errors.As(err, &ue):
		return reports.ExitUsage
	}
	// Cobra's own errors (unknown command or flag, wrong argument count) are usage errors.
	return reports.ExitUsage
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "stormcheck",
		Short: "Load and chaos testing for integration endpoints around Dynamics 365 F&O",
		Long: "stormcheck drives realistic business load with duplicates, malformed fields and\n" +
			"out-of-order delivery against a target (or its embedded mock of Dynamics 365\n" +
			"Finance & Operations), then reads the target's state back and proves, record\n" +
			"by record, what was lost, doubled, corrupted or wrongly accepted.",
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_ = cmd.Help()
			return usage(errors.New("name a command, such as: stormcheck run quickstart"))
		},
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(flagError)
	root.AddCommand(newRunCmd(), newValidateCmd(), newScenariosCmd(),
		newMockCmd(), newTraceCmd())
	root.AddCommand(newProxyCmd())
	return root
}
