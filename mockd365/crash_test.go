package mockd365

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Ensure Crash drops the answer of a request in flight at once, without waiting out its
// latency, and that the record it had committed is there when the mock comes back.
func TestCrashDropsAnswersButKeepsCommits(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mock.db")
	s, err := NewServer(Options{DBPath: path, Latency: Latency{Base: time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	errAnswered := errors.New("answered")
	answered := make(chan error, 1)
	go func() {
		resp, err := http.Post(s.URL+"/data/VendorsV2", "application/json",
			strings.NewReader(vendorJSON("usmf", "V-1")))
		if err == nil {
			resp.Body.Close()
			err = fmt.Errorf("%w %s", errAnswered, resp.Status)
		}
		answered <- err
	}()
	waitFor(t, func() bool { return count(t, s, "VendorsV2") == 1 }) // committed, waiting
	if err := s.Crash(); err != nil {
		t.Fatalf("Crash: %v", err)
	}
	// Compared by identity: the URL in a transport error may hold "201" in its port.
	if err := <-answered; err == nil || errors.Is(err, errAnswered) {
		t.Fatalf("the client got %v; want no answer at all", err)
	}
	keepsTheCommittedVendor(t, s, path)
}

// Ensure a write that reaches its commit once a crash has begun rolls back: the record,
// and the log line that would have gone with it, are never stored.
func TestCrashStopsWritesNotYetCommitted(t *testing.T) {
	s, err := NewUnstartedServer(Options{})
	if err != nil {
		t.Fatal(err)
	}
	close(s.crashing) // the crash begins while the request is being handled
	rec := httptest.NewRecorder()
	req := httptest.NewRequestWithContext(context.Background(), http.MethodPost,
		"/data/VendorsV2", strings.NewReader(vendorJSON("usmf", "V-1")))
	req.Header.Set("Content-Type", "application/json")
	s.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusInternalServerError {
		t.Errorf("status %d, want 500 (an answer no client receives)", rec.Code)
	}

	var vendors, logged int
	if err := s.store.r.QueryRow(`SELECT COUNT(*) FROM "VendorsV2"`).Scan(&vendors); err != nil {
		t.Fatal(err)
	}
	if err := s.store.r.QueryRow(`SELECT COUNT(*) FROM integration_log`).Scan(&logged); err != nil {
		t.Fatal(err)
	}
	if vendors != 0 || logged != 0 {
		t.Errorf("%d vendors and %d log lines stored after the crash began, want none",
			vendors, logged)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}
