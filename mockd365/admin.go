package mockd365

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
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

// writeJSON sends v as a JSON answer. & < > stay as they are, so that links such as the
// log's next read as they are followed.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		errorAnswer(internalError(err)).write(w)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(bytes.TrimSuffix(b.Bytes(), []byte("\n"))) //nolint:errcheck // the client may be gone
}

// logColumns are the integration_log columns /admin/log answers, in order.
var logColumns = []string{"id", "time", "method", "path", "query", "entity", "company",
	"client_id", "status", "outcome", "reason", "idempotency_key", "record_key", "rec_id",
	"external_reference", "correlation_id", "attempt"}

// handleLog answers GET /admin/log: rows of the integration log in order, after the id
// given by ?after= (default 0), at most ?limit= of them (default 100, at most 10,000),
// filtered by any of ?outcome=, ?entity=, ?status= and ?method=. "next" is the link to the
// rows after these, when more may follow. A parameter it does not know, or a value no row
// can hold, is a 400 that lists the valid ones, rather than an empty answer.
func (s *Server) handleLog(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	conds, args, limit, err := logFilter(q)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	query := fmt.Sprintf("SELECT %s FROM integration_log WHERE %s ORDER BY id LIMIT %d",
		strings.Join(logColumns, ", "), strings.Join(conds, " AND "), limit)
	rows, err := s.store.r.QueryContext(r.Context(), query, args...)
	if err != nil {
		errorAnswer(internalError(err)).write(w)
		return
	}
	defer rows.Close()
	out := []map[string]any{}
	var last int64
	for rows.Next() {
		vals := make([]any, len(logColumns))
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			errorAnswer(internalError(err)).write(w)
			return
		}
		row := make(map[string]any, len(logColumns))
		for i, col := range logColumns {
			if b, ok := vals[i].([]byte); ok {
				vals[i] = string(b)
			}
			row[col] = vals[i]
		}
		last, _ = vals[0].(int64)
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		errorAnswer(internalError(err)).write(w)
		return
	}
	body := map[string]any{"value": out}
	if len(out) == limit {
		next := url.Values{}
		for k, v := range q {
			next[k] = v
		}
		next.Set("after", strconv.FormatInt(last, 10))
		body["next"] = "/admin/log?" + next.Encode()
	}
	writeJSON(w, http.StatusOK, body)
}
