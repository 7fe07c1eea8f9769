package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver
)

// batchSize and flushEvery bound how long a recorded row waits before it is committed:
// whichever comes first. Larger batches mean fewer fsyncs; the interval bounds what an
// abrupt end of the process could lose.
const (
	batchSize  = 2000
	flushEvery = 200 * time.Millisecond
)

// A Ledger is an open run.db. Add methods queue rows for the writer and are safe for
// concurrent use; Flush waits until everything queued is committed.
type Ledger struct {
	db    *sql.DB
	rows  chan row
	flush chan chan error
	done  chan struct{}

	closeOnce sync.Once
	closeErr  error

	mu  sync.Mutex
	err error // the first write error; once set, later writes are dropped
}

// Create makes a new run.db at path and starts its writer. Creation is exclusive: when
// path exists, even because another process created it a moment ago, the error wraps
// os.ErrExist.
func Create(path string) (*Ledger, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, fmt.Errorf("create ledger: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("create ledger: %w", err)
	}
	return open(path)
}

// Open opens an existing run.db at path and starts its writer.
func Open(path string) (*Ledger, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("open ledger: %w", err)
	}
	return open(path)
}

func open(path string) (*Ledger, error) {
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() +
		"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=busy_timeout(10000)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open ledger %s: %w", path, err)
	}
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("create ledger tables in %s: %w", path, err)
	}
	l := &Ledger{
		db: db, rows: make(chan row, 8192), flush: make(chan chan error),
		done: make(chan struct{}),
	}
	go l.write()
	return l, nil
}

// DB returns the database for queries. Call Flush first to see every queued row.
func (l *Ledger) DB() *sql.DB { return l.db }

// AddMessage queues a message row.
func (l *Ledger) AddMessage(m Message) { l.rows <- m }

// AddAttempt queues an attempt row.
func (l *Ledger) AddAttempt(a Attempt) { l.rows <- a }

// AddState queues a state row.
func (l *Ledger) AddState(s State) { l.rows <- s }

// AddVerdict queues a verdict row.
func (l *Ledger) AddVerdict(v Verdict) { l.rows <- v }

// Flush commits everything queued so far and returns the first write error, if any.
func (l *Ledger) Flush() error {
	reply := make(chan error)
	l.flush <- reply
	return <-reply
}

// SetMeta records a run property, such as the seed or the correlation prefix.
func (l *Ledger) SetMeta(key, value string) error {
	_, err := l.db.Exec(`INSERT INTO meta (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return fmt.Errorf("record %s: %w", key, err)
	}
	return nil
}

// Meta returns a run property, or "" when it was never recorded.
func (l *Ledger) Meta(key string) (string, error) {
	var v string
	err := l.db.QueryRow(`SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read %s: %w", key, err)
	}
	return v, nil
}

// Close commits what is queued, stops the writer and closes the database. It returns the
// first write error of the ledger's life, so that a lost row is never silent. Calls after
// the first return the same error; no Add or Flush may follow Close.
func (l *Ledger) Close() error {
	l.closeOnce.Do(func() {
		err := l.Flush()
		close(l.rows)
		<-l.done
		l.closeErr = errors.Join(err, l.db.Close())
	})
	return l.closeErr
}

// write is the writer goroutine: it owns the batch and is the only one writing rows.
func (l *Ledger) write() {
	defer close(l.done)
	var batch []row
	tick := time.NewTicker(flushEvery)
	defer tick.Stop()
	for {
		select {
		case r, ok := <-l.rows:
			if !ok {
				l.commit(batch)
				return
			}
			if batch = append(batch, r); len(batch) >= batchSize {
				batch = l.commit(batch)
			}
		case <-tick.C:
			batch = l.commit(batch)
		case reply := <-l.flush:
			batch = l.drain(batch)
			batch = l.commit(batch)
			reply <- l.firstError()
		}
	}
}

// drain takes every row already queued, so that a flush covers what was added before it.
func (l *Ledger) drain(batch []row) []row {
	for {
		select {
		case r, ok := <-l.rows:
			if !ok {
				return batch
			}
			batch = append(batch, r)
		default:
			return batch
		}
	}
}

// commit writes a batch in one transaction. When that fails, it writes the rows one by
// one, so that a bad row costs only itself; the first error is kept for Flush and Close.
func (l *Ledger) commit(batch []row) []row {
	if len(batch) == 0 {
		return batch
	}
	if err := l.insert(batch); err != nil {
		for _, r := range batch {
			if err := l.insert([]row{r}); err != nil {
				l.keep(err)
			}
		}
	}
	return batch[:0]
}

func (l *Ledger) keep(err error) {
	l.mu.Lock()
	if l.err == nil {
		l.err = err
	}
	l.mu.Unlock()
}

func (l *Ledger) insert(batch []row) error {
	tx, err := l.db.BeginTx(context.Background(), nil)
	if err != nil {
		return fmt.Errorf("write ledger: %w", err)
	}
	var stmts [tableCount]*sql.Stmt
	for _, r := range batch {
		t := r.table()
		if stmts[t] == nil {
			if stmts[t], err = tx.Prepare(inserts[t]); err != nil {
				tx.Rollback()
				return fmt.Errorf("write ledger: %w", err)
			}
		}
		if _, err := stmts[t].Exec(args(r)...); err != nil {
			tx.Rollback()
			return fmt.Errorf("write ledger row: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("write ledger: %w", err)
	}
	return nil
}

func (l *Ledger) firstError() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}
