package faults

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

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
	if hits.Load() != 1 || tr.Counts()["ack_loss"] != 1 {
		t.Fatalf("target saw %d requests, transport counted %d ack losses; want 1 and 1",
			hits.Load(), tr.Counts()["ack_loss"])
	}
}

func TestInjectedStatusNeverReachesTheTarget(t *testing.T) {
	srv, hits := upstream(t)
	tr := &Transport{Next: http.DefaultTransport}
	resp, err := send(t, tr, srv.URL, Plan{Status: 503, RetryAfter: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") != "3" || hits.Load() != 0 {
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

func TestResetAndTimeoutNeverReachTheTarget(t *testing.T) {
	srv, hits := upstream(t)
	tr := &Transport{Next: http.DefaultTransport}
	for _, tc := range []struct {
		plan    Plan
		timeout bool
		kind    string
	}{
		{Plan{Reset: true}, false, "transport_reset"},
		{Plan{Timeout: true}, true, "transport_timeout"},
	} {
		_, err := send(t, tr, srv.URL, tc.plan)
		var ne net.Error
		if !errors.As(err, &ne) || ne.Timeout() != tc.timeout {
			t.Fatalf("%+v gave %v, want a network error with Timeout() %v", tc.plan, err, tc.timeout)
		}
		if tr.Counts()[tc.kind] != 1 {
			t.Fatalf("%s counted %d times, want 1", tc.kind, tr.Counts()[tc.kind])
		}
	}
	if hits.Load() != 0 {
		t.Fatalf("target saw %d requests, want 0", hits.Load())
	}
}

func TestSlowBodyDeliversTheWholeAnswerInChunks(t *testing.T) {
	big := strings.Repeat("x", 1000)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, big)
	}))
	defer srv.Close()
	tr := &Transport{Next: http.DefaultTransport}
	resp, err := send(t, tr, srv.URL, Plan{SlowBody: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	buf := make([]byte, 4096)
	got, reads := "", 0
	for {
		n, err := resp.Body.Read(buf)
		got += string(buf[:n])
		if n > 0 {
			reads++
		}
		if n > dribbleChunk {
			t.Fatalf("a read returned %d bytes, more than a chunk", n)
		}
		if err != nil {
			break
		}
	}
	if got != big || reads != 1000/dribbleChunk+1 || tr.Counts()["transport_slow_body"] != 1 {
		t.Fatalf("read %d bytes in %d reads, counted %d; want 1000 in %d and 1", len(got), reads,
			tr.Counts()["transport_slow_body"], 1000/dribbleChunk+1)
	}
}

func TestSlowBodyStopsWithTheRequest(t *testing.T) {
	srv, _ := upstream(t)
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(WithPlan(ctx, Plan{SlowBody: time.Hour}),
		http.MethodPost, srv.URL, strings.NewReader(`{}`))
	resp, err := (&http.Client{Transport: &Transport{Next: http.DefaultTransport}}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := io.ReadAll(resp.Body); !errors.Is(err, context.Canceled) {
		t.Fatalf("reading a slow body after cancel gave %v, want context.Canceled", err)
	}
}

func TestPlannerBandsAddUp(t *testing.T) {
	p := NewPlanner(scenarios.Faults{Transport: &scenarios.TransportFault{Status: 429,
		ErrorRate: 0.1, ResetRate: 0.05, TimeoutRate: 0.05, SlowBodyRate: 0.1,
		SlowBody: scenarios.Duration(time.Second)}}, 11)
	counts := map[string]int{}
	const n = 20000
	for msg := int64(1); msg <= n; msg++ {
		plan := p.Plan(Attempt{Message: msg, Try: 2})
		struck := 0
		for name, on := range map[string]bool{"status": plan.Status == 429, "reset": plan.Reset,
			"timeout": plan.Timeout, "slow": plan.SlowBody == time.Second} {
			if on {
				counts[name]++
				struck++
			}
		}
		if struck > 1 {
			t.Fatalf("attempt %d got two transport faults: %+v", msg, plan)
		}
	}
	for name, rate := range map[string]float64{"status": 0.1, "reset": 0.05, "timeout": 0.05,
		"slow": 0.1} {
		if !withinBinomial(counts[name], n, rate) {
			t.Errorf("%s struck %d of %d attempts at %.0f%%", name, counts[name], n, rate*100)
		}
	}
}

// TestPlannerExactSetForASeed pins which attempts seed 11 strikes, fault by fault.
func TestPlannerExactSetForASeed(t *testing.T) {
	p := NewPlanner(scenarios.Faults{AckLoss: &scenarios.AckLossFault{Rate: 0.02},
		Transport: &scenarios.TransportFault{Status: 503, ErrorRate: 0.02, ResetRate: 0.02}}, 11)
	got := map[string][]int64{}
	for msg := int64(1); msg <= 300; msg++ {
		plan := p.Plan(Attempt{Message: msg, Try: 1})
		for name, on := range map[string]bool{"ack-loss": plan.AckLoss, "status": plan.Status != 0,
			"reset": plan.Reset} {
			if on {
				got[name] = append(got[name], msg)
			}
		}
	}
	want := map[string][]int64{
		"ack-loss": {17, 32, 50, 74, 96, 150, 204, 243},
		"status":   {2, 40, 100, 116, 171, 234, 247},
		"reset":    {25, 72, 93, 138, 182, 187},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("seed 11 struck %v, want %v", got, want)
	}
}
