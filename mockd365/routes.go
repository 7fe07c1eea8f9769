package mockd365

import (
	"database/sql"
	"errors"
	"net/http"
	"strings"
)

// routes returns the handler of every endpoint: the OData service under /data, the token
// endpoints (with or without a tenant segment, as Entra's are), and the mock's admin API.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/data", s.serveData)
	mux.HandleFunc("/data/", s.serveData)
	mux.HandleFunc("GET /admin/health", s.handleHealth)
	mux.HandleFunc("POST /admin/reset", s.handleReset)
	mux.HandleFunc("GET /admin/counts", s.handleCounts)
	mux.HandleFunc("GET /admin/log", s.handleLog)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if version, ok := tokenPath(r.URL.Path); ok {
			s.handleToken(w, r, version)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// serveData admits a request under the /data service root (authentication, then
// throttling) and dispatches it.
func (s *Server) serveData(w http.ResponseWriter, r *http.Request) {
	ex := newExchange(r, s.now())
	r, ans, ok := s.admit(r, ex)
	if !ok {
		s.respond(w, ex, ans)
		return
	}
	s.dispatch(w, r, ex)
}

// dispatch answers an admitted /data request; $batch parts come here directly.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request, ex *exchange) {
	rest := strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, "/data"), "/")
	inChangeset := changesetOf(r) != nil
	switch {
	case rest == "$batch" && inBatch(r):
		s.finish(w, r, ex, errorAnswer(badRequest("A $batch request cannot hold another "+
			"$batch request; send the requests of the inner batch as parts of the outer one.")))
	case inChangeset && (r.Method == http.MethodGet || rest == "" || rest == "$metadata"):
		s.finish(w, r, ex, errorAnswer(badRequest("A changeset may only hold POST, PATCH, "+
			"PUT and DELETE requests on entity sets; send %s %s outside the changeset.",
			r.Method, r.URL.Path)))
	case rest == "" && r.Method == http.MethodGet:
		s.finish(w, r, ex, answer{status: http.StatusOK,
			body: serviceDocument(s.baseURL(r), Catalogue)})
	case rest == "$metadata" && r.Method == http.MethodGet:
		s.serveMetadata(w, r, ex)
	case rest == "$batch" && r.Method == http.MethodPost:
		s.handleBatch(w, r, ex)
	case rest == "" || rest == "$metadata" || rest == "$batch":
		allowed := map[bool]string{true: "POST", false: "GET"}[rest == "$batch"]
		s.finish(w, r, ex, methodNotAllowed(w, r, allowed))
	default:
		s.serveEntitySet(w, r, rest, ex)
	}
}

// serveEntitySet dispatches a request on a collection or on one of its records.
func (s *Server) serveEntitySet(w http.ResponseWriter, r *http.Request, rest string,
	ex *exchange) {
	rest, countOnly := strings.CutSuffix(rest, "/$count")
	name, key, hasKey, err := splitResource(rest)
	if err != nil {
		s.finish(w, r, ex, errorAnswer(asAPIError(err)))
		return
	}
	t, ok := s.store.tables[name]
	if !ok {
		s.finish(w, r, ex, errorAnswer(s.unknownEntitySet(name)))
		return
	}
	ex.entity = name
	switch {
	case countOnly && r.Method == http.MethodGet && !hasKey:
		s.handleCount(w, r, t, ex)
	case countOnly:
		s.finish(w, r, ex, errorAnswer(notFound("Only a collection has a $count segment.")))
	case r.Method == http.MethodGet && hasKey:
		s.handleGetByKey(w, r, t, ex, key)
	case r.Method == http.MethodGet:
		s.handleQuery(w, r, t, ex)
	case r.Method == http.MethodPost && !hasKey:
		s.handleCreate(w, r, t, ex)
	case hasKey && (r.Method == http.MethodPatch || r.Method == http.MethodPut):
		s.handleUpdate(w, r, t, ex, key)
	case hasKey && r.Method == http.MethodDelete:
		s.handleDelete(w, r, t, ex, key)
	case hasKey:
		s.finish(w, r, ex, methodNotAllowed(w, r, "GET, PATCH, PUT, DELETE"))
	default:
		s.finish(w, r, ex, methodNotAllowed(w, r, "GET, POST"))
	}
}

// serveMetadata answers GET /data/$metadata with the CSDL document.
func (s *Server) serveMetadata(w http.ResponseWriter, r *http.Request, ex *exchange) {
	ex.settle(http.StatusOK)
	s.log(r, ex)
	s.wait(r)
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("OData-Version", odataVersion)
	w.Write(s.metadata) //nolint:errcheck // the client may be gone
}

// unknownEntitySet is the 404 for a collection the catalogue does not have, suggesting the
// name that differs only in case.
func (s *Server) unknownEntitySet(name string) *apiError {
	for _, t := range s.store.list {
		if strings.EqualFold(t.e.Collection, name) {
			return notFound("No entity set named '%s' exists; entity set names are case "+
				"sensitive: did you mean '%s'?", name, t.e.Collection)
		}
	}
	return notFound("No entity set named '%s' exists; GET /data/ lists them.", name)
}

// methodNotAllowed is the 405 answer, with the methods allowed.
func methodNotAllowed(w http.ResponseWriter, r *http.Request, allowed string) answer {
	w.Header().Set("Allow", allowed)
	return errorAnswer(&apiError{status: http.StatusMethodNotAllowed,
		message: "The method " + r.Method + " is not allowed here; allowed: " + allowed + "."})
}

// finish logs ex with the answer's status, waits for the latency, and sends the answer.
func (s *Server) finish(w http.ResponseWriter, r *http.Request, ex *exchange, ans answer) {
	s.settleAnswer(ex, ans)
	s.log(r, ex)
	s.wait(r)
	ans.write(w)
}

// log writes ex's line in a transaction of its own, or keeps it for the end of the
// changeset r belongs to, whose transaction holds the writer.
func (s *Server) log(r *http.Request, ex *exchange) {
	if cs := changesetOf(r); cs != nil {
		cs.exchanges = append(cs.exchanges, ex)
		return
	}
	ex.record(s.store) //nolint:errcheck // logging must not change the answer
}

// wait adds the latency model's delay to a request; parts of a $batch wait once, with
// their batch.
func (s *Server) wait(r *http.Request) {
	if inBatch(r) {
		return
	}
	s.delay.wait(r.Context(), s.closing, s.now())
}

// commit runs fn in the writer's transaction and logs ex in the same transaction, so that a
// 2xx answer means the record and its log line are committed. Inside a changeset, fn runs in
// the changeset's transaction and the log line waits for the changeset's end. Failures of
// the mock itself (fn's error) roll back and become a 500.
func (s *Server) commit(r *http.Request, ex *exchange,
	fn func(tx *sql.Tx) (answer, error)) answer {
	if cs := changesetOf(r); cs != nil {
		ans, err := fn(cs.tx)
		if err != nil {
			ans = s.mockFailed(ex, err)
		}
		cs.exchanges = append(cs.exchanges, ex)
		return ans
	}
	var ans answer
	err := s.store.write(func(tx *sql.Tx) error {
		var err error
		if ans, err = fn(tx); err != nil {
			return err
		}
		return ex.insert(tx, s.store)
	})
	if err != nil {
		ans = s.mockFailed(ex, err)
		ex.record(s.store) //nolint:errcheck // the answer already reports the failure
	}
	return ans
}

// mockFailed is the 500 answer to a failure of the mock itself, recorded on ex.
func (s *Server) mockFailed(ex *exchange, err error) answer {
	apiErr := internalError(err)
	ex.outcome, ex.recID = "", 0
	ex.fail(apiErr)
	return errorAnswer(apiErr)
}

// respond logs ex and sends the answer at once, for requests that already waited.
func (s *Server) respond(w http.ResponseWriter, ex *exchange, ans answer) {
	s.settleAnswer(ex, ans)
	ex.record(s.store) //nolint:errcheck // logging must not change the answer
	ans.write(w)
}

// settleAnswer records an answer's status on ex, and for errors their text as the reason.
func (s *Server) settleAnswer(ex *exchange, ans answer) {
	ex.settle(ans.status)
	if ans.reason != "" {
		ex.reason = ans.reason
	}
}

// asAPIError returns err as an *apiError, or as a 500 when it is a failure of the mock.
func asAPIError(err error) *apiError {
	var apiErr *apiError
	if errors.As(err, &apiErr) {
		return apiErr
	}
	return internalError(err)
}
