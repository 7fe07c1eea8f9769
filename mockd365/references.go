package mockd365

import (
	"database/sql"
	"errors"
)

// lookupReferences looks up the record each reference of rec names, in the writer's
// transaction, and fills empty fields from it as the reference's Fill says. found[i] is
// false when reference i names no stored record; a reference left empty counts as found.
// When several records match, the one stored first is used.
func (c *creation) lookupReferences(rec *record) ([]bool, error) {
	found := make([]bool, len(c.t.refs))
	for i := range c.t.refs {
		l := &c.t.refs[i]
		if rec.allEmpty(c.t, l.fields) {
			found[i] = true
			continue
		}
		row := make([]any, 1+len(l.fill))
		ptrs := make([]any, len(row))
		for j := range row {
			ptrs[j] = &row[j]
		}
		err := c.tx.Stmt(l.stmt).QueryRow(rec.values(l.fields)...).Scan(ptrs...)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, err
		}
		found[i] = true
		c.fill(rec, l, row)
	}
	return found, nil
}

// fill copies the looked-up values into the fields of rec that are still empty.
func (c *creation) fill(rec *record, l *refLookup, row []any) {
	for _, pair := range l.fill {
		dst, src := pair[0], pair[1]
		if isEmpty(&c.t.e.Fields[dst], rec.vals[dst]) {
			rec.vals[dst] = row[src]
		}
	}
}

// parentMissing reports whether rec's parent document is not stored.
func (c *creation) parentMissing(found []bool) bool {
	return c.t.e.Parent >= 0 && !found[c.t.e.Parent]
}

// referenceEntries returns the Infolog entries of the missing references the design
// rejects: the parent's when orphans are rejected, the others when references are checked.
func (c *creation) referenceEntries(rec *record, found []bool) []string {
	var entries []string
	for i := range c.t.refs {
		if found[i] {
			continue
		}
		isParent := i == c.t.e.Parent
		if isParent && c.s.design.Orphans != OrphansRejected {
			continue
		}
		if !isParent && !c.s.design.CheckReferences {
			continue
		}
		entries = append(entries, missingReferenceEntry(c.t, c.t.refs[i].ref, rec))
	}
	return entries
}
