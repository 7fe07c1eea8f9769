package engine

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/stormcheck/stormcheck/auth"
	"github.com/stormcheck/stormcheck/mockd365"
)

func (r *run) startTarget(context.Context) error {
	if r.s.Target.URL != "" {
		r.target = strings.TrimRight(r.s.Target.URL, "/")
		r.summary.Target = r.target
		r.summary.Design = "external"
		return nil
	}
	srv, err := mockd365.NewServer(r.mockOptions())
	if err != nil {
		return fmt.Errorf("start the embedded mock: %w", err)
	}
	r.mock.set(srv)
	r.target = srv.URL
	r.summary.Target = "embedded mock " + srv.URL
	return r.ledger.SetMeta("mock_url", srv.URL)
}

// mockOptions are the embedded mock's options from the scenario.
func (r *run) mockOptions() mockd365.Options {
	m := r.s.Target.Mock
	return mockd365.Options{
		Design: m.Design, DBPath: filepath.Join(r.cfg.Dir, MockFile), Addr: m.Listen,
		DefaultCompany: r.s.Target.LegalEntities[0],
		Latency:        mockd365.Latency{Base: m.Latency.Base.D(), Jitter: m.Latency.Jitter.D()},
		Throttle: mockd365.Throttle{Capacity: m.Throttle.Capacity.PerSecond(),
			RetryAfter: m.Throttle.RetryAfter.D()},
		Seed:   r.seed,
		Logger: r.log.With("component", "mock"),
	}
}

// toTarget is the transport of every request to the target: the network, with a bearer
// token from target.auth when the scenario has one.
func (r *run) toTarget(ctx context.Context) (http.RoundTripper, error) {
	a := r.s.Target.Auth
	if a == nil {
		return r.network(), nil
	}
	rt, err := auth.Authorize(ctx, r.network(), a, r.target, os.LookupEnv)
	if err != nil {
		return nil, fmt.Errorf("target credentials: %w", err)
	}
	return rt, nil
}

// network is the HTTP transport to the target, sized for the scenario's concurrency and
// shared by every phase, so that finish can close its connections.
func (r *run) network() *http.Transport {
	if r.net == nil {
		dialer := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
		r.net = &http.Transport{
			DialContext:         dialer.DialContext,
			MaxIdleConnsPerHost: r.s.Load.Concurrency,
			IdleConnTimeout:     90 * time.Second,
		}
	}
	return r.net
}
