package mockd365

import (
	"net/http"
)

// Response headers of every /data answer.
const (
	contentTypeJSON = "application/json; odata.metadata=minimal; charset=utf-8"
	odataVersion    = "4.0"
)

// An answer is a complete response, kept whole so that a replay can send it again.
type answer struct {
	status   int
	body     []byte
	etag     string
	location string
	replayed bool
	reason   string // for the log: the text of an error answer

	preferenceApplied string      // Preference-Applied header
	extra             http.Header // further headers: Retry-After, WWW-Authenticate
}

// errorAnswer returns e as an answer.
func errorAnswer(e *apiError) answer {
	return answer{status: e.status, body: e.body(), reason: e.Error()}
}

// write sends a to w. An answer without a body (204, 401) carries no Content-Type: there is
// no content to describe.
func (a answer) write(w http.ResponseWriter) {
	h := w.Header()
	h.Set("OData-Version", odataVersion)
	if len(a.body) > 0 {
		h.Set("Content-Type", contentTypeJSON)
	}
	if a.etag != "" {
		h.Set("ETag", a.etag)
	}
	if a.location != "" {
		h.Set("Location", a.location)
	}
	if a.replayed {
		h.Set("Idempotent-Replayed", "true")
	}
	if a.preferenceApplied != "" {
		h.Set("Preference-Applied", a.preferenceApplied)
	}
	for name, vals := range a.extra {
		h[name] = vals
	}
	w.WriteHeader(a.status)
	w.Write(a.body) //nolint:errcheck // the client may be gone; nothing to do about it
}

// setODataHeaders sets the headers F&O puts on every JSON answer.
func setODataHeaders(h http.Header) {
	h.Set("Content-Type", contentTypeJSON)
	h.Set("OData-Version", odataVersion)
}
