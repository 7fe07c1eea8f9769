package mockd365

import (
	"strconv"
	"strings"
)

// A record is one row of an entity on its way in: its values in catalogue field order and
// which of them the client supplied. Values are stored values (see values.go).
type record struct {
	vals  []any
	given []bool
	recID int64 // set once stored
}

// newRecord returns an empty record for t.
func newRecord(t *table) *record {
	return &record{vals: make([]any, len(t.e.Fields)), given: make([]bool, len(t.e.Fields))}
}

// company returns the record's legal entity, or "" for a shared entity.
func (r *record) company(t *table) string {
	if i, ok := t.index[dataAreaID.Name]; ok {
		s, _ := r.vals[i].(string)
		return s
	}
	return ""
}

// values returns the values at the given positions.
func (r *record) values(pos []int) []any {
	out := make([]any, len(pos))
	for i, p := range pos {
		out[i] = r.vals[p]
	}
	return out
}

// allEmpty reports whether every field at pos other than the company is empty, as a
// reference the client did not fill in.
func (r *record) allEmpty(t *table, pos []int) bool {
	for _, p := range pos {
		f := &t.e.Fields[p]
		if f.Name != dataAreaID.Name && !isEmpty(f, r.vals[p]) {
			return false
		}
	}
	return true
}

// keyPredicate returns the OData key of the values at pos of t, as a URL addresses it:
// (dataAreaId='usmf',PurchaseOrderNumber='00000001').
func keyPredicate(t *table, pos []int, vals []any) string {
	return predicate(t, pos, nil, vals)
}

// predicate returns (name=literal,...) for the fields at pos of t and their values, named
// names when not nil (the fields of a referenced entity).
func predicate(t *table, pos []int, names []string, vals []any) string {
	var b strings.Builder
	b.WriteByte('(')
	for i, p := range pos {
		if i > 0 {
			b.WriteByte(',')
		}
		f := &t.e.Fields[p]
		if names != nil {
			b.WriteString(names[i])
		} else {
			b.WriteString(f.Name)
		}
		b.WriteByte('=')
		b.WriteString(literal(f, vals[i]))
	}
	b.WriteByte(')')
	return b.String()
}

// literal returns v, a value of f, as an OData URL literal: numbers bare, text quoted with
// ” escaping.
func literal(f *Field, v any) string {
	switch x := v.(type) {
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		if f.Kind == Decimal && isDecimalText(x) {
			return x
		}
		return "'" + strings.ReplaceAll(x, "'", "''") + "'"
	}
	return "'" + displayValue(v) + "'"
}
