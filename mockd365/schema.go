package mockd365

import (
	"fmt"
	"strings"
)

// Internal columns of every entity table. _RecId orders rows by arrival and keys paging;
// it starts where F&O's RecIds start.
const (
	colRecID     = `"_RecId"`
	colVersion   = `"_RecVersion"`
	colCreated   = `"_Created"`
	firstRecID   = 5637144576
	internalCols = 2 // _RecId and _RecVersion lead every row the mock reads
)

// The tables beside the entities.
const schemaSupport = `
CREATE TABLE IF NOT EXISTS integration_log (
	id                 INTEGER PRIMARY KEY,
	time               TEXT NOT NULL,
	method             TEXT NOT NULL,
	path               TEXT NOT NULL,
	query              TEXT NOT NULL,
	entity             TEXT NOT NULL,
	company            TEXT NOT NULL,
	status             INTEGER NOT NULL,
	outcome            TEXT NOT NULL, -- received, committed or failed
	reason             TEXT NOT NULL,
	idempotency_key    TEXT NOT NULL,
	record_key         TEXT NOT NULL, -- the OData key predicate of the record written
	rec_id             INTEGER,
	external_reference TEXT NOT NULL,
	correlation_id     TEXT NOT NULL, -- x-ms-dyn-externalidentifier or X-Correlation-ID
	attempt            TEXT NOT NULL, -- X-Vegeta-Seq
	client_id          TEXT NOT NULL DEFAULT '' -- appid of the bearer token
);
CREATE TABLE IF NOT EXISTS number_sequence (
	collection TEXT NOT NULL,
	company    TEXT NOT NULL COLLATE NOCASE,
	next       INTEGER NOT NULL,
	PRIMARY KEY (collection, company)
);
CREATE TABLE IF NOT EXISTS idempotency (
	collection TEXT NOT NULL,
	key        TEXT NOT NULL,
	status     INTEGER NOT NULL,
	body       BLOB NOT NULL,
	time       TEXT NOT NULL,
	PRIMARY KEY (collection, key)
);
CREATE TABLE IF NOT EXISTS parked (
	id              INTEGER PRIMARY KEY,
	time            TEXT NOT NULL,
	collection      TEXT NOT NULL,
	parent          TEXT NOT NULL, -- collection of the missing parent
	parent_key      TEXT NOT NULL, -- its reference values, see parentKey
	body            BLOB NOT NULL, -- the request body as received
	idempotency_key TEXT NOT NULL,
	state           TEXT NOT NULL, -- parked, applied or failed
	reason          TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS parked_waiting ON parked (parent, parent_key) WHERE state = 'parked';
CREATE TABLE IF NOT EXISTS rec_id (
	collection TEXT PRIMARY KEY,
	last       INTEGER NOT NULL -- the highest RecId given out; none is given out twice
);
`

// quote returns name as an SQL identifier. Names come from the catalogue, never from
// requests.
func quote(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// columnType returns the SQLite declaration of f. Text compares without regard to case, as
// F&O's SQL Server collation does (textKey adds trailing spaces); decimals are exact text
// compared as numbers; dates are text that sorts in time order.
func columnType(f *Field) string {
	switch f.Kind {
	case Int32, Int64:
		return "INTEGER"
	case Decimal:
		return "TEXT COLLATE " + decimalCollation
	case DateTimeOffset, Enum:
		return "TEXT"
	}
	return "TEXT COLLATE NOCASE"
}

// createTable returns the DDL of e's table. Columns carry no NOT NULL or UNIQUE constraint:
// the designs decide what is stored, and the single writer enforces uniqueness.
func createTable(e *Entity) string {
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE TABLE IF NOT EXISTS %s (\n\t%s INTEGER PRIMARY KEY,\n",
		quote(e.Collection), colRecID)
	fmt.Fprintf(&b, "\t%s INTEGER NOT NULL,\n\t%s TEXT NOT NULL", colVersion, colCreated)
	for i := range e.Fields {
		f := &e.Fields[i]
		fmt.Fprintf(&b, ",\n\t%s %s", quote(f.Name), columnType(f))
	}
	b.WriteString("\n)")
	return b.String()
}

// textKey returns the expression a text column is compared by, as SQL Server compares under
// F&O's collation: without regard to trailing spaces (rtrim) or case (NOCASE).
func textKey(col string) string {
	return "rtrim(" + col + ") COLLATE NOCASE"
}

// compared returns the expression field name of t is compared and ordered by.
func (t *table) compared(name string) string {
	if t.e.Fields[t.index[name]].Kind == String {
		return textKey(quote(name))
	}
	return quote(name)
}

// parameter returns the parameter a comparison with field name of t binds: text loses its
// trailing spaces, as in the column's expression.
func (t *table) parameter(name string) string {
	if t.e.Fields[t.index[name]].Kind == String {
		return "rtrim(?)"
	}
	return "?"
}

// createIndexes returns the DDL of the indexes of t: its key, its external reference, and
// every field list other entities look it up by. Text columns are indexed by textKey, so
// that the lookups of whereEqual use the indexes. The indexes of plain columns that earlier
// files have (named _by_) are dropped.
func createIndexes(t *table, lookups [][]string) []string {
	lists := append([][]string{t.e.Keys}, lookups...)
	if len(t.e.ExternalReference) > 0 {
		lists = append(lists, t.externalColumns())
	}
	seen := map[string]bool{}
	var ddl []string
	for _, cols := range lists {
		suffix := strings.Join(cols, "_")
		if seen[suffix] {
			continue
		}
		seen[suffix] = true
		exprs := make([]string, len(cols))
		for i, c := range cols {
			exprs[i] = t.compared(c)
		}
		ddl = append(ddl, "DROP INDEX IF EXISTS "+quote(t.e.Collection+"_by_"+suffix),
			fmt.Sprintf("CREATE INDEX IF NOT EXISTS %s ON %s (%s)",
				quote(t.e.Collection+"_on_"+suffix), t.name, strings.Join(exprs, ", ")))
	}
	return ddl
}
