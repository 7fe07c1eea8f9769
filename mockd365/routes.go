package mockd365

import (
	"errors"
	"net/http"
	"strings"
)

// routes returns the handler of every endpoint.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/data", s.serveData)
	mux.HandleFunc("/data/", s.serveData)
	mux.HandleFunc("GET /admin/health", s.handleHealth)
	mux.HandleFunc("POST /admin/reset", s.handleReset)
	mux.HandleFunc("GET /admin/counts", s.handleCounts)
	return mux
}

// serveData dispatches a request under the /data service root.
func (s *Server) serveData(w http.ResponseWriter, r *http.Request) {
	ex := newExchange(r, s.now())
	rest := strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, "/data"), "/")
	switch {
	case rest == "" && r.Method == http.MethodGet:
		s.finish(w, r, ex, answer{status: http.StatusOK,
			body: serviceDocument(s.baseURL(r), Catalogue)})
	case rest == "$metadata" && r.Method == http.MethodGet:
		s.serveMetadata(w, r, ex)
	case rest == "$batch":
		// TODO(mockd365): multipart $batch with atomic changesets (design.md §6).
		s.finish(w, r, ex, errorAnswer(notImplemented("mockd365 does not serve $batch yet; "+
			"send one request per record.")))
	case rest == "" || rest == "$metadata":
		s.finish(w, r, ex, methodNotAllowed(w, r, "GET"))
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
	case hasKey && (r.Method == http.MethodPatch || r.Method == http.MethodPut ||
		r.Method == http.MethodDelete):
		// TODO(mockd365): updates and deletes (PATCH/PUT/DELETE answer 204 in F&O).
		s.finish(w, r, ex, errorAnswer(notImplemented("mockd365 does not implement %s on "+
			"records yet.", r.Method)))
	case hasKey:
		s.finish(w, r, ex, methodNotAllowed(w, r, "GET, PATCH, PUT, DELETE"))
	default:
		s.finish(w, r, ex, methodNotAllowed(w, r, "GET, POST"))
	}
}

// serveMetadata answers GET /data/$metadata with the CSDL document.
func (s *Server) serveMetadata(w http.ResponseWriter, r *http.Request, ex *exchange) {
	ex.settle(http.StatusOK)
	ex.record(s.store) //nolint:errcheck // logging must not change the answer
	s.delay.wait(r.Context(), s.closing)
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
	ex.record(s.store) //nolint:errcheck // logging must not change the answer
	s.delay.wait(r.Context(), s.closing)
	ans.write(w)
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
