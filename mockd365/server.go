package mockd365

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// shutdownTimeout bounds how long Close waits for requests in flight.
const shutdownTimeout = 5 * time.Second

// A Server is a mock of the Dynamics 365 Finance & Operations OData integration surface,
// listening on a loopback port, shaped like [net/http/httptest.Server]. Its state lives in a
// SQLite file that any SQLite client can inspect: one table per entity, the
// integration_log of every /data request, and the parked requests of the idempotent design.
//
// A Server is safe for concurrent use. A 2xx answer to a create means the record is
// committed.
type Server struct {
	// URL is the base URL, "http://127.0.0.1:PORT", without the /data service root.
	// It is set by Start.
	URL string

	opts     Options
	design   Design
	store    *store
	delay    *delayer
	throttle *throttler
	handler  http.Handler
	metadata []byte
	now      func() time.Time // clock of the integration log and of stored creation times
	closing  chan struct{}    // closed when Close begins; cuts latency waits short
	crashing chan struct{}    // closed when Crash begins; nothing commits after it
	handlers sync.WaitGroup   // requests being handled; added to under mu, while open

	conns connTracker

	mu      sync.Mutex    // guards srv, ln, served and closed, and adding to handlers
	srv     *http.Server  // nil until Start
	ln      net.Listener  // the listener Serve accepts on
	served  chan struct{} // closed when Serve returns
	closed  bool
	crashed bool // closed by Crash
}

// NewServer starts and returns a Server. The caller should Close it when done.
func NewServer(opts Options) (*Server, error) {
	s, err := NewUnstartedServer(opts)
	if err != nil {
		return nil, err
	}
	if err := s.Start(); err != nil {
		return nil, errors.Join(err, s.Close())
	}
	return s, nil
}

// NewUnstartedServer returns a Server with its database open and its handler ready, but not
// listening; call Start to serve, or use Handler directly. The caller should Close it.
func NewUnstartedServer(opts Options) (*Server, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	design, err := LookupDesign(opts.Design)
	if err != nil {
		return nil, err
	}
	md, err := buildMetadata(Catalogue)
	if err != nil {
		return nil, fmt.Errorf("mockd365: %w", err)
	}
	st, err := openStore(opts.DBPath, Catalogue)
	if err != nil {
		return nil, fmt.Errorf("mockd365: %w", err)
	}
	s := &Server{
		opts:     opts,
		design:   design,
		store:    st,
		delay:    newDelayer(opts.Latency, opts.Seed),
		throttle: newThrottler(opts.Throttle),
		metadata: md,
		now:      time.Now,
		closing:  make(chan struct{}),
		crashing: make(chan struct{}),
	}
	st.halted = s.crashing
	s.handler = s.tracked(s.routes())
	return s, nil
}

// Start listens on Options.Addr, sets URL and serves in the background. The listener is
// bound before Start returns, so a bad address is reported here.
func (s *Server) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errors.New("mockd365: start: server is closed")
	}
	if s.srv != nil {
		return errors.New("mockd365: start: server already started")
	}
	ln, err := net.Listen("tcp", s.opts.Addr)
	if err != nil {
		return fmt.Errorf("mockd365: listen on %s: %w", s.opts.Addr, err)
	}
	s.URL = "http://" + dialAddr(ln.Addr())
	s.srv = &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 30 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.opts.Logger.Handler(), slog.LevelWarn),
		ConnState:         s.conns.track,
	}
	s.ln = ln
	s.served = make(chan struct{})
	go func() {
		defer close(s.served)
		s.srv.Serve(ln) //nolint:errcheck // always ErrServerClosed after Shutdown or Close
	}()
	s.opts.Logger.Info("mockd365 serving", "url", s.URL, "design", s.design.Name,
		"db", s.store.path)
	return nil
}

// Close stops accepting requests, waits up to 5 seconds for those in flight (latency waits
// end at once), then closes the database, removing it if it was temporary. Writes that
// committed stay committed. Close may be called more than once.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	srv, ln, served := s.srv, s.ln, s.served
	s.mu.Unlock()

	close(s.closing)
	var errs []error
	if srv != nil {
		// Stop accepting first, so that closing the unused connections is final; Shutdown
		// then finds the listener closed, which is not a failure.
		ln.Close()
		s.conns.closeUnused()
		ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil && !errors.Is(err, net.ErrClosed) {
			s.opts.Logger.Warn("mockd365 shutdown timed out; closing connections", "err", err)
			errs = append(errs, fmt.Errorf("mockd365: shutdown: %w", err))
			if err := srv.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
				errs = append(errs, err)
			}
		}
		<-served
	}
	s.handlers.Wait()
	if err := s.store.close(); err != nil {
		errs = append(errs, fmt.Errorf("mockd365: close database: %w", err))
	}
	s.opts.Logger.Info("mockd365 closed", "url", s.URL)
	return errors.Join(errs...)
}

// Handler returns the server's HTTP handler, usable without Start (with httptest.NewRecorder,
// for example); links in its answers then use the request's Host.
func (s *Server) Handler() http.Handler {
	return s.handler
}

// Design returns the design the server runs.
func (s *Server) Design() Design {
	return s.design
}

// DBPath returns the path of the SQLite file.
func (s *Server) DBPath() string {
	return s.store.path
}

// baseURL returns the URL links in answers start with.
func (s *Server) baseURL(r *http.Request) string {
	if s.URL != "" {
		return s.URL
	}
	return "http://" + r.Host
}

// dialAddr returns a listener's address as a client dials it: an unspecified IP becomes
// the loopback address.
func dialAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return a.String()
	}
	ip := tcp.IP
	if ip == nil || ip.IsUnspecified() {
		ip = net.IPv4(127, 0, 0, 1)
	}
	return net.JoinHostPort(ip.String(), strconv.Itoa(tcp.Port))
}
