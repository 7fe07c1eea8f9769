package verify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/stormcheck/stormcheck/generators"
	"github.com/stormcheck/stormcheck/ledger"
)

// batchSize is how many records travel together through the classification pipeline:
// large enough that channel hand-offs and verdict transactions cost little per record,
// small enough that a few batches in flight stay within a few megabytes.
const batchSize = 2048

// Classify gives every expected record of the ledger its verdict, replacing any earlier
// verdicts, and returns the counts per entity and legal entity with the reconciliation of
// quantities and amounts. ReadBack must have run first. Every message creates its own
// record: no two messages of a run share a match key, as generators guarantee; a ledger
// where some do is refused, because their verdicts would count each other's records.
//
// It streams: the state is aggregated per key in a temporary table of run.db, then one
// goroutine reads the records in message order, another their attempts, one per CPU
// judges, and a last one counts and writes the verdicts. Memory holds a few batches
// whatever the size of the run.
func Classify(ctx context.Context, l *ledger.Ledger) (*Result, error) {
	if err := l.Flush(); err != nil {
		return nil, err
	}
	if err := l.ClearVerdicts(ctx); err != nil {
		return nil, err
	}
	conn, err := l.DB().Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("classify records: %w", err)
	}
	defer conn.Close()
	defer conn.ExecContext(context.WithoutCancel(ctx), dropFound)

	t := newTally()
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return prepareFound(gctx, conn) })
	g.Go(func() error { return t.readStored(gctx, l.DB()) })
	g.Go(func() error { return uniqueKeys(gctx, l.DB()) })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if err := classifyAll(ctx, l, conn, t); err != nil {
		return nil, err
	}
	return t.result(), nil
}

// classifyAll runs the pipeline: read, judge, then count and write.
func classifyAll(ctx context.Context, l *ledger.Ledger, conn *sql.Conn, t *tally) error {
	g, gctx := errgroup.WithContext(ctx)
	attempts := make(chan []attemptRow, 2)
	g.Go(func() error { return streamAttempts(gctx, l.DB(), attempts) })
	src, err := openRecords(gctx, conn, attempts)
	if err != nil {
		for range attempts {
		}
		return errors.Join(err, g.Wait())
	}
	batches := make(chan []evidence, 2)
	judged := make(chan []verdict, 2)
	g.Go(func() error {
		defer close(batches)
		defer src.close()
		return feed(gctx, src, batches)
	})
	var workers sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		workers.Add(1)
		g.Go(func() error {
			defer workers.Done()
			return judgeAll(gctx, batches, judged)
		})
	}
	g.Go(func() error {
		workers.Wait()
		close(judged)
		return nil
	})
	g.Go(func() error { return record(gctx, l, judged, t) })
	return g.Wait()
}

// uniqueKeys refuses a ledger where two messages would create the same record.
func uniqueKeys(ctx context.Context, db *sql.DB) error {
	var n int
	err := db.QueryRowContext(ctx, sharedKeysQuery).Scan(&n)
	switch {
	case err != nil:
		return fmt.Errorf("check match keys: %w", err)
	case n > 0:
		return fmt.Errorf("classify records: %d match keys are shared by several messages; "+
			"each message must create its own record", n)
	}
	return nil
}

// feed reads the evidence in batches until the records are over.
func feed(ctx context.Context, src *evidenceReader, out chan<- []evidence) error {
	for {
		batch := make([]evidence, 0, batchSize)
		for len(batch) < batchSize {
			var ev evidence
			ok, err := src.read(&ev)
			if err != nil {
				return err
			}
			if !ok {
				break
			}
			batch = append(batch, ev)
		}
		if len(batch) == 0 {
			return nil
		}
		if err := send(ctx, out, batch); err != nil {
			return err
		}
	}
}

// judgeAll judges every batch it receives.
func judgeAll(ctx context.Context, in <-chan []evidence, out chan<- []verdict) error {
	cmp := &comparer{}
	for batch := range in {
		vs := make([]verdict, len(batch))
		for i := range batch {
			vs[i] = judge(&batch[i], cmp)
		}
		if err := send(ctx, out, vs); err != nil {
			return err
		}
	}
	return nil
}

// record counts every verdict and writes it to the ledger.
func record(ctx context.Context, l *ledger.Ledger, in <-chan []verdict, t *tally) error {
	rows := make([]ledger.Verdict, 0, batchSize)
	for vs := range in {
		rows = rows[:0]
		for _, v := range vs {
			t.add(v)
			rows = append(rows, row(v))
		}
		if err := l.WriteVerdicts(ctx, rows); err != nil {
			return err
		}
	}
	return nil
}

func row(v verdict) ledger.Verdict {
	return ledger.Verdict{
		Message: v.message, Class: v.class, Found: v.found, Extra: v.extra(),
		Acknowledged: v.acknowledged, Recovered: v.recovered, FalseNegative: v.falseNegative,
		RetryAfterViolations: v.violations, Detail: v.cause,
		Field: v.diff.field, SentValue: shorten(v.diff.sent, maxValue),
		StoredValue: shorten(v.diff.stored, maxValue),
	}
}

// maxValue bounds a value kept in a verdict row: an overlong text sent on purpose may be
// thousands of characters, and the start shows what happened to it.
const maxValue = 500

// sortedByEntity orders rows as the documents write their entities, then by legal entity.
func sortedByEntity[T any](rows []T, key func(T) (string, string)) {
	rank := func(entity string) int {
		for i, s := range generators.Specs {
			if s.Entity == entity {
				return i
			}
		}
		return len(generators.Specs)
	}
	sort.SliceStable(rows, func(i, j int) bool {
		ei, ci := key(rows[i])
		ej, cj := key(rows[j])
		switch {
		case ei == ej:
			return ci < cj
		case rank(ei) != rank(ej):
			return rank(ei) < rank(ej)
		}
		return ei < ej
	})
}
