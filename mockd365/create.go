package mockd365

import (
	"database/sql"
	"errors"
	"io"
	"net/http"
	"slices"
	"time"
	"unicode/utf8"
)

// A creation is one create of a record of t, running inside the writer's transaction tx.
// Validation failures become answers; only failures of the mock itself are errors, and they
// roll the transaction back.
type creation struct {
	s    *Server
	tx   *sql.Tx
	t    *table
	ex   *exchange
	base string // service root URL, for @odata.context and Location
	raw  []byte // the request body, kept for parking
}

// handleCreate answers POST /data/{Collection}. The record, the log line and any idempotency
// answer commit together; the latency is added after the commit, so a client that times out
// meanwhile leaves a committed record behind, as with F&O. The body is decoded before the
// transaction, which the writer runs one at a time, since decoding needs no database.
func (s *Server) handleCreate(w http.ResponseWriter, r *http.Request, t *table, ex *exchange) {
	body, readErr := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	d := s.decodeCreate(t, body, readErr)
	ans := s.commit(r, ex, func(tx *sql.Tx) (answer, error) {
		c := &creation{s: s, tx: tx, t: t, ex: ex, base: s.baseURL(r), raw: body}
		return c.run(d)
	})
	s.wait(r)
	ans.write(w)
}

// A decoded is a create's body as read: its record, or the answer that refuses it, or a
// failure of the mock.
type decoded struct {
	rec     *record
	refusal *apiError
	err     error
}

// decodeCreate reads the body of a create of t.
func (s *Server) decodeCreate(t *table, body []byte, readErr error) decoded {
	if readErr != nil {
		return decoded{refusal: badPayload("The request body could not be read: %v.", readErr)}
	}
	rec, err := decodeRecord(body, t, s.design, s.opts.DefaultCompany)
	var apiErr *apiError
	if errors.As(err, &apiErr) {
		return decoded{refusal: apiErr}
	}
	return decoded{rec: rec, err: err}
}

// run answers the create: a replay of an earlier answer, or the outcome of the body.
func (c *creation) run(d decoded) (answer, error) {
	if ans, ok, err := c.replay(); ok || err != nil {
		return ans, err
	}
	ans, err := c.fromBody(d)
	if err != nil {
		return answer{}, err
	}
	return ans, c.remember(ans)
}

// fromBody creates the record of a decoded body, or refuses it.
func (c *creation) fromBody(d decoded) (answer, error) {
	switch {
	case d.err != nil:
		return answer{}, d.err
	case d.refusal != nil:
		return c.reject(d.refusal), nil
	}
	return c.create(d.rec)
}

// create runs F&O's write pipeline on rec: validateField (lengths, references), defaults and
// number sequences, validateWrite (required fields), the duplicate check, the insert, and
// the release of children parked for it. A child is parked only when its missing parent is
// all that stops it, so that a 202 is not given to a record that would fail anyway.
func (c *creation) create(rec *record) (answer, error) {
	c.ex.company = rec.company(c.t)
	entries := c.checkLengths(rec)
	found, err := c.lookupReferences(rec)
	if err != nil {
		return answer{}, err
	}
	if entries = append(entries, c.referenceEntries(rec, found)...); len(entries) > 0 {
		return c.reject(writeFailed(c.t.e, frameCreate, entries)), nil
	}
	if c.parentMissing(found) && c.s.design.Orphans == OrphansParked {
		if entries := c.requiredEntries(c.withDefaults(rec)); len(entries) > 0 {
			return c.reject(writeFailed(c.t.e, frameCreate, entries)), nil
		}
		return c.park(rec)
	}
	c.applyDefaults(rec)
	if err := c.assignNumber(rec); err != nil {
		return answer{}, err
	}
	if entries := c.requiredEntries(rec); len(entries) > 0 {
		return c.reject(writeFailed(c.t.e, frameCreate, entries)), nil
	}
	if ans, done, err := c.checkDuplicate(rec); done || err != nil {
		return ans, err
	}
	if err := c.insert(rec); err != nil {
		return answer{}, err
	}
	if err := c.releaseChildren(rec); err != nil {
		return answer{}, err
	}
	return c.created(rec), nil
}

// checkLengths truncates overlong strings or reports them, as the design says.
func (c *creation) checkLengths(rec *record) []string {
	var entries []string
	for i := range c.t.e.Fields {
		f := &c.t.e.Fields[i]
		s, ok := rec.vals[i].(string)
		limit := c.s.design.textLimit(f)
		if f.Kind != String || limit == 0 || !ok {
			continue
		}
		if n := utf8.RuneCountInString(s); n > limit {
			if c.s.design.TruncateOverlong {
				rec.vals[i] = truncateRunes(s, limit)
				continue
			}
			narrowed := *f
			narrowed.Length = limit
			entries = append(entries, overlongEntry(c.t.e, &narrowed, n))
		}
	}
	return entries
}

// applyDefaults sets every field the client left out to its default.
func (c *creation) applyDefaults(rec *record) {
	for i := range c.t.e.Fields {
		if rec.vals[i] == nil {
			rec.vals[i] = defaultValue(&c.t.e.Fields[i])
		}
	}
}

// withDefaults returns a copy of rec with its defaults applied.
func (c *creation) withDefaults(rec *record) *record {
	cp := &record{vals: slices.Clone(rec.vals), given: rec.given}
	c.applyDefaults(cp)
	return cp
}

// requiredEntries reports the required fields left empty, when the design requires them.
func (c *creation) requiredEntries(rec *record) []string {
	if !c.s.design.RequireFields {
		return nil
	}
	var entries []string
	for i := range c.t.e.Fields {
		f := &c.t.e.Fields[i]
		if f.Required && isEmpty(f, rec.vals[i]) {
			entries = append(entries, requiredEntry(f))
		}
	}
	return entries
}

// insert stores rec under a new RecId and records it in the log line.
func (c *creation) insert(rec *record) error {
	var err error
	if rec.recID, err = c.nextRecID(); err != nil {
		return err
	}
	args := make([]any, 0, len(rec.vals)+2)
	args = append(args, rec.recID, c.ex.time.UTC().Format(time.RFC3339Nano))
	args = append(args, rec.vals...)
	if _, err := c.tx.Stmt(c.t.insert).Exec(args...); err != nil {
		return err
	}
	c.ex.outcome = outcomeCommitted
	c.ex.recID = rec.recID
	c.ex.recordKey = keyPredicate(c.t, c.t.keys, rec.values(c.t.keys))
	c.ex.external = externalText(c.t, rec.vals)
	return nil
}

// created is the 201 answer for a stored record: the record as stored, with its etag.
func (c *creation) created(rec *record) answer {
	ctx := c.base + "/data/$metadata#" + c.t.e.Collection + "/$entity"
	body := appendEntity(nil, c.t, ctx, rec.recID, 1, rec.vals, nil)
	c.ex.settle(http.StatusCreated)
	return answer{
		status:   http.StatusCreated,
		body:     body,
		etag:     etag(1, rec.recID),
		location: entityURL(c.base, c.t, c.ex.recordKey),
	}
}

// reject is the answer to a refused create.
func (c *creation) reject(e *apiError) answer {
	c.ex.fail(e)
	return errorAnswer(e)
}
