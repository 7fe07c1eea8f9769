package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/stormcheck/stormcheck/reports"
)

// stormcheck runs Main in-process and returns its exit code, stdout and stderr.
func stormcheck(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Main(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func writeScenario(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "scenario.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const small = `name: small
seed: 7
target:
  mock: { design: d365 }
load: { rate: 1000/s, messages: 120 }
master_data: { vendors: 5, products: 10 }
flows:
  - { flow: procure-to-pay }
verify: { settle: 0s }
`

func TestInvalidScenarioExits64WithPosition(t *testing.T) {
	for _, tc := range []struct {
		name, yaml, want string
	}{
		{"misspelt key", strings.Replace(small, "verify:", "verfy:", 1),
			":9:1: verfy: unknown key (did you mean verify?)"},
		{"bad rate", strings.Replace(small, "1000/s", "1000/x", 1),
			`:5:15: load.rate: rate "1000/x" has unit "x"`},
		{"bad share", small + "faults: { duplicate: { rate: 150% } }\n",
			`:10:30: faults.duplicate.rate: share "150%" must lie between 0% and 100%`},
		{"missing flow", strings.Replace(small, "  - { flow: procure-to-pay }\n", "", 1),
			":1:1: flows: missing flow"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeScenario(t, tc.yaml)
			for _, cmd := range []string{"run", "validate"} {
				code, _, stderr := stormcheck(t, cmd, path)
				if code != reports.ExitUsage || !strings.Contains(stderr, path+tc.want) {
					t.Fatalf("%s: exit %d, stderr %q; want 64 and %q", cmd, code, stderr, tc.want)
				}
			}
		})
	}
}

func TestUsageErrorsExit64(t *testing.T) {
	for _, args := range [][]string{
		{"frobnicate"},
		{"run"},
		{"run", "quickstart", "--rate", "fast"},
		{"run", "quickstart", "--format", "xml"},
		{"run", "no-such-bundled-scenario"},
	} {
		if code, _, stderr := stormcheck(t, args...); code != reports.ExitUsage || stderr == "" {
			t.Errorf("%v: exit %d, stderr %q; want 64 with a message", args, code, stderr)
		}
	}
}

func TestScenariosAndValidateShowTheCatalogue(t *testing.T) {
	code, out, _ := stormcheck(t, "scenarios")
	if code != 0 || !strings.Contains(out, "quickstart") {
		t.Fatalf("scenarios: exit %d, output %q", code, out)
	}
	code, out, _ = stormcheck(t, "validate", "quickstart")
	if code != 0 || !strings.Contains(out, "seed: 42") || !strings.Contains(out, "design: d365") {
		t.Fatalf("validate quickstart: exit %d, output %q", code, out)
	}
}

func TestRunWritesTheRunDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	code, out, stderr := stormcheck(t, "run", writeScenario(t, small), "--out", dir)
	if code != reports.ExitOK {
		t.Fatalf("exit %d; stdout %s; stderr %s", code, out, stderr)
	}
	for _, want := range []string{"seed 7", "PurchaseOrderHeadersV2", "PASSED (exit 0)", dir} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	for _, f := range []string{"scenario.yaml", "run.db", "results.bin", "summary.json", "report.txt"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("run directory lacks %s", f)
		}
	}
	s, err := reports.ReadJSON(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Seed != 7 || s.Dir != dir || s.Verify.Committed != 120 || s.Load.Requests != 120 {
		t.Fatalf("summary seed %d, committed %d, requests %d; want 7, 120, 120", s.Seed,
			s.Verify.Committed, s.Load.Requests)
	}
	if n := countResults(t, filepath.Join(dir, "results.bin")); n != 120 {
		t.Fatalf("results.bin holds %d results, want 120", n)
	}
}

// countResults decodes results.bin with vegeta's own decoder, as `vegeta report` would.
func countResults(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := vegeta.NewDecoder(f)
	n := 0
	for {
		var r vegeta.Result
		err := dec.Decode(&r)
		if errors.Is(err, io.EOF) {
			return n
		}
		if err != nil {
			t.Fatalf("results.bin entry %d: %v", n, err)
		}
		n++
	}
}

func TestQuickstartFindsItsDuplicates(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	code, out, stderr := stormcheck(t, "run", "quickstart", "--messages", "1500", "--rate", "1000/s", "--out", dir)
	if code != reports.ExitIntegrity {
		t.Fatalf("exit %d, want 1; stdout %s; stderr %s", code, out, stderr)
	}
	s, err := reports.ReadJSON(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Verify.DuplicateCopies == 0 || s.Seed != 42 {
		t.Fatalf("quickstart found %d duplicate copies with seed %d", s.Verify.DuplicateCopies, s.Seed)
	}
}

func TestConflictingFlagsExit64NamingTheFlag(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--target", "http://127.0.0.1:1", "--design", "naive"}, "--design"},
		{[]string{"--quiet", "--verbose"}, "--quiet and --verbose"},
		{[]string{"--out", ""}, "--out needs a directory"},
		{[]string{"--design", "fast"}, `--design "fast"`},
		{[]string{"--messages", "0"}, "--messages 0"},
		{[]string{"--target", "ftp://127.0.0.1"}, `--target "ftp://127.0.0.1"`},
		{[]string{"--seed", "-1"}, `stormcheck: --seed "-1": give a whole number, 0 or more`},
		{[]string{"--messages", "x"}, `stormcheck: --messages "x": give a whole number`},
		{[]string{"--duration", "0s"}, "--duration 0s: give a time longer than 0"},
		{[]string{"--target", "https://contoso.operations.dynamics.com"},
			"stormcheck: --target: contoso.operations.dynamics.com looks like a production"},
		{[]string{"--out", writeScenario(t, "not a directory")},
			"cannot create the run directory"},
	} {
		code, _, stderr := stormcheck(t, append([]string{"run", "quickstart"}, tc.args...)...)
		if code != reports.ExitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 64 naming %q", tc.args, code, stderr, tc.want)
		}
	}
}

// TestQuietStillSaysWhyARunCouldNotComplete: --quiet prints no report, so the reason a run
// ended incomplete (exit 4) goes to stderr with the run directory.
func TestQuietStillSaysWhyARunCouldNotComplete(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String()
	ln.Close()
	dir := filepath.Join(t.TempDir(), "run")
	code, out, stderr := stormcheck(t, "run", writeScenario(t, small), "--quiet",
		"--target", dead, "--out", dir)
	if code != reports.ExitIncomplete || out != "" ||
		!strings.Contains(stderr, "the run could not complete: seed master data: POST "+dead) ||
		!strings.Contains(stderr, "connection refused; partial results are in "+dir) {
		t.Fatalf("exit %d, stdout %q, stderr %q; want 4 and the reason on stderr", code, out, stderr)
	}
}

func TestRunRefusesADirectoryThatHoldsFiles(t *testing.T) {
	dir := t.TempDir()
	keep := filepath.Join(dir, "scenario.yaml")
	if err := os.WriteFile(keep, []byte("an earlier run's scenario\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := stormcheck(t, "run", writeScenario(t, small), "--out", dir)
	got, _ := os.ReadFile(keep)
	if code != reports.ExitUsage || !strings.Contains(stderr, "choose another --out") ||
		string(got) != "an earlier run's scenario\n" {
		t.Fatalf("exit %d, stderr %q, file now %q; want 64 and the file untouched", code, stderr, got)
	}
}

func TestSimultaneousRunsGetTheirOwnDirectories(t *testing.T) {
	t.Chdir(t.TempDir())
	path := writeScenario(t, small)
	codes := make(chan int, 2)
	for _, seed := range []string{"1", "2"} {
		go func() {
			code, _, _ := stormcheck(t, "run", path, "--seed", seed, "--quiet")
			codes <- code
		}()
	}
	if a, b := <-codes, <-codes; a != 0 || b != 0 {
		t.Fatalf("exits %d and %d, want 0 and 0", a, b)
	}
	dirs, _ := filepath.Glob("runs/small-*")
	seeds := map[uint64]bool{}
	for _, d := range dirs {
		s, err := reports.ReadJSON(filepath.Join(d, "summary.json"))
		if err != nil {
			t.Fatal(err)
		}
		seeds[s.Seed] = true
	}
	if len(dirs) != 2 || !seeds[1] || !seeds[2] {
		t.Fatalf("run directories %v hold seeds %v; want one directory per run", dirs, seeds)
	}
}

func TestTraceOfAnUnknownIDExits64(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	if code, _, _ := stormcheck(t, "run", writeScenario(t, small), "--out", dir, "--quiet"); code != 0 {
		t.Fatalf("run: exit %d", code)
	}
	for _, id := range []string{"99999", "0", "SCNOPE-0000001"} {
		code, _, stderr := stormcheck(t, "trace", dir, id)
		if code != reports.ExitUsage || !strings.Contains(stderr, id) {
			t.Errorf("trace %s: exit %d, stderr %q; want 64 naming the id", id, code, stderr)
		}
	}
}
