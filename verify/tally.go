package verify

import (
	"context"
	"database/sql"
	"fmt"
)

// storedQuery totals what the target holds per entity and legal entity. It reads the
// state table in storage order: through the key index every row would be a random read.
const storedQuery = `
SELECT entity, company, COUNT(*), TOTAL(quantity), TOTAL(amount)
FROM state NOT INDEXED GROUP BY entity, company`

// A tally accumulates the verdicts of a run per entity and legal entity. It is not safe
// for concurrent use.
type tally struct {
	total    Counts
	counts   map[entityKey]*EntityCounts
	balances map[entityKey]*Reconciliation
	stored   map[entityKey]int // records read back
	matched  map[entityKey]int // of which under the key of an expected record
	examples map[string]Example
}

type entityKey struct{ entity, company string }

func newTally() *tally {
	return &tally{
		counts:   map[entityKey]*EntityCounts{},
		balances: map[entityKey]*Reconciliation{},
		stored:   map[entityKey]int{},
		matched:  map[entityKey]int{},
		examples: map[string]Example{},
	}
}

func (t *tally) add(v verdict) {
	t.total.add(v)
	t.entity(v.entity, v.company).add(v)
	t.balance(v.entity, v.company).add(v)
	t.matched[entityKey{v.entity, v.company}] += v.found
	for _, kind := range v.kinds() {
		// Batches arrive out of order from the judges: keep the lowest message id.
		if e, seen := t.examples[kind]; !seen || v.message < e.Message {
			t.examples[kind] = Example{Kind: kind, Message: v.message, Entity: v.entity,
				Company: v.company, Cause: v.cause}
		}
	}
}

func (t *tally) entity(entity, company string) *EntityCounts {
	k := entityKey{entity, company}
	if t.counts[k] == nil {
		t.counts[k] = &EntityCounts{Entity: entity, Company: company}
	}
	return t.counts[k]
}

func (t *tally) balance(entity, company string) *Reconciliation {
	k := entityKey{entity, company}
	if t.balances[k] == nil {
		t.balances[k] = &Reconciliation{Entity: entity, Company: company}
	}
	return t.balances[k]
}

// readStored totals the state read back per entity and legal entity.
func (t *tally) readStored(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, storedQuery)
	if err != nil {
		return fmt.Errorf("total the state read back: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k entityKey
		var n int
		var qty, amount float64
		if err := rows.Scan(&k.entity, &k.company, &n, &qty, &amount); err != nil {
			return fmt.Errorf("total the state read back: %w", err)
		}
		t.stored[k] = n
		b := t.balance(k.entity, k.company)
		b.Quantity.Stored, b.Amount.Stored = qty, amount
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("total the state read back: %w", err)
	}
	return nil
}

// unexpected counts the records read back that no message created: those beyond the
// ones found under the keys of expected records, which are unique.
func (t *tally) unexpected() {
	for k, n := range t.stored {
		if extra := n - t.matched[k]; extra > 0 {
			t.total.Unexpected += extra
			t.entity(k.entity, k.company).Unexpected += extra
		}
	}
}

// result returns the counts and the reconciliation, in entity order; entities that carry
// neither a quantity nor an amount have no reconciliation row.
func (t *tally) result() *Result {
	t.unexpected()
	res := &Result{Counts: t.total, Entities: []EntityCounts{}, Reconciliation: []Reconciliation{},
		Examples: []Example{}}
	for _, kind := range ExampleKinds {
		if e, ok := t.examples[kind]; ok {
			res.Examples = append(res.Examples, e)
		}
	}
	for _, c := range t.counts {
		res.Entities = append(res.Entities, *c)
	}
	for _, b := range t.balances {
		b.Quantity.finish()
		b.Amount.finish()
		if !b.Quantity.isZero() || !b.Amount.isZero() {
			res.Reconciliation = append(res.Reconciliation, *b)
		}
	}
	sortedByEntity(res.Entities, func(c EntityCounts) (string, string) {
		return c.Entity, c.Company
	})
	sortedByEntity(res.Reconciliation, func(r Reconciliation) (string, string) {
		return r.Entity, r.Company
	})
	return res
}
