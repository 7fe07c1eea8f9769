package mockd365

import (
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
)

// Number sequences live in number_sequence, one counter per collection and legal entity.
const (
	seqNextSQL = `UPDATE number_sequence SET next = next + 1
		WHERE collection = ? AND company = ? RETURNING next - 1`
	seqInsertSQL = `INSERT INTO number_sequence (collection, company, next) VALUES (?, ?, ?)`
)

// maxSkips bounds how many numbers a create skips because clients took them by hand.
const maxSkips = 10000

// assignNumber gives rec the next number of its legal entity's sequence when the client left
// the sequence field empty. A number a client already used by hand is skipped.
func (c *creation) assignNumber(rec *record) error {
	seq := c.t.e.Sequence
	if seq == nil {
		return nil
	}
	i := c.t.index[seq.Field]
	if f := &c.t.e.Fields[i]; !isEmpty(f, rec.vals[i]) {
		return nil
	}
	for range maxSkips {
		n, err := c.nextNumber(rec.company(c.t))
		if err != nil {
			return fmt.Errorf("number sequence of %s: %w", c.t.e.Collection, err)
		}
		rec.vals[i] = formatNumber(&c.t.e.Fields[i], seq, n)
		if !slices.Contains(c.t.keys, i) {
			return nil
		}
		taken, err := c.keyTaken(rec)
		if err != nil || !taken {
			return err
		}
	}
	return fmt.Errorf("number sequence of %s: %d numbers in a row are taken", c.t.e.Collection,
		maxSkips)
}

// nextNumber takes the next number of company's sequence, starting it if needed.
func (c *creation) nextNumber(company string) (int64, error) {
	var n int64
	err := c.tx.Stmt(c.s.store.stmts.seqNext).QueryRow(c.t.e.Collection, company).Scan(&n)
	if !errors.Is(err, sql.ErrNoRows) {
		return n, err
	}
	n = c.t.e.Sequence.Start
	_, err = c.tx.Stmt(c.s.store.stmts.seqInsert).Exec(c.t.e.Collection, company, n+1)
	return n, err
}

// formatNumber returns number n of seq as a value of f: a number for numeric fields, else
// text in seq.Format.
func formatNumber(f *Field, seq *NumberSequence, n int64) any {
	switch f.Kind {
	case Int32, Int64:
		return n
	case Decimal:
		return float64(n)
	}
	if seq.Format == "" {
		return strconv.FormatInt(n, 10)
	}
	return fmt.Sprintf(seq.Format, n)
}

// keyTaken reports whether a stored record has rec's key.
func (c *creation) keyTaken(rec *record) (bool, error) {
	_, found, err := c.first(c.t.byKey, rec.values(c.t.keys))
	return found, err
}
