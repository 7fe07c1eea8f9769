package mockd365

import (
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
)

// Updates and deletes address one record by its full key. F&O answers both with 204 No
// Content (reference §1.1); PATCH changes the properties sent, PUT replaces the record
// (properties left out return to their defaults). Every update gives the record a new
// RecVersion, so its @odata.etag changes. If-Match is honoured when sent: an etag that is
// not the record's current one is answered 412 with F&O's update-conflict Infolog text.

// conflictText is F&O's Infolog text for a record changed or deleted underneath the caller
// (reference §2.2, "Update conflict").
const conflictText = "Error: Cannot %s a record in %s (%s). An update conflict occurred due to " +
	"another user process deleting the record or changing one or more fields in the record."

// handleUpdate answers PATCH and PUT on /data/{Collection}(key).
func (s *Server) handleUpdate(w http.ResponseWriter, r *http.Request, t *table, ex *exchange,
	keyText string) {
	keys, err := s.addressRecord(t, ex, keyText)
	if err != nil {
		s.finish(w, r, ex, errorAnswer(asAPIError(err)))
		return
	}
	body, readErr := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	ans := s.commit(r, ex, func(tx *sql.Tx) (answer, error) {
		c := &creation{s: s, tx: tx, t: t, ex: ex, base: s.baseURL(r), raw: body}
		return c.update(r, keys, readErr)
	})
	s.wait(r)
	ans.write(w)
}

// handleDelete answers DELETE on /data/{Collection}(key).
func (s *Server) handleDelete(w http.ResponseWriter, r *http.Request, t *table, ex *exchange,
	keyText string) {
	keys, err := s.addressRecord(t, ex, keyText)
	if err != nil {
		s.finish(w, r, ex, errorAnswer(asAPIError(err)))
		return
	}
	ans := s.commit(r, ex, func(tx *sql.Tx) (answer, error) {
		c := &creation{s: s, tx: tx, t: t, ex: ex, base: s.baseURL(r)}
		return c.remove(r, keys)
	})
	s.wait(r)
	ans.write(w)
}

// addressRecord parses a key predicate and records it on ex.
func (s *Server) addressRecord(t *table, ex *exchange, keyText string) ([]any, error) {
	keys, err := parseKey(t, keyText)
	if err != nil {
		return nil, err
	}
	ex.recordKey = keyPredicate(t, t.keys, keys)
	if i := slices.Index(t.e.Keys, dataAreaID.Name); i >= 0 {
		ex.company = displayValue(keys[i])
	}
	return keys, nil
}

// stored returns the record of t with the key keys, or an answer when the request cannot
// go on: 404 when there is none, 412 or 428 when If-Match says no.
func (c *creation) stored(r *http.Request, keys []any, verb string) ([]any, *answer, error) {
	row, found, err := c.first(c.t.byKey, keys)
	if err != nil {
		return nil, nil, err
	}
	if !found {
		ans := c.reject(notFound("No record of %s has the key %s.", c.t.e.Collection,
			c.ex.recordKey))
		return nil, &ans, nil
	}
	recID, version, _ := splitRow(row)
	c.ex.recID = recID
	match, sent := r.Header.Get("If-Match"), r.Header["If-Match"] != nil
	switch {
	case !sent && c.s.design.RequireIfMatch:
		ans := c.reject(&apiError{status: http.StatusPreconditionRequired,
			message: "This design requires an If-Match header with the record's @odata.etag " +
				"on " + r.Method + "."})
		return nil, &ans, nil
	case sent && !etagMatches(match, etag(version, recID)):
		ans := c.reject(conflict(c.t.e, verb, http.StatusPreconditionFailed))
		c.ex.reason += fmt.Sprintf(" (If-Match %s, current %s)", match, etag(version, recID))
		return nil, &ans, nil
	}
	return row, nil, nil
}

// update runs F&O's update pipeline: read the record for update, apply the properties
// sent, validateField, validateWrite, write with a new RecVersion.
func (c *creation) update(r *http.Request, keys []any, readErr error) (answer, error) {
	row, stop, err := c.stored(r, keys, "edit")
	if stop != nil || err != nil {
		return deref(stop), err
	}
	if readErr != nil {
		return c.reject(badPayload("The request body could not be read: %v.", readErr)), nil
	}
	recID, version, vals := splitRow(row)
	rec, apiErr := c.applyChanges(vals, r.Method == http.MethodPut)
	if apiErr != nil {
		return c.reject(apiErr), nil
	}
	c.ex.company = rec.company(c.t)
	entries := c.checkLengths(rec)
	found, err := c.lookupReferences(rec)
	if err != nil {
		return answer{}, err
	}
	entries = append(entries, c.referenceEntries(rec, found)...)
	if c.parentMissing(found) && c.s.design.Orphans == OrphansParked {
		entries = append(entries, missingReferenceEntry(c.t, c.t.refs[c.t.e.Parent].ref, rec))
	}
	entries = append(entries, c.requiredEntries(rec)...)
	if len(entries) > 0 {
		return c.reject(writeFailed(c.t.e, frameUpdate, entries)), nil
	}
	next := version + 1
	args := append([]any{next}, rec.vals...)
	if _, err := c.tx.Stmt(c.t.update).Exec(append(args, recID)...); err != nil {
		return answer{}, err
	}
	c.ex.outcome = outcomeCommitted
	c.ex.external = externalText(c.t, rec.vals)
	c.ex.reason = fmt.Sprintf("updated %d properties; RecVersion %d -> %d", countTrue(rec.given),
		version, next)
	c.ex.settle(http.StatusNoContent)
	ans := answer{status: http.StatusNoContent, etag: etag(next, recID)}
	if wantsRepresentation(r) {
		ctx := c.base + "/data/$metadata#" + c.t.e.Collection + "/$entity"
		ans.status, ans.preferenceApplied = http.StatusOK, "return=representation"
		ans.body = appendEntity(nil, c.t, ctx, recID, next, rec.vals, nil)
		c.ex.settle(http.StatusOK)
	}
	return ans, nil
}

// applyChanges returns the stored values with the body's properties applied: for PATCH the
// others stay as stored, for PUT they return to their defaults. Key properties may be sent
// only with their current values.
func (c *creation) applyChanges(stored []any, put bool) (*record, *apiError) {
	obj, err := parseObject(c.raw)
	if err != nil {
		return nil, asAPIError(err)
	}
	if err := checkProperties(obj, c.t, c.s.design); err != nil {
		return nil, asAPIError(err)
	}
	rec := newRecord(c.t)
	copy(rec.vals, stored)
	for i := range c.t.e.Fields {
		f := &c.t.e.Fields[i]
		raw, ok := obj[f.Name]
		if !ok {
			if put && !slices.Contains(c.t.keys, i) {
				rec.vals[i] = defaultValue(f)
			}
			continue
		}
		v, err := convertValue(f, raw, c.s.design.StrictTypes)
		if err != nil {
			return nil, asAPIError(err)
		}
		if slices.Contains(c.t.keys, i) && !sameValue(v, stored[i]) {
			return nil, badRequest("The key property '%s' cannot be changed from '%s' to "+
				"'%s'; create a new record instead.", f.Name, displayValue(stored[i]),
				displayValue(v))
		}
		rec.vals[i], rec.given[i] = v, true
	}
	return rec, nil
}

// remove deletes the record with the key keys.
func (c *creation) remove(r *http.Request, keys []any) (answer, error) {
	row, stop, err := c.stored(r, keys, "delete")
	if stop != nil || err != nil {
		return deref(stop), err
	}
	recID, version, vals := splitRow(row)
	if _, err := c.tx.Stmt(c.t.remove).Exec(recID); err != nil {
		return answer{}, err
	}
	c.ex.outcome = outcomeCommitted
	c.ex.external = externalText(c.t, vals)
	c.ex.reason = fmt.Sprintf("deleted (RecVersion %d)", version)
	c.ex.settle(http.StatusNoContent)
	return answer{status: http.StatusNoContent}, nil
}

// conflict is F&O's update-conflict error of an edit or a delete (verb), with the given
// status.
func conflict(e *Entity, verb string, status int) *apiError {
	frame := map[string]string{"edit": frameUpdate, "delete": frameDelete}[verb]
	text := fmt.Sprintf(conflictText, verb, e.TableLabel, e.TableName)
	err := writeFailed(e, frame, []string{text})
	err.status = status
	return err
}

// etagMatches reports whether an If-Match header value names the current etag: "*", or a
// list of etags one of which is it (the W/ prefix is not compared).
func etagMatches(header, current string) bool {
	want := strings.TrimPrefix(current, "W/")
	for _, tag := range strings.Split(header, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" || strings.TrimPrefix(tag, "W/") == want {
			return true
		}
	}
	return false
}

// sameValue compares two stored values, text without regard to case or trailing spaces as
// F&O's collation compares.
func sameValue(a, b any) bool {
	as, aok := a.(string)
	bs, bok := b.(string)
	if aok && bok {
		return strings.EqualFold(strings.TrimRight(as, " "), strings.TrimRight(bs, " "))
	}
	return displayValue(a) == displayValue(b)
}

// wantsRepresentation reports whether the client asked for the record back.
func wantsRepresentation(r *http.Request) bool {
	for _, v := range r.Header.Values("Prefer") {
		if strings.Contains(v, "return=representation") {
			return true
		}
	}
	return false
}

func countTrue(bs []bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

func deref(a *answer) answer {
	if a == nil {
		return answer{}
	}
	return *a
}
