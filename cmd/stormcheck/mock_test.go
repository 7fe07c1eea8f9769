package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stormcheck/stormcheck/reports"
)

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
