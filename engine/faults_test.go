package engine_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stormcheck/stormcheck/reports"
	"github.com/stormcheck/stormcheck/scenarios"
)

// TestQueryBeforeCreateLooksUpInsteadOfResending: after every lost answer the sender
// looks the record up, finds it, and does not send it again, so nothing is doubled and
// the sender knows that every record landed.
func TestQueryBeforeCreateLooksUpInsteadOfResending(t *testing.T) {
	sum, db := runScenario(t, `
faults: { ack_loss: { rate: 5% } }
sender:
  strategy: query-before-create
  retry: { attempts: 3, backoff: 1ms-5ms, on: [timeout, 5xx] }
`)
	lost := count(t, db, `SELECT COUNT(*) FROM attempts WHERE injected = 'ack-loss'`)
	lookups := count(t, db, `SELECT COUNT(*) FROM attempts WHERE method = 'GET'`)
	found := count(t, db, `SELECT COUNT(*) FROM attempts a WHERE a.method = 'GET' AND a.try = 2
		AND a.outcome = 'ok' AND a.decision = 'look-up found the record: not sent again'
		AND EXISTS (SELECT 1 FROM attempts p WHERE p.message = a.message AND p.try = 1
			AND p.injected = 'ack-loss')`)
	if lost == 0 || lookups != lost || found != lost {
		t.Fatalf("%d answers lost, %d look-ups, %d found the record; want all equal and not 0",
			lost, lookups, found)
	}
	v := sum.Verify
	if v.DuplicateCopies != 0 || v.FalseNegatives != 0 || v.Committed != v.Expected ||
		sum.ExitCode != reports.ExitOK {
		t.Fatalf("%+v exit %d; want every record committed once and exit 0", *v, sum.ExitCode)
	}
}

// TestLateParentLosesTheEarlyReceipts sends receipts before their orders under d365
// without retries: every message of an early receipt is refused and lost, and every
// order held back for it is committed.
func TestLateParentLosesTheEarlyReceipts(t *testing.T) {
	sum, db := runScenario(t, `
faults: { reorder: { rate: 20%, mode: late-parent, delay: 10ms-50ms } }
sender: { retry: { attempts: 1 } }
`)
	early := count(t, db, `SELECT COUNT(*) FROM messages WHERE faults LIKE '%reorder:late-parent%'`)
	lostEarly := count(t, db, `SELECT COUNT(*) FROM verdicts v JOIN messages m ON m.id = v.message
		WHERE m.faults LIKE '%reorder:late-parent%' AND v.class = 'lost'`)
	held := count(t, db, `SELECT COUNT(*) FROM verdicts v JOIN messages m ON m.id = v.message
		WHERE m.faults LIKE '%reorder:held%' AND v.class = 'committed'`)
	if early == 0 || lostEarly != early || sum.Verify.Lost != early {
		t.Fatalf("%d receipt messages sent early, %d of them lost, %d lost in all; want all early ones",
			early, lostEarly, sum.Verify.Lost)
	}
	if held != sum.Faults["reorder"] {
		t.Fatalf("%d held orders committed, want %d", held, sum.Faults["reorder"])
	}
}

// TestInvoiceBeforeReceiptIsTakenUnderD365 sends vendor invoices before their product
// receipts. A pending invoice needs its purchase order, not its receipt (F&O matches the two
// when the invoice is posted), so every record is committed; the ledger proves the order.
func TestInvoiceBeforeReceiptIsTakenUnderD365(t *testing.T) {
	sum, db := runScenario(t, `
faults: { reorder: { rate: 40%, mode: invoice-first, delay: 10ms-50ms } }
`)
	invoices := count(t, db, `SELECT COUNT(*) FROM messages
		WHERE faults LIKE '%reorder:invoice-first%' AND role = 'header'`)
	if invoices == 0 || sum.Faults["reorder"] != invoices {
		t.Fatalf("%d invoices sent first, %d reorders counted; want some, equal", invoices,
			sum.Faults["reorder"])
	}
	// Each held receipt header went out after every message of its case's invoice.
	late := count(t, db, `SELECT COUNT(*) FROM messages r
		WHERE r.faults LIKE '%reorder:held%' AND r.entity = 'ProductReceiptHeaders'
		AND (SELECT MIN(a.started_ns) FROM attempts a WHERE a.message = r.id) >
			(SELECT MAX(a.started_ns) FROM attempts a JOIN messages i ON i.id = a.message
			 WHERE i.doc = r.doc + 1 AND i.faults LIKE '%reorder:invoice-first%')`)
	if late != invoices {
		t.Fatalf("%d of %d held receipts went out after their invoice", late, invoices)
	}
	if v := sum.Verify; v.Committed != v.Expected || sum.ExitCode != reports.ExitOK {
		t.Fatalf("%d of %d committed, exit %d; want all and exit 0", v.Committed, v.Expected,
			sum.ExitCode)
	}
}

// TestShuffleUnderNaiveStoresEverythingAndOrphansNothing: a naive target accepts lines
// before their header, and once the whole case has arrived nothing is left orphaned.
func TestShuffleUnderNaiveStoresEverythingAndOrphansNothing(t *testing.T) {
	sum, db := runAdjusted(t, `
faults: { reorder: { rate: 30%, mode: shuffle, window: 5 } }
`, func(s *scenarios.Scenario) { s.Target.Mock.Design = "naive" })
	shuffled := count(t, db, `SELECT COUNT(*) FROM messages WHERE faults LIKE '%reorder:shuffle%'`)
	// Naive keeps 30 characters of long item descriptions: those records are altered.
	v := sum.Verify
	if shuffled == 0 || v.Committed+v.Altered != v.Expected || v.Orphans != 0 {
		t.Fatalf("%d shuffled; %+v; want every record stored", shuffled, *sum.Verify)
	}
}

// TestTransportFaultsAreRetriedAway: throttling, resets and timeouts before sending never
// reach the target, the sender retries them honouring Retry-After, and nothing is lost.
func TestTransportFaultsAreRetriedAway(t *testing.T) {
	sum, db := runScenario(t, `
faults:
  transport: { error_rate: 5%, status: 429, retry_after: 1s, reset_rate: 3%, timeout_rate: 3%,
               latency: 1ms-2ms }
sender: { retry: { attempts: 6, backoff: 1ms-5ms, on: [429, timeout], honor_retry_after: true } }
`)
	// Every attempt gets its latency first, then at most one other transport fault.
	for kind, injected := range map[string]string{"transport_status": "status-429,%",
		"transport_reset": "reset,%", "transport_timeout": "timeout-before-send,%",
		"transport_latency": "%latency-%"} {
		n := count(t, db, `SELECT COUNT(*) FROM attempts WHERE injected LIKE ?`, injected)
		if n == 0 || sum.Faults[kind] != n {
			t.Fatalf("%s: ledger %d, report %d; want equal and not 0", kind, n, sum.Faults[kind])
		}
	}
	if n := count(t, db, `SELECT COUNT(*) FROM attempts`); sum.Faults["transport_latency"] != n {
		t.Fatalf("latency added to %d of %d attempts, want all", sum.Faults["transport_latency"], n)
	}
	early := count(t, db, `SELECT COUNT(*) FROM attempts a JOIN attempts b ON b.message = a.message
		AND b.copy = a.copy AND b.try = a.try + 1
		WHERE a.injected LIKE 'status-429,%'
		AND b.started_ns < a.started_ns + a.latency_ns + a.retry_after_ns`)
	if early != 0 {
		t.Fatalf("%d retries went before the Retry-After had passed", early)
	}
	if sum.Verify.Lost != 0 || sum.Verify.Committed != sum.Verify.Expected {
		t.Fatalf("%+v; want every record committed", *sum.Verify)
	}
}

// TestSenderTimeoutEndsASlowAnswer: an answer dribbled over 2 s reaches a sender that
// waits 100 ms for it as no answer at all, whatever the machine's speed.
func TestSenderTimeoutEndsASlowAnswer(t *testing.T) {
	sum, db := runScenario(t, `
faults: { transport: { slow_body_rate: 100%, slow_body: 2s } }
sender: { strategy: fire-and-forget, timeout: 100ms }
`)
	attempts := count(t, db, `SELECT COUNT(*) FROM attempts`)
	unanswered := count(t, db, `SELECT COUNT(*) FROM attempts WHERE status = 0
		AND decision LIKE 'no answer (timeout)%'`)
	if attempts != 400 || unanswered != attempts || sum.Faults["transport_slow_body"] != 400 {
		t.Fatalf("%d of %d attempts ended without an answer, %d slow bodies; want all 400",
			unanswered, attempts, sum.Faults["transport_slow_body"])
	}
}

func TestBurstReleasesExactlyItsMessages(t *testing.T) {
	sum, db := runScenario(t, `
faults: { burst: { at: 20ms, messages: 150 } }
`)
	if sum.Faults["burst"] != 150 || sum.Verify.Committed != sum.Verify.Expected {
		t.Fatalf("burst released %d, %+v; want 150 and everything committed", sum.Faults["burst"],
			*sum.Verify)
	}
	n := count(t, db, `SELECT COUNT(*) FROM messages WHERE ','||faults||',' LIKE '%,burst,%'`)
	if n != 150 {
		t.Fatalf("the ledger marks %d messages as sent in the burst, want 150", n)
	}
}

// TestRestartLosesNothingCommitted takes the embedded mock down mid-run. With retries that
// outlast the outage nothing is lost; without retries, the records lost are exactly those
// whose attempt got no answer or depended on one, and none was acknowledged.
func TestRestartLosesNothingCommitted(t *testing.T) {
	// The restart comes 300 ms into a load of 1.2 s, longer than base's.
	longer := func(s *scenarios.Scenario) {
		s.Load.Rate, s.Load.Messages = scenarios.Rate{Freq: 1000, Per: time.Second}, 1200
		s.Faults.Restart = &scenarios.RestartFault{At: scenarios.Duration(300 * time.Millisecond),
			DownFor: scenarios.Duration(300 * time.Millisecond)}
	}
	sum, db := runAdjusted(t, `
sender: { retry: { attempts: 10, backoff: 100ms-400ms, on: [timeout, 5xx] } }
`, longer)
	refused := count(t, db, `SELECT COUNT(*) FROM attempts WHERE status = 0`)
	if sum.Faults["restart"] != 1 || refused == 0 || sum.Verify.Lost != 0 {
		t.Fatalf("restarted %d, %d attempts unanswered, %d lost; want 1, some, 0",
			sum.Faults["restart"], refused, sum.Verify.Lost)
	}
	// The scenario injects nothing else, so every unanswered attempt is the restart's.
	if n := count(t, db, `SELECT COUNT(*) FROM attempts WHERE injected = 'restart'`); n != refused {
		t.Fatalf("%d of %d unanswered attempts are marked as struck by the restart", n, refused)
	}

	sum, db = runAdjusted(t, "sender: { strategy: fire-and-forget }\n", longer)
	unexplained := count(t, db, `SELECT COUNT(*) FROM verdicts v WHERE v.class = 'lost'
		AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.message = v.message
			AND (a.status = 0 OR (a.status = 400 AND a.answer LIKE '%not found in the related table%')))`)
	if sum.Verify.Lost == 0 || sum.Verify.LostAcknowledged != 0 || unexplained != 0 {
		t.Fatalf("%d lost (%d acknowledged, %d unexplained); want some, 0, 0", sum.Verify.Lost,
			sum.Verify.LostAcknowledged, unexplained)
	}
}

// TestRevisionsInOrderCommitEveryRecord: order lines revised once or twice, in order, end
// with their latest quantity, so every record is committed and every revision was a 204.
func TestRevisionsInOrderCommitEveryRecord(t *testing.T) {
	sum, db := runAdjusted(t, "", func(s *scenarios.Scenario) { s.Flows[0].Changes = 0.4 })
	revisions := count(t, db, `SELECT COUNT(*) FROM messages WHERE role = 'update'`)
	patched := count(t, db, `SELECT COUNT(*) FROM attempts a JOIN messages m ON m.id = a.message
		WHERE m.role = 'update' AND a.status = 204`)
	records := count(t, db, `SELECT COUNT(*) FROM messages WHERE role != 'update'`)
	v := sum.Verify
	if revisions == 0 || patched != revisions || v.Expected != records || v.Committed != records {
		t.Fatalf("%d revisions, %d answered 204; %+v; want every revision applied and all %d "+
			"records committed", revisions, patched, *v, records)
	}
}

// TestFaultStaleUpdate runs fault-stale-update: the newest revision of a record revised
// twice goes out before the one it replaces, so the target keeps the older value. Each such
// line, and only those, is altered, with the reorder named as the cause, and its trace
// shows the line and both revisions.
func TestFaultStaleUpdate(t *testing.T) {
	sum, db, dir := runBundled(t, "fault-stale-update")
	swapped := count(t, db, `SELECT COUNT(*) FROM messages WHERE faults LIKE '%reorder:newer-first%'`)
	stale := count(t, db, `SELECT COUNT(*) FROM verdicts v JOIN messages m ON m.id = v.message
		WHERE v.class = 'altered' AND m.entity = 'PurchaseOrderLinesV2'
		AND v.field = 'OrderedPurchaseQuantity'
		AND v.detail LIKE '%an older revision was applied after the newest one%'`)
	if swapped == 0 || stale != swapped || sum.Verify.Altered != swapped ||
		sum.Faults["reorder"] != swapped {
		t.Fatalf("%d revisions sent newest first, %d stale lines, %d altered in all, reorder "+
			"counted %d; want all equal and not 0", swapped, stale, sum.Verify.Altered,
			sum.Faults["reorder"])
	}
	if sum.ExitCode != reports.ExitIntegrity {
		t.Fatalf("exit %d, want 1 (altered records)", sum.ExitCode)
	}

	line := count(t, db, `SELECT MIN(message) FROM verdicts WHERE class = 'altered'`)
	tr, err := reports.LoadTrace(context.Background(), dir, strconv.Itoa(line))
	if err != nil {
		t.Fatal(err)
	}
	var roles []string
	for _, m := range tr.Messages {
		roles = append(roles, m.Role)
	}
	var out strings.Builder
	if err := reports.WriteTrace(&out, tr); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	if strings.Join(roles, ",") != "line,update,update" ||
		strings.Count(text, `sets {"OrderedPurchaseQuantity":`) != 2 ||
		!strings.Contains(text, "faults: reorder:newer-first") {
		t.Fatalf("trace of altered line %d: roles %v; want the line and its two revisions, "+
			"newest marked:\n%s", line, roles, text)
	}
}
