package mockd365

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Ensure options are checked and designs looked up by name with a helpful error.
func TestNewServerOptions(t *testing.T) {
	_, err := NewUnstartedServer(Options{Design: "fast"})
	want := `mockd365: unknown design "fast" (valid: d365, naive, idempotent)`
	if err == nil || err.Error() != want {
		t.Errorf("unknown design: %v", err)
	}
	if _, err := NewUnstartedServer(Options{PageSize: -1}); err == nil {
		t.Error("negative page size accepted")
	}
	d, err := LookupDesign("naive")
	if err != nil || d.Duplicates != DuplicatesStored || !d.TruncateOverlong {
		t.Errorf("LookupDesign(naive) = %+v, %v", d, err)
	}
}

// Ensure an unstarted server serves through Handler and starts only once.
func TestUnstartedServer(t *testing.T) {
	s, err := NewUnstartedServer(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/admin/health", nil))
	if rec.Code != http.StatusOK || rec.Body.String() != `{"design":"d365","status":"ok"}` {
		t.Errorf("health = %d %s", rec.Code, rec.Body)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err == nil {
		t.Error("second Start succeeded")
	}
	if !strings.HasPrefix(s.URL, "http://127.0.0.1:") {
		t.Errorf("URL = %s", s.URL)
	}
}

// Ensure the admin endpoints count and reset, and that reset restarts number sequences.
func TestAdminCountsAndReset(t *testing.T) {
	s := mustServer(t, Options{})
	mustVendor(t, s, "usmf", "V-1")
	mustOrder(t, s, "usmf", "V-1", "")
	r := get(t, s, "/admin/counts").mustStatus(t, http.StatusOK)
	var counts map[string]int
	if err := json.Unmarshal([]byte(r.body), &counts); err != nil {
		t.Fatal(err)
	}
	if len(counts) != len(Catalogue) || counts["VendorsV2"] != 1 ||
		counts["PurchaseOrderHeadersV2"] != 1 || counts["CustomersV3"] != 0 {
		t.Errorf("counts = %s, want every collection, one vendor and one order", r.body)
	}
	do(t, http.MethodPost, s.URL+"/admin/reset", "").mustStatus(t, http.StatusNoContent)
	if n := count(t, s, "VendorsV2"); n != 0 {
		t.Errorf("%d vendors after reset", n)
	}
	var logged int
	err := s.store.r.QueryRow(`SELECT COUNT(*) FROM integration_log`).Scan(&logged)
	if err != nil || logged != 0 {
		t.Errorf("%d log rows after reset, %v", logged, err)
	}
	mustVendor(t, s, "usmf", "V-1")
	if po := mustOrder(t, s, "usmf", "V-1", ""); po != "00000001" {
		t.Errorf("first order after reset = %s", po)
	}
}

// Ensure every /data request is logged with its outcome, reason and headers.
func TestIntegrationLog(t *testing.T) {
	s := mustServer(t, Options{})
	mustVendor(t, s, "usmf", "V-1")
	post(t, s, "VendorsV2", vendorJSON("usmf", "V-1"), "Idempotency-Key", "k-9",
		"X-Vegeta-Seq", "17", "x-ms-dyn-externalidentifier", "msg-1")
	get(t, s, "/data/VendorsV2")
	rows, err := s.store.r.Query(`SELECT method, entity, company, status, outcome, reason,
		idempotency_key, record_key, IFNULL(rec_id, 0), correlation_id, attempt
		FROM integration_log ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var method, entity, company, outcome, reason, key, recKey, corr, attempt string
		var status, recID int
		if err := rows.Scan(&method, &entity, &company, &status, &outcome, &reason, &key,
			&recKey, &recID, &corr, &attempt); err != nil {
			t.Fatal(err)
		}
		got = append(got, strings.Join([]string{method, entity, company, outcome, key, recKey,
			corr, attempt}, " "))
		if outcome == outcomeFailed && !strings.Contains(reason, "The record already exists") {
			t.Errorf("failure reason = %q", reason)
		}
	}
	want := []string{
		"POST VendorsV2 usmf committed  (dataAreaId='usmf',VendorAccountNumber='V-1')  ",
		"POST VendorsV2 usmf failed k-9  msg-1 17",
		"GET VendorsV2 usmf received    ",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("log:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// Ensure Close cuts latency short, lets requests in flight finish, and keeps what they
// committed; a client that gave up after the commit leaves the record stored.
func TestCloseKeepsCommittedWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mock.db")
	s, err := NewServer(Options{DBPath: path, Latency: Latency{Base: time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	gaveUp := make(chan error, 1)
	go func() {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.URL+"/data/VendorsV2",
			strings.NewReader(vendorJSON("usmf", "V-1")))
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		gaveUp <- err
	}()
	waitFor(t, func() bool { return count(t, s, "VendorsV2") == 1 }) // committed, still waiting
	cancel()
	if err := <-gaveUp; !errors.Is(err, context.Canceled) {
		t.Errorf("client error = %v, want the cancellation", err)
	}
	keepsTheCommittedVendor(t, s, path)
}

// keepsTheCommittedVendor closes s and serves its file again: the one vendor committed
// before must be there.
func keepsTheCommittedVendor(t *testing.T, s *Server, path string) {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	again := mustServer(t, Options{DBPath: path})
	if n := count(t, again, "VendorsV2"); n != 1 {
		t.Errorf("%d vendors after restart, want the committed one", n)
	}
}

// Ensure Close answers a request that is waiting out its latency, rather than dropping it.
func TestCloseWaitsForRequestsInFlight(t *testing.T) {
	s, err := NewServer(Options{Latency: Latency{Base: time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	status := make(chan int, 1)
	go func() {
		resp, err := http.Post(s.URL+"/data/VendorsV2", "application/json",
			strings.NewReader(vendorJSON("usmf", "V-1")))
		if err != nil {
			status <- 0
			return
		}
		resp.Body.Close()
		status <- resp.StatusCode
	}()
	waitFor(t, func() bool { return count(t, s, "VendorsV2") == 1 })
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if got := <-status; got != http.StatusCreated {
		t.Errorf("request in flight got %d, want 201", got)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// waitFor polls cond until it holds, failing after a generous deadline.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
	}
}
