package mockd365

import (
	"database/sql"
	"errors"
	"time"
)

// Answers to requests that carried an Idempotency-Key, by collection and key.
const (
	idemGetSQL = `SELECT status, body FROM idempotency WHERE collection = ? AND key = ?`
	idemPutSQL = `INSERT INTO idempotency (collection, key, status, body, time)
		VALUES (?, ?, ?, ?, ?)`
)

// replay returns the first answer given to the request's Idempotency-Key on this collection,
// when the design honours keys. The lookup runs in the writer's transaction, so two requests
// with the same key cannot both write.
func (c *creation) replay() (answer, bool, error) {
	if !c.s.design.IdempotencyKeys || c.ex.idemKey == "" {
		return answer{}, false, nil
	}
	ans := answer{replayed: true}
	err := c.tx.Stmt(c.s.store.stmts.idemGet).QueryRow(c.t.e.Collection, c.ex.idemKey).
		Scan(&ans.status, &ans.body)
	if errors.Is(err, sql.ErrNoRows) {
		return answer{}, false, nil
	}
	if err != nil {
		return answer{}, false, err
	}
	c.ex.outcome = outcomeReceived
	c.ex.settle(ans.status)
	c.ex.reason = "replayed the first answer to this Idempotency-Key"
	return ans, true, nil
}

// remember keeps ans as the answer to the request's Idempotency-Key. Failures of the mock
// itself (5xx) are not kept, so that a retry can succeed.
func (c *creation) remember(ans answer) error {
	if !c.s.design.IdempotencyKeys || c.ex.idemKey == "" || ans.status >= 500 {
		return nil
	}
	_, err := c.tx.Stmt(c.s.store.stmts.idemPut).Exec(c.t.e.Collection, c.ex.idemKey,
		ans.status, ans.body, c.ex.time.UTC().Format(time.RFC3339Nano))
	return err
}
