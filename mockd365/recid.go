package mockd365

import "fmt"

// Each entity table has a counter in rec_id: the highest RecId it gave out. A create takes
// the next one; neither a delete nor /admin/reset lowers it, so that an etag, which carries
// the RecId, can never match a record created later.
const recIDNextSQL = `UPDATE rec_id SET last = last + 1 WHERE collection = ? RETURNING last`

// recIDSeedSQL returns the statement that starts the counter of t, when it has none, after
// the highest RecId stored (a file kept from a mock without counters) or before firstRecID.
// Its one parameter is the collection.
func recIDSeedSQL(t *table) string {
	return fmt.Sprintf("INSERT OR IGNORE INTO rec_id (collection, last) "+
		"SELECT ?, IFNULL(MAX(%s), %d) FROM %s", colRecID, firstRecID-1, t.name)
}

// nextRecID takes the next RecId of c's table, in the writer's transaction.
func (c *creation) nextRecID() (int64, error) {
	var id int64
	err := c.tx.Stmt(c.s.store.stmts.recIDNext).QueryRow(c.t.e.Collection).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("next RecId of %s: %w", c.t.e.Collection, err)
	}
	return id, nil
}
