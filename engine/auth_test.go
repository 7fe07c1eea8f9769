package engine_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stormcheck/stormcheck/engine"
	"github.com/stormcheck/stormcheck/mockd365"
	"github.com/stormcheck/stormcheck/reports"
	"github.com/stormcheck/stormcheck/scenarios"
)

const secret = "integration-secret-never-printed"

// authTarget starts the mock with its token endpoint on and short-lived tokens, so that a
// run has to fetch tokens again while it sends.
func authTarget(t *testing.T) *mockd365.Server {
	t.Helper()
	srv, err := mockd365.NewServer(mockd365.Options{Auth: mockd365.Auth{Enabled: true,
		TokenLifetime: 2 * time.Second, Clients: map[string]string{"integration-app": secret}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

func runWithAuth(t *testing.T, srv *mockd365.Server, env string) *reports.Summary {
	t.Helper()
	s := parse(t, "")
	s.Target.URL = srv.URL
	s.Target.Auth = &scenarios.Auth{TokenURL: srv.URL + "/contoso/oauth2/v2.0/token",
		ClientID: "integration-app", ClientSecretEnv: env}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	sum, err := engine.Run(context.Background(), engine.Config{Scenario: s,
		Dir: filepath.Join(t.TempDir(), "run")})
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

func TestLoadAuthenticatesWithClientCredentials(t *testing.T) {
	t.Setenv("STORMCHECK_TEST_SECRET", secret)
	sum := runWithAuth(t, authTarget(t), "STORMCHECK_TEST_SECRET")
	if sum.Error != "" || sum.Verify.Committed != sum.Verify.Expected || sum.ExitCode != 0 {
		t.Fatalf("error %q, %+v, exit %d; want every record committed", sum.Error, *sum.Verify,
			sum.ExitCode)
	}
	if n := sum.Load.StatusCodes["401"]; n != 0 {
		t.Fatalf("%d requests answered 401", n)
	}
}

func TestWrongSecretStopsTheRunWithoutPrintingIt(t *testing.T) {
	t.Setenv("STORMCHECK_TEST_SECRET", "not-"+secret)
	sum := runWithAuth(t, authTarget(t), "STORMCHECK_TEST_SECRET")
	if sum.ExitCode != reports.ExitIncomplete || !strings.Contains(sum.Error, "seed master data") ||
		strings.Contains(sum.Error, secret) {
		t.Logf("error: %s", sum.Error)
		t.Fatalf("exit %d, error %q; want 4, failing at seeding, without the secret", sum.ExitCode,
			sum.Error)
	}
}

func TestUnsetSecretIsAUsageErrorBeforeAnythingIsWritten(t *testing.T) {
	s := parse(t, "")
	s.Target.URL = "http://127.0.0.1:1"
	s.Target.Auth = &scenarios.Auth{TokenURL: "http://127.0.0.1:1/t/oauth2/token",
		ClientID: "app", ClientSecretEnv: "STORMCHECK_SECRET_NOBODY_SET"}
	dir := filepath.Join(t.TempDir(), "run")
	_, err := engine.Run(context.Background(), engine.Config{Scenario: s, Dir: dir})
	var ue *engine.UsageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "STORMCHECK_SECRET_NOBODY_SET") {
		t.Fatalf("got %v, want a usage error naming the variable", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("the run directory was created: %v", err)
	}
}
