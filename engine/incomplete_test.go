package engine_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stormcheck/stormcheck/engine"
	"github.com/stormcheck/stormcheck/ledger"
	"github.com/stormcheck/stormcheck/reports"
	"github.com/stormcheck/stormcheck/scenarios"
)

// deadURL returns the URL of a loopback port where nothing listens.
func deadURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return "http://" + ln.Addr().String()
}

func parse(t *testing.T, extra string) *scenarios.Scenario {
	t.Helper()
	s, err := scenarios.Parse([]byte(base+extra), "e2e.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestInterruptKeepsWhatWasRecorded stops a run after its 50th attempt, as Ctrl-C does:
// the run ends as interrupted (exit 4) and every attempt made is in the ledger and in the
// partial summary.
func TestInterruptKeepsWhatWasRecorded(t *testing.T) {
	s := parse(t, "")
	s.Load.Messages = 5000
	s.Load.Rate = scenarios.Rate{Freq: 500, Per: time.Second}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := filepath.Join(t.TempDir(), "run")
	sum, err := engine.Run(ctx, engine.Config{Scenario: s, Dir: dir,
		Progress: func(p engine.Progress) {
			if p.Requests == 50 {
				cancel()
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	if !sum.Interrupted || sum.ExitCode != reports.ExitIncomplete || sum.Verify != nil {
		t.Fatalf("interrupted %v, exit %d, verified %v; want true, 4, not verified",
			sum.Interrupted, sum.ExitCode, sum.Verify != nil)
	}
	if sum.Load.Requests < 50 || sum.Load.Messages >= 5000 {
		t.Fatalf("summary has %d requests of %d messages, want at least 50 and fewer than 5000",
			sum.Load.Requests, sum.Load.Messages)
	}
	l, err := ledger.Open(filepath.Join(dir, engine.LedgerFile))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if n := count(t, l.DB(), `SELECT COUNT(*) FROM attempts`); uint64(n) != sum.Load.Requests {
		t.Fatalf("ledger holds %d attempts, summary %d", n, sum.Load.Requests)
	}
	for _, f := range []string{engine.SummaryFile, engine.ReportFile, engine.ResultsFile} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("interrupted run lacks %s", f)
		}
	}
}

// TestUnreachableTargetEndsIncomplete points a run at a loopback port where nothing
// listens: the run cannot complete, says why, and still writes its summary.
func TestUnreachableTargetEndsIncomplete(t *testing.T) {
	url := deadURL(t)

	s := parse(t, "")
	s.Target.URL = url
	dir := filepath.Join(t.TempDir(), "run")
	sum, err := engine.Run(context.Background(), engine.Config{Scenario: s, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if sum.ExitCode != reports.ExitIncomplete || !strings.Contains(sum.Error, "seed master data") ||
		!strings.Contains(sum.Error, "connection refused") {
		t.Fatalf("exit %d, error %q; want 4 and a refused connection while seeding", sum.ExitCode,
			sum.Error)
	}
	written, err := reports.ReadJSON(filepath.Join(dir, engine.SummaryFile))
	if err != nil || written.Error != sum.Error {
		t.Fatalf("summary.json: %v, error %q", err, written.Error)
	}
}

// TestUnreachableReadBackSourceStopsTheRunBeforeTheLoad names a verify.source where nothing
// listens: the run stops before it seeds or sends anything, and says why.
func TestUnreachableReadBackSourceStopsTheRunBeforeTheLoad(t *testing.T) {
	url := deadURL(t)

	s := parse(t, "")
	s.Verify.Source = &scenarios.Source{URL: url}
	dir := filepath.Join(t.TempDir(), "run")
	sum, err := engine.Run(context.Background(), engine.Config{Scenario: s, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if sum.ExitCode != reports.ExitIncomplete ||
		!strings.HasPrefix(sum.Error, "check read-back source: read back PurchaseOrderHeadersV2") ||
		!strings.Contains(sum.Error, "connection refused") {
		t.Fatalf("exit %d, error %q; want 4 and the refused read-back", sum.ExitCode, sum.Error)
	}
	l, err := ledger.Open(filepath.Join(dir, engine.LedgerFile))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if n := count(t, l.DB(), `SELECT COUNT(*) FROM messages`); n != 0 || sum.Load.Requests != 0 {
		t.Fatalf("%d messages recorded, %d requests; want nothing sent", n, sum.Load.Requests)
	}
}

// TestInterruptStopsARunAgainstAHungTarget: the target takes master data, then never
// answers a document. A stop must end the run at once, cancelling the requests in flight,
// and the ledger must still hold an attempt for every request made.
func TestInterruptStopsARunAgainstAHungTarget(t *testing.T) {
	hung := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "VendorsV2") || strings.HasSuffix(r.URL.Path, "ReleasedProductsV2") {
			w.WriteHeader(http.StatusCreated)
			return
		}
		// The server notices a client that went away only once the body has been read.
		io.Copy(io.Discard, r.Body)
		select {
		case hung <- struct{}{}:
		default:
		}
		<-r.Context().Done()
	}))
	defer srv.Close()

	s := parse(t, "")
	s.Target.URL = srv.URL
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-hung
		cancel()
	}()
	dir := filepath.Join(t.TempDir(), "run")
	sum, err := engine.Run(ctx, engine.Config{Scenario: s, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if !sum.Interrupted || sum.ExitCode != reports.ExitIncomplete || sum.Load.Requests == 0 {
		t.Fatalf("interrupted %v, exit %d, %d requests; want true, 4, some", sum.Interrupted,
			sum.ExitCode, sum.Load.Requests)
	}
	l, err := ledger.Open(filepath.Join(dir, engine.LedgerFile))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if n := count(t, l.DB(), `SELECT COUNT(*) FROM attempts WHERE status = 0`); uint64(n) != sum.Load.Requests {
		t.Fatalf("%d unanswered attempts in the ledger, %d requests in the summary", n, sum.Load.Requests)
	}
}

// TestRedirectsAreNeverFollowed: load goes only where the scenario points. A target that
// redirects master data and documents elsewhere gets its 307 recorded as the answer, and
// the other server never sees a request.
func TestRedirectsAreNeverFollowed(t *testing.T) {
	var elsewhere atomic.Int64
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		w.WriteHeader(http.StatusCreated)
	}))
	defer other.Close()
	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	defer redirect.Close()

	s := parse(t, "")
	s.Target.URL = redirect.URL
	sum, err := engine.Run(context.Background(), engine.Config{Scenario: s,
		Dir: filepath.Join(t.TempDir(), "run")})
	if err != nil {
		t.Fatal(err)
	}
	if elsewhere.Load() != 0 || sum.ExitCode != reports.ExitIncomplete ||
		!strings.Contains(sum.Error, "307 Temporary Redirect") {
		t.Fatalf("%d requests reached the other server, exit %d, error %q; want 0, 4, the 307",
			elsewhere.Load(), sum.ExitCode, sum.Error)
	}
}

// TestADroppedConnectionIsNeverResentBehindTheLedger: a gateway that takes a create and
// drops the connection without an answer must leave exactly one request at the target
// and one attempt in the ledger; a resend is the sender's decision, recorded as such.
func TestADroppedConnectionIsNeverResentBehindTheLedger(t *testing.T) {
	var documents atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "VendorsV2") || strings.HasSuffix(r.URL.Path, "ReleasedProductsV2") {
			w.WriteHeader(http.StatusCreated)
			return
		}
		if r.Method == http.MethodPost {
			documents.Add(1)
		}
		io.Copy(io.Discard, r.Body)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	defer srv.Close()

	s := parse(t, "sender: { strategy: fire-and-forget }\n")
	s.Target.URL = srv.URL
	dir := filepath.Join(t.TempDir(), "run")
	sum, err := engine.Run(context.Background(), engine.Config{Scenario: s, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	l, err := ledger.Open(filepath.Join(dir, engine.LedgerFile))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	attempts := count(t, l.DB(), `SELECT COUNT(*) FROM attempts WHERE status = 0`)
	if int64(attempts) != documents.Load() || sum.Load.Requests != uint64(attempts) {
		t.Fatalf("the target got %d requests, the ledger holds %d unanswered attempts and the "+
			"summary %d requests; want all equal", documents.Load(), attempts, sum.Load.Requests)
	}
}
