package main

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stormcheck/stormcheck/reports"
)

// TestMockOnAnAddressInUseExits64: a mock that cannot listen served nothing.
func TestMockOnAnAddressInUseExits64(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var out, errOut bytes.Buffer
	code := Main(context.Background(), []string{"mock", "--addr", ln.Addr().String()}, &out,
		&errOut)
	want := "stormcheck: --addr " + ln.Addr().String() + ": cannot listen there: bind: " +
		"address already in use"
	if code != reports.ExitUsage || !strings.Contains(errOut.String(), want) {
		t.Fatalf("exit %d, stderr %q; want 64 and %q", code, errOut.String(), want)
	}
}

// Ensure every mock flag given a value the mock cannot use ends the command as a usage
// error (exit 64) with a message that names the flag, before anything is served.
func TestMockBadFlagValuesExit64(t *testing.T) {
	file := filepath.Join(t.TempDir(), "x.db")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--token-lifetime", "-1s"}, "--token-lifetime -1s: must be at least 1s"},
		{[]string{"--token-lifetime", "0s"}, "--token-lifetime 0s: must be at least 1s"},
		{[]string{"--latency", "-5ms"}, "--latency -5ms: must be at least 0s"},
		{[]string{"--jitter", "-1ms"}, "--jitter -1ms: must be at least 0s"},
		{[]string{"--cold-start", "-1s"}, "--cold-start -1s: must be at least 0s"},
		{[]string{"--retry-after", "0s"}, "--retry-after 0s: must be at least 1s"},
		{[]string{"--retry-after", "1500ms"}, "--retry-after 1.5s: Retry-After is given in " +
			"whole seconds"},
		{[]string{"--max-retry-after", "1s"}, "--max-retry-after 1s: must be at least 2s"},
		{[]string{"--page-size", "0"}, "--page-size 0: must be at least 1"},
		{[]string{"--page-size", "-3"}, "--page-size -3: must be at least 1"},
		{[]string{"--company", "contoso"}, `--company "contoso": want a legal entity id`},
		{[]string{"--company", ""}, `--company "": want a legal entity id`},
		{[]string{"--addr", "8365"}, "--addr 8365: want HOST:PORT"},
		{[]string{"--addr", "127.0.0.1:99999"}, `--addr 127.0.0.1:99999: port "99999" is ` +
			"not a port number"},
		{[]string{"--db", filepath.Join(file, "no", "mock.db")}, "--db " +
			filepath.Join(file, "no", "mock.db") + ": folder " + filepath.Join(file, "no") +
			" does not exist"},
		{[]string{"--db", t.TempDir()}, ": is a folder"},
		{[]string{"--design", "nope"}, "--design nope: "},
		{[]string{"--throttle", "fast"}, "--throttle: rate \"fast\""},
		{[]string{"--default-priority", "Urgent"}, "--default-priority: "},
		{[]string{"--priority", "app"}, `--priority "app": want CLIENT_ID=Low|Medium|High`},
		{[]string{"--client", "app"}, `--client "app": want CLIENT_ID:SECRET`},
		{[]string{"--client", "app:a", "--client", "app:b"}, `--client "app:b": client id ` +
			"app is given twice"},
		{[]string{"--seed", "-1"}, "--seed"},
		{[]string{"--throttle", "10/s", "--priority", "erp-app=Low"}, "--priority erp-app=Low: " +
			"needs --auth: a priority applies to the client id of a request's bearer token"},
	} {
		// A cancelled context makes a mock that wrongly starts stop at once, and exit 0.
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		var out, errOut bytes.Buffer
		args := append([]string{"mock", "--addr", "127.0.0.1:0"}, tt.args...)
		code, stderr := Main(ctx, args, &out, &errOut), errOut.String()
		if code != reports.ExitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want 64 and %q", tt.args, code, stderr, tt.want)
		}
	}
}

// mockExit runs stormcheck mock on a loopback port with a cancelled context, so that a mock
// that starts stops at once, and returns the exit code and stderr.
func mockExit(t *testing.T, args ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errOut bytes.Buffer
	args = append(append([]string{"mock"}, args...), "--addr", "127.0.0.1:0")
	return Main(ctx, args, &out, &errOut), errOut.String()
}

// Ensure a --db file the mock cannot open as its SQLite database is a usage error (exit 64,
// nothing was served) that names the flag, the path and why, and that it leaves no journal
// beside a device.
func TestMockUnusableDatabaseExit64(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(text, []byte("not a database\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ path, want string }{
		{"/proc/x.db", "stormcheck: --db /proc/x.db: cannot open the SQLite file: unable to " +
			"open database file (14)\n"},
		{text, "stormcheck: --db " + text + ": cannot open the SQLite file: file is not a " +
			"database (26)\n"},
		{"/dev/null", "stormcheck: --db /dev/null: cannot open the SQLite file: it is not a " +
			"regular file (a device)\n"},
	} {
		code, stderr := mockExit(t, "--db", tt.path)
		if code != reports.ExitUsage || stderr != tt.want {
			t.Errorf("--db %s: exit %d, stderr %q; want 64 and %q", tt.path, code, stderr,
				tt.want)
		}
	}
	for _, side := range []string{"/dev/null-journal", "/dev/null-wal", text + "-wal",
		text + "-journal"} {
		if _, err := os.Stat(side); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s exists after the refused open (stat: %v)", side, err)
		}
	}
}

// Ensure every example of stormcheck mock --help is a command that starts the mock.
func TestMockHelpExamplesStart(t *testing.T) {
	examples := strings.Split(newMockCmd().Example, "\n")
	for _, line := range examples {
		args := strings.Fields(line)[2:] // after "stormcheck mock"
		args = append(args, "--db", filepath.Join(t.TempDir(), "mock.db"))
		if code, stderr := mockExit(t, args...); code != reports.ExitOK {
			t.Errorf("%s: exit %d, stderr %q; want 0", strings.TrimSpace(line), code, stderr)
		}
	}
	if len(examples) < 3 {
		t.Errorf("%d examples, want at least 3", len(examples))
	}
}

// Ensure every stormcheck mock command of docs/mock.md starts the mock with the real flags,
// as the page's examples (run by mockd365's TestDocExamples) assume.
func TestMockDocCommandsStart(t *testing.T) {
	text, err := os.ReadFile("../../docs/mock.md")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(string(text), "\n") {
		cmd, ok := strings.CutPrefix(strings.TrimPrefix(line, "$ "), "stormcheck mock ")
		if !ok {
			continue
		}
		cmd, _, _ = strings.Cut(cmd, " >") // the shell's redirection and what follows
		args := append(strings.Fields(cmd), "--db", filepath.Join(t.TempDir(), "mock.db"))
		if code, stderr := mockExit(t, args...); code != reports.ExitOK {
			t.Errorf("%s: exit %d, stderr %q; want 0", line, code, stderr)
		}
		n++
	}
	if n < 8 {
		t.Errorf("%d stormcheck mock commands in docs/mock.md, want at least 8", n)
	}
}
