package mockd365

import (
	"encoding/json"
	"net/http"
)

// The admin endpoints are the mock's own, not F&O's: they answer at once, without latency,
// and are not logged.

// handleHealth answers GET /admin/health with {"status":"ok","design":"<name>"}.
func (s *Server) handleHealth(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "design": s.design.Name})
}

// handleReset answers POST /admin/reset: it empties every entity table, the integration
// log, the number sequences, the idempotency answers and the parked requests.
func (s *Server) handleReset(w http.ResponseWriter, _ *http.Request) {
	if err := s.store.reset(); err != nil {
		errorAnswer(internalError(err)).write(w)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleCounts answers GET /admin/counts with the number of records of each collection.
func (s *Server) handleCounts(w http.ResponseWriter, r *http.Request) {
	counts, err := s.store.counts(r.Context())
	if err != nil {
		errorAnswer(internalError(err)).write(w)
		return
	}
	writeJSON(w, http.StatusOK, counts)
}

// writeJSON sends v as a JSON answer.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		errorAnswer(internalError(err)).write(w)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b) //nolint:errcheck // the client may be gone
}
