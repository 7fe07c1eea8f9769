package engine_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stormcheck/stormcheck/engine"
	"github.com/stormcheck/stormcheck/ledger"
	"github.com/stormcheck/stormcheck/reports"
	"github.com/stormcheck/stormcheck/scenarios"
)

// base is a small procure-to-pay scenario against the embedded mock; tests add faults,
// sender and expect sections. Its exact counts depend only on the seed.
const base = `
name: e2e
seed: 42
target:
  mock: { design: d365 }
  legal_entities: [usmf, demf]
load: { rate: 2000/s, messages: 400, concurrency: 16 }
master_data: { vendors: 10, products: 30 }
flows:
  - { flow: procure-to-pay, lines: { min: 1, max: 5 } }
verify: { settle: 0s }
`

// runScenario runs base plus extra and returns the summary and the opened ledger.
func runScenario(t *testing.T, extra string) (*reports.Summary, *sql.DB) {
	t.Helper()
	return runAdjusted(t, extra, func(*scenarios.Scenario) {})
}

// runAdjusted runs base plus extra after adjust changed the parsed scenario.
func runAdjusted(t *testing.T, extra string, adjust func(*scenarios.Scenario)) (*reports.Summary, *sql.DB) {
	t.Helper()
	s, err := scenarios.Parse([]byte(base+extra), "e2e.yaml")
	if err != nil {
		t.Fatal(err)
	}
	adjust(s)
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "run")
	sum, err := engine.Run(context.Background(), engine.Config{Scenario: s, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Error != "" || sum.Interrupted {
		t.Fatalf("run did not complete: %s", sum.Error)
	}
	l, err := ledger.Open(filepath.Join(dir, engine.LedgerFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return sum, l.DB()
}

func count(t *testing.T, db *sql.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestNoFaultsCommitsEveryRecord(t *testing.T) {
	sum, db := runScenario(t, "")
	v := sum.Verify
	if v.Expected != int(sum.Load.Messages) || v.Committed != v.Expected {
		t.Fatalf("%d of %d records committed, want all %d messages", v.Committed, v.Expected,
			sum.Load.Messages)
	}
	if sum.Load.Messages != 400 || sum.ExitCode != reports.ExitOK || !sum.Passed {
		t.Fatalf("sent %d messages, exit %d; want 400 and exit 0", sum.Load.Messages, sum.ExitCode)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM attempts WHERE status != 201`); n != 0 {
		t.Fatalf("%d attempts were not answered 201", n)
	}
}

// TestAckLossOnReceiptsDuplicates checks the core promise: every receipt whose answer was
// lost is stored twice under d365 (F&O numbers receipts itself, so the retry creates a
// second one), while orders keyed by their number are not doubled.
func TestAckLossOnReceiptsDuplicates(t *testing.T) {
	sum, db := runScenario(t, `
faults: { ack_loss: { rate: 5% } }
sender: { retry: { attempts: 3, backoff: 1ms-5ms, on: [timeout, 5xx] } }
`)
	lostOnReceipts := count(t, db, `SELECT COUNT(*) FROM attempts a JOIN messages m ON m.id = a.message
		WHERE a.injected = 'ack-loss' AND m.doc_kind = 'product-receipt'`)
	// Orders and invoices carry keys the client chose; receipts are numbered by F&O.
	lostOnKeyed := count(t, db, `SELECT COUNT(*) FROM attempts a JOIN messages m ON m.id = a.message
		WHERE a.injected = 'ack-loss' AND m.doc_kind IN ('purchase-order', 'vendor-invoice')`)
	if lostOnReceipts == 0 || lostOnKeyed == 0 {
		t.Fatalf("seed 42 lost %d receipt and %d order or invoice answers; the test needs both",
			lostOnReceipts, lostOnKeyed)
	}
	copies := 0
	for _, e := range sum.Entities {
		if strings.HasPrefix(e.Entity, "ProductReceipt") {
			copies += e.DuplicateCopies
		} else if e.Duplicated != 0 {
			t.Fatalf("%s %s has %d duplicated records, want 0", e.Entity, e.Company, e.Duplicated)
		}
	}
	if copies != lostOnReceipts || sum.Verify.DuplicateCopies != lostOnReceipts {
		t.Fatalf("%d extra receipt copies (run total %d), want exactly %d", copies,
			sum.Verify.DuplicateCopies, lostOnReceipts)
	}
	if sum.Faults["ack_loss"] != lostOnReceipts+lostOnKeyed {
		t.Fatalf("report counts %d ack losses, ledger %d", sum.Faults["ack_loss"],
			lostOnReceipts+lostOnKeyed)
	}
	// An order or invoice whose answer was lost is retried into "already exists": the
	// sender gives up on a record that is in fact committed.
	if sum.Verify.FalseNegatives != lostOnKeyed || sum.Verify.Lost != 0 {
		t.Fatalf("%d false negatives and %d lost, want %d and 0", sum.Verify.FalseNegatives,
			sum.Verify.Lost, lostOnKeyed)
	}
	if sum.ExitCode != reports.ExitIntegrity {
		t.Fatalf("exit %d, want %d", sum.ExitCode, reports.ExitIntegrity)
	}
}

func TestMalformedRecordsAreRejectedAsExpected(t *testing.T) {
	sum, db := runScenario(t, `
faults:
  malformed:
    rate: 5%
    kinds: [missing-required, bad-date, overlong-string, locale-decimal, unknown-property,
            wrong-type]
`)
	malformed := count(t, db, `SELECT COUNT(*) FROM messages WHERE faults LIKE 'malformed:%'`)
	meantToFail := count(t, db, `SELECT COUNT(*) FROM messages WHERE fate = 'reject'`)
	if malformed == 0 || sum.Faults["malformed"] != malformed {
		t.Fatalf("ledger has %d malformed messages, report %d", malformed, sum.Faults["malformed"])
	}
	v := sum.Verify
	if v.RejectedAsExpected != meantToFail || v.BadDataAccepted != 0 {
		t.Fatalf("%d rejected as expected and %d bad data accepted, want %d and 0",
			v.RejectedAsExpected, v.BadDataAccepted, meantToFail)
	}
	if v.Committed != v.Expected-meantToFail || sum.ExitCode != reports.ExitOK {
		t.Fatalf("%d committed of %d with exit %d, want %d and exit 0", v.Committed, v.Expected,
			sum.ExitCode, v.Expected-meantToFail)
	}
	unclear := count(t, db, `SELECT COUNT(*) FROM messages m WHERE m.fate = 'reject' AND NOT EXISTS
		(SELECT 1 FROM attempts a WHERE a.message = m.id AND a.status = 400 AND a.answer != '')`)
	if unclear != 0 {
		t.Fatalf("%d malformed records were not refused with a 400 and a message", unclear)
	}
}

// TestChildFirstWithoutRetriesLosesTheLines sends lines before their header under d365
// with retries off: each such line is refused (its order does not exist yet) and lost,
// never accepted; receipt lines for those order lines are lost in turn.
func TestChildFirstWithoutRetriesLosesTheLines(t *testing.T) {
	sum, db := runScenario(t, `
faults: { reorder: { rate: 10%, mode: child-first, delay: 100ms-200ms } }
sender: { retry: { attempts: 1 } }
`)
	early := count(t, db, `SELECT COUNT(*) FROM messages WHERE faults LIKE '%reorder:child-first%'`)
	if early == 0 {
		t.Fatal("seed 42 reordered nothing")
	}
	lostEarly := count(t, db, `SELECT COUNT(*) FROM verdicts v JOIN messages m ON m.id = v.message
		WHERE m.faults LIKE '%reorder:child-first%' AND v.class = 'lost' AND v.acknowledged = 0`)
	if lostEarly != early {
		t.Fatalf("%d of %d lines sent before their header are lost, never accepted", lostEarly, early)
	}
	// Every other lost record is a receipt or invoice line for an order line that was lost.
	cascade := count(t, db, `SELECT COUNT(*) FROM verdicts v JOIN messages m ON m.id = v.message
		WHERE v.class = 'lost' AND m.faults NOT LIKE '%reorder:child-first%' AND`+
		isLineOfALine+`AND`+lostOrderLines)
	if sum.Verify.Lost != early+cascade || sum.Verify.LostNeverAccepted != sum.Verify.Lost {
		t.Fatalf("%d lost (%d never accepted), want %d early lines + %d receipt and invoice "+
			"lines", sum.Verify.Lost, sum.Verify.LostNeverAccepted, early, cascade)
	}
	headers := count(t, db, `SELECT COUNT(*) FROM verdicts v JOIN messages m ON m.id = v.message
		WHERE m.faults LIKE '%reorder:held%' AND v.class = 'committed'`)
	if want := sum.Faults["reorder"]; headers != want {
		t.Fatalf("%d late headers committed, want all %d", headers, want)
	}
	if sum.ExitCode != reports.ExitIntegrity {
		t.Fatalf("exit %d, want %d", sum.ExitCode, reports.ExitIntegrity)
	}
}

func TestSameSeedSameVerdicts(t *testing.T) {
	extra := `
faults:
  duplicate: { rate: 3% }
  malformed: { rate: 2%, kinds: [missing-required, bad-date] }
  ack_loss: { rate: 2% }
sender: { retry: { attempts: 3, backoff: 1ms-5ms } }
`
	a, _ := runScenario(t, extra)
	b, _ := runScenario(t, extra)
	if fmt.Sprint(*a.Verify, a.Faults) != fmt.Sprint(*b.Verify, b.Faults) {
		t.Fatalf("the same seed gave different verdicts:\n%+v %v\n%+v %v", *a.Verify, a.Faults,
			*b.Verify, b.Faults)
	}
	if a.Prefix == b.Prefix {
		t.Fatal("two runs shared a correlation prefix")
	}
}
