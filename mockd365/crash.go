package mockd365

import (
	"errors"
	"fmt"
	"net"
	"net/http"
)

// Crash stops the server as a crashed process stops, where Close shuts it down cleanly:
// the listener and every connection close at once, so clients waiting for an answer get
// none, and a request that had not committed yet never commits. What was committed stays,
// including records whose 2xx was still waiting out its latency: their senders never hear
// of them. Crash waits for the handlers to return, then closes the database (removing it if
// it was temporary); a Server on the same DBPath starts where this one stopped. Close and
// Crash after either one do nothing.
func (s *Server) Crash() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed, s.crashed = true, true
	srv, served := s.srv, s.served
	s.mu.Unlock()

	// The connections close before writes stop committing, so that no client hears of a
	// write the crash stopped: a handler that commits in between is a record whose answer
	// was lost, as when a process dies just after its commit.
	var errs []error
	if srv != nil {
		if err := srv.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
			errs = append(errs, fmt.Errorf("mockd365: crash: %w", err))
		}
	}
	close(s.crashing)
	close(s.closing)
	if srv != nil {
		<-served
	}
	s.handlers.Wait()
	if err := s.store.close(); err != nil {
		errs = append(errs, fmt.Errorf("mockd365: close database: %w", err))
	}
	s.opts.Logger.Info("mockd365 crashed", "url", s.URL)
	return errors.Join(errs...)
}

// tracked counts the requests h handles, so that Close and Crash can wait for them before
// they close the database. A request that arrives once the server is closing is answered
// 503, or not at all when it crashed.
func (s *Server) tracked(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		if s.closed {
			crashed := s.crashed
			s.mu.Unlock()
			if crashed {
				panic(http.ErrAbortHandler) // net/http drops the connection, unanswered
			}
			http.Error(w, "mockd365 is shutting down", http.StatusServiceUnavailable)
			return
		}
		s.handlers.Add(1)
		s.mu.Unlock()
		defer s.handlers.Done()
		h.ServeHTTP(w, r)
	})
}
