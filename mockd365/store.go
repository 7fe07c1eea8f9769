package mockd365

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// A store keeps the mock's state in one SQLite file in WAL mode: a table per entity, the
// integration log, number sequences, idempotency answers and parked requests. SQLite allows
// one writer at a time, so every write runs on the single connection of w, one transaction
// after another; reads use the read-only pool r and see the last committed state.
type store struct {
	path   string
	tmpDir string // removed on close; "" when the file is the caller's
	w      *sql.DB
	r      *sql.DB
	tables map[string]*table // by collection
	list   []*table          // catalogue order
	stmts  supportStmts
	// halted, once closed, makes every write roll back instead of committing: the process
	// the mock stands for has crashed. Nil never halts.
	halted <-chan struct{}

	writes     chan writeRequest // to the writer goroutine; closed by close
	writerDone chan struct{}     // closed when the writer goroutine has returned
}

// A writeRequest is a transaction for the writer goroutine to run, and where its outcome
// goes.
type writeRequest struct {
	fn   func(tx *sql.Tx) error
	done chan writeResult
}

// A writeResult is the outcome of a transaction: its error, or the value fn panicked with.
type writeResult struct {
	err      error
	panicked any
}

// errHalted is the error of a write that a crash stopped before it committed.
var errHalted = errors.New("the server crashed before the write committed")

// A DBError is the failure to open the SQLite file of [Options.DBPath]: it cannot be
// created or opened, it is not a regular file, or it is not a SQLite database. Nothing has
// been served when NewServer or NewUnstartedServer returns one.
type DBError struct {
	Path string
	Err  error
}

// Error names the file and why it cannot be opened.
func (e *DBError) Error() string {
	return "cannot open the SQLite file " + e.Path + ": " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *DBError) Unwrap() error { return e.Err }

// openStore opens (creating if needed) the database at path for the catalogue. An empty
// path means a temporary file that close removes. A file that cannot be opened as a SQLite
// database is a *DBError.
func openStore(path string, catalogue []Entity) (*store, error) {
	st := &store{path: path}
	if path == "" {
		dir, err := os.MkdirTemp("", "mockd365-")
		if err != nil {
			return nil, fmt.Errorf("create temporary database directory: %w", err)
		}
		st.tmpDir, st.path = dir, filepath.Join(dir, "mock.db")
	}
	if err := st.open(catalogue); err != nil {
		return nil, errors.Join(err, st.close())
	}
	return st, nil
}

// open connects, creates the schema and prepares the statements.
func (st *store) open(catalogue []Entity) error {
	var err error
	if err = st.newTables(catalogue); err != nil {
		return err
	}
	if err = registerDecimalCollation(); err != nil {
		return err
	}
	if err = st.connect(); err != nil {
		return &DBError{Path: st.path, Err: err}
	}
	st.startWriter()
	if err = st.migrate(); err != nil {
		return err
	}
	ro := "?_busy_timeout=10000&_query_only=1"
	if st.r, err = sql.Open("sqlite", "file:"+st.path+ro); err != nil {
		return fmt.Errorf("open database %s for reading: %w", st.path, err)
	}
	st.r.SetMaxOpenConns(max(4, runtime.GOMAXPROCS(0)))
	st.r.SetMaxIdleConns(max(4, runtime.GOMAXPROCS(0)))
	return st.prepare()
}

// connect opens the writer connection and reads the file's header, so that a path SQLite
// cannot use fails here, before the schema is touched. A path that exists must be a regular
// file: SQLite would write its journal beside a device such as /dev/null.
func (st *store) connect() error {
	if info, err := os.Stat(st.path); err == nil && !info.Mode().IsRegular() {
		return fmt.Errorf("it is not a regular file (%s)", fileKind(info.Mode()))
	}
	opts := "?_busy_timeout=10000&_journal_mode=WAL&_synchronous=NORMAL&_txlock=immediate"
	var err error
	if st.w, err = sql.Open("sqlite", "file:"+st.path+opts); err != nil {
		return err
	}
	st.w.SetMaxOpenConns(1) // the one writer
	st.w.SetMaxIdleConns(1)
	st.w.SetConnMaxLifetime(0)
	var version int
	return st.w.QueryRow("PRAGMA schema_version").Scan(&version)
}

// fileKind names the kind of a file that is not a regular one.
func fileKind(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&os.ModeCharDevice != 0, m&os.ModeDevice != 0:
		return "a device"
	case m&os.ModeNamedPipe != 0:
		return "a named pipe"
	case m&os.ModeSocket != 0:
		return "a socket"
	}
	return "mode " + m.String()
}

// newTables builds the tables of the catalogue and links parents to their children.
func (st *store) newTables(catalogue []Entity) error {
	st.tables = make(map[string]*table, len(catalogue))
	for i := range catalogue {
		t, err := newTable(&catalogue[i])
		if err != nil {
			return fmt.Errorf("catalogue: %w", err)
		}
		if _, dup := st.tables[t.e.Collection]; dup {
			return fmt.Errorf("catalogue: collection %s defined twice", t.e.Collection)
		}
		st.tables[t.e.Collection] = t
		st.list = append(st.list, t)
	}
	for _, child := range st.list {
		if child.e.Parent < 0 {
			continue
		}
		ref := &child.e.References[child.e.Parent]
		parent, ok := st.tables[ref.Entity]
		if !ok {
			return fmt.Errorf("catalogue: %s has unknown parent %s", child.e.Collection,
				ref.Entity)
		}
		to, err := parent.positions(ref.To)
		if err != nil {
			return fmt.Errorf("catalogue: %w", err)
		}
		parent.children = append(parent.children, childLink{child: child, ref: ref, to: to})
	}
	return st.linkNavigation()
}

// migrate creates what is missing of the schema, in one transaction, and brings a file
// kept from an earlier mock up to date: new columns, exact decimals, indexes, RecId counters.
func (st *store) migrate() error {
	lookups := map[string][][]string{} // field lists each table is looked up by
	for _, t := range st.list {
		for _, ref := range t.e.References {
			lookups[ref.Entity] = append(lookups[ref.Entity], ref.To)
		}
	}
	return st.write(func(tx *sql.Tx) error {
		ddl := []string{schemaSupport}
		for _, t := range st.list {
			ddl = append(ddl, createTable(t.e))
		}
		if err := execAll(tx, ddl); err != nil {
			return err
		}
		for _, t := range st.list {
			if err := addMissingColumns(tx, t); err != nil {
				return err
			}
			if err := exactDecimalColumns(tx, t); err != nil {
				return err
			}
			if err := execAll(tx, createIndexes(t, lookups[t.e.Collection])); err != nil {
				return err
			}
			if _, err := tx.Exec(recIDSeedSQL(t), t.e.Collection); err != nil {
				return fmt.Errorf("start the RecIds of %s: %w", t.e.Collection, err)
			}
		}
		return addLogColumns(tx)
	})
}

// execAll runs DDL statements in order.
func execAll(tx *sql.Tx, ddl []string) error {
	for _, stmt := range ddl {
		if _, err := tx.Exec(stmt); err != nil {
			return fmt.Errorf("create schema: %w", err)
		}
	}
	return nil
}

// addMissingColumns adds the fields the catalogue gained since the file was created, so that
// a database kept with DBPath survives catalogue changes.
func addMissingColumns(tx *sql.Tx, t *table) error {
	rows, err := tx.Query("SELECT name FROM pragma_table_info(?)", t.e.Collection)
	if err != nil {
		return fmt.Errorf("read columns of %s: %w", t.e.Collection, err)
	}
	have := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return fmt.Errorf("read columns of %s: %w", t.e.Collection, err)
		}
		have[name] = true
	}
	rows.Close()
	for i := range t.e.Fields {
		f := &t.e.Fields[i]
		if have[f.Name] {
			continue
		}
		ddl := fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s %s", t.name, quote(f.Name), columnType(f))
		if _, err := tx.Exec(ddl); err != nil {
			return fmt.Errorf("add column %s.%s: %w", t.e.Collection, f.Name, err)
		}
	}
	return rows.Err()
}

// addLogColumns adds the integration_log columns newer than a kept database file.
func addLogColumns(tx *sql.Tx) error {
	var n int
	err := tx.QueryRow(`SELECT COUNT(*) FROM pragma_table_info('integration_log')
		WHERE name = 'client_id'`).Scan(&n)
	if err != nil || n > 0 {
		return err
	}
	_, err = tx.Exec(`ALTER TABLE integration_log ADD COLUMN client_id TEXT NOT NULL DEFAULT ''`)
	return err
}

// prepare prepares the statements of every table and of the support tables.
func (st *store) prepare() error {
	for _, t := range st.list {
		if err := t.prepare(st.w, st.r, st.tables); err != nil {
			return err
		}
	}
	if err := st.prepareNavigation(st.r); err != nil {
		return err
	}
	return st.stmts.prepare(st.w)
}

// write runs fn in a transaction on the writer connection and commits it when fn returns
// nil. It takes no context on purpose: once a request reaches its write, a client that goes
// away cannot roll it back, as with F&O, where the ack is lost but the record stays. A
// panic in fn rolls the transaction back and goes on in the caller.
func (st *store) write(fn func(tx *sql.Tx) error) error {
	req := writeRequest{fn: fn, done: make(chan writeResult, 1)}
	st.writes <- req
	res := <-req.done
	if res.panicked != nil {
		panic(res.panicked)
	}
	return res.err
}

// startWriter starts the goroutine that runs every write, one transaction after another.
// It owns the writer connection, so that the next transaction begins as soon as one ends,
// rather than once the goroutine of the request that waited for the connection is
// scheduled: on a busy machine that wait would be part of every create.
func (st *store) startWriter() {
	st.writes, st.writerDone = make(chan writeRequest), make(chan struct{})
	go func() {
		defer close(st.writerDone)
		for req := range st.writes {
			req.done <- st.transact(req.fn)
		}
	}()
}

// transact runs fn in a transaction and returns its outcome, catching a panic of fn.
func (st *store) transact(fn func(tx *sql.Tx) error) (res writeResult) {
	defer func() {
		if p := recover(); p != nil {
			res = writeResult{panicked: p}
		}
	}()
	return writeResult{err: st.runTx(fn)}
}

// runTx runs fn in a transaction, and commits it unless fn fails or the server halted.
func (st *store) runTx(fn func(tx *sql.Tx) error) (err error) {
	tx, err := st.w.BeginTx(context.Background(), nil)
	if err != nil {
		return fmt.Errorf("begin write: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			tx.Rollback() //nolint:errcheck // the panic is what the caller hears of
			panic(p)
		}
	}()
	if err := fn(tx); err != nil {
		return errors.Join(err, tx.Rollback())
	}
	select {
	case <-st.halted:
		return errors.Join(errHalted, tx.Rollback())
	default:
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// reset empties every entity table, the integration log, the number sequences, the
// idempotency answers and the parked requests. RecIds go on from where they were, so that an
// etag taken before the reset never matches a record created after it.
func (st *store) reset() error {
	return st.write(func(tx *sql.Tx) error {
		stmts := []string{"DELETE FROM integration_log", "DELETE FROM number_sequence",
			"DELETE FROM idempotency", "DELETE FROM parked"}
		for _, t := range st.list {
			stmts = append(stmts, "DELETE FROM "+t.name)
		}
		for _, s := range stmts {
			if _, err := tx.Exec(s); err != nil {
				return fmt.Errorf("reset: %w", err)
			}
		}
		return nil
	})
}

// counts returns the number of rows of each entity table, by collection.
func (st *store) counts(ctx context.Context) (map[string]int64, error) {
	out := make(map[string]int64, len(st.list))
	for _, t := range st.list {
		var n int64
		if err := st.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+t.name).Scan(&n); err != nil {
			return nil, fmt.Errorf("count %s: %w", t.e.Collection, err)
		}
		out[t.e.Collection] = n
	}
	return out, nil
}

// close stops the writer goroutine, closes the statements and connections, then removes a
// temporary database. No write may be under way or follow.
func (st *store) close() error {
	if st.writes != nil {
		close(st.writes)
		<-st.writerDone
	}
	for _, t := range st.list {
		t.closeStmts()
	}
	st.stmts.close()
	var errs []error
	for _, db := range []*sql.DB{st.r, st.w} {
		if db != nil {
			errs = append(errs, db.Close())
		}
	}
	if st.tmpDir != "" {
		errs = append(errs, os.RemoveAll(st.tmpDir))
	}
	return errors.Join(errs...)
}
