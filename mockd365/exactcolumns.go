package mockd365

import (
	"database/sql"
	"fmt"
	"strconv"
	"strings"
)

// exactDecimalColumns turns the Decimal columns that a file kept from an earlier mock
// declares REAL (binary floating point) into exact text columns with the decimal collation,
// converting every value. The table's indexes are dropped first, as SQLite cannot drop an
// indexed column; migrate creates them again.
func exactDecimalColumns(tx *sql.Tx, t *table) error {
	inexact, err := realColumns(tx, t)
	if err != nil || len(inexact) == 0 {
		return err
	}
	if err := dropIndexes(tx, t); err != nil {
		return err
	}
	for _, name := range inexact {
		if err := exactColumn(tx, t, name); err != nil {
			return fmt.Errorf("make %s.%s exact: %w", t.e.Collection, name, err)
		}
	}
	return nil
}

// realColumns returns the Decimal fields of t whose column is declared REAL.
func realColumns(tx *sql.Tx, t *table) ([]string, error) {
	rows, err := tx.Query("SELECT name, type FROM pragma_table_info(?)", t.e.Collection)
	if err != nil {
		return nil, fmt.Errorf("read columns of %s: %w", t.e.Collection, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			return nil, fmt.Errorf("read columns of %s: %w", t.e.Collection, err)
		}
		i, ok := t.index[name]
		if ok && t.e.Fields[i].Kind == Decimal && strings.EqualFold(typ, "REAL") {
			out = append(out, name)
		}
	}
	return out, rows.Err()
}

// dropIndexes drops every index of t's table.
func dropIndexes(tx *sql.Tx, t *table) error {
	rows, err := tx.Query(`SELECT name FROM sqlite_schema
		WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`, t.e.Collection)
	if err != nil {
		return fmt.Errorf("read indexes of %s: %w", t.e.Collection, err)
	}
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return err
		}
		names = append(names, name)
	}
	rows.Close()
	for _, name := range names {
		if _, err := tx.Exec("DROP INDEX " + quote(name)); err != nil {
			return fmt.Errorf("drop index %s: %w", name, err)
		}
	}
	return rows.Err()
}

// exactColumn replaces the REAL column name of t by an exact one holding the same values.
func exactColumn(tx *sql.Tx, t *table, name string) error {
	tmp := quote("_exact_" + name)
	f := &t.e.Fields[t.index[name]]
	if _, err := tx.Exec(fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s %s", t.name, tmp,
		columnType(f))); err != nil {
		return err
	}
	converted, err := exactValues(tx, t, name)
	if err != nil {
		return err
	}
	update := fmt.Sprintf("UPDATE %s SET %s = ? WHERE %s = ?", t.name, tmp, colRecID)
	for recID, v := range converted {
		if _, err := tx.Exec(update, v, recID); err != nil {
			return err
		}
	}
	for _, stmt := range []string{
		fmt.Sprintf("ALTER TABLE %s DROP COLUMN %s", t.name, quote(name)),
		fmt.Sprintf("ALTER TABLE %s RENAME COLUMN %s TO %s", t.name, tmp, quote(name)),
	} {
		if _, err := tx.Exec(stmt); err != nil {
			return err
		}
	}
	return nil
}

// exactValues reads the values of column name of t as stored text, by RecId: numbers
// rounded as F&O stores them, text (stored as sent by the naive design) unchanged.
func exactValues(tx *sql.Tx, t *table, name string) (map[int64]string, error) {
	rows, err := tx.Query(fmt.Sprintf("SELECT %s, %s FROM %s WHERE %s IS NOT NULL", colRecID,
		quote(name), t.name, quote(name)))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var recID int64
		var v any
		if err := rows.Scan(&recID, &v); err != nil {
			return nil, err
		}
		out[recID] = exactText(v)
	}
	return out, rows.Err()
}

// exactText returns a value read from a REAL column as the text of a Decimal field.
func exactText(v any) string {
	var s string
	switch x := v.(type) {
	case float64:
		s = strconv.FormatFloat(x, 'f', -1, 64)
	case int64:
		s = strconv.FormatInt(x, 10)
	default:
		return displayValue(v)
	}
	if d, err := storedDecimal(s); err == nil {
		return d
	}
	return s
}
