package mockd365

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// $expand follows a navigation property one level deep, as F&O allows (reference §1.1).
// Navigation properties come from the catalogue's parent references: a line has a
// single-valued one to its header (Reference.Navigation) and the header a collection of
// its lines (Reference.Partner).

// A navLink is one navigation property of a table.
type navLink struct {
	name   string
	target *table
	many   bool     // collection-valued
	from   []int    // positions in this table of the values that select target rows
	to     []string // the target's columns they must equal
	ref    *Reference
	stmt   *sql.Stmt // reader: the target rows, in arrival order
}

// linkNavigation gives every table its navigation properties, from the parent references
// that name them.
func (st *store) linkNavigation() error {
	for _, t := range st.list {
		t.navs = map[string]*navLink{}
	}
	for _, child := range st.list {
		for i := range child.e.References {
			ref := &child.e.References[i]
			if ref.Navigation == "" && ref.Partner == "" {
				continue
			}
			parent := st.tables[ref.Entity]
			from, err := child.positions(ref.Fields)
			if err != nil {
				return err
			}
			to, err := parent.positions(ref.To)
			if err != nil {
				return err
			}
			if ref.Navigation != "" {
				child.navs[ref.Navigation] = &navLink{name: ref.Navigation, target: parent,
					from: from, to: ref.To, ref: ref}
			}
			if ref.Partner != "" {
				parent.navs[ref.Partner] = &navLink{name: ref.Partner, target: child,
					many: true, from: to, to: ref.Fields, ref: ref}
			}
		}
	}
	return nil
}

// prepareNavigation prepares the reads of every navigation property on r.
func (st *store) prepareNavigation(r *sql.DB) error {
	for _, t := range st.list {
		for _, n := range t.navs {
			q := fmt.Sprintf("SELECT %s FROM %s WHERE %s ORDER BY %s", n.target.selects,
				n.target.name, n.target.whereEqual(n.to), colRecID)
			if !n.many {
				q += " LIMIT 1"
			}
			var err error
			if n.stmt, err = r.Prepare(q); err != nil {
				return fmt.Errorf("prepare navigation %s.%s: %w", t.e.Collection, n.name, err)
			}
		}
	}
	return nil
}

// parseExpand reads $expand: navigation property names separated by commas. Options
// inside parentheses and expansions of expansions are refused: F&O expands one level.
func parseExpand(t *table, src string) ([]*navLink, error) {
	if strings.TrimSpace(src) == "" {
		return nil, nil
	}
	var out []*navLink
	for _, item := range strings.Split(src, ",") {
		name := strings.TrimSpace(item)
		if strings.ContainsAny(name, "(/") {
			return nil, fmt.Errorf("$expand: '%s' expands more than one level or has "+
				"options; F&O expands one level, without options", name)
		}
		if name == "*" {
			for _, n := range sortedNavs(t) {
				out = append(out, n)
			}
			continue
		}
		n, ok := t.navs[name]
		if !ok {
			return nil, fmt.Errorf("$expand: type '%s.%s' has no navigation property named "+
				"'%s' (it has: %s)", namespace, t.e.Type, name, navNames(t))
		}
		out = append(out, n)
	}
	return out, nil
}

// sortedNavs returns t's navigation properties in name order.
func sortedNavs(t *table) []*navLink {
	names := make([]string, 0, len(t.navs))
	for name := range t.navs {
		names = append(names, name)
	}
	slices.Sort(names)
	out := make([]*navLink, len(names))
	for i, name := range names {
		out[i] = t.navs[name]
	}
	return out
}

// navNames lists t's navigation properties for messages.
func navNames(t *table) string {
	var names []string
	for _, n := range sortedNavs(t) {
		names = append(names, n.name)
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// appendExpanded appends the expansions of a record to its JSON object b, which ends
// with '}'.
func appendExpanded(ctx context.Context, b []byte, vals []any, expand []*navLink) ([]byte,
	error) {
	if len(expand) == 0 {
		return b, nil
	}
	b = b[:len(b)-1]
	for _, n := range expand {
		args := make([]any, len(n.from))
		for i, p := range n.from {
			args[i] = vals[p]
		}
		rows, err := n.stmt.QueryContext(ctx, args...)
		if err != nil {
			return nil, fmt.Errorf("expand %s: %w", n.name, err)
		}
		b = append(b, ',')
		b = appendString(b, n.name)
		b = append(b, ':')
		if n.many {
			b = append(b, '[')
		}
		b, err = appendNavRows(b, n, rows)
		if err != nil {
			return nil, err
		}
		if n.many {
			b = append(b, ']')
		}
	}
	return append(b, '}'), nil
}

// appendNavRows appends the rows of a navigation read; a single-valued one with no row is
// null.
func appendNavRows(b []byte, n *navLink, rows *sql.Rows) ([]byte, error) {
	defer rows.Close()
	row := make([]any, internalCols+len(n.target.e.Fields))
	ptrs := make([]any, len(row))
	for i := range row {
		ptrs[i] = &row[i]
	}
	count := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		if count > 0 {
			b = append(b, ',')
		}
		recID, version, vals := splitRow(row)
		b = appendEntity(b, n.target, "", recID, version, vals, nil)
		count++
	}
	if count == 0 && !n.many {
		b = append(b, "null"...)
	}
	return b, rows.Err()
}
