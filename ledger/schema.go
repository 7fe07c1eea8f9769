// Package ledger is the run ledger: the ground truth of a run, kept in SQLite (run.db).
// For every message it holds what was sent, with which faults and which intended fate;
// for every attempt what came back; after verification the state read back from the target
// and the verdict of every record. Rows are written by one writer goroutine in batched
// transactions, so recording costs the load loop a channel send.
package ledger

// schema creates the tables of a run. Times are nanoseconds since the start of the load.
const schema = `
CREATE TABLE IF NOT EXISTS meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS messages (
	id            INTEGER PRIMARY KEY,
	doc           INTEGER NOT NULL,
	doc_kind      TEXT NOT NULL,
	entity        TEXT NOT NULL,
	role          TEXT NOT NULL,
	company       TEXT NOT NULL,
	match_key     TEXT NOT NULL,
	parent_entity TEXT NOT NULL,
	parent_key    TEXT NOT NULL,
	correlation   TEXT NOT NULL,
	fate          TEXT NOT NULL,
	faults        TEXT NOT NULL,
	quantity      REAL NOT NULL,
	amount        REAL NOT NULL,
	copies        INTEGER NOT NULL,
	body          BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_by_key ON messages (entity, match_key);
CREATE TABLE IF NOT EXISTS attempts (
	message    INTEGER NOT NULL,
	copy       INTEGER NOT NULL,
	try        INTEGER NOT NULL,
	seq        INTEGER NOT NULL,
	started_ns INTEGER NOT NULL,
	latency_ns INTEGER NOT NULL,
	status     INTEGER NOT NULL,
	outcome    TEXT NOT NULL,
	error      TEXT NOT NULL,
	injected   TEXT NOT NULL,
	decision   TEXT NOT NULL,
	answer     TEXT NOT NULL,
	retry_after_ns INTEGER NOT NULL DEFAULT 0,
	method     TEXT NOT NULL DEFAULT 'POST'
);
CREATE INDEX IF NOT EXISTS attempts_by_message ON attempts (message, copy, try);
CREATE TABLE IF NOT EXISTS state (
	entity     TEXT NOT NULL,
	company    TEXT NOT NULL,
	match_key  TEXT NOT NULL,
	parent_key TEXT NOT NULL,
	quantity   REAL NOT NULL DEFAULT 0,
	amount     REAL NOT NULL DEFAULT 0,
	body       TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS state_by_key ON state (entity, match_key);
CREATE TABLE IF NOT EXISTS verdicts (
	message                INTEGER PRIMARY KEY,
	class                  TEXT NOT NULL,
	found                  INTEGER NOT NULL,
	acknowledged           INTEGER NOT NULL,
	recovered              INTEGER NOT NULL DEFAULT 0,
	detail                 TEXT NOT NULL DEFAULT '',
	extra                  INTEGER NOT NULL DEFAULT 0,
	false_negative         INTEGER NOT NULL DEFAULT 0,
	retry_after_violations INTEGER NOT NULL DEFAULT 0,
	field                  TEXT NOT NULL DEFAULT '',
	sent_value             TEXT NOT NULL DEFAULT '',
	stored_value           TEXT NOT NULL DEFAULT ''
);
`
