package mockd365

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// checkDuplicate applies the design's duplicate rule to rec. done is true when the answer is
// final: a 400 for a key that exists, or the stored record for a first-writer-wins design.
func (c *creation) checkDuplicate(rec *record) (ans answer, done bool, err error) {
	if c.s.design.Duplicates == DuplicatesStored {
		return answer{}, false, nil
	}
	row, found, err := c.first(c.t.byKey, rec.values(c.t.keys))
	if err != nil {
		return answer{}, false, err
	}
	if found && c.s.design.Duplicates == DuplicatesRejected {
		return c.reject(writeFailed(c.t.e, frameCreate, []string{duplicateEntry(c.t, rec)})), true, nil
	}
	if found {
		return c.existing(row, "key"), true, nil
	}
	if c.s.design.Duplicates != DuplicatesReturnFirst || c.t.byExt == nil ||
		!rec.filled(c.t, c.t.ext) {
		return answer{}, false, nil
	}
	row, found, err = c.first(c.t.byExt, rec.values(c.t.ext))
	if err != nil || !found {
		return answer{}, false, err
	}
	return c.existing(row, "external reference "+strings.Join(c.t.e.ExternalReference, "+")),
		true, nil
}

// existing is the 200 answer that returns a stored record instead of creating another.
func (c *creation) existing(row []any, matched string) answer {
	recID, version, vals := splitRow(row)
	c.ex.recID = recID
	c.ex.recordKey = keyPredicate(c.t, c.t.keys, pick(vals, c.t.keys))
	c.ex.external = externalText(c.t, vals)
	c.ex.reason = fmt.Sprintf("returned the record stored first (RecId %d) with the same %s",
		recID, matched)
	c.ex.settle(http.StatusOK)
	ctx := c.base + "/data/$metadata#" + c.t.e.Collection + "/$entity"
	return answer{
		status:   http.StatusOK,
		body:     appendEntity(nil, c.t, ctx, recID, version, vals, nil),
		etag:     etag(version, recID),
		location: entityURL(c.base, c.t, c.ex.recordKey),
	}
}

// first returns the first stored row a lookup statement of t finds, as splitRow reads it.
func (c *creation) first(stmt *sql.Stmt, args []any) ([]any, bool, error) {
	row := make([]any, internalCols+len(c.t.e.Fields))
	ptrs := make([]any, len(row))
	for i := range row {
		ptrs[i] = &row[i]
	}
	err := c.tx.Stmt(stmt).QueryRow(args...).Scan(ptrs...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	return row, err == nil, err
}

// splitRow splits a row read with t.selects into its RecId, RecVersion and field values.
func splitRow(row []any) (recID, version int64, vals []any) {
	recID, _ = row[0].(int64)
	version, _ = row[1].(int64)
	return recID, version, row[internalCols:]
}

// pick returns the values at pos.
func pick(vals []any, pos []int) []any {
	out := make([]any, len(pos))
	for i, p := range pos {
		out[i] = vals[p]
	}
	return out
}

// filled reports whether every field at pos other than the company is filled in.
func (r *record) filled(t *table, pos []int) bool {
	for _, p := range pos {
		f := &t.e.Fields[p]
		if f.Name != dataAreaID.Name && isEmpty(f, r.vals[p]) {
			return false
		}
	}
	return true
}

// externalText returns the external reference values of a record for the log, joined by
// "|", or "" when the entity has none.
func externalText(t *table, vals []any) string {
	var parts []string
	for _, p := range t.ext {
		if t.e.Fields[p].Name != dataAreaID.Name {
			parts = append(parts, displayValue(vals[p]))
		}
	}
	return strings.Join(parts, "|")
}

// entityURL returns the address of a record: the collection followed by its key predicate,
// readable as OData writes it (quotes, parentheses and commas are not escaped).
func entityURL(base string, t *table, key string) string {
	const keep = "-._~()',=:@$&+*!/"
	var b strings.Builder
	b.WriteString(base)
	for _, c := range []byte("/data/" + t.e.Collection + key) {
		if isLetter(c) || isDigit(c) || strings.IndexByte(keep, c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}
