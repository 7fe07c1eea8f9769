package engine_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stormcheck/stormcheck/engine"
	"github.com/stormcheck/stormcheck/ledger"
	"github.com/stormcheck/stormcheck/mockd365"
	"github.com/stormcheck/stormcheck/reports"
	"github.com/stormcheck/stormcheck/scenarios"
	"github.com/stormcheck/stormcheck/verify"
)

// The tests below run the bundled verdict-* scenarios end to end against the embedded
// mock and check each count exactly against what the ledger (and the mock's own store)
// says happened, derived independently of the classification.

// runBundled runs a bundled scenario as it ships and returns its summary, its ledger and
// its run directory.
func runBundled(t *testing.T, name string) (*reports.Summary, *sql.DB, string) {
	t.Helper()
	s, err := scenarios.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	return runLoaded(t, s)
}

// runYAML runs a scenario written in the test, as runBundled runs a bundled one.
func runYAML(t *testing.T, text string) (*reports.Summary, *sql.DB, string) {
	t.Helper()
	s, err := scenarios.Parse([]byte(text), t.Name()+".yaml")
	if err != nil {
		t.Fatal(err)
	}
	return runLoaded(t, s)
}

func runLoaded(t *testing.T, s *scenarios.Scenario) (*reports.Summary, *sql.DB, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "run")
	sum, err := engine.Run(context.Background(), engine.Config{Scenario: s, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Error != "" || sum.Interrupted || sum.Verify == nil {
		t.Fatalf("run did not complete: %s", sum.Error)
	}
	db, err := ledger.OpenReadOnly(filepath.Join(dir, engine.LedgerFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return sum, db, dir
}

// expectCounts compares the counts that matter to a test with what it derived.
func expectCounts(t *testing.T, got verify.Counts, want map[string][2]int) {
	t.Helper()
	for name, gw := range want {
		if gw[0] != gw[1] {
			t.Errorf("%s: verification counted %d, the ledger says %d", name, gw[0], gw[1])
		}
	}
	if t.Failed() {
		t.Fatalf("counts %+v", got)
	}
}

// neverAccepted counts messages meant to be committed that no attempt got a 2xx for.
const neverAccepted = `SELECT COUNT(*) FROM messages m WHERE m.fate = 'commit' AND NOT EXISTS
	(SELECT 1 FROM attempts a WHERE a.message = m.id AND a.status BETWEEN 200 AND 299)`

// longText counts valid messages with a text longer than the naive design's 30-character
// columns in a field that F&O makes longer.
// longText counts the records not sent malformed whose text the naive design cuts.
const longText = `SELECT COUNT(*) FROM messages WHERE faults NOT LIKE '%malformed:%' AND
	(length(json_extract(body, '$.LineDescription')) > 30 OR
	 length(json_extract(body, '$.PurchaseOrderName')) > 30)`

// TestVerdictCommitted runs verdict-committed: every 503 is retried after its
// Retry-After, so every record is committed, and the recovered ones are exactly those
// whose original delivery had a 503.
func TestVerdictCommitted(t *testing.T) {
	sum, db, _ := runBundled(t, "verdict-committed")
	v := sum.Verify
	failed := count(t, db, `SELECT COUNT(DISTINCT message) FROM attempts WHERE copy = 0 AND
		status = 503`)
	if failed == 0 {
		t.Fatal("seed 201 injected no 503; the test needs some")
	}
	expectCounts(t, *v, map[string][2]int{
		"expected":               {v.Expected, int(sum.Load.Messages)},
		"committed":              {v.Committed, int(sum.Load.Messages)},
		"recovered":              {v.Recovered, failed},
		"retry_after_violations": {v.RetryAfterViolations, 0},
	})
	if sum.ExitCode != reports.ExitOK || sum.Settle.EndedBy != verify.SettleStable {
		t.Fatalf("exit %d, settle %+v; want 0 and a stable state", sum.ExitCode, sum.Settle)
	}
}

// TestVerdictDuplicated runs verdict-duplicated: under d365 every delivery of a receipt
// that reached F&O (acknowledged, or answered but the answer lost) stores a receipt, so
// the extra copies are those deliveries beyond the first; orders are never doubled, and
// an order whose retry was refused as existing is a false negative.
func TestVerdictDuplicated(t *testing.T) {
	sum, db, _ := runBundled(t, "verdict-duplicated")
	v := sum.Verify
	const arrivals = `SELECT m.entity, m.company, m.quantity, COUNT(*) AS n
		FROM attempts a JOIN messages m ON m.id = a.message
		WHERE m.entity LIKE 'ProductReceipt%' AND
			(a.status BETWEEN 200 AND 299 OR a.injected LIKE '%ack-loss%')
		GROUP BY a.message`
	extra := count(t, db, `SELECT COALESCE(SUM(n - 1), 0) FROM (`+arrivals+`)`)
	doubled := count(t, db, `SELECT COUNT(*) FROM (`+arrivals+`) WHERE n > 1`)
	refused := count(t, db, `SELECT COUNT(*) FROM messages m
		WHERE (m.entity LIKE 'PurchaseOrder%' OR m.entity LIKE 'VendorInvoice%')
			AND (SELECT a.answer FROM attempts a
			WHERE a.message = m.id AND a.copy = 0 ORDER BY a.try DESC LIMIT 1)
		LIKE '%The record already exists.%'`)
	if extra == 0 || refused == 0 {
		t.Fatalf("seed 202 gave %d extra receipts and %d refused orders; the test needs both",
			extra, refused)
	}
	expectCounts(t, *v, map[string][2]int{
		"duplicated":       {v.Duplicated, doubled},
		"duplicate_copies": {v.DuplicateCopies, extra},
		"false_negatives":  {v.FalseNegatives, refused},
		"lost":             {v.Lost, 0},
	})
	for _, e := range sum.Entities {
		if strings.HasPrefix(e.Entity, "PurchaseOrder") && e.Duplicated != 0 {
			t.Errorf("%s %s: %d duplicated orders, want none", e.Entity, e.Company, e.Duplicated)
		}
	}
	extraQty := count(t, db, `SELECT CAST(COALESCE(SUM((n - 1) * quantity), 0) AS INTEGER)
		FROM (`+arrivals+`) WHERE entity = 'ProductReceiptLinesV2'`)
	checkReconciliation(t, sum, "ProductReceiptLinesV2", float64(extraQty))
}

// checkReconciliation checks that the extra quantity of an entity is what its extra
// copies carry, and that nothing else moved the stored totals.
func checkReconciliation(t *testing.T, sum *reports.Summary, entity string, extra float64) {
	t.Helper()
	var dup float64
	for _, r := range sum.Reconciliation {
		if r.Entity == entity {
			dup += r.Quantity.Duplicated
		}
		if r.Quantity.Other != 0 || r.Amount.Other != 0 {
			t.Errorf("%s %s: unexplained difference %+v", r.Entity, r.Company, r)
		}
		if got := r.Quantity.Expected + r.Quantity.Duplicated - r.Quantity.Lost; got !=
			r.Quantity.Stored {
			t.Errorf("%s %s: stored %v, want %v", r.Entity, r.Company, r.Quantity.Stored, got)
		}
	}
	if dup != extra {
		t.Errorf("%s: duplicates add %v, the extra copies carry %v", entity, dup, extra)
	}
}

// TestVerdictLost runs verdict-lost: a record whose request was dropped is lost, never
// accepted; a line sent after its order was dropped is parked by the idempotent design
// with a 202 and never applied, so it is lost although acknowledged. The parked count is
// read from the mock's own store.
func TestVerdictLost(t *testing.T) {
	sum, db, dir := runBundled(t, "verdict-lost")
	v := sum.Verify
	never := count(t, db, neverAccepted)
	answered202 := count(t, db, `SELECT COUNT(DISTINCT message) FROM attempts WHERE status = 202`)
	mock, err := ledger.OpenReadOnly(filepath.Join(dir, engine.MockFile))
	if err != nil {
		t.Fatal(err)
	}
	defer mock.Close()
	parked := count(t, mock, `SELECT COUNT(*) FROM parked WHERE state = 'parked'`)
	if never == 0 || parked == 0 {
		t.Fatalf("seed 203 lost %d records unanswered and parked %d; the test needs both",
			never, parked)
	}
	expectCounts(t, *v, map[string][2]int{
		"lost_never_accepted": {v.LostNeverAccepted, never},
		"lost_acknowledged":   {v.LostAcknowledged, parked},
		"answered 202":        {v.LostAcknowledged, answered202},
		"lost":                {v.Lost, never + parked},
		"committed":           {v.Committed, v.Expected - never - parked},
	})
}

// TestVerdictAltered runs verdict-altered: with valid data and no faults, the records the
// naive design changes are exactly those with text beyond its 30-character columns, each
// stored as the first 30 characters of what was sent.
func TestVerdictAltered(t *testing.T) {
	sum, db, _ := runBundled(t, "verdict-altered")
	v := sum.Verify
	long := count(t, db, longText)
	if long == 0 {
		t.Fatal("seed 204 sent no long text; the test needs some")
	}
	expectCounts(t, *v, map[string][2]int{
		"altered":   {v.Altered, long},
		"committed": {v.Committed, v.Expected - long},
	})
	cut := count(t, db, `SELECT COUNT(*) FROM verdicts WHERE class = 'altered' AND
		field IN ('LineDescription', 'PurchaseOrderName') AND
		json_extract(stored_value, '$') = substr(json_extract(sent_value, '$'), 1, 30) AND
		detail LIKE '%(truncated to 30 characters)%'`)
	if cut != long {
		t.Fatalf("%d of %d altered records name the field cut to 30 characters", cut, long)
	}
}

// TestVerdictBadDataAccepted runs verdict-bad-data-accepted: the naive design stores
// every record sent malformed on purpose, which is bad data accepted, and every record
// that refers to one; those are judged as valid records, since what they refer to is
// stored (the damage is counted once, on the malformed record).
func TestVerdictBadDataAccepted(t *testing.T) {
	sum, db, _ := runBundled(t, "verdict-bad-data-accepted")
	v := sum.Verify
	malformed := count(t, db, `SELECT COUNT(*) FROM messages WHERE faults LIKE '%malformed:%'`)
	dependents := count(t, db, `SELECT COUNT(*) FROM verdicts v JOIN messages m ON m.id = v.message
		WHERE m.fate = 'reject' AND m.faults NOT LIKE '%malformed:%'
		AND v.class IN ('committed', 'altered')
		AND v.detail LIKE '%was sent malformed and stored%'`)
	if malformed == 0 || dependents == 0 {
		t.Fatalf("seed 205 malformed %d records, with %d dependents; the test needs both",
			malformed, dependents)
	}
	all := count(t, db, `SELECT COUNT(*) FROM messages WHERE fate = 'reject'`)
	if all != malformed+dependents {
		t.Fatalf("%d records meant to be refused, %d malformed and %d dependents judged", all,
			malformed, dependents)
	}
	altered := count(t, db, longText)
	expectCounts(t, *v, map[string][2]int{
		"bad_data_accepted":    {v.BadDataAccepted, malformed},
		"rejected_as_expected": {v.RejectedAsExpected, 0},
		"orphans":              {v.Orphans, 0},
		"altered":              {v.Altered, altered},
		"committed":            {v.Committed, v.Expected - malformed - altered},
	})
}

// TestVerdictRejectedAsExpected runs verdict-rejected-as-expected: under d365 every
// record meant to be refused is refused with a 400 and a message, and the run passes.
func TestVerdictRejectedAsExpected(t *testing.T) {
	sum, db, _ := runBundled(t, "verdict-rejected-as-expected")
	v := sum.Verify
	malformed := count(t, db, `SELECT COUNT(*) FROM messages WHERE fate = 'reject'`)
	clear := count(t, db, `SELECT COUNT(*) FROM messages m WHERE m.fate = 'reject' AND EXISTS
		(SELECT 1 FROM attempts a WHERE a.message = m.id AND a.status = 400 AND a.answer != '')`)
	if malformed == 0 {
		t.Fatal("seed 206 malformed nothing")
	}
	expectCounts(t, *v, map[string][2]int{
		"rejected_as_expected": {v.RejectedAsExpected, malformed},
		"refused clearly":      {v.RejectedAsExpected - v.UnclearRejections, clear},
		"bad_data_accepted":    {v.BadDataAccepted, 0},
		"committed":            {v.Committed, v.Expected - malformed},
	})
	if sum.ExitCode != reports.ExitOK {
		t.Fatalf("exit %d, want 0", sum.ExitCode)
	}
}

// TestVerdictOrphan runs verdict-orphan: under naive, a line acknowledged while its
// order or receipt header got no 2xx is an orphan; what got no 2xx is lost.
func TestVerdictOrphan(t *testing.T) {
	sum, db, _ := runBundled(t, "verdict-orphan")
	v := sum.Verify
	orphans := count(t, db, `SELECT COUNT(*) FROM messages m WHERE m.parent_entity != '' AND
		EXISTS (SELECT 1 FROM attempts a WHERE a.message = m.id AND a.status BETWEEN 200 AND 299)
		AND NOT EXISTS (SELECT 1 FROM messages p JOIN attempts a ON a.message = p.id
			WHERE p.entity = m.parent_entity AND p.match_key = m.parent_key
			AND a.status BETWEEN 200 AND 299)`)
	if orphans == 0 {
		t.Fatal("seed 207 orphaned nothing")
	}
	expectCounts(t, *v, map[string][2]int{
		"orphans":             {v.Orphans, orphans},
		"lost_never_accepted": {v.LostNeverAccepted, count(t, db, neverAccepted)},
		"lost_acknowledged":   {v.LostAcknowledged, 0},
	})
}

// TestVerdictOrphanCopiesAreDuplicates runs verdict-orphan's design with resends: under
// naive every 2xx stores a copy, so the extra copies are the 2xx beyond the first of each
// valid record, orphans included. An orphan stored again stays an orphan, and its copies
// count as duplicates, in the expectation and in the reconciliation, so nothing is left
// unexplained.
func TestVerdictOrphanCopiesAreDuplicates(t *testing.T) {
	sum, db, _ := runYAML(t, `name: orphan-copies
seed: 207
target: { mock: { design: naive }, legal_entities: [usmf, demf] }
load: { rate: 1000/s, messages: 1200 }
master_data: { vendors: 20, products: 60 }
flows: [{ flow: procure-to-pay, lines: { min: 1, max: 6 } }]
faults:
  transport: { error_rate: 10%, status: 503 }
  duplicate: { rate: 10%, mode: resend, delay: 0s-200ms }
sender: { retry: { attempts: 1 } }
verify: { settle: 1s }
`)
	v := sum.Verify
	const stored = `SELECT m.id, m.entity, m.quantity, COUNT(*) AS n,
			m.parent_entity != '' AND NOT EXISTS (SELECT 1 FROM messages p
				JOIN attempts pa ON pa.message = p.id
				WHERE p.entity = m.parent_entity AND p.match_key = m.parent_key
				AND pa.status BETWEEN 200 AND 299) AS orphan
		FROM messages m JOIN attempts a ON a.message = m.id
		WHERE m.fate = 'commit' AND m.role != 'update' AND a.status BETWEEN 200 AND 299
		GROUP BY m.id`
	extra := count(t, db, `SELECT COALESCE(SUM(n - 1), 0) FROM (`+stored+`)`)
	orphanCopies := count(t, db, `SELECT COALESCE(SUM(n - 1), 0) FROM (`+stored+`) WHERE orphan`)
	orphansAgain := count(t, db, `SELECT COUNT(*) FROM (`+stored+`) WHERE orphan AND n > 1`)
	if orphanCopies == 0 {
		t.Fatal("seed 207 stored no orphan twice; the test needs some")
	}
	told := count(t, db, `SELECT COUNT(*) FROM verdicts WHERE class = 'orphan' AND extra > 0
		AND (detail LIKE 'stored twice, but its parent % is absent: message % that creates it `+
		`was never accepted (%); 1 extra copy: sent again as copy 1 (duplicate:resend), %'
		OR detail LIKE 'stored % times, but its parent %')`)
	expectCounts(t, *v, map[string][2]int{
		"duplicate_copies":          {v.DuplicateCopies, extra},
		"orphans stored again":      {told, orphansAgain},
		"orphan copies, duplicated": {v.DuplicateCopies - orphanCopies, extra - orphanCopies},
	})
	for _, e := range sum.Expectations {
		if e.Name == "duplicates" && e.Got != strconv.Itoa(extra) {
			t.Errorf("duplicates expectation got %s, want %d", e.Got, extra)
		}
	}
	extraQty := count(t, db, `SELECT CAST(COALESCE(SUM((n - 1) * quantity), 0) AS INTEGER)
		FROM (`+stored+`) WHERE entity = 'PurchaseOrderLinesV2'`)
	checkReconciliation(t, sum, "PurchaseOrderLinesV2", float64(extraQty))
}

// TestVerdictRevisionNeverAccepted runs revisions of order lines through a gateway that
// drops a tenth of the requests with a 503, and a sender that never retries: a line whose
// last revision got no 2xx holds an older value, so it is altered, and its cause says
// that the revision was never accepted, and whose value is stored, rather than blaming
// the target for changing it.
func TestVerdictRevisionNeverAccepted(t *testing.T) {
	sum, db, _ := runYAML(t, `name: revision-never-accepted
seed: 108
target: { mock: { design: d365 }, legal_entities: [usmf] }
load: { rate: 1000/s, messages: 1500 }
master_data: { vendors: 20, products: 60 }
flows: [{ flow: procure-to-pay, lines: { min: 1, max: 6 }, changes: 40% }]
faults: { transport: { error_rate: 10%, status: 503 } }
sender: { retry: { attempts: 1 } }
verify: { settle: 1s }
`)
	v := sum.Verify
	const lastRefused = `SELECT m.id FROM messages m
		WHERE m.role != 'update'
		AND EXISTS (SELECT 1 FROM attempts a WHERE a.message = m.id AND a.status = 201)
		AND (SELECT NOT EXISTS (SELECT 1 FROM attempts a WHERE a.message = u.id
				AND a.status BETWEEN 200 AND 299)
			FROM messages u WHERE u.role = 'update' AND u.entity = m.entity
			AND u.match_key = m.match_key ORDER BY u.id DESC LIMIT 1)`
	stale := count(t, db, `SELECT COUNT(*) FROM (`+lastRefused+`)`)
	told := count(t, db, `SELECT COUNT(*) FROM verdicts v JOIN (`+lastRefused+`) r
		ON r.id = v.message WHERE v.class = 'altered' AND v.detail LIKE
		'OrderedPurchaseQuantity: revision % (message %) set % but was never accepted `+
		`(injected 503 on its only attempt, retries off); stored %'`)
	// With no revision acknowledged, the line holds the value it was created with.
	asCreated := count(t, db, `SELECT COUNT(*) FROM (`+lastRefused+`) r JOIN messages m
		ON m.id = r.id WHERE NOT EXISTS (SELECT 1 FROM messages u JOIN attempts a
			ON a.message = u.id WHERE u.role = 'update' AND u.entity = m.entity
			AND u.match_key = m.match_key AND a.status BETWEEN 200 AND 299)`)
	if asCreated == 0 || asCreated == stale {
		t.Fatalf("seed 108 refused the last revision of %d lines, %d of them never revised "+
			"at all; the test needs lines of both kinds", stale, asCreated)
	}
	toldCreated := count(t, db, `SELECT COUNT(*) FROM verdicts
		WHERE detail LIKE '%; stored %, the value it was created with%'`)
	toldEarlier := count(t, db, `SELECT COUNT(*) FROM verdicts
		WHERE detail LIKE '%; stored %, revision _''s value%'`)
	blamed := count(t, db, `SELECT COUNT(*) FROM verdicts WHERE detail LIKE '%(changed)%'`)
	expectCounts(t, *v, map[string][2]int{
		"altered":                       {v.Altered, stale},
		"told the revision was lost":    {told, stale},
		"told the value it was created": {toldCreated, asCreated},
		"told an earlier revision's":    {toldEarlier, stale - asCreated},
		"blamed on the target":          {blamed, 0},
	})
}

// TestVerdictRecoveredOnlyCommitted runs verdict-altered's long texts through a gateway
// that fails some requests with a 500 (no Retry-After, so the retries come fast): a
// record whose retry landed is recovered only when it is committed, never when the naive
// design cut one of its texts to 30 characters.
func TestVerdictRecoveredOnlyCommitted(t *testing.T) {
	sum, db, _ := runYAML(t, `name: recovered-only-committed
seed: 204
target: { mock: { design: naive }, legal_entities: [usmf, demf] }
load: { rate: 1000/s, messages: 1200 }
master_data: { vendors: 20, products: 60 }
flows: [{ flow: procure-to-pay, lines: { min: 1, max: 6 } }]
faults: { transport: { error_rate: 10%, status: 500 } }
sender: { retry: { attempts: 4, backoff: 1ms-5ms, on: [5xx] } }
verify: { settle: 1s }
`)
	v := sum.Verify
	const retriedIn = `SELECT m.id, EXISTS (SELECT 1 FROM json_each(m.body) f
			WHERE f.type = 'text' AND length(f.value) > 30) AS long
		FROM messages m
		WHERE m.fate = 'commit'
		AND EXISTS (SELECT 1 FROM attempts a WHERE a.message = m.id AND a.status = 500)
		AND EXISTS (SELECT 1 FROM attempts a WHERE a.message = m.id AND a.status = 201)
		AND (m.parent_entity = '' OR EXISTS (SELECT 1 FROM messages p
			JOIN attempts pa ON pa.message = p.id WHERE p.entity = m.parent_entity
			AND p.match_key = m.parent_key AND pa.status = 201))`
	recovered := count(t, db, `SELECT COUNT(*) FROM (`+retriedIn+`) WHERE NOT long`)
	alteredAfterRetry := count(t, db, `SELECT COUNT(*) FROM (`+retriedIn+`) WHERE long`)
	if recovered == 0 || alteredAfterRetry == 0 {
		t.Fatalf("seed 204 retried %d short and %d long records into the target; the test "+
			"needs both", recovered, alteredAfterRetry)
	}
	expectCounts(t, *v, map[string][2]int{
		"recovered": {v.Recovered, recovered},
		"recovered, not committed": {count(t, db, `SELECT COUNT(*) FROM verdicts
			WHERE recovered AND class != 'committed'`), 0},
	})
}

// TestVerdictRetryAfterViolations runs verdict-retry-after-violations: the sender
// retries a 429 after at most 100 ms although the answer asked for 2 s, so every retry
// of a 429 is a violation, and nothing else is.
func TestVerdictRetryAfterViolations(t *testing.T) {
	sum, db, _ := runBundled(t, "verdict-retry-after-violations")
	v := sum.Verify
	early := count(t, db, `SELECT COUNT(*) FROM attempts a JOIN attempts p
		ON p.message = a.message AND p.copy = a.copy AND p.try = a.try - 1 WHERE p.status = 429`)
	if early == 0 {
		t.Fatal("seed 208 throttled nothing")
	}
	expectCounts(t, *v, map[string][2]int{
		"retry_after_violations": {v.RetryAfterViolations, early},
		"lost":                   {v.Lost, 0},
		"committed":              {v.Committed, v.Expected},
	})
	if sum.ExitCode != reports.ExitIntegrity {
		t.Fatalf("exit %d, want %d", sum.ExitCode, reports.ExitIntegrity)
	}
}

// TestUnexpectedRecordsAreCounted points a run at a mock that already holds an order
// carrying the run's correlation prefix, as if another system had written it: that
// record is unexpected, in its entity and legal entity, and the run's own records are
// all committed.
func TestUnexpectedRecordsAreCounted(t *testing.T) {
	srv, err := mockd365.NewServer(mockd365.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	for _, p := range []struct{ entity, body string }{
		{"VendorsV2", `{"dataAreaId":"usmf","VendorAccountNumber":"SCV-00001",` +
			`"VendorOrganizationName":"Stray Supplies","VendorGroupId":"10","CurrencyCode":"USD"}`},
		{"PurchaseOrderHeadersV2", `{"dataAreaId":"usmf","PurchaseOrderNumber":"SCSTRAY-9999999",` +
			`"OrderVendorAccountNumber":"SCV-00001","CurrencyCode":"USD"}`},
	} {
		resp, err := http.Post(srv.URL+"/data/"+p.entity, "application/json",
			strings.NewReader(p.body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("POST %s: %s", p.entity, resp.Status)
		}
	}
	s := parse(t, "")
	s.Target.URL = srv.URL
	sum, err := engine.Run(context.Background(), engine.Config{Scenario: s,
		Dir: filepath.Join(t.TempDir(), "run"), Prefix: "SCSTRAY"})
	if err != nil || sum.Verify == nil {
		t.Fatalf("run: %v %s", err, sum.Error)
	}
	v := sum.Verify
	if v.Unexpected != 1 || v.Committed != v.Expected {
		t.Fatalf("%d unexpected, %d of %d committed; want 1 and all", v.Unexpected, v.Committed,
			v.Expected)
	}
	for _, e := range sum.Entities {
		want := 0
		if e.Entity == "PurchaseOrderHeadersV2" && e.Company == "usmf" {
			want = 1
		}
		if e.Unexpected != want {
			t.Errorf("%s %s: %d unexpected, want %d", e.Entity, e.Company, e.Unexpected, want)
		}
	}
}

// TestVerifySourceWithClientCredentials sends the load to a mock target and reads the
// state back through another endpoint that, as F&O does, serves only requests with a
// bearer token from a client-credentials token endpoint: settle and read-back share one
// token, and every record is verified.
func TestVerifySourceWithClientCredentials(t *testing.T) {
	srv, err := mockd365.NewServer(mockd365.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	var tokens, refused atomic.Int32
	tokenSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ParseForm() != nil || r.PostForm.Get("client_secret") != "source-secret" ||
			r.PostForm.Get("scope") != "https://env.example/.default" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		tokens.Add(1)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"access_token":"tok","token_type":"Bearer","expires_in":3599}`)
	}))
	defer tokenSrv.Close()
	target, _ := url.Parse(srv.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	source := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok" {
			refused.Add(1)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	defer source.Close()

	t.Setenv("STORMCHECK_TEST_SOURCE_SECRET", "source-secret")
	s := parse(t, "")
	s.Target.URL = srv.URL
	s.Verify.Settle = scenarios.Duration(time.Second)
	s.Verify.Source = &scenarios.Source{URL: source.URL, Auth: &scenarios.Auth{
		TokenURL: tokenSrv.URL + "/tenant/oauth2/v2.0/token", ClientID: "integration-app",
		ClientSecretEnv: "STORMCHECK_TEST_SOURCE_SECRET", Scope: "https://env.example/.default",
	}}
	sum, err := engine.Run(context.Background(), engine.Config{Scenario: s,
		Dir: filepath.Join(t.TempDir(), "run")})
	if err != nil || sum.Verify == nil {
		t.Fatalf("run: %v %s", err, sum.Error)
	}
	v := sum.Verify
	if v.Committed != v.Expected || sum.ReadBack.Records != v.Expected {
		t.Fatalf("%d of %d committed, %d read back", v.Committed, v.Expected, sum.ReadBack.Records)
	}
	if tokens.Load() != 1 || refused.Load() != 0 || sum.Settle.EndedBy != verify.SettleStable {
		t.Fatalf("%d tokens, %d refused reads, settle %+v; want 1, 0, stable", tokens.Load(),
			refused.Load(), sum.Settle)
	}
}
