package reports

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"time"

	"github.com/stormcheck/stormcheck/ledger"
)

// Files of a run directory that a trace reads.
const (
	traceLedgerFile = "run.db"
	traceMockFile   = "mock.db"
)

// A Trace is the lifecycle of one document (all its messages) or of one message: what
// was sent, each attempt and what the sender made of it, what the embedded mock logged,
// what was read back, and the verdict.
type Trace struct {
	Query    string // the ID asked for
	Scenario string
	Prefix   string
	Seed     string
	MockLog  bool // the run directory has the embedded mock's integration log
	Messages []TracedMessage
}

// roleUpdate is the ledger's role of a message that revises a record another one created.
const roleUpdate = "update"

// A TracedMessage is one message of a trace.
type TracedMessage struct {
	ID          int64
	DocKind     string
	Entity      string
	Role        string
	Company     string
	Key         string
	Correlation string
	Fate        string
	Faults      string
	Copies      int
	Changes     string // what a revision (role "update") sets, as the JSON it sent
	Attempts    []TracedAttempt
	Log         []LogEntry    // the mock's integration-log rows for its idempotency keys
	Stored      []string      // the records read back under its key, as JSON
	Verdict     *VerdictTrace // nil when the run was not verified
}

// IdempotencyKey is the Idempotency-Key header of the message's deliveries; a copy sent
// as a new message adds ".copy<n>".
func (m TracedMessage) IdempotencyKey() string {
	return m.Correlation + "." + strconv.FormatInt(m.ID, 10)
}

// A TracedAttempt is one attempt of one delivery.
type TracedAttempt struct {
	Copy, Try  int
	Seq        int64 // vegeta's sequence number, which the mock logs as attempt
	Started    time.Duration
	Latency    time.Duration
	RetryAfter time.Duration
	Status     int
	Outcome    string
	Error      string
	Injected   string
	Decision   string
	Answer     string
	Method     string // POST for a send, GET for a look-up of the record
}

// A LogEntry is one row of the mock's integration log.
type LogEntry struct {
	Time           string
	Attempt        string // X-Vegeta-Seq of the request
	Status         int
	Outcome        string
	Reason         string
	IdempotencyKey string
	RecordKey      string
}

// A VerdictTrace is the verdict of one record.
type VerdictTrace struct {
	Class, Detail                 string
	Found, Extra                  int
	Field, SentValue, StoredValue string
}

// Errors of LoadTrace.
var (
	// ErrNotTraced says that a run has no message or document with the ID asked for.
	ErrNotTraced = errors.New("no such message or document in the run")
	// ErrNotRunDir says that the directory given is not a run directory: it has no run.db.
	ErrNotRunDir = errors.New("not a run directory")
)

// idempotencyKeyPattern matches "<correlation>.<message id>" with an optional ".copy<n>".
var idempotencyKeyPattern = regexp.MustCompile(`^(.+)\.([0-9]+)(\.copy[0-9]+)?$`)

// LoadTrace reads the trace of id from the run directory dir. id is a message id (12),
// an Idempotency-Key (SCK3F9Q-0000056.12), a document's correlation value
// (SCK3F9Q-0000056) or a record's match key (usmf|SCK3F9Q-0000056|2). It reads run.db,
// and mock.db when the embedded mock served the run, read-only (SQLite may add its -wal and
// -shm side files beside them); it changes no record. An id that matches no message is an
// error that wraps ErrNotTraced; a directory without run.db, one that wraps ErrNotRunDir.
func LoadTrace(ctx context.Context, dir, id string) (*Trace, error) {
	db, err := openRun(dir)
	if err != nil {
		return nil, fmt.Errorf("trace: %w", err)
	}
	defer db.Close()
	t := &Trace{Query: id}
	if err := t.readMeta(ctx, db); err != nil {
		return nil, err
	}
	ids, err := resolve(ctx, db, id)
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("trace %q: %w (give a message id, an Idempotency-Key, a "+
			"correlation value or a match key)", id, ErrNotTraced)
	}
	for _, mid := range ids {
		m, err := loadMessage(ctx, db, mid)
		if err != nil {
			return nil, err
		}
		t.Messages = append(t.Messages, m)
	}
	return t, t.readMockLog(ctx, filepath.Join(dir, traceMockFile))
}

// openRun opens the ledger of the run directory dir read-only, saying plainly when dir
// is not a run directory.
func openRun(dir string) (*sql.DB, error) {
	path := filepath.Join(dir, traceLedgerFile)
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("%s is %w (no such directory)", dir, ErrNotRunDir)
	case err != nil:
		return nil, err
	case !info.IsDir():
		return nil, fmt.Errorf("%s is %w (it is a file)", dir, ErrNotRunDir)
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s is %w (no %s in it)", dir, ErrNotRunDir, traceLedgerFile)
	}
	return ledger.OpenReadOnly(path)
}

func (t *Trace) readMeta(ctx context.Context, db *sql.DB) error {
	for key, dst := range map[string]*string{
		"scenario": &t.Scenario, "prefix": &t.Prefix, "seed": &t.Seed,
	} {
		err := db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(dst)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("trace: read %s: %w", key, err)
		}
	}
	return nil
}

// messageAndRevisions selects a message and, when it creates a record, the revisions of
// that record, whose values the record is expected to end with.
const messageAndRevisions = `SELECT id FROM messages WHERE id = ?1
	UNION SELECT u.id FROM messages u JOIN messages m ON m.id = ?1 AND m.role != 'update'
	WHERE u.role = 'update' AND u.entity = m.entity AND u.match_key = m.match_key
	ORDER BY id`

// resolve returns the ids of the messages id names, in id order, none when it names no
// message: a message id names the message and its record's revisions.
func resolve(ctx context.Context, db *sql.DB, id string) ([]int64, error) {
	if n, err := strconv.ParseInt(id, 10, 64); err == nil {
		return ids(ctx, db, messageAndRevisions, n)
	}
	if m := idempotencyKeyPattern.FindStringSubmatch(id); m != nil {
		n, _ := strconv.ParseInt(m[2], 10, 64)
		found, err := ids(ctx, db, `SELECT id FROM messages WHERE id = ? AND correlation = ?`,
			n, m[1])
		if err != nil || len(found) > 0 {
			return found, err
		}
	}
	found, err := ids(ctx, db, `SELECT id FROM messages WHERE correlation = ? ORDER BY id`, id)
	if err != nil || len(found) > 0 {
		return found, err
	}
	return ids(ctx, db, `SELECT id FROM messages WHERE match_key = ? ORDER BY id`, id)
}

func ids(ctx context.Context, db *sql.DB, query string, args ...any) ([]int64, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("trace: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("trace: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

func loadMessage(ctx context.Context, db *sql.DB, id int64) (TracedMessage, error) {
	var m TracedMessage
	err := db.QueryRowContext(ctx, `SELECT id, doc_kind, entity, role, company, match_key,
		correlation, fate, faults, copies, body FROM messages WHERE id = ?`, id).Scan(
		&m.ID, &m.DocKind, &m.Entity, &m.Role, &m.Company, &m.Key, &m.Correlation, &m.Fate,
		&m.Faults, &m.Copies, &m.Changes)
	if err != nil {
		return m, fmt.Errorf("trace message %d: %w", id, err)
	}
	if m.Role != roleUpdate {
		m.Changes = ""
	}
	if m.Attempts, err = loadAttempts(ctx, db, id); err != nil {
		return m, err
	}
	if m.Stored, err = loadStored(ctx, db, m.Entity, m.Key); err != nil {
		return m, err
	}
	m.Verdict, err = loadVerdict(ctx, db, id)
	return m, err
}

func loadAttempts(ctx context.Context, db *sql.DB, id int64) ([]TracedAttempt, error) {
	rows, err := db.QueryContext(ctx, `SELECT copy, try, seq, started_ns, latency_ns,
		retry_after_ns, status, outcome, error, injected, decision, answer, method
		FROM attempts WHERE message = ? ORDER BY started_ns, copy, try`, id)
	if err != nil {
		return nil, fmt.Errorf("trace attempts of %d: %w", id, err)
	}
	defer rows.Close()
	var out []TracedAttempt
	for rows.Next() {
		var a TracedAttempt
		var started, latency, retryAfter int64
		err := rows.Scan(&a.Copy, &a.Try, &a.Seq, &started, &latency, &retryAfter, &a.Status,
			&a.Outcome, &a.Error, &a.Injected, &a.Decision, &a.Answer, &a.Method)
		if err != nil {
			return nil, fmt.Errorf("trace attempts of %d: %w", id, err)
		}
		a.Started, a.Latency = time.Duration(started), time.Duration(latency)
		a.RetryAfter = time.Duration(retryAfter)
		out = append(out, a)
	}
	return out, rows.Err()
}

func loadStored(ctx context.Context, db *sql.DB, entity, key string) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT body FROM state WHERE entity = ? AND match_key = ?
		ORDER BY rowid`, entity, key)
	if err != nil {
		return nil, fmt.Errorf("trace state of %s: %w", key, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, fmt.Errorf("trace state of %s: %w", key, err)
		}
		out = append(out, body)
	}
	return out, rows.Err()
}

func loadVerdict(ctx context.Context, db *sql.DB, id int64) (*VerdictTrace, error) {
	var v VerdictTrace
	err := db.QueryRowContext(ctx, `SELECT class, detail, found, extra, field, sent_value,
		stored_value FROM verdicts WHERE message = ?`, id).Scan(&v.Class, &v.Detail, &v.Found,
		&v.Extra, &v.Field, &v.SentValue, &v.StoredValue)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("trace verdict of %d: %w", id, err)
	}
	return &v, nil
}

// readMockLog adds the embedded mock's integration-log rows of each message: those with
// its Idempotency-Key, or that key plus ".copy<n>" for a copy sent as a new message.
func (t *Trace) readMockLog(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err != nil {
		return nil
	}
	db, err := ledger.OpenReadOnly(path)
	if err != nil {
		return fmt.Errorf("trace: %w", err)
	}
	defer db.Close()
	t.MockLog = true
	for i := range t.Messages {
		m := &t.Messages[i]
		if m.Log, err = mockLog(ctx, db, m.IdempotencyKey()); err != nil {
			return err
		}
	}
	return nil
}

func mockLog(ctx context.Context, db *sql.DB, key string) ([]LogEntry, error) {
	rows, err := db.QueryContext(ctx, `SELECT time, attempt, status, outcome, reason,
		idempotency_key, record_key FROM integration_log
		WHERE idempotency_key = ?1 OR substr(idempotency_key, 1, length(?1) + 5) = ?1 || '.copy'
		ORDER BY id`, key)
	if err != nil {
		return nil, fmt.Errorf("trace: read the mock's integration log: %w", err)
	}
	defer rows.Close()
	var out []LogEntry
	for rows.Next() {
		var e LogEntry
		err := rows.Scan(&e.Time, &e.Attempt, &e.Status, &e.Outcome, &e.Reason,
			&e.IdempotencyKey, &e.RecordKey)
		if err != nil {
			return nil, fmt.Errorf("trace: read the mock's integration log: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
