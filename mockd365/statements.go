package mockd365

import (
	"database/sql"
	"fmt"
)

// supportStmts are the prepared statements on the tables beside the entities. All run on the
// writer connection.
type supportStmts struct {
	log         *sql.Stmt
	seqNext     *sql.Stmt
	seqInsert   *sql.Stmt
	idemGet     *sql.Stmt
	idemPut     *sql.Stmt
	parkPut     *sql.Stmt
	parkWaiting *sql.Stmt
	parkDone    *sql.Stmt
	recIDNext   *sql.Stmt
}

// prepare prepares every statement on w.
func (s *supportStmts) prepare(w *sql.DB) error {
	for _, p := range []struct {
		dst   **sql.Stmt
		query string
	}{
		{&s.log, logInsertSQL},
		{&s.seqNext, seqNextSQL},
		{&s.seqInsert, seqInsertSQL},
		{&s.idemGet, idemGetSQL},
		{&s.idemPut, idemPutSQL},
		{&s.parkPut, parkPutSQL},
		{&s.parkWaiting, parkWaitingSQL},
		{&s.parkDone, parkDoneSQL},
		{&s.recIDNext, recIDNextSQL},
	} {
		stmt, err := w.Prepare(p.query)
		if err != nil {
			return fmt.Errorf("prepare %q: %w", p.query, err)
		}
		*p.dst = stmt
	}
	return nil
}

// close closes the statements that were prepared.
func (s *supportStmts) close() {
	for _, stmt := range []*sql.Stmt{s.log, s.seqNext, s.seqInsert, s.idemGet, s.idemPut,
		s.parkPut, s.parkWaiting, s.parkDone, s.recIDNext} {
		if stmt != nil {
			stmt.Close()
		}
	}
}
