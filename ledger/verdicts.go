package ledger

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// The columns of a verdict row and one row's placeholders: every column, in the order of
// Verdict.args, and the few that a plain verdict (Verdict.plain) fills, the rest taking
// their defaults. Most records of a run are committed plainly, and binding a third of the
// values makes writing them much cheaper.
const (
	verdictColumns = `(message, class, found, extra, acknowledged, recovered, false_negative,
		retry_after_violations, detail, field, sent_value, stored_value)`
	verdictValues        = `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	plainColumns         = `(message, class, found, acknowledged)`
	plainValues          = `(?, ?, ?, ?)`
	verdictsPerStatement = 256
)

func (v Verdict) args() []any {
	return []any{v.Message, v.Class, v.Found, v.Extra, v.Acknowledged, v.Recovered,
		v.FalseNegative, v.RetryAfterViolations, v.Detail, v.Field, v.SentValue, v.StoredValue}
}

// plain reports whether every column beyond plainColumns holds its default.
func (v Verdict) plain() bool {
	return v.Extra == 0 && !v.Recovered && !v.FalseNegative && v.RetryAfterViolations == 0 &&
		v.Detail == "" && v.Field == "" && v.SentValue == "" && v.StoredValue == ""
}

func (v Verdict) plainArgs() []any {
	return []any{v.Message, v.Class, v.Found, v.Acknowledged}
}

// WriteVerdicts inserts vs in one transaction, many rows per statement, and returns when
// they are committed. It does not go through the writer goroutine: verification writes a
// verdict for every record of the run at once, and waits for them anyway. A verdict for a
// message that already has one is an error; ClearVerdicts first to verify again.
func (l *Ledger) WriteVerdicts(ctx context.Context, vs []Verdict) error {
	if len(vs) == 0 {
		return nil
	}
	var plain, full []Verdict
	for _, v := range vs {
		if v.plain() {
			plain = append(plain, v)
		} else {
			full = append(full, v)
		}
	}
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("write verdicts: %w", err)
	}
	defer tx.Rollback()
	if err := insertRows(ctx, tx, plainColumns, plainValues, plain, Verdict.plainArgs); err != nil {
		return err
	}
	if err := insertRows(ctx, tx, verdictColumns, verdictValues, full, Verdict.args); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("write verdicts: %w", err)
	}
	return nil
}

// insertRows inserts vs into the verdicts table, verdictsPerStatement rows at a time.
func insertRows(ctx context.Context, tx *sql.Tx, columns, values string, vs []Verdict,
	args func(Verdict) []any) error {
	var stmt *sql.Stmt
	for len(vs) > 0 {
		n := min(len(vs), verdictsPerStatement)
		bound := make([]any, 0, n*12)
		for _, v := range vs[:n] {
			bound = append(bound, args(v)...)
		}
		query := insertVerdicts(columns, values, n)
		var err error
		switch {
		case n < verdictsPerStatement:
			_, err = tx.ExecContext(ctx, query, bound...)
		case stmt == nil:
			if stmt, err = tx.PrepareContext(ctx, query); err == nil {
				defer stmt.Close()
				_, err = stmt.ExecContext(ctx, bound...)
			}
		default:
			_, err = stmt.ExecContext(ctx, bound...)
		}
		if err != nil {
			return fmt.Errorf("write verdicts: %w", err)
		}
		vs = vs[n:]
	}
	return nil
}

// ClearVerdicts deletes every verdict, so that a run can be verified again.
func (l *Ledger) ClearVerdicts(ctx context.Context) error {
	if _, err := l.db.ExecContext(ctx, `DELETE FROM verdicts`); err != nil {
		return fmt.Errorf("clear verdicts: %w", err)
	}
	return nil
}

func insertVerdicts(columns, values string, rows int) string {
	return "INSERT INTO verdicts " + columns + " VALUES " +
		strings.TrimSuffix(strings.Repeat(values+",", rows), ",")
}
