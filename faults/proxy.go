package faults

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync"
	"sync/atomic"

	"github.com/stormcheck/stormcheck/scenarios"
)

// DefaultProxySeed is the seed of a proxy whose faults file names none.
const DefaultProxySeed uint64 = 1

// AdminPrefix is where the proxy's own endpoints live; requests under it never reach the
// upstream.
const AdminPrefix = "/__stormcheck/"

// A Proxy is an HTTP reverse proxy that applies transport faults to the requests passing
// through it, to sit between a gateway under test and its downstream (F&O or the mock).
// Each request gets the next number in arrival order and its plan is drawn from the dice
// for that number, so the same seed strikes the same share of requests; which request
// gets which number depends on arrival order. Its admin endpoints read and replace the
// faults during a run and read the counters:
//
//	GET  /__stormcheck/faults    the faults in force, as JSON
//	PUT  /__stormcheck/faults    replace them (a proxy faults file, YAML or JSON)
//	GET  /__stormcheck/counters  requests passed and faults injected, by kind
//	POST /__stormcheck/reset     set the counters to zero and number requests from 1 again
//
// After a reset the dice pick the same requests as after the start, so that a test phase
// can be repeated against the same seed and faults.
//
// A Proxy is safe for concurrent use.
type Proxy struct {
	upstream *url.URL
	rp       *httputil.ReverseProxy
	log      *slog.Logger

	tr       *Transport // one for the proxy's life: plans come with each request
	requests atomic.Int64

	mu      sync.RWMutex // guards faults, seed and planner, replaced together
	faults  scenarios.ProxyFaults
	seed    uint64
	planner *Planner
}

// NewProxy returns a proxy to upstream (an http or https URL) applying pf's faults.
func NewProxy(upstream string, pf *scenarios.ProxyFaults, log *slog.Logger) (*Proxy, error) {
	u, err := url.Parse(upstream)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("upstream %q must be an http or https URL with a host", upstream)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	origin := u.Scheme + "://" + u.Host
	p := &Proxy{upstream: u, log: log,
		tr: &Transport{Next: linkRewriter{next: http.DefaultTransport, upstream: origin}}}
	p.setFaults(pf)
	p.rp = &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(u)
			r.Out.Host = u.Host
			r.Out = r.Out.WithContext(withProxyOrigin(r.Out.Context(), "http://"+r.In.Host))
		},
		Transport:    p.tr,
		ErrorHandler: p.failed,
	}
	return p, nil
}

// setFaults puts pf's faults in force. A faults file without a seed keeps the seed in
// force (the first one's gets DefaultProxySeed), so that replacing the faults during a run
// never changes which requests the dice pick for a reason the caller did not give.
func (p *Proxy) setFaults(pf *scenarios.ProxyFaults) {
	p.mu.Lock()
	defer p.mu.Unlock()
	seed := p.seed
	if p.planner == nil {
		seed = DefaultProxySeed
	}
	if pf.Seed != nil {
		seed = *pf.Seed
	}
	p.faults, p.seed = *pf, seed
	p.planner = NewPlanner(pf.Faults, seed)
}

// ServeHTTP implements http.Handler.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if len(r.URL.Path) >= len(AdminPrefix) && r.URL.Path[:len(AdminPrefix)] == AdminPrefix {
		p.admin(w, r)
		return
	}
	n := p.requests.Add(1)
	p.mu.RLock()
	plan := p.planner.Plan(Attempt{Message: n, Try: 1})
	p.mu.RUnlock()
	p.rp.ServeHTTP(w, r.WithContext(WithPlan(r.Context(), plan)))
}

// failed answers a request the transport failed. A lost answer or a reset connection
// leaves the client with a connection closed without an answer, as a real network does;
// a timeout before sending becomes the 504 a gateway answers.
func (p *Proxy) failed(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, ErrAckLost) || errors.Is(err, ErrReset) {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, herr := hj.Hijack(); herr == nil {
				conn.Close()
				return
			}
		}
	}
	status := http.StatusBadGateway
	if errors.Is(err, ErrTimeoutBeforeSend) {
		status = http.StatusGatewayTimeout
	}
	p.log.Warn("proxy request failed", "path", r.URL.Path, "err", err)
	// The answer has the shape of an OData error, as a gateway in front of F&O gives it,
	// so that a client parses it as it parses the target's own errors.
	writeJSON(w, status, map[string]any{"error": map[string]string{"code": "",
		"message": http.StatusText(status) + ": the proxy could not reach the upstream: " +
			err.Error()}})
}

// adminMethods are the methods each admin endpoint answers.
var adminMethods = map[string]string{"faults": "GET, PUT", "counters": "GET", "reset": "POST"}

func (p *Proxy) admin(w http.ResponseWriter, r *http.Request) {
	endpoint := r.URL.Path[len(AdminPrefix):]
	switch r.Method + " " + endpoint {
	case "GET faults":
		p.showFaults(w)
	case "PUT faults":
		p.replaceFaults(w, r)
	case "GET counters":
		writeJSON(w, http.StatusOK, p.Counters())
	case "POST reset":
		p.requests.Store(0)
		p.tr.resetCounts()
		w.WriteHeader(http.StatusNoContent)
	default:
		if allowed, ok := adminMethods[endpoint]; ok {
			w.Header().Set("Allow", allowed)
			http.Error(w, AdminPrefix+endpoint+" answers "+allowed, http.StatusMethodNotAllowed)
			return
		}
		http.Error(w, "unknown admin endpoint; use GET or PUT "+AdminPrefix+"faults, GET "+
			AdminPrefix+"counters or POST "+AdminPrefix+"reset", http.StatusNotFound)
	}
}

// showFaults answers the faults in force as a faults file, the format PUT takes.
func (p *Proxy) showFaults(w http.ResponseWriter) {
	p.mu.RLock()
	pf, seed := p.faults, p.seed
	p.mu.RUnlock()
	out, err := scenarios.MarshalProxyFaults(&pf, seed)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/yaml")
	w.Write(out)
}

func (p *Proxy) replaceFaults(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, "read faults: "+err.Error(), http.StatusBadRequest)
		return
	}
	pf, err := scenarios.ParseProxyFaults(body, "request body")
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	p.setFaults(pf)
	p.log.Info("proxy faults replaced")
	p.showFaults(w)
}

// Counters returns the requests passed and the faults injected so far, by kind.
func (p *Proxy) Counters() map[string]int {
	out := p.tr.Counts()
	out["requests"] = int(p.requests.Load())
	return out
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
