package mockd365

import (
	"database/sql"
	"net/http"
	"time"
)

// Outcomes recorded in the integration log.
const (
	outcomeReceived  = "received"  // 2xx, no record written: reads, replays
	outcomeValidated = "validated" // passed validation, not stored yet: parked (202)
	outcomeCommitted = "committed" // a record was written and committed
	outcomeFailed    = "failed"    // answered 4xx or 5xx
)

const logInsertSQL = `INSERT INTO integration_log (time, method, path, query, entity, company,
	status, outcome, reason, idempotency_key, record_key, rec_id, external_reference,
	correlation_id, attempt, client_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// An exchange is one request as the integration log records it. Handlers fill it in as they
// go; it is written once, in the same transaction as the write it describes.
type exchange struct {
	time        time.Time
	method      string
	path        string
	query       string
	entity      string
	company     string
	status      int
	outcome     string
	reason      string
	idemKey     string
	recordKey   string
	recID       int64 // 0: no record
	external    string
	correlation string
	attempt     string
	client      string // the client id of the bearer token, when authentication is on
}

// newExchange starts the log line of r, received at now.
func newExchange(r *http.Request, now time.Time) *exchange {
	corr := r.Header.Get("x-ms-dyn-externalidentifier")
	if corr == "" {
		corr = r.Header.Get("X-Correlation-ID")
	}
	return &exchange{
		time:        now,
		method:      r.Method,
		path:        r.URL.Path,
		query:       r.URL.RawQuery,
		idemKey:     r.Header.Get("Idempotency-Key"),
		correlation: corr,
		attempt:     r.Header.Get("X-Vegeta-Seq"),
	}
}

// settle records the answer's status, and an outcome that follows from it unless a handler
// chose one.
func (ex *exchange) settle(status int) {
	ex.status = status
	switch {
	case status >= 400:
		ex.outcome = outcomeFailed
	case ex.outcome == "":
		ex.outcome = outcomeReceived
	}
}

// fail records an error answer and its text as the reason.
func (ex *exchange) fail(e *apiError) {
	ex.settle(e.status)
	ex.reason = e.Error()
}

// insert writes the log line in tx.
func (ex *exchange) insert(tx *sql.Tx, st *store) error {
	var recID any
	if ex.recID != 0 {
		recID = ex.recID
	}
	_, err := tx.Stmt(st.stmts.log).Exec(ex.time.UTC().Format(time.RFC3339Nano), ex.method,
		ex.path, ex.query, ex.entity, ex.company, ex.status, ex.outcome, ex.reason, ex.idemKey,
		ex.recordKey, recID, ex.external, ex.correlation, ex.attempt, ex.client)
	return err
}

// record writes the log line in a transaction of its own, for requests that write nothing
// else. A failure to log is not the client's problem, so it is only returned.
func (ex *exchange) record(st *store) error {
	return st.write(func(tx *sql.Tx) error { return ex.insert(tx, st) })
}
