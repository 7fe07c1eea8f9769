package mockd365

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Parked requests: children that arrived before their parent, kept as received.
const (
	parkPutSQL = `INSERT INTO parked (time, collection, parent, parent_key, body,
		idempotency_key, state, reason) VALUES (?, ?, ?, ?, ?, ?, 'parked', '') RETURNING id`
	parkWaitingSQL = `SELECT id, body, idempotency_key FROM parked
		WHERE parent = ? AND parent_key = ? AND collection = ? AND state = 'parked'
		ORDER BY id`
	parkDoneSQL   = `UPDATE parked SET state = ?, reason = ? WHERE id = ?`
	idemUpdateSQL = `UPDATE idempotency SET status = ?, body = ? WHERE collection = ? AND key = ?`
	stateApplied  = "applied"
	stateFailed   = "failed"
	parkedStatus  = "parked"
)

// A parkedRequest is a parked create waiting for its parent.
type parkedRequest struct {
	id      int64
	body    []byte
	idemKey string
}

// park keeps the request until rec's parent is created, and answers 202 Accepted.
func (c *creation) park(rec *record) (answer, error) {
	l := &c.t.refs[c.t.e.Parent]
	vals := rec.values(l.fields)
	var id int64
	err := c.tx.Stmt(c.s.store.stmts.parkPut).QueryRow(c.ex.time.UTC().Format(time.RFC3339Nano),
		c.t.e.Collection, l.ref.Entity, parentKey(vals), c.raw, c.ex.idemKey).Scan(&id)
	if err != nil {
		return answer{}, fmt.Errorf("park: %w", err)
	}
	parent := l.ref.Entity + predicate(c.t, l.fields, l.ref.To, vals)
	body, err := json.Marshal(map[string]any{
		"status":     parkedStatus,
		"parkedId":   id,
		"waitingFor": parent,
		"message": fmt.Sprintf("The record was parked because its parent %s %s is not "+
			"stored yet; it is created when the parent arrives.", l.ref.Label, parent),
	})
	if err != nil {
		return answer{}, fmt.Errorf("park: %w", err)
	}
	c.ex.reason = fmt.Sprintf("parked as request %d, waiting for %s", id, parent)
	c.ex.outcome = outcomeValidated
	c.ex.settle(http.StatusAccepted)
	return answer{status: http.StatusAccepted, body: body}, nil
}

// releaseChildren creates, in arrival order, the children parked for rec, now stored.
func (c *creation) releaseChildren(rec *record) error {
	if c.s.design.Orphans != OrphansParked {
		return nil
	}
	for _, link := range c.t.children {
		waiting, err := c.waiting(link, rec)
		if err != nil {
			return fmt.Errorf("find parked %s: %w", link.child.e.Collection, err)
		}
		for _, p := range waiting {
			if err := c.apply(link.child, p); err != nil {
				return fmt.Errorf("apply parked request %d: %w", p.id, err)
			}
		}
	}
	return nil
}

// waiting returns the requests of link's child collection parked for rec.
func (c *creation) waiting(link childLink, rec *record) ([]parkedRequest, error) {
	rows, err := c.tx.Stmt(c.s.store.stmts.parkWaiting).Query(c.t.e.Collection,
		parentKey(rec.values(link.to)), link.child.e.Collection)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []parkedRequest
	for rows.Next() {
		var p parkedRequest
		if err := rows.Scan(&p.id, &p.body, &p.idemKey); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// apply creates a parked request of child as if it arrived now, logs it, and records its
// fate on the parked row and on its Idempotency-Key.
func (c *creation) apply(child *table, p parkedRequest) error {
	ex := &exchange{time: c.ex.time, method: http.MethodPost, path: "/data/" + child.e.Collection,
		entity: child.e.Collection, idemKey: p.idemKey}
	cc := &creation{s: c.s, tx: c.tx, t: child, ex: ex, base: c.base, raw: p.body}
	ans, err := cc.fromBody(c.s.decodeCreate(child, p.body, nil))
	if err != nil {
		return err
	}
	state, reason := stateApplied, ""
	if ans.status >= 400 {
		state, reason = stateFailed, ex.reason
	}
	if _, err := c.tx.Stmt(c.s.store.stmts.parkDone).Exec(state, reason, p.id); err != nil {
		return err
	}
	if p.idemKey != "" {
		_, err := c.tx.Exec(idemUpdateSQL, ans.status, ans.body, child.e.Collection, p.idemKey)
		if err != nil {
			return err
		}
	}
	ex.reason = strings.TrimSuffix(fmt.Sprintf("applied parked request %d: %s", p.id, reason),
		": ")
	return ex.insert(c.tx, c.s.store)
}

// parentKey returns the values a parked child waits for, in a form that matches the parent's
// values regardless of case and trailing spaces, as F&O's lookups do.
func parentKey(vals []any) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		parts[i] = strings.ToLower(strings.TrimRight(displayValue(v), " "))
	}
	b, _ := json.Marshal(parts) // strings only
	return string(b)
}
