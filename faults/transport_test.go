package faults

import (
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stormcheck/stormcheck/scenarios"
)

// upstream counts the requests that reached it.
func upstream(t *testing.T) (*httptest.Server, *atomic.Int64) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, `{"ok":true}`)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func send(t *testing.T, tr *Transport, url string, plan Plan) (*http.Response, error) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(`{}`))
	req = req.WithContext(WithPlan(req.Context(), plan))
	return (&http.Client{Transport: tr}).Do(req)
}

func TestAckLossCommitsThenTimesOut(t *testing.T) {
	srv, hits := upstream(t)
	tr := &Transport{Next: http.DefaultTransport}
	_, err := send(t, tr, srv.URL, Plan{AckLoss: true})
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("ack loss gave %v, want a timeout", err)
	}
	if hits.Load() != 1 || tr.AckLosses() != 1 {
		t.Fatalf("target saw %d requests, transport counted %d ack losses; want 1 and 1",
			hits.Load(), tr.AckLosses())
	}
}

func TestInjectedStatusNeverReachesTheTarget(t *testing.T) {
	srv, hits := upstream(t)
	tr := &Transport{Next: http.DefaultTransport}
	resp, err := send(t, tr, srv.URL, Plan{Status: 503})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") != "1" || hits.Load() != 0 {
		t.Fatalf("got %d Retry-After %q with %d target hits; want 503, 1, 0", resp.StatusCode,
			resp.Header.Get("Retry-After"), hits.Load())
	}
	body, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(body), `"error"`) {
		t.Fatalf("injected body %s is not an OData error", body)
	}
}

func TestNoPlanPassesThrough(t *testing.T) {
	srv, hits := upstream(t)
	resp, err := send(t, &Transport{Next: http.DefaultTransport}, srv.URL, Plan{})
	if err != nil || resp.StatusCode != 201 || hits.Load() != 1 {
		t.Fatalf("got %v, %v with %d hits; want 201 with 1 hit", resp, err, hits.Load())
	}
	resp.Body.Close()
}

func TestPlannerAckLossOnlyOnFirstTryOfOriginal(t *testing.T) {
	p := NewPlanner(scenarios.Faults{AckLoss: &scenarios.AckLossFault{Rate: 0.5}}, 4)
	lost := 0
	for msg := int64(1); msg <= 2000; msg++ {
		if p.Plan(Attempt{Message: msg, Try: 1}).AckLoss {
			lost++
		}
		if p.Plan(Attempt{Message: msg, Try: 2}).AckLoss || p.Plan(Attempt{Message: msg, Copy: 1, Try: 1}).AckLoss {
			t.Fatalf("message %d: ack loss planned on a retry or a copy", msg)
		}
	}
	if !withinBinomial(lost, 2000, 0.5) {
		t.Fatalf("ack loss on %d of 2000 messages at 50%%", lost)
	}
}
