package faults

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stormcheck/stormcheck/scenarios"
)

// proxyFixture starts an upstream that counts creates and a proxy in front of it.
func proxyFixture(t *testing.T, faults string) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("X-Path", r.URL.Path)
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, `{"ok":true}`)
	}))
	t.Cleanup(up.Close)
	pf, err := scenarios.ParseProxyFaults([]byte(faults), "faults.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewProxy(up.URL, pf, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	return srv, &hits
}

func post(t *testing.T, url string) (int, error) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(`{}`))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

func counters(t *testing.T, base string) map[string]int {
	t.Helper()
	resp, err := http.Get(base + AdminPrefix + "counters")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var c map[string]int
	if err := json.NewDecoder(resp.Body).Decode(&c); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestProxyPassesThroughWithoutFaults(t *testing.T) {
	srv, hits := proxyFixture(t, "seed: 1\n")
	for range 50 {
		if code, err := post(t, srv.URL+"/data/VendorsV2"); code != 201 || err != nil {
			t.Fatalf("got %d, %v; want 201", code, err)
		}
	}
	if c := counters(t, srv.URL); hits.Load() != 50 || c["requests"] != 50 || c["transport_status"] != 0 {
		t.Fatalf("upstream saw %d, counters %v; want 50 requests and no faults", hits.Load(), c)
	}
}

func TestProxyInjectsAndCountsExactlyWhatItsSeedSays(t *testing.T) {
	srv, hits := proxyFixture(t, "seed: 9\nfaults:\n  transport: { error_rate: 20%, status: 429, retry_after: 3s }\n")
	want := 0
	planner := NewPlanner(scenarios.Faults{Transport: &scenarios.TransportFault{ErrorRate: 0.2,
		Status: 429}}, 9)
	for n := int64(1); n <= 200; n++ {
		if planner.Plan(Attempt{Message: n, Try: 1}).Status == 429 {
			want++
		}
	}
	throttled := 0
	for range 200 {
		code, err := post(t, srv.URL+"/data/VendorsV2")
		if err != nil {
			t.Fatal(err)
		}
		if code == 429 {
			throttled++
		}
	}
	c := counters(t, srv.URL)
	if throttled != want || c["transport_status"] != want || int(hits.Load()) != 200-want {
		t.Fatalf("%d throttled, counted %d, upstream saw %d; want %d, %d, %d", throttled,
			c["transport_status"], hits.Load(), want, want, 200-want)
	}
}

func TestProxyAckLossCommitsThenDropsTheConnection(t *testing.T) {
	srv, hits := proxyFixture(t, "faults:\n  ack_loss: { rate: 100% }\n")
	if _, err := post(t, srv.URL+"/data/VendorsV2"); err == nil {
		t.Fatal("a lost answer reached the client")
	}
	if hits.Load() != 1 || counters(t, srv.URL)["ack_loss"] != 1 {
		t.Fatalf("upstream saw %d requests; want the one whose answer was lost", hits.Load())
	}
}

func TestProxyFaultsChangeDuringARun(t *testing.T) {
	srv, _ := proxyFixture(t, "seed: 1\n")
	put := func(body string) (int, string) {
		req, _ := http.NewRequest(http.MethodPut, srv.URL+AdminPrefix+"faults", strings.NewReader(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := post(t, srv.URL+"/x"); code != 201 {
		t.Fatalf("before the change: %d", code)
	}
	code, body := put("faults:\n  transport: { error_rate: 100%, status: 503 }\n")
	if code != 200 || !strings.Contains(body, "error_rate: 100%") || !strings.Contains(body, "seed: 1") {
		t.Fatalf("PUT faults: %d %s", code, body)
	}
	resp, err := http.Get(srv.URL + AdminPrefix + "faults")
	if err != nil {
		t.Fatal(err)
	}
	shown, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if code, again := put(string(shown)); code != 200 || again != string(shown) {
		t.Fatalf("what GET shows does not PUT back: %d %s\nshown:\n%s", code, again, shown)
	}
	if code, _ := post(t, srv.URL+"/x"); code != 503 {
		t.Fatalf("after the change: %d, want 503", code)
	}
	code, body = put("faults:\n  transport: { error_rat: 1% }\n")
	if code != 400 || !strings.Contains(body, "request body:2:16: faults.transport.error_rat") {
		t.Fatalf("bad PUT: %d %s", code, body)
	}
	if resp, err := http.Get(srv.URL + AdminPrefix + "reset"); err != nil || resp.StatusCode != 405 ||
		resp.Header.Get("Allow") != "POST" {
		t.Fatalf("GET reset: %v %v, want 405 allowing POST", resp, err)
	}
	resp, err = http.Post(srv.URL+AdminPrefix+"reset", "", nil)
	if err != nil || resp.StatusCode != 204 {
		t.Fatalf("reset: %v %v", resp, err)
	}
	if c := counters(t, srv.URL); c["requests"] != 0 || c["transport_status"] != 0 {
		t.Fatalf("counters after reset: %v", c)
	}
}

func TestNewProxyRefusesABadUpstream(t *testing.T) {
	for _, u := range []string{"", "127.0.0.1:8080", "ftp://host/x", "http://"} {
		if _, err := NewProxy(u, &scenarios.ProxyFaults{}, nil); err == nil {
			t.Errorf("upstream %q accepted", u)
		}
	}
}

func TestProxyKeepsItsSeedAndRepeatsAfterReset(t *testing.T) {
	srv, _ := proxyFixture(t, "seed: 42\nfaults:\n  transport: { error_rate: 30%, status: 503 }\n")
	statuses := func() string {
		var out []string
		for range 40 {
			code, err := post(t, srv.URL+"/x")
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, http.StatusText(code)[:1])
		}
		return strings.Join(out, "")
	}
	first := statuses()
	if !strings.Contains(first, "S") || !strings.Contains(first, "C") {
		t.Fatalf("40 requests at 30%% answered %s; want some of each", first)
	}
	req, _ := http.NewRequest(http.MethodPut, srv.URL+AdminPrefix+"faults",
		strings.NewReader("faults:\n  transport: { error_rate: 30%, status: 503 }\n"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	shown, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(shown), "seed: 42") {
		t.Fatalf("a PUT without a seed changed the seed:\n%s", shown)
	}
	resp, err = http.Post(srv.URL+AdminPrefix+"reset", "", nil)
	if err != nil || resp.StatusCode != 204 {
		t.Fatalf("reset: %v %v", resp, err)
	}
	resp.Body.Close()
	if again := statuses(); again != first {
		t.Fatalf("after a reset the same seed answered\n%s, not as after the start\n%s", again,
			first)
	}
}

// TestProxyAnswersNameTheProxyNotTheUpstream: an OData answer names its service root in
// @odata.nextLink and Location; through the proxy they point at the proxy, so that a
// client paging on stays behind the proxy's faults.
func TestProxyAnswersNameTheProxyNotTheUpstream(t *testing.T) {
	var upstream *httptest.Server
	upstream = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; odata.metadata=minimal")
		w.Header().Set("Location", upstream.URL+"/data/VendorsV2(dataAreaId='usmf')")
		io.WriteString(w, `{"@odata.context":"`+upstream.URL+`/data/$metadata#VendorsV2",`+
			`"value":[],"@odata.nextLink":"`+upstream.URL+`/data/VendorsV2?$skiptoken=1"}`)
	}))
	defer upstream.Close()
	proxy, resp := getThroughProxy(t, upstream.URL)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	want := `{"@odata.context":"` + proxy + `/data/$metadata#VendorsV2","value":[],` +
		`"@odata.nextLink":"` + proxy + `/data/VendorsV2?$skiptoken=1"}`
	loc := resp.Header.Get("Location")
	if string(body) != want || loc != proxy+"/data/VendorsV2(dataAreaId='usmf')" {
		t.Fatalf("through the proxy:\n%s\nLocation %s\nwant\n%s", body, loc, want)
	}
}

// getThroughProxy starts a proxy without faults in front of upstream and GETs the vendors
// through it; it returns the proxy's URL and the answer.
func getThroughProxy(t *testing.T, upstream string) (string, *http.Response) {
	t.Helper()
	p, err := NewProxy(upstream, &scenarios.ProxyFaults{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	resp, err := http.Get(srv.URL + "/data/VendorsV2")
	if err != nil {
		t.Fatal(err)
	}
	return srv.URL, resp
}

func TestProxyAnswersAnUnreachableUpstreamAsAGateway(t *testing.T) {
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	_, resp := getThroughProxy(t, dead.URL)
	defer resp.Body.Close()
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&e); err != nil || resp.StatusCode != 502 ||
		!strings.HasPrefix(e.Error.Message,
			"Bad Gateway: the proxy could not reach the upstream: ") ||
		!strings.Contains(e.Error.Message, "connection refused") {
		t.Fatalf("status %d, body %+v (%v); want 502 with an OData error naming the refusal",
			resp.StatusCode, e, err)
	}
}
