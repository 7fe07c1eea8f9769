package verify

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// evidence is what the ledger knows of one expected record: the message that was meant
// to create it, the state read back under its key, and every attempt to deliver it.
type evidence struct {
	id           int64
	entity       string
	company      string
	fate         string
	faults       string
	quantity     float64
	amount       float64
	sent         []byte
	parentEntity string
	parentKey    string
	found        int    // state rows under the record's key
	stored       []byte // the first of them, as the target returned it
	parentFound  bool   // the record has no parent, or its parent is present
	// needsFound is false when the record was meant to be refused because it refers to a
	// record sent malformed (a needs-rejected fault) and that record is absent.
	needsFound bool
	// revisions is a JSON array of the record's revisions in the order the source made
	// them, each a related message with its PATCH body; "" when it has none.
	revisions []byte
	// parent is the message that creates the record's absent parent, as a related message
	// in JSON; "" when the parent is present, or no message of the run creates it.
	parent   []byte
	attempts history
}

// The classification joins in run.db, so that neither side is held in memory. found
// aggregates the state read back per key, in key order; one pass over the messages in id
// order then looks each record and its parent up there. The attempts are read in a second
// pass, also in message order, and merged with the first as both stream by. The messages
// that explain a record without creating it (its revisions, its absent parent) travel
// with it as JSON, attempts included (see related).
const (
	dropFound   = `DROP TABLE IF EXISTS temp.found`
	createFound = `CREATE TEMP TABLE found (
		entity    TEXT NOT NULL,
		match_key TEXT NOT NULL,
		n         INTEGER NOT NULL,
		first     INTEGER NOT NULL,
		PRIMARY KEY (entity, match_key)
	) WITHOUT ROWID`
	fillFound = `INSERT INTO temp.found
		SELECT entity, match_key, COUNT(*), MIN(rowid) FROM state GROUP BY entity, match_key`

	// revised gathers each record's revisions, in the order the source made them: the
	// record is expected to hold the values of the last one.
	dropRevised   = `DROP TABLE IF EXISTS temp.revised`
	createRevised = `CREATE TEMP TABLE revised (
		entity    TEXT NOT NULL,
		match_key TEXT NOT NULL,
		revisions TEXT NOT NULL,
		PRIMARY KEY (entity, match_key)
	) WITHOUT ROWID`

	sharedKeysQuery = `
SELECT COUNT(*) FROM (SELECT 1 FROM messages WHERE role != 'update'
  GROUP BY entity, match_key HAVING COUNT(*) > 1)`

	attemptsQuery = `
SELECT message, copy, try, started_ns, latency_ns, retry_after_ns, status, outcome, injected,
  decision, answer, method = 'GET'
FROM attempts ORDER BY message, copy, try`
)

// relatedJSON builds the JSON of a related message from the messages row alias, its
// attempts ordered as a history is; extra adds members.
func relatedJSON(alias, extra string) string {
	return fmt.Sprintf(`json_object('id', %[1]s.id, 'faults', %[1]s.faults%[2]s, 'attempts',
		json((SELECT json_group_array(json_object('copy', copy, 'try', try,
			'started', started_ns, 'latency', latency_ns, 'retry_after', retry_after_ns,
			'status', status, 'outcome', outcome, 'injected', injected, 'decision', decision,
			'answer', answer, 'lookup', method = 'GET') ORDER BY copy, try)
		FROM attempts WHERE message = %[1]s.id)))`, alias, extra)
}

var (
	fillRevised = `INSERT INTO temp.revised
		SELECT entity, match_key, json_group_array(` + relatedJSON("u", `, 'body', json(u.body)`) +
		` ORDER BY id)
		FROM messages u WHERE role = 'update' GROUP BY entity, match_key`

	// recordsQuery reads every expected record; the message creating an absent parent is
	// looked up only for the records whose parent is absent, which are few.
	recordsQuery = `
SELECT m.id, m.entity, m.company, m.fate, m.faults, m.quantity, m.amount, m.body,
  m.parent_entity, m.parent_key, COALESCE(f.n, 0), COALESCE(s.body, ''),
  m.parent_entity = '' OR p.n IS NOT NULL, COALESCE(r.revisions, ''),
  COALESCE(CASE WHEN m.parent_entity != '' AND p.n IS NULL THEN
    (SELECT ` + relatedJSON("pm", "") + ` FROM messages pm
     WHERE pm.entity = m.parent_entity AND pm.match_key = m.parent_key AND pm.role != 'update')
  END, ''),
  CASE WHEN instr(m.faults, 'needs-rejected:') > 0 THEN
    (SELECT COUNT(*) > 0 FROM messages nm
     JOIN temp.found nf ON nf.entity = nm.entity AND nf.match_key = nm.match_key
     WHERE nm.id = CAST(substr(m.faults, instr(m.faults, 'needs-rejected:') + 15) AS INTEGER))
  ELSE 1 END
FROM messages m
LEFT JOIN temp.found f ON f.entity = m.entity AND f.match_key = m.match_key
LEFT JOIN state s ON s.rowid = f.first
LEFT JOIN temp.found p ON p.entity = m.parent_entity AND p.match_key = m.parent_key
LEFT JOIN temp.revised r ON r.entity = m.entity AND r.match_key = m.match_key
WHERE m.role != 'update'
ORDER BY m.id`
)

// prepareFound builds the found table on conn; temporary tables belong to one connection.
func prepareFound(ctx context.Context, conn *sql.Conn) error {
	for _, q := range []string{dropFound, createFound, fillFound, dropRevised, createRevised,
		fillRevised} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("aggregate state read back: %w", err)
		}
	}
	return nil
}

// An evidenceReader streams the evidence of every expected record in message order,
// merging the records with the attempts that another goroutine streams (streamAttempts).
type evidenceReader struct {
	records  *sql.Rows
	attempts <-chan []attemptRow
	batch    []attemptRow // the attempts received and not yet merged
}

type attemptRow struct {
	message int64
	attempt
}

func openRecords(ctx context.Context, conn *sql.Conn, attempts <-chan []attemptRow) (
	*evidenceReader, error) {
	records, err := conn.QueryContext(ctx, recordsQuery)
	if err != nil {
		return nil, fmt.Errorf("read expected records: %w", err)
	}
	return &evidenceReader{records: records, attempts: attempts}, nil
}

// read fills ev with the next record's evidence; false means the records are over.
func (r *evidenceReader) read(ev *evidence) (bool, error) {
	if !r.records.Next() {
		if err := r.records.Err(); err != nil {
			return false, fmt.Errorf("read expected records: %w", err)
		}
		return false, nil
	}
	err := r.records.Scan(&ev.id, &ev.entity, &ev.company, &ev.fate, &ev.faults,
		&ev.quantity, &ev.amount, &ev.sent, &ev.parentEntity, &ev.parentKey, &ev.found,
		&ev.stored, &ev.parentFound, &ev.revisions, &ev.parent, &ev.needsFound)
	if err != nil {
		return false, fmt.Errorf("read expected records: %w", err)
	}
	// Attempts of a message missing from the messages table cannot be judged: skip them.
	for r.fill() && r.batch[0].message <= ev.id {
		if r.batch[0].message == ev.id {
			ev.attempts = append(ev.attempts, r.batch[0].attempt)
		}
		r.batch = r.batch[1:]
	}
	return true, nil
}

// fill makes sure an attempt is at hand, unless the attempts are over.
func (r *evidenceReader) fill() bool {
	for len(r.batch) == 0 {
		b, ok := <-r.attempts
		if !ok {
			return false
		}
		r.batch = b
	}
	return true
}

// close ends the records query and drains the attempts left, so that their stream ends.
func (r *evidenceReader) close() {
	r.records.Close()
	for range r.attempts {
	}
}

// streamAttempts sends every attempt of the ledger, in message order, in batches.
func streamAttempts(ctx context.Context, db *sql.DB, out chan<- []attemptRow) error {
	defer close(out)
	rows, err := db.QueryContext(ctx, attemptsQuery)
	if err != nil {
		return fmt.Errorf("read attempts: %w", err)
	}
	defer rows.Close()
	batch := make([]attemptRow, 0, batchSize)
	for rows.Next() {
		var a attemptRow
		var started, latency, retryAfter int64
		err := rows.Scan(&a.message, &a.copy, &a.try, &started, &latency, &retryAfter,
			&a.status, &a.outcome, &a.injected, &a.decision, &a.answer, &a.lookup)
		if err != nil {
			return fmt.Errorf("read attempts: %w", err)
		}
		a.started, a.latency = time.Duration(started), time.Duration(latency)
		a.retryAfter = time.Duration(retryAfter)
		if batch = append(batch, a); len(batch) == batchSize {
			if err := send(ctx, out, batch); err != nil {
				return err
			}
			batch = make([]attemptRow, 0, batchSize)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read attempts: %w", err)
	}
	return send(ctx, out, batch)
}

// send hands v to out unless ctx ends first.
func send[T any](ctx context.Context, out chan<- T, v T) error {
	select {
	case out <- v:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
