package verify

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stormcheck/stormcheck/ledger"
)

// synthetic is the shape of a made-up run: documents of one purchase-order header and
// four lines, and the share of records that end in each class. Every class is laid out
// on a fixed stride, so the expected counts are known exactly.
type synthetic struct {
	records int // expected records (messages)
}

// Strides of the synthetic run: line i (counted over lines only) falls in a class when
// i is a multiple of its stride, tested in this order.
const (
	strideRejected  = 97  // malformed line, refused with a 400
	strideBadData   = 389 // malformed line, stored anyway
	strideLost      = 101 // valid line, refused: never accepted
	strideDuplicate = 103 // valid line, ack lost and retried: stored twice
	strideAltered   = 107 // valid line, description truncated
	strideRecovered = 109 // valid line, a 503 first, then committed
	strideUnexpect  = 997 // an extra stored line that no message created
)

// build writes the synthetic run into a new run.db at dir and returns the ledger.
func (s synthetic) build(tb testing.TB, dir string) *ledger.Ledger {
	tb.Helper()
	l, err := ledger.Create(filepath.Join(dir, "run.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tx, err := l.DB().Begin()
	if err != nil {
		tb.Fatal(err)
	}
	w := newSynthWriter(tb, tx)
	line := 0
	for id := 1; id <= s.records; id++ {
		doc := (id-1)/5 + 1
		if (id-1)%5 == 0 {
			w.header(int64(id), doc)
			continue
		}
		line++
		w.line(int64(id), doc, (id-1)%5, line)
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
	return l
}

// want returns the counts the synthetic run must classify to.
func (s synthetic) want() Counts {
	var c Counts
	line := 0
	for id := 1; id <= s.records; id++ {
		c.Expected++
		if (id-1)%5 == 0 {
			c.Committed++
			continue
		}
		line++
		switch lineClass(line) {
		case RejectedAsExpected:
			c.RejectedAsExpected++
		case BadDataAccepted:
			c.BadDataAccepted++
		case Lost:
			c.Lost++
			c.LostNeverAccepted++
		case Duplicated:
			c.Duplicated++
			c.DuplicateCopies++
		case Altered:
			c.Altered++
		case "recovered":
			c.Committed++
			c.Recovered++
		default:
			c.Committed++
		}
		if line%strideUnexpect == 0 {
			c.Unexpected++
		}
	}
	return c
}

func lineClass(line int) string {
	switch {
	case line%strideRejected == 0:
		return RejectedAsExpected
	case line%strideBadData == 0:
		return BadDataAccepted
	case line%strideLost == 0:
		return Lost
	case line%strideDuplicate == 0:
		return Duplicated
	case line%strideAltered == 0:
		return Altered
	case line%strideRecovered == 0:
		return "recovered"
	}
	return Committed
}

// synthWriter inserts the rows of a synthetic run in one transaction.
type synthWriter struct {
	tb                     testing.TB
	message, attempt, stat *sql.Stmt
}

func newSynthWriter(tb testing.TB, tx *sql.Tx) *synthWriter {
	prep := func(q string) *sql.Stmt {
		st, err := tx.Prepare(q)
		if err != nil {
			tb.Fatal(err)
		}
		return st
	}
	return &synthWriter{
		tb: tb,
		message: prep(`INSERT INTO messages (id, doc, doc_kind, entity, role, company,
			match_key, parent_entity, parent_key, correlation, fate, faults, quantity, amount,
			copies, body) VALUES (?, ?, 'purchase-order', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`),
		attempt: prep(`INSERT INTO attempts (message, copy, try, seq, started_ns, latency_ns,
			status, outcome, error, injected, decision, answer, retry_after_ns)
			VALUES (?, 0, ?, ?, ?, 4000000, ?, ?, '', ?, ?, ?, ?)`),
		stat: prep(`INSERT INTO state (entity, company, match_key, parent_key, quantity,
			amount, body) VALUES (?, ?, ?, ?, ?, ?, ?)`),
	}
}

func (w *synthWriter) exec(st *sql.Stmt, args ...any) {
	if _, err := st.Exec(args...); err != nil {
		w.tb.Fatal(err)
	}
}

func company(doc int) string {
	if doc%2 == 0 {
		return "demf"
	}
	return "usmf"
}

func (w *synthWriter) header(id int64, doc int) {
	co, corr := company(doc), fmt.Sprintf("SCSYNTH-%d", doc)
	key := co + "|" + corr
	body := fmt.Sprintf(`{"dataAreaId":%q,"PurchaseOrderNumber":%q,`+
		`"OrderVendorAccountNumber":"SCV-00007","InvoiceVendorAccountNumber":"SCV-00007",`+
		`"VendorOrderReference":%q,"PurchaseOrderName":"Hettinger, Kuhn and Lakin",`+
		`"CurrencyCode":"USD","RequestedDeliveryDate":"2026-03-18T12:00:00Z",`+
		`"AccountingDate":"2026-03-02T12:00:00Z","DefaultReceivingSiteId":"1",`+
		`"DefaultReceivingWarehouseId":"11","DeliveryModeId":"Truck",`+
		`"PaymentTermsName":"Net30"}`, co, corr, corr)
	w.exec(w.message, id, doc, "PurchaseOrderHeadersV2", "header", co, key, "", "", corr,
		"commit", "", 0.0, 0.0, []byte(body))
	w.exec(w.attempt, id, 1, id, id*5_000_000, 201, "ok", "", "", "", 0)
	w.exec(w.stat, "PurchaseOrderHeadersV2", co, key, "", 0.0, 0.0, stored(body, id))
}

func (w *synthWriter) line(id int64, doc, n, line int) {
	co, corr := company(doc), fmt.Sprintf("SCSYNTH-%d", doc)
	key, parent := fmt.Sprintf("%s|%s|%d", co, corr, n), co+"|"+corr
	qty, price := float64(1+line%24), 10+float64(line%997)/100
	amount := float64(int(qty*price*100+0.5)) / 100
	body := fmt.Sprintf(`{"dataAreaId":%q,"PurchaseOrderNumber":%q,"LineNumber":%d,`+
		`"ItemNumber":"SCI-%05d","OrderedPurchaseQuantity":%g,"PurchaseUnitSymbol":"ea",`+
		`"PurchasePrice":%g,"LineAmount":%g,"LineDescription":"Ergonomic Bamboo Desk Lamp",`+
		`"RequestedDeliveryDate":"2026-03-18T12:00:00Z","ReceivingSiteId":"1",`+
		`"ReceivingWarehouseId":"11"}`, co, corr, n, 1+line%150, qty, price, amount)
	class := lineClass(line)
	fate, faults := "commit", ""
	if class == RejectedAsExpected || class == BadDataAccepted {
		fate, faults = "reject", "malformed:bad-date"
	}
	w.exec(w.message, id, doc, "PurchaseOrderLinesV2", "line", co, key,
		"PurchaseOrderHeadersV2", parent, corr, fate, faults, qty, amount, []byte(body))
	w.attempts(id, class)

	copies := 1
	switch class {
	case RejectedAsExpected, Lost:
		copies = 0
	case Duplicated:
		copies = 2
	case Altered:
		body = strings.Replace(body, "Ergonomic Bamboo Desk Lamp", "Ergonomic Bamboo", 1)
	}
	if line%strideUnexpect == 0 {
		w.exec(w.stat, "PurchaseOrderLinesV2", co, key+"0", parent, qty, amount,
			stored(body, -id))
	}
	for range copies {
		w.exec(w.stat, "PurchaseOrderLinesV2", co, key, parent, qty, amount, stored(body, id))
	}
}

// attempts records the deliveries that lead to class.
func (w *synthWriter) attempts(id int64, class string) {
	start := id * 5_000_000
	switch class {
	case RejectedAsExpected, Lost:
		w.exec(w.attempt, id, 1, id, start, 400, "rejected", "",
			"status 400 is not retried", "Cannot convert the value of property 'X'.", 0)
	case Duplicated:
		w.exec(w.attempt, id, 1, id, start, 0, "unknown", "ack-loss",
			"no answer (timeout): retry 2 of 3 after 400ms", "", 0)
		w.exec(w.attempt, id, 2, -id, start+404_000_000, 201, "ok", "", "", "", 0)
	case "recovered":
		w.exec(w.attempt, id, 1, id, start, 503, "failed", "status-503",
			"status 503: retry 2 of 3 after Retry-After 1s", "", int64(1e9))
		w.exec(w.attempt, id, 2, -id, start+1_004_000_000, 201, "ok", "", "", "", 0)
	default:
		w.exec(w.attempt, id, 1, id, start, 201, "ok", "", "", "", 0)
	}
}

// stored returns body as the mock returns a record: an etag first, the target's own
// fields after those sent.
func stored(body string, recID int64) string {
	return fmt.Sprintf(`{"@odata.etag":"W/\"JzEsNTYzNzE0NDU3NicgLy8%d\"",`, recID) +
		body[1:len(body)-1] + `,"PurchaseOrderLineStatus":"Backorder"}`
}
