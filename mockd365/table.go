package mockd365

import (
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// A table is the storage of one catalogue entity: where its fields sit in a row, and the
// statements the create path runs on the writer connection, prepared once.
type table struct {
	e        *Entity
	name     string         // quoted table name
	index    map[string]int // field position by name
	keys     []int          // positions of the key fields
	ext      []int          // positions of the company and external reference fields
	selects  string         // select list: _RecId, _RecVersion, then every field
	refs     []refLookup    // one per entry of e.References
	children []childLink    // references whose parent is this table
	navs     map[string]*navLink

	insert  *sql.Stmt // writer: insert a row with the _RecId given
	update  *sql.Stmt // writer: set _RecVersion and every field of the row with a _RecId
	remove  *sql.Stmt // writer: delete the row with a _RecId
	byKey   *sql.Stmt // writer: the first row with a key
	byExt   *sql.Stmt // writer: the first row with an external reference; nil if none
	readKey *sql.Stmt // reader: the first row with a key
}

// A refLookup finds the record a reference names, with the fields it fills in.
type refLookup struct {
	ref    *Reference
	fields []int     // positions in the referring table of ref.Fields
	fill   [][2]int  // (position in the referring table, column of the lookup's result)
	stmt   *sql.Stmt // writer: _RecId, then the fill sources, of the first match
}

// A childLink is a reference from child to its parent table, followed when a parent arrives
// to release parked children.
type childLink struct {
	child *table
	ref   *Reference
	to    []int // positions in the parent table of ref.To
}

// newTable checks e and returns its table, without statements.
func newTable(e *Entity) (*table, error) {
	t := &table{e: e, name: quote(e.Collection), index: make(map[string]int, len(e.Fields))}
	cols := []string{colRecID, colVersion}
	for i, f := range e.Fields {
		if _, dup := t.index[f.Name]; dup {
			return nil, fmt.Errorf("entity %s: field %s defined twice", e.Collection, f.Name)
		}
		t.index[f.Name] = i
		cols = append(cols, quote(f.Name))
	}
	t.selects = strings.Join(cols, ", ")
	var err error
	if t.keys, err = t.positions(e.Keys); err != nil {
		return nil, err
	}
	if t.ext, err = t.positions(t.externalColumns()); err != nil {
		return nil, err
	}
	return t, t.check()
}

// check reports catalogue mistakes that newTable does not catch.
func (t *table) check() error {
	e := t.e
	var errs []error
	if len(e.Keys) == 0 {
		errs = append(errs, fmt.Errorf("entity %s: no key", e.Collection))
	}
	if e.Parent < -1 || e.Parent >= len(e.References) {
		errs = append(errs, fmt.Errorf("entity %s: parent %d is not a reference", e.Collection,
			e.Parent))
	}
	if s := e.Sequence; s != nil {
		if _, ok := t.index[s.Field]; !ok {
			errs = append(errs, fmt.Errorf("entity %s: sequence field %s is not a field",
				e.Collection, s.Field))
		}
	}
	for i := range e.References {
		if _, err := t.positions(e.References[i].Fields); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// positions returns where the named fields sit in t's rows.
func (t *table) positions(names []string) ([]int, error) {
	pos := make([]int, len(names))
	for i, n := range names {
		p, ok := t.index[n]
		if !ok {
			return nil, fmt.Errorf("entity %s: no field %s", t.e.Collection, n)
		}
		pos[i] = p
	}
	return pos, nil
}

// externalColumns returns the fields that identify a document on the sender's side, with the
// company first when the entity has one; nil when the entity has no external reference.
func (t *table) externalColumns() []string {
	if len(t.e.ExternalReference) == 0 {
		return nil
	}
	if _, ok := t.index[dataAreaID.Name]; ok {
		return append([]string{dataAreaID.Name}, t.e.ExternalReference...)
	}
	return slices.Clone(t.e.ExternalReference)
}

// whereEqual returns an SQL condition that each named column of t equals a parameter, as
// F&O's database compares: text without regard to case or trailing spaces.
func (t *table) whereEqual(names []string) string {
	conds := make([]string, len(names))
	for i, n := range names {
		conds[i] = t.compared(n) + " = " + t.parameter(n)
	}
	return strings.Join(conds, " AND ")
}

// firstWhere returns a query for the row that was stored first among those matching names.
func (t *table) firstWhere(names []string) string {
	return fmt.Sprintf("SELECT %s FROM %s WHERE %s ORDER BY %s LIMIT 1",
		t.selects, t.name, t.whereEqual(names), colRecID)
}

// insertSQL returns the insert statement: the _RecId, _Created, then every field.
func (t *table) insertSQL() string {
	names := make([]string, len(t.e.Fields))
	for i, f := range t.e.Fields {
		names[i] = quote(f.Name)
	}
	params := strings.Repeat(", ?", len(names)+1) // _Created and the fields
	return fmt.Sprintf("INSERT INTO %s (%s, %s, %s, %s) VALUES (?, 1%s)",
		t.name, colRecID, colVersion, colCreated, strings.Join(names, ", "), params)
}

// updateSQL returns the update statement: the new _RecVersion, every field, then the _RecId.
func (t *table) updateSQL() string {
	sets := []string{colVersion + " = ?"}
	for _, f := range t.e.Fields {
		sets = append(sets, quote(f.Name)+" = ?")
	}
	return fmt.Sprintf("UPDATE %s SET %s WHERE %s = ?", t.name, strings.Join(sets, ", "),
		colRecID)
}

// prepare prepares t's statements: the writes and lookups on w, the key read on r.
func (t *table) prepare(w, r *sql.DB, tables map[string]*table) error {
	var err error
	if t.insert, err = w.Prepare(t.insertSQL()); err != nil {
		return fmt.Errorf("prepare insert into %s: %w", t.e.Collection, err)
	}
	if t.update, err = w.Prepare(t.updateSQL()); err != nil {
		return fmt.Errorf("prepare update of %s: %w", t.e.Collection, err)
	}
	del := fmt.Sprintf("DELETE FROM %s WHERE %s = ?", t.name, colRecID)
	if t.remove, err = w.Prepare(del); err != nil {
		return fmt.Errorf("prepare delete from %s: %w", t.e.Collection, err)
	}
	if t.byKey, err = w.Prepare(t.firstWhere(t.e.Keys)); err != nil {
		return fmt.Errorf("prepare key lookup in %s: %w", t.e.Collection, err)
	}
	if t.readKey, err = r.Prepare(t.firstWhere(t.e.Keys)); err != nil {
		return fmt.Errorf("prepare key read in %s: %w", t.e.Collection, err)
	}
	if ext := t.externalColumns(); ext != nil {
		if t.byExt, err = w.Prepare(t.firstWhere(ext)); err != nil {
			return fmt.Errorf("prepare external reference lookup in %s: %w", t.e.Collection, err)
		}
	}
	return t.prepareRefs(w, tables)
}

// prepareRefs prepares one lookup per reference of t.
func (t *table) prepareRefs(w *sql.DB, tables map[string]*table) error {
	t.refs = make([]refLookup, len(t.e.References))
	for i := range t.e.References {
		ref := &t.e.References[i]
		target, ok := tables[ref.Entity]
		if !ok {
			return fmt.Errorf("entity %s: reference to unknown entity %s", t.e.Collection,
				ref.Entity)
		}
		l, err := newRefLookup(t, target, ref)
		if err != nil {
			return err
		}
		if l.stmt, err = w.Prepare(refSQL(target, ref)); err != nil {
			return fmt.Errorf("prepare reference %s -> %s: %w", t.e.Collection, ref.Entity, err)
		}
		t.refs[i] = l
	}
	return nil
}

// newRefLookup maps ref's fields between t and target, without a statement.
func newRefLookup(t, target *table, ref *Reference) (refLookup, error) {
	l := refLookup{ref: ref}
	var err error
	if l.fields, err = t.positions(ref.Fields); err != nil {
		return l, err
	}
	if _, err = target.positions(ref.To); err != nil {
		return l, err
	}
	if len(ref.Fields) != len(ref.To) {
		return l, fmt.Errorf("entity %s: reference to %s maps %d fields to %d", t.e.Collection,
			ref.Entity, len(ref.Fields), len(ref.To))
	}
	for _, name := range sortedKeys(ref.Fill) {
		this, ok := t.index[name]
		if _, there := target.index[ref.Fill[name]]; !ok || !there {
			return l, fmt.Errorf("entity %s: reference to %s fills %s from %s", t.e.Collection,
				ref.Entity, name, ref.Fill[name])
		}
		l.fill = append(l.fill, [2]int{this, len(l.fill) + 1})
	}
	return l, nil
}

// refSQL returns the lookup of ref in target: _RecId and the fill sources, in the order of
// their destination names.
func refSQL(target *table, ref *Reference) string {
	cols := []string{colRecID}
	for _, name := range sortedKeys(ref.Fill) {
		cols = append(cols, quote(ref.Fill[name]))
	}
	return fmt.Sprintf("SELECT %s FROM %s WHERE %s ORDER BY %s LIMIT 1",
		strings.Join(cols, ", "), target.name, target.whereEqual(ref.To), colRecID)
}

// sortedKeys returns the keys of m in order, so that statements and their scans agree.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// closeStmts closes every statement of t.
func (t *table) closeStmts() {
	for _, s := range []*sql.Stmt{t.insert, t.update, t.remove, t.byKey, t.byExt, t.readKey} {
		if s != nil {
			s.Close()
		}
	}
	for _, l := range t.refs {
		if l.stmt != nil {
			l.stmt.Close()
		}
	}
	for _, n := range t.navs {
		if n.stmt != nil {
			n.stmt.Close()
		}
	}
}
