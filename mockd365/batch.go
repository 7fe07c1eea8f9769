package mockd365

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
)

// $batch follows the OData 4.0 multipart format that F&O serves (reference §5): a
// multipart/mixed body whose parts are single requests (application/http) or changesets
// (a nested multipart/mixed). Requests outside changesets are independent. A changeset is
// atomic: its requests run one after another in one transaction of the single writer, and
// the first failure rolls every one of them back. F&O then answers the whole changeset with
// one error part instead of one part per request; the outer answer stays 200.
const (
	// maxBatchOperations is F&O's limit of operations in one $batch.
	maxBatchOperations = 5000
	// maxBatchBody bounds the $batch body the mock reads.
	maxBatchBody = 64 << 20
)

// errChangesetFailed rolls back a changeset one of whose requests failed.
var errChangesetFailed = errors.New("a request of the changeset failed")

// A changeset is the state of a changeset while its requests run: the transaction they
// share, and the log lines that wait for its end.
type changeset struct {
	tx        *sql.Tx
	exchanges []*exchange
}

type ctxKey int

const (
	changesetKey ctxKey = iota // *changeset: the request runs inside a changeset
	batchPartKey               // bool: the request is a part of a $batch
)

// changesetOf returns the changeset r runs in, or nil.
func changesetOf(r *http.Request) *changeset {
	cs, _ := r.Context().Value(changesetKey).(*changeset)
	return cs
}

// inBatch reports whether r is a part of a $batch.
func inBatch(r *http.Request) bool {
	ok, _ := r.Context().Value(batchPartKey).(bool)
	return ok
}

// A batchPart is one request of a $batch as received.
type batchPart struct {
	contentID string
	method    string
	target    string // path and query under the host, starting with /data/
	header    http.Header
	body      []byte
}

// A batchItem is a request outside any changeset, or a changeset of requests.
type batchItem struct {
	single    *batchPart
	changeset []*batchPart
}

// A partAnswer is the answer to one request of a $batch, as a response recorder kept it.
type partAnswer struct {
	contentID string
	status    int
	header    http.Header
	body      []byte
}

// handleBatch answers POST /data/$batch.
func (s *Server) handleBatch(w http.ResponseWriter, r *http.Request, ex *exchange) {
	items, ops, err := readBatch(r, w)
	if err != nil {
		s.finish(w, r, ex, errorAnswer(asAPIError(err)))
		return
	}
	if ops > maxBatchOperations {
		s.finish(w, r, ex, errorAnswer(badRequest("The $batch request holds %d operations; "+
			"at most %d are allowed in one batch.", ops, maxBatchOperations)))
		return
	}
	boundary := "batchresponse_" + newUUID()
	var out bytes.Buffer
	failedSets, failedParts := 0, 0
	for _, it := range items {
		if it.single != nil {
			pa := s.runPart(r, it.single, nil)
			if pa.status >= 400 {
				failedParts++
			}
			writePart(&out, boundary, pa)
			continue
		}
		answers, failed := s.runChangeset(r, it.changeset)
		if failed {
			failedSets++
		}
		writeChangeset(&out, boundary, answers)
	}
	fmt.Fprintf(&out, "--%s--\r\n", boundary)

	ex.settle(http.StatusOK)
	ex.reason = fmt.Sprintf("%d operations in %d parts; %d changesets rolled back, %d "+
		"requests outside changesets failed", ops, len(items), failedSets, failedParts)
	s.log(r, ex)
	s.wait(r)
	h := w.Header()
	h.Set("Content-Type", "multipart/mixed; boundary="+boundary)
	h.Set("OData-Version", odataVersion)
	w.WriteHeader(http.StatusOK)
	w.Write(out.Bytes()) //nolint:errcheck // the client may be gone
}

// runChangeset runs the requests of a changeset in one transaction. When one fails, the
// transaction is rolled back and the answer is a single part: the failed request's error,
// with the Content-ID of the changeset's first request, as F&O answers (reference §5). A
// 400 there becomes the design's BatchErrorStatus.
func (s *Server) runChangeset(r *http.Request, parts []*batchPart) ([]partAnswer, bool) {
	cs := &changeset{}
	var answers []partAnswer
	var failed *partAnswer
	err := s.store.write(func(tx *sql.Tx) error {
		cs.tx = tx
		for _, p := range parts {
			pa := s.runPart(r, p, cs)
			answers = append(answers, pa)
			if pa.status >= 400 {
				failed = &answers[len(answers)-1]
				return errChangesetFailed
			}
		}
		for _, ex := range cs.exchanges {
			if err := ex.insert(tx, s.store); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		return answers, false
	}
	if failed == nil { // the mock failed while committing
		apiErr := internalError(err)
		failed = &partAnswer{status: apiErr.status, body: apiErr.body(),
			header: http.Header{"Content-Type": {contentTypeJSON}}}
	}
	one := *failed
	one.contentID = parts[0].contentID
	if one.status == http.StatusBadRequest {
		one.status = s.design.batchErrorStatus()
	}
	s.logRolledBack(cs.exchanges, one.status, failed.contentID)
	return []partAnswer{one}, true
}

// logRolledBack writes the log lines of a changeset that was rolled back: every request
// failed with the changeset's status, those that had succeeded saying why they are gone.
func (s *Server) logRolledBack(exchanges []*exchange, status int, culprit string) {
	for _, ex := range exchanges {
		if ex.status < 400 {
			ex.reason = strings.TrimSuffix(fmt.Sprintf("rolled back with its changeset: "+
				"request Content-ID %s failed (was %d: %s", culprit, ex.status, ex.reason),
				": ") + ")"
		}
		ex.status, ex.outcome, ex.recID = status, outcomeFailed, 0
	}
	s.store.write(func(tx *sql.Tx) error { //nolint:errcheck // logging only
		for _, ex := range exchanges {
			if err := ex.insert(tx, s.store); err != nil {
				return err
			}
		}
		return nil
	})
}

// runPart serves one request of a batch, inside the changeset cs when it is not nil.
func (s *Server) runPart(outer *http.Request, p *batchPart, cs *changeset) partAnswer {
	ctx := context.WithValue(outer.Context(), batchPartKey, true)
	if cs != nil {
		ctx = context.WithValue(ctx, changesetKey, cs)
	}
	req, err := http.NewRequestWithContext(ctx, p.method, p.target, bytes.NewReader(p.body))
	if err != nil {
		apiErr := badRequest("The request '%s %s' of the batch is not valid: %v.", p.method,
			p.target, err)
		return partAnswer{contentID: p.contentID, status: apiErr.status, body: apiErr.body(),
			header: http.Header{"Content-Type": {contentTypeJSON}}}
	}
	req.Header = p.header
	req.Host = outer.Host
	req.RemoteAddr = outer.RemoteAddr
	for _, h := range []string{"X-Vegeta-Seq", "x-ms-dyn-externalidentifier", "X-Correlation-ID"} {
		if req.Header.Get(h) == "" && outer.Header.Get(h) != "" {
			req.Header.Set(h, outer.Header.Get(h))
		}
	}
	rec := newPartRecorder()
	ex := newExchange(req, s.now())
	ex.client = clientOf(outer)
	s.dispatch(rec, req, ex)
	return partAnswer{contentID: p.contentID, status: rec.status, header: rec.header,
		body: rec.body.Bytes()}
}

// readBatch reads a multipart $batch body into its items, and counts the operations.
func readBatch(r *http.Request, w http.ResponseWriter) ([]batchItem, int, error) {
	boundary, err := multipartBoundary(r.Header.Get("Content-Type"))
	if err != nil {
		return nil, 0, err
	}
	mr := multipart.NewReader(http.MaxBytesReader(w, r.Body, maxBatchBody), boundary)
	var items []batchItem
	ops := 0
	for {
		part, err := mr.NextRawPart()
		if err == io.EOF { //nolint:errorlint // only the bare EOF is the closing delimiter
			break
		}
		if err != nil {
			return nil, 0, multipartError("The $batch body", boundary, len(items), err)
		}
		it, err := readItem(part)
		if err != nil {
			return nil, 0, err
		}
		items = append(items, it)
		ops += max(len(it.changeset), 1)
	}
	return items, ops, nil
}

// multipartError is the 400 for a multipart body (what) that stops being valid after read
// parts. The reader wraps io.EOF when the body ends before a delimiter it needs: the first
// one when no part was read (the body is not multipart at all), else the closing one.
func multipartError(what, boundary string, read int, err error) error {
	switch {
	case errors.Is(err, io.EOF) && read == 0:
		return badRequest("%s is not multipart/mixed: no line '--%s' starts a part, although "+
			"the Content-Type names the boundary '%s'.", what, boundary, boundary)
	case errors.Is(err, io.EOF):
		return badRequest("%s ends without its closing delimiter '--%s--'.", what, boundary)
	}
	return badRequest("%s is not valid multipart/mixed: %v.", what, err)
}

// multipartBoundary returns the boundary of a multipart/mixed content type.
func multipartBoundary(contentType string) (string, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	switch {
	case err == nil && mt == "multipart/mixed" && params["boundary"] != "":
		return params["boundary"], nil
	case strings.HasPrefix(contentType, "application/json"):
		return "", badRequest("JSON $batch requests (OData 4.01) are not supported; send " +
			"multipart/mixed, as F&O requires.")
	}
	return "", badRequest("A $batch request needs Content-Type multipart/mixed with a "+
		"boundary; got '%s'.", contentType)
}

// readItem reads one part of the batch: a changeset or a single request.
func readItem(part *multipart.Part) (batchItem, error) {
	ct := part.Header.Get("Content-Type")
	if strings.HasPrefix(strings.ToLower(ct), "multipart/mixed") {
		boundary, err := multipartBoundary(ct)
		if err != nil {
			return batchItem{}, err
		}
		mr := multipart.NewReader(part, boundary)
		var it batchItem
		for {
			p, err := mr.NextRawPart()
			if err == io.EOF { //nolint:errorlint // only the bare EOF is the closing delimiter
				break
			}
			if err != nil {
				return batchItem{}, multipartError("A changeset of the $batch", boundary,
					len(it.changeset), err)
			}
			bp, err := readRequestPart(p, boundary)
			if err != nil {
				return batchItem{}, err
			}
			it.changeset = append(it.changeset, bp)
		}
		if len(it.changeset) == 0 {
			return batchItem{}, badRequest("A changeset of the $batch holds no request.")
		}
		return it, nil
	}
	bp, err := readRequestPart(part, "")
	return batchItem{single: bp}, err
}

// readRequestPart reads an application/http part: a request line, headers and a body. The
// boundary is that of the changeset the part is in, "" outside changesets.
func readRequestPart(part *multipart.Part, boundary string) (*batchPart, error) {
	if ct := part.Header.Get("Content-Type"); !strings.HasPrefix(strings.ToLower(ct),
		"application/http") {
		return nil, badRequest("A part of the $batch has Content-Type '%s'; requests are "+
			"application/http parts.", ct)
	}
	br := bufio.NewReader(part)
	tp := textproto.NewReader(br)
	line, err := tp.ReadLine()
	for err == nil && strings.TrimSpace(line) == "" {
		line, err = tp.ReadLine()
	}
	if err != nil {
		return nil, badRequest("A part of the $batch has no request line.")
	}
	// METHOD URL HTTP/1.1; some clients leave spaces in the URL's query unescaped.
	line = strings.TrimSpace(line)
	method, rest, ok := strings.Cut(line, " ")
	if i := strings.LastIndex(rest, " HTTP/"); i >= 0 {
		rest = rest[:i]
	}
	rest = strings.ReplaceAll(strings.TrimSpace(rest), " ", "%20")
	if !ok || rest == "" {
		return nil, badRequest("The request line '%s' of the $batch is not 'METHOD URL "+
			"HTTP/1.1'.", line)
	}
	target, err := batchTarget(rest)
	if err != nil {
		return nil, err
	}
	mh, err := tp.ReadMIMEHeader()
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, badRequest("The headers of the request '%s' of the $batch are not "+
			"valid: %v.", line, err)
	}
	body, err := io.ReadAll(br)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		where := map[bool]string{true: "The $batch body", false: "A changeset of the $batch"}
		return nil, badRequest("%s ends inside the request '%s', without the delimiter line "+
			"that ends the request.", where[boundary == ""], line)
	}
	if err != nil {
		return nil, badRequest("The body of the request '%s' of the $batch cannot be read: "+
			"%v.", line, err)
	}
	return &batchPart{
		contentID: part.Header.Get("Content-ID"),
		method:    strings.ToUpper(method),
		target:    target,
		header:    http.Header(mh),
		body:      bytes.TrimRight(body, "\r\n"),
	}, nil
}

// batchTarget turns the URL of a request in a batch into a path under the host: an
// absolute URL, an absolute path (/data/...) or a path relative to the service root, where
// $batch and $metadata name resources. Content-ID references ($1/...) are refused: F&O
// documents none.
func batchTarget(raw string) (string, error) {
	resource, _, _ := strings.Cut(raw, "?")
	if strings.HasPrefix(raw, "$") && resource != "$batch" && resource != "$metadata" {
		return "", badRequest("The batch URL '%s' refers to another request by Content-ID; "+
			"mockd365 does not resolve Content-ID references (F&O documents none): name "+
			"the record by its key.", raw)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", badRequest("The batch URL '%s' is not valid: %v.", raw, err)
	}
	path := u.EscapedPath()
	if !u.IsAbs() && !strings.HasPrefix(path, "/") {
		path = "/data/" + path
	}
	if path != "/data" && !strings.HasPrefix(path, "/data/") {
		return "", notFound("The batch URL '%s' is not under the service root /data.", raw)
	}
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	return path, nil
}

// writeChangeset writes the answers of a changeset as a nested multipart part.
func writeChangeset(out *bytes.Buffer, boundary string, answers []partAnswer) {
	inner := "changesetresponse_" + newUUID()
	fmt.Fprintf(out, "--%s\r\nContent-Type: multipart/mixed; boundary=%s\r\n\r\n", boundary,
		inner)
	for _, pa := range answers {
		writePart(out, inner, pa)
	}
	fmt.Fprintf(out, "--%s--\r\n", inner)
}

// writePart writes one answer as an application/http part.
func writePart(out *bytes.Buffer, boundary string, pa partAnswer) {
	fmt.Fprintf(out, "--%s\r\nContent-Type: application/http\r\n"+
		"Content-Transfer-Encoding: binary\r\n", boundary)
	if pa.contentID != "" {
		fmt.Fprintf(out, "Content-ID: %s\r\n", pa.contentID)
	}
	fmt.Fprintf(out, "\r\nHTTP/1.1 %d %s\r\n", pa.status, http.StatusText(pa.status))
	for _, name := range []string{"Content-Type", "OData-Version", "ETag", "Location",
		"Preference-Applied", "Idempotent-Replayed", "Retry-After"} {
		if v := pa.header.Get(name); v != "" {
			fmt.Fprintf(out, "%s: %s\r\n", name, v)
		}
	}
	out.WriteString("\r\n")
	out.Write(pa.body)
	out.WriteString("\r\n")
}

// A partRecorder is the http.ResponseWriter a request of a batch writes to.
type partRecorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newPartRecorder() *partRecorder {
	return &partRecorder{header: http.Header{}}
}

func (p *partRecorder) Header() http.Header { return p.header }

func (p *partRecorder) WriteHeader(status int) {
	if p.status == 0 {
		p.status = status
	}
}

func (p *partRecorder) Write(b []byte) (int, error) {
	if p.status == 0 {
		p.status = http.StatusOK
	}
	return p.body.Write(b)
}

// newUUID returns a random version 4 UUID.
func newUUID() string {
	var b [16]byte
	rand.Read(b[:]) //nolint:errcheck // crypto/rand.Read never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
