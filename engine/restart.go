package engine

import (
	"context"
	"fmt"
	"net/url"
	"sync"
	"time"

	"github.com/stormcheck/stormcheck/mockd365"
)

// downtime is when the restart fault held the embedded mock down, so that attempts that
// failed in that window are recorded as struck by it. Its zero value is a mock never down.
type downtime struct {
	mu       sync.Mutex
	from, to time.Time // to is zero while the mock is still down
}

func (w *downtime) begin(t time.Time) {
	w.mu.Lock()
	w.from, w.to = t, time.Time{}
	w.mu.Unlock()
}

func (w *downtime) end(t time.Time) {
	w.mu.Lock()
	w.to = t
	w.mu.Unlock()
}

// overlaps reports whether an attempt from start to end overlaps the time the mock was
// down (a request in flight at the crash, or sent while the mock was away).
func (w *downtime) overlaps(start, end time.Time) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.from.IsZero() || end.Before(w.from) {
		return false
	}
	return w.to.IsZero() || !start.After(w.to)
}

// embeddedMock holds the embedded mock, which the restart fault replaces while the load
// runs. Its zero value holds no mock.
type embeddedMock struct {
	mu  sync.Mutex
	srv *mockd365.Server
}

func (m *embeddedMock) set(srv *mockd365.Server) {
	m.mu.Lock()
	m.srv = srv
	m.mu.Unlock()
}

// close stops the mock in use, if any.
func (m *embeddedMock) close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.srv == nil {
		return nil
	}
	err := m.srv.Close()
	m.srv = nil
	return err
}

// crash stops the mock in use, if any, as a crashed process stops.
func (m *embeddedMock) crash() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.srv == nil {
		return nil
	}
	err := m.srv.Crash()
	m.srv = nil
	return err
}

// restart takes the mock down at, counted from start, and brings it back downFor later on
// the same address and database, as an AOS crash during a business day: requests in flight
// get no answer (those not yet committed never commit), new connections are refused,
// committed records survive. It returns when the mock
// is back, or when ctx ends (the load finished first); the error says why it could not
// come back.
func (r *run) restart(ctx context.Context, start time.Time, at, downFor time.Duration) error {
	if !r.wait(ctx, start.Add(at)) {
		return nil
	}
	opts := r.mockOptions()
	u, err := url.Parse(r.target)
	if err != nil {
		return fmt.Errorf("restart the embedded mock: %w", err)
	}
	opts.Addr = u.Host
	r.log.Info("restart: the embedded mock goes down", "for", downFor)
	r.down.begin(r.cfg.Clock.Now())
	if err := r.mock.crash(); err != nil {
		r.log.Warn("restart: the embedded mock did not stop", "err", err)
	}
	// The mock comes back even when the load ends meanwhile: verification needs it.
	r.wait(ctx, r.cfg.Clock.Now().Add(downFor))
	srv, err := mockd365.NewServer(opts)
	if err != nil {
		return fmt.Errorf("restart the embedded mock on %s: %w", opts.Addr, err)
	}
	r.mock.set(srv)
	r.down.end(r.cfg.Clock.Now())
	r.restarted = true
	r.log.Info("restart: the embedded mock is back", "url", srv.URL)
	return nil
}

// wait blocks until the clock reaches t; it reports false when ctx ended first.
func (r *run) wait(ctx context.Context, t time.Time) bool {
	d := t.Sub(r.cfg.Clock.Now())
	if d <= 0 {
		return ctx.Err() == nil
	}
	select {
	case <-r.cfg.Clock.After(d):
		return true
	case <-ctx.Done():
		return false
	}
}
