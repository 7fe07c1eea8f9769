package engine_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stormcheck/stormcheck/engine"
	"github.com/stormcheck/stormcheck/ledger"
	"github.com/stormcheck/stormcheck/reports"
	"github.com/stormcheck/stormcheck/scenarios"
)

// designScenario is heavy on resends and child-first delivery, with retries off so that
// every verdict follows from the design alone. A resent copy goes out as soon as its
// original's delivery is over (delay 0s); a late header waits a full second after its
// lines, so the copy of a line sent before its header reaches the mock before the header.
// The rate leaves 10 ms between first deliveries, so each document's messages are answered
// before the next document's.
const designScenario = `
name: designs
seed: 7
target:
  mock: { design: %s }
  legal_entities: [usmf, demf]
load: { rate: 100/s, messages: 160, concurrency: 8 }
master_data: { vendors: 5, products: 20 }
flows:
  - { flow: procure-to-pay, lines: { min: 1, max: 3 } }
faults:
  duplicate: { rate: 30%%, mode: resend, delay: 0s-0s }
  reorder: { rate: 30%%, mode: child-first, delay: 1s-1s }
sender: { retry: { attempts: 1 } }
verify: { settle: 0s }
`

// runDesign runs designScenario against one design and returns its summary and ledger.
func runDesign(t *testing.T, design string) (*reports.Summary, *sql.DB) {
	t.Helper()
	s, err := scenarios.Parse([]byte(fmt.Sprintf(designScenario, design)), "designs.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), design)
	sum, err := engine.Run(context.Background(), engine.Config{Scenario: s, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Error != "" || sum.Interrupted {
		t.Fatalf("%s: run did not complete: %s", design, sum.Error)
	}
	l, err := ledger.Open(filepath.Join(dir, engine.LedgerFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return sum, l.DB()
}

// ledgerCount runs a COUNT query on a run ledger.
func ledgerCount(t *testing.T, db *sql.DB, query string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// Verdict queries shared by the designs. Messages are joined with their verdicts.
const (
	fromVerdicts = ` FROM verdicts v JOIN messages m ON m.id = v.message `
	isResent     = ` m.faults LIKE '%duplicate:resend%' `
	isChildFirst = ` m.faults LIKE '%reorder:child-first%' `
	isReceipt    = ` m.entity LIKE 'ProductReceipt%' `
	// A receipt line names its order line as PurchaseOrderNumber and
	// PurchaseOrderLineNumber, an invoice line as PurchaseOrder and PurchLineNumber.
	isLineOfALine  = ` m.entity IN ('ProductReceiptLinesV2', 'VendorInvoiceLines') `
	lostOrderLines = ` EXISTS (SELECT 1 FROM messages o JOIN verdicts ov ON ov.message = o.id
		WHERE o.entity = 'PurchaseOrderLinesV2' AND ov.class = 'lost' AND o.company = m.company
		AND o.correlation = COALESCE(json_extract(m.body, '$.PurchaseOrderNumber'),
			json_extract(m.body, '$.PurchaseOrder'))
		AND json_extract(o.body, '$.LineNumber') = COALESCE(
			json_extract(m.body, '$.PurchaseOrderLineNumber'),
			json_extract(m.body, '$.PurchLineNumber'))) `
)

// TestDesignsGiveDifferentVerdicts runs one duplicate- and reorder-heavy scenario against
// the naive, d365 and idempotent designs of the mock and checks, record by record from the
// ledger, the verdict each design must give.
func TestDesignsGiveDifferentVerdicts(t *testing.T) {
	if testing.Short() {
		t.Skip("three whole runs")
	}
	naive, ndb := runDesign(t, "naive")
	d365, ddb := runDesign(t, "d365")
	idem, idb := runDesign(t, "idempotent")

	resent := ledgerCount(t, ndb, `SELECT COUNT(*) FROM messages m WHERE`+isResent)
	early := ledgerCount(t, ndb, `SELECT COUNT(*) FROM messages m WHERE`+isChildFirst)
	if resent < 10 || early < 10 {
		t.Fatalf("seed 7 resent %d and reordered %d messages; the test needs both", resent, early)
	}
	for _, db := range []*sql.DB{ddb, idb} {
		if r, e := ledgerCount(t, db, `SELECT COUNT(*) FROM messages m WHERE`+isResent),
			ledgerCount(t, db, `SELECT COUNT(*) FROM messages m WHERE`+isChildFirst); r != resent ||
			e != early {
			t.Fatalf("the same seed injected different faults: %d/%d against %d/%d", r, e,
				resent, early)
		}
	}

	t.Run("naive stores every copy and every early line", func(t *testing.T) {
		v := naive.Verify
		dup := ledgerCount(t, ndb, `SELECT COUNT(*)`+fromVerdicts+`WHERE v.class = 'duplicated'`)
		dupResent := ledgerCount(t, ndb, `SELECT COUNT(*)`+fromVerdicts+
			`WHERE v.class = 'duplicated' AND v.found = 2 AND`+isResent)
		if dup != resent || dupResent != resent || v.DuplicateCopies != resent {
			t.Errorf("%d duplicated (%d of them resent and stored twice, %d extra copies), "+
				"want all %d resent messages", dup, dupResent, v.DuplicateCopies, resent)
		}
		// Naive keeps 30 characters of long item descriptions: those records are altered.
		if v.Lost != 0 || v.Orphans != 0 || v.Committed+v.Altered != v.Expected-resent {
			t.Errorf("lost %d, orphans %d, committed %d and altered %d of %d; want 0, 0, %d",
				v.Lost, v.Orphans, v.Committed, v.Altered, v.Expected, v.Expected-resent)
		}
	})

	t.Run("d365 refuses early lines and copies of keyed records, stores receipts twice",
		func(t *testing.T) {
			v := d365.Verify
			lostEarly := ledgerCount(t, ddb, `SELECT COUNT(*)`+fromVerdicts+
				`WHERE v.class = 'lost' AND v.acknowledged = 0 AND`+isChildFirst)
			cascade := ledgerCount(t, ddb, `SELECT COUNT(*)`+fromVerdicts+
				`WHERE v.class = 'lost' AND NOT`+isChildFirst+`AND`+isLineOfALine+
				`AND`+lostOrderLines)
			if lostEarly != early || v.Lost != early+cascade || v.LostNeverAccepted != v.Lost {
				t.Errorf("%d lost (%d never accepted): %d of %d early lines and %d receipt "+
					"and invoice lines of lost order lines", v.Lost, v.LostNeverAccepted,
					lostEarly, early, cascade)
			}
			// Receipts are numbered by the server, so a resend is a second receipt.
			wantDup := ledgerCount(t, ddb, `SELECT COUNT(*)`+fromVerdicts+`WHERE`+isResent+
				`AND`+isReceipt+`AND v.class != 'lost'`)
			dup := ledgerCount(t, ddb, `SELECT COUNT(*)`+fromVerdicts+`WHERE v.class = 'duplicated'`)
			dupReceipts := ledgerCount(t, ddb, `SELECT COUNT(*)`+fromVerdicts+
				`WHERE v.class = 'duplicated' AND v.found = 2 AND`+isResent+`AND`+isReceipt)
			if wantDup == 0 || dup != wantDup || dupReceipts != wantDup {
				t.Errorf("%d duplicated (%d resent receipts stored twice), want %d", dup,
					dupReceipts, wantDup)
			}
			// A resent order, invoice or line of them is keyed by the client and refused as
			// already existing: stored once (unless the order line it invoices was lost).
			keyedResent := `WHERE` + isResent + `AND NOT` + isReceipt + `AND NOT` + isChildFirst +
				`AND NOT` + lostOrderLines
			keyed := ledgerCount(t, ddb, `SELECT COUNT(*)`+fromVerdicts+keyedResent)
			refused := ledgerCount(t, ddb, `SELECT COUNT(*)`+fromVerdicts+keyedResent+
				`AND v.class = 'committed'
				AND EXISTS (SELECT 1 FROM attempts a WHERE a.message = m.id AND a.copy = 1
					AND a.status = 400 AND a.answer LIKE '%The record already exists%')`)
			if keyed == 0 || refused != keyed {
				t.Errorf("%d of %d resent orders, invoices and their lines committed once with "+
					"the copy refused as existing", refused, keyed)
			}
			if d365.ExitCode != reports.ExitIntegrity {
				t.Errorf("exit %d, want %d", d365.ExitCode, reports.ExitIntegrity)
			}
		})

	t.Run("idempotent replays copies and parks early lines", func(t *testing.T) {
		v := idem.Verify
		if v.Duplicated != 0 || v.DuplicateCopies != 0 || v.Orphans != 0 {
			t.Errorf("%d duplicated, %d orphans; want none", v.Duplicated, v.Orphans)
		}
		replayed := ledgerCount(t, idb, `SELECT COUNT(*)`+fromVerdicts+`WHERE`+isResent+
			`AND v.class = 'committed' AND EXISTS (SELECT 1 FROM attempts a
				WHERE a.message = m.id AND a.copy = 1 AND a.status BETWEEN 200 AND 299)`)
		resentLost := ledgerCount(t, idb, `SELECT COUNT(*)`+fromVerdicts+`WHERE`+isResent+
			`AND v.class = 'lost'`)
		if replayed+resentLost != resent {
			t.Errorf("%d resent records committed once with a 2xx for the copy, %d lost, "+
				"want %d in all", replayed, resentLost, resent)
		}
		// A line sent before its header is parked (202, which the sender counts as
		// acknowledged) and committed when the header arrives.
		parked := ledgerCount(t, idb, `SELECT COUNT(*)`+fromVerdicts+`WHERE`+isChildFirst+
			`AND v.class = 'committed' AND v.acknowledged = 1 AND EXISTS (SELECT 1 FROM
				attempts a WHERE a.message = m.id AND a.copy = 0 AND a.status = 202)`)
		// The only early lines lost are receipt and invoice lines whose order line was
		// itself parked (its order came child-first too): parking waits for a missing
		// parent, not for a missing order line, which is refused.
		refused := ledgerCount(t, idb, `SELECT COUNT(*)`+fromVerdicts+`WHERE`+isChildFirst+
			`AND v.class = 'lost' AND v.acknowledged = 0 AND`+isLineOfALine+
			`AND EXISTS (SELECT 1 FROM attempts a
				WHERE a.message = m.id AND a.copy = 0 AND a.status = 400
				AND a.answer LIKE '%Purchase order lines%')`)
		if parked == 0 || parked+refused != early {
			t.Errorf("%d early lines parked then committed, %d refused, want %d in all",
				parked, refused, early)
		}
		if v.Lost != refused || v.Committed != v.Expected-refused {
			t.Errorf("lost %d, committed %d of %d; want %d lost", v.Lost, v.Committed,
				v.Expected, refused)
		}
	})

	for _, r := range []*reports.Summary{naive, d365, idem} {
		t.Logf("%-10s expected %d committed %d duplicated %d lost %d", r.Design,
			r.Verify.Expected, r.Verify.Committed, r.Verify.Duplicated, r.Verify.Lost)
	}
	// Side by side: naive doubles the most, d365 loses the most, idempotent neither.
	if !(naive.Verify.Duplicated > d365.Verify.Duplicated &&
		d365.Verify.Duplicated > idem.Verify.Duplicated) {
		t.Errorf("duplicated: naive %d, d365 %d, idempotent %d; want strictly fewer in that "+
			"order", naive.Verify.Duplicated, d365.Verify.Duplicated, idem.Verify.Duplicated)
	}
	if !(d365.Verify.Lost > idem.Verify.Lost && idem.Verify.Lost >= naive.Verify.Lost) {
		t.Errorf("lost: d365 %d, idempotent %d, naive %d; want d365 the most", d365.Verify.Lost,
			idem.Verify.Lost, naive.Verify.Lost)
	}
}
