package verify

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stormcheck/stormcheck/ledger"
)

// A scene is a hand-built ledger: messages, their attempts, and the state read back.
type scene struct {
	messages []ledger.Message
	attempts []ledger.Attempt
	state    []ledger.State
}

const orderBody = `{"dataAreaId":"usmf","PurchaseOrderNumber":"SC-1","OrderVendorAccountNumber":` +
	`"SCV-00001","CurrencyCode":"USD","RequestedDeliveryDate":"2026-03-02T12:00:00Z"}`

const lineBody = `{"dataAreaId":"usmf","PurchaseOrderNumber":"SC-1","LineNumber":1,` +
	`"ItemNumber":"SCI-00001","OrderedPurchaseQuantity":12,"PurchasePrice":23.45,` +
	`"LineAmount":281.4,"LineDescription":"Ergonomic Bamboo Desk Lamp",` +
	`"RequestedDeliveryDate":"2026-03-02T12:00:00Z"}`

// order adds the purchase-order header SC-1 (message 1) and its line 1 (message 2).
func (s *scene) order(fate string) *scene {
	s.messages = append(s.messages,
		ledger.Message{ID: 1, Doc: 1, DocKind: "purchase-order", Entity: "PurchaseOrderHeadersV2",
			Role: "header", Company: "usmf", MatchKey: "usmf|SC-1", Correlation: "SC-1",
			Fate: "commit", Body: []byte(orderBody)},
		ledger.Message{ID: 2, Doc: 1, DocKind: "purchase-order", Entity: "PurchaseOrderLinesV2",
			Role: "line", Company: "usmf", MatchKey: "usmf|SC-1|1",
			ParentEntity: "PurchaseOrderHeadersV2", ParentKey: "usmf|SC-1", Correlation: "SC-1",
			Fate: fate, Quantity: 12, Amount: 281.4, Body: []byte(lineBody)})
	return s
}

// revise adds a revision of line 1 per quantity (messages 3, 4, ...), each a PATCH that
// sets OrderedPurchaseQuantity, in the order the source made them.
func (s *scene) revise(quantities ...int) *scene {
	for _, q := range quantities {
		id := int64(len(s.messages) + 1)
		s.messages = append(s.messages, ledger.Message{ID: id, Doc: 1, DocKind: "purchase-order",
			Entity: "PurchaseOrderLinesV2", Role: "update", Company: "usmf",
			MatchKey: "usmf|SC-1|1", ParentEntity: "PurchaseOrderHeadersV2",
			ParentKey: "usmf|SC-1", Correlation: "SC-1", Fate: "commit",
			Body: fmt.Appendf(nil, `{"OrderedPurchaseQuantity":%d}`, q)})
	}
	return s
}

// faulted records the stream faults of message id.
// malformed marks message id as sent malformed with the fault: meant to be refused.
func (s *scene) malformed(id int64, fault string) *scene {
	s.messages[id-1].Fate, s.messages[id-1].Faults = "reject", fault
	return s
}

func (s *scene) faulted(id int64, faults string) *scene {
	s.messages[id-1].Faults = faults
	return s
}

// try adds an attempt of message id: at and latency in milliseconds, then its answer.
func (s *scene) try(id int64, copy, try, at, latency, status int, injected, decision,
	answer string, retryAfter time.Duration) *scene {
	outcome := ledger.OutcomeRejected
	switch {
	case status == 0:
		outcome = ledger.OutcomeUnknown
	case status < 300:
		outcome = ledger.OutcomeOK
	case status == 429 || status >= 500:
		outcome = ledger.OutcomeFailed
	}
	s.attempts = append(s.attempts, ledger.Attempt{Message: id, Copy: copy, Try: try,
		StartedNS: int64(at) * 1e6, LatencyNS: int64(latency) * 1e6, Status: status,
		Outcome: outcome, Injected: injected, Decision: decision, Answer: answer,
		RetryAfterNS: int64(retryAfter)})
	return s
}

// lookup adds a look-up (a GET of the record) of message id that found nothing.
func (s *scene) lookup(id int64, try, at, latency int, decision string) *scene {
	s.attempts = append(s.attempts, ledger.Attempt{Message: id, Try: try,
		StartedNS: int64(at) * 1e6, LatencyNS: int64(latency) * 1e6, Status: 200,
		Outcome: ledger.OutcomeAbsent, Decision: decision, Method: "GET"})
	return s
}

// oneDuplicated counts the scene of an order whose line is stored twice.
var oneDuplicated = Counts{Expected: 2, Committed: 1, Duplicated: 1, DuplicateCopies: 1}

// storedTwice is the verdict of a line stored twice, acknowledged.
func storedTwice(detail string) ledger.Verdict {
	return ledger.Verdict{Class: Duplicated, Found: 2, Extra: 1, Acknowledged: true,
		Detail: detail}
}

// oneAltered counts the scene of an order whose line is altered.
var oneAltered = Counts{Expected: 2, Committed: 1, Altered: 1}

// alteredQuantity is the verdict of a line stored once with another quantity than the
// one sent last.
func alteredQuantity(sent, stored, detail string) ledger.Verdict {
	return ledger.Verdict{Class: Altered, Found: 1, Acknowledged: true,
		Field: "OrderedPurchaseQuantity", SentValue: sent, StoredValue: stored, Detail: detail}
}

// gaveUp is the sender's decision after the last of n attempts failed with a 503.
func gaveUp(n int) string {
	return fmt.Sprintf("status 503 on attempt %d of %d: gave up", n, n)
}

// ok adds a first attempt answered 201.
func (s *scene) ok(id int64) *scene { return s.try(id, 0, 1, 0, 5, 201, "", "", "", 0) }

// store adds a record read back: message id's body as the mock returns it, with edits
// (old, new pairs) applied.
func (s *scene) store(id int64, edits ...string) *scene {
	for _, m := range s.messages {
		if m.ID != id {
			continue
		}
		body := strings.Replace(string(m.Body), "{", `{"@odata.etag":"W/\"x\"",`, 1)
		body = strings.NewReplacer(edits...).Replace(body)
		s.state = append(s.state, ledger.State{Entity: m.Entity, Company: m.Company,
			MatchKey: m.MatchKey, ParentKey: m.ParentKey, Quantity: m.Quantity,
			Amount: m.Amount, Body: body})
	}
	return s
}

// classify writes the scene into a new ledger and classifies it.
func (s *scene) classify(t *testing.T) (*Result, map[int64]ledger.Verdict) {
	t.Helper()
	l, err := ledger.Create(filepath.Join(t.TempDir(), "run.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	for _, m := range s.messages {
		l.AddMessage(m)
	}
	for _, a := range s.attempts {
		l.AddAttempt(a)
	}
	for _, st := range s.state {
		l.AddState(st)
	}
	res, err := Classify(context.Background(), l)
	if err != nil {
		t.Fatal(err)
	}
	return res, verdicts(t, l)
}

func verdicts(t *testing.T, l *ledger.Ledger) map[int64]ledger.Verdict {
	t.Helper()
	rows, err := l.DB().Query(`SELECT message, class, found, extra, acknowledged, recovered,
		false_negative, retry_after_violations, detail, field, sent_value, stored_value
		FROM verdicts`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]ledger.Verdict{}
	for rows.Next() {
		var v ledger.Verdict
		err := rows.Scan(&v.Message, &v.Class, &v.Found, &v.Extra, &v.Acknowledged, &v.Recovered,
			&v.FalseNegative, &v.RetryAfterViolations, &v.Detail, &v.Field, &v.SentValue,
			&v.StoredValue)
		if err != nil {
			t.Fatal(err)
		}
		out[v.Message] = v
	}
	return out
}

func TestClassifyEachVerdict(t *testing.T) {
	const refused = "status 400 is not retried"
	const notFound = "The value 'SC-1' in field 'Purchase order' is not found in the related table."
	for _, tc := range []struct {
		name   string
		scene  *scene
		want   Counts
		line   ledger.Verdict // the verdict of message 2, the line; Message is ignored
		header string         // the class of message 1, the header
	}{
		{"committed", new(scene).order("commit").ok(1).ok(2).store(1).store(2),
			Counts{Expected: 2, Committed: 2},
			ledger.Verdict{Class: Committed, Found: 1, Acknowledged: true}, Committed},
		{"committed after F&O's normalisation",
			new(scene).order("commit").ok(1).ok(2).store(1).store(2, `"usmf"`, `"USMF"`,
				`:12,`, `:12.000000,`, `12:00:00Z"}`, `12:00:00+00:00"}`),
			Counts{Expected: 2, Committed: 2},
			ledger.Verdict{Class: Committed, Found: 1, Acknowledged: true}, Committed},
		{"committed at its last revision", new(scene).order("commit").revise(5, 7).
			ok(1).ok(2).ok(3).ok(4).store(1).store(2, ":12,", ":7,"),
			Counts{Expected: 2, Committed: 2},
			ledger.Verdict{Class: Committed, Found: 1, Acknowledged: true}, Committed},
		{"altered by revisions applied newest first", new(scene).order("commit").revise(5, 7).
			faulted(3, "reorder:held").faulted(4, "reorder:newer-first").
			ok(1).ok(2).ok(4).ok(3).store(1).store(2, ":12,", ":5,"),
			oneAltered, alteredQuantity("7", "5",
				"OrderedPurchaseQuantity: revision 2 (message 4) set 7, stored 5, "+
					"revision 1's value; an older revision was applied after the newest one "+
					"(reorder:newer-first)"),
			Committed},
		{"altered by a revision never accepted", new(scene).order("commit").revise(5).
			ok(1).ok(2).try(3, 0, 1, 10, 1, 503, "status-503", gaveUp(1), "", 0).
			store(1).store(2),
			oneAltered, alteredQuantity("5", "12",
				"OrderedPurchaseQuantity: revision 1 (message 3) set 5 but was never "+
					"accepted (injected 503 on its only attempt, retries off); stored 12, the "+
					"value it was created with"),
			Committed},
		{"altered by a revision refused", new(scene).order("commit").revise(5, 7).
			ok(1).ok(2).ok(3).try(4, 0, 1, 10, 1, 400, "", refused, "Quantity too large.", 0).
			store(1).store(2, ":12,", ":5,"),
			oneAltered, alteredQuantity("7", "5",
				"OrderedPurchaseQuantity: revision 2 (message 4) set 7 but was never "+
					"accepted (400 on its only attempt, not retried: Quantity too large.); "+
					"stored 5, revision 1's value"),
			Committed},
		{"altered by a revision left unanswered", new(scene).order("commit").revise(5, 7).
			ok(1).ok(2).ok(3).
			try(4, 0, 1, 10, 1, 0, "", "no answer (timeout): retry 2 of 2 after 100ms", "", 0).
			try(4, 0, 2, 111, 1, 0, "", "no answer (timeout) on attempt 2 of 2: gave up", "", 0).
			store(1).store(2, ":12,", ":5,"),
			oneAltered, alteredQuantity("7", "5",
				"OrderedPurchaseQuantity: revision 2 (message 4) set 7 but got no "+
					"answer (no answer on both attempts, the sender gave up); stored 5, "+
					"revision 1's value"),
			Committed},
		{"altered although its revision was acknowledged", new(scene).order("commit").
			revise(5).ok(1).ok(2).ok(3).store(1).store(2, ":12,", ":50,"),
			oneAltered, alteredQuantity("5", "50",
				"OrderedPurchaseQuantity: revision 1 (message 3) set 5 and was "+
					"acknowledged with 201 on attempt 1, yet stored 50 (changed)"),
			Committed},
		{"altered after a retry, not recovered", new(scene).order("commit").ok(1).
			try(2, 0, 1, 0, 5, 503, "status-503", "status 503: retry 2 of 3 after 20ms", "", 0).
			try(2, 0, 2, 26, 5, 201, "", "", "", 0).store(1).store(2, "Desk Lamp", "Des"),
			Counts{Expected: 2, Committed: 1, Altered: 1},
			ledger.Verdict{Class: Altered, Found: 1, Acknowledged: true, Field: "LineDescription",
				SentValue: `"Ergonomic Bamboo Desk Lamp"`, StoredValue: `"Ergonomic Bamboo Des"`,
				Detail: `LineDescription: sent "Ergonomic Bamboo Desk Lamp", stored ` +
					`"Ergonomic Bamboo Des" (truncated to 20 characters)`}, Committed},
		{"duplicated after a lost answer", new(scene).order("commit").ok(1).
			try(2, 0, 1, 0, 5, 0, "ack-loss", "no answer (timeout): retry 2 of 3", "", 0).
			try(2, 0, 2, 405, 5, 201, "", "", "", 0).store(1).store(2).store(2),
			oneDuplicated,
			storedTwice("stored twice: ack lost on attempt 1, retried after 400 ms"), Committed},
		{"duplicated after the wait the sender planned", new(scene).order("commit").ok(1).
			try(2, 0, 1, 0, 5, 0, "ack-loss", "no answer (timeout): retry 2 of 3 after 57ms",
				"", 0).
			try(2, 0, 2, 63, 5, 201, "", "", "", 0).store(1).store(2).store(2),
			oneDuplicated,
			storedTwice("stored twice: ack lost on attempt 1, retried after 57 ms"), Committed},
		{"duplicated after a Retry-After", new(scene).order("commit").ok(1).
			try(2, 0, 1, 0, 5, 0, "ack-loss", "no answer (timeout): retry 2 of 3 after "+
				"Retry-After 1.25s", "", 0).
			try(2, 0, 2, 1300, 5, 201, "", "", "", 0).store(1).store(2).store(2),
			oneDuplicated,
			storedTwice("stored twice: ack lost on attempt 1, retried after 1.25 s"), Committed},
		{"duplicated although looked up first", new(scene).order("commit").ok(1).
			try(2, 0, 1, 0, 5, 0, "ack-loss", "no answer (timeout): retry 2 of 3, looking "+
				"the record up first", "", 0).
			lookup(2, 2, 100, 5, "look-up found no record: sending again as attempt 3").
			try(2, 0, 3, 150, 5, 201, "", "", "", 0).store(1).store(2).store(2),
			oneDuplicated, storedTwice("stored twice: ack lost on attempt 1, looked up on " +
				"attempt 2 and not found, sent again after 45 ms"), Committed},
		{"duplicated by a resend", new(scene).order("commit").ok(1).ok(2).
			try(2, 1, 1, 1500, 5, 201, "", "", "", 0).store(1).store(2).store(2),
			oneDuplicated,
			storedTwice("stored twice: sent again as copy 1, 1.5 s after the first delivery"),
			Committed},
		{"lost, never accepted", new(scene).order("commit").ok(1).
			try(2, 0, 1, 0, 5, 400, "", refused, notFound, 0).store(1),
			Counts{Expected: 2, Committed: 1, Lost: 1, LostNeverAccepted: 1},
			ledger.Verdict{Class: Lost, Detail: "never accepted: " + refused + ": " + notFound},
			Committed},
		{"lost although acknowledged", new(scene).order("commit").ok(1).
			try(2, 0, 1, 0, 5, 202, "", "", "", 0).store(1),
			Counts{Expected: 2, Committed: 1, Lost: 1, LostAcknowledged: 1},
			ledger.Verdict{Class: Lost, Acknowledged: true,
				Detail: "accepted with 202 on attempt 1 to be processed later, yet absent: " +
					"the target never finished it"}, Committed},
		{"lost although acknowledged, and its header too", new(scene).order("commit").ok(1).
			try(2, 0, 1, 0, 5, 201, "", "", "", 0),
			Counts{Expected: 2, Lost: 2, LostAcknowledged: 2},
			ledger.Verdict{Class: Lost, Acknowledged: true,
				Detail: "acknowledged with 201 on attempt 1, yet absent; its parent " +
					"PurchaseOrderHeadersV2 usmf|SC-1 is absent too"}, Lost},
		{"altered by truncation", new(scene).order("commit").ok(1).ok(2).store(1).
			store(2, "Desk Lamp", "Des"),
			Counts{Expected: 2, Committed: 1, Altered: 1},
			ledger.Verdict{Class: Altered, Found: 1, Acknowledged: true, Field: "LineDescription",
				SentValue: `"Ergonomic Bamboo Desk Lamp"`, StoredValue: `"Ergonomic Bamboo Des"`,
				Detail: `LineDescription: sent "Ergonomic Bamboo Desk Lamp", stored ` +
					`"Ergonomic Bamboo Des" (truncated to 20 characters)`}, Committed},
		{"altered by rounding", new(scene).order("commit").ok(1).ok(2).store(1).
			store(2, "23.45", "23.5"),
			Counts{Expected: 2, Committed: 1, Altered: 1},
			ledger.Verdict{Class: Altered, Found: 1, Acknowledged: true, Field: "PurchasePrice",
				SentValue: "23.45", StoredValue: "23.5",
				Detail: "PurchasePrice: sent 23.45, stored 23.5 (rounded to 1 decimal)"},
			Committed},
		{"altered by swapping day and month", new(scene).order("commit").ok(1).ok(2).store(1).
			store(2, "2026-03-02", "2026-02-03"),
			Counts{Expected: 2, Committed: 1, Altered: 1},
			ledger.Verdict{Class: Altered, Found: 1, Acknowledged: true,
				Field: "RequestedDeliveryDate", SentValue: `"2026-03-02T12:00:00Z"`,
				StoredValue: `"2026-02-03T12:00:00Z"`,
				Detail: `RequestedDeliveryDate: sent "2026-03-02T12:00:00Z", stored ` +
					`"2026-02-03T12:00:00Z" (day and month swapped)`}, Committed},
		{"bad data accepted", new(scene).order("reject").
			faulted(2, "malformed:bad-date:RequestedDeliveryDate").ok(1).ok(2).store(1).store(2),
			Counts{Expected: 2, Committed: 1, BadDataAccepted: 1},
			ledger.Verdict{Class: BadDataAccepted, Found: 1, Acknowledged: true,
				Detail: "sent malformed on purpose (malformed:bad-date:RequestedDeliveryDate), " +
					"yet stored with 201"}, Committed},
		{"committed with the malformed header it refers to", new(scene).order("reject").
			malformed(1, "malformed:bad-date:RequestedDeliveryDate").
			faulted(2, "needs-rejected:1").ok(1).ok(2).store(1).store(2),
			Counts{Expected: 2, Committed: 1, BadDataAccepted: 1},
			ledger.Verdict{Class: Committed, Found: 1, Acknowledged: true,
				Detail: "message 1, which it refers to, was sent malformed and stored as well"},
			BadDataAccepted},
		{"orphan of a malformed header refused", new(scene).order("reject").
			malformed(1, "malformed:bad-date:RequestedDeliveryDate").
			faulted(2, "needs-rejected:1").
			try(1, 0, 1, 0, 5, 400, "", refused, "Cannot convert the value '31/12/2026'.", 0).
			ok(2).store(2),
			Counts{Expected: 2, RejectedAsExpected: 1, Orphans: 1},
			ledger.Verdict{Class: Orphan, Found: 1, Acknowledged: true,
				Detail: "stored, but message 1, which it refers to, was sent malformed and is " +
					"absent"},
			RejectedAsExpected},
		{"rejected as expected", new(scene).order("reject").ok(1).
			try(2, 0, 1, 0, 5, 400, "", refused, "Cannot convert the value '31/12/2026'.", 0).
			store(1),
			Counts{Expected: 2, Committed: 1, RejectedAsExpected: 1},
			ledger.Verdict{Class: RejectedAsExpected,
				Detail: "refused with 400: Cannot convert the value '31/12/2026'."}, Committed},
		{"rejected without a clear refusal", new(scene).order("reject").ok(1).
			try(2, 0, 1, 0, 5, 503, "status-503", "status 503 on attempt 1 of 1: gave up", "",
				0).store(1),
			Counts{Expected: 2, Committed: 1, RejectedAsExpected: 1, UnclearRejections: 1},
			ledger.Verdict{Class: RejectedAsExpected,
				Detail: "absent, but never clearly refused: status 503 on attempt 1 of 1: gave up"},
			Committed},
		{"orphan", new(scene).order("commit").
			try(1, 0, 1, 0, 5, 503, "status-503", gaveUp(1), "", 0).ok(2).store(2),
			Counts{Expected: 2, Lost: 1, LostNeverAccepted: 1, Orphans: 1},
			ledger.Verdict{Class: Orphan, Found: 1, Acknowledged: true,
				Detail: "stored, but its parent PurchaseOrderHeadersV2 usmf|SC-1 is absent: " +
					"message 1 that creates it was never accepted (injected 503 on its only " +
					"attempt, retries off)"}, Lost},
		{"orphan stored twice", new(scene).order("commit").
			try(1, 0, 1, 0, 5, 503, "status-503", "status 503: retry 2 of 2 after 20ms", "", 0).
			try(1, 0, 2, 25, 5, 503, "status-503", gaveUp(2), "", 0).ok(2).
			try(2, 1, 1, 10, 5, 201, "", "", "", 0).store(2).store(2),
			Counts{Expected: 2, Lost: 1, LostNeverAccepted: 1, Orphans: 1, DuplicateCopies: 1},
			ledger.Verdict{Class: Orphan, Found: 2, Extra: 1, Acknowledged: true,
				Detail: "stored twice, but its parent PurchaseOrderHeadersV2 usmf|SC-1 is " +
					"absent: message 1 that creates it was never accepted (injected 503 on both " +
					"attempts, the sender gave up); 1 extra copy: sent again as copy 1, " +
					"10 ms after the first delivery"}, Lost},
		{"orphan of a parent acknowledged", new(scene).order("commit").
			try(1, 0, 1, 0, 5, 202, "", "", "", 0).ok(2).store(2),
			Counts{Expected: 2, Lost: 1, LostAcknowledged: 1, Orphans: 1},
			ledger.Verdict{Class: Orphan, Found: 1, Acknowledged: true,
				Detail: "stored, but its parent PurchaseOrderHeadersV2 usmf|SC-1 is absent, " +
					"although message 1 that creates it was acknowledged with 202 on attempt 1"},
			Lost},
		{"false negative", new(scene).order("commit").ok(1).
			try(2, 0, 1, 0, 5, 0, "ack-loss", "no answer (timeout): retry 2 of 3", "", 0).
			try(2, 0, 2, 100, 5, 400, "", refused, "The record already exists.", 0).
			store(1).store(2),
			Counts{Expected: 2, Committed: 2, FalseNegatives: 1},
			ledger.Verdict{Class: Committed, Found: 1, FalseNegative: true,
				Detail: "stored, though the sender gave up: ack lost on attempt 1, then " +
					refused + ": The record already exists."}, Committed},
		{"Retry-After violated", new(scene).order("commit").ok(1).
			try(2, 0, 1, 0, 5, 429, "status-429", "status 429: retry 2 of 3", "", time.Second).
			try(2, 0, 2, 205, 5, 201, "", "", "", 0).store(1).store(2),
			Counts{Expected: 2, Committed: 2, Recovered: 1, RetryAfterViolations: 1},
			ledger.Verdict{Class: Committed, Found: 1, Acknowledged: true, Recovered: true,
				RetryAfterViolations: 1, Detail: "recovered after status 429 on attempt 1; " +
					"1 retry sent before the Retry-After of the answer before it"}, Committed},
		{"Retry-After honoured", new(scene).order("commit").ok(1).
			try(2, 0, 1, 0, 5, 429, "status-429", "status 429: retry 2 of 3", "", time.Second).
			try(2, 0, 2, 1005, 5, 201, "", "", "", 0).store(1).store(2),
			Counts{Expected: 2, Committed: 2, Recovered: 1},
			ledger.Verdict{Class: Committed, Found: 1, Acknowledged: true, Recovered: true,
				Detail: "recovered after status 429 on attempt 1"}, Committed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, vs := tc.scene.classify(t)
			if res.Counts != tc.want {
				t.Errorf("counts\n got %+v\nwant %+v", res.Counts, tc.want)
			}
			line := vs[2]
			line.Message = 0
			if line != tc.line {
				t.Errorf("line verdict\n got %+v\nwant %+v", line, tc.line)
			}
			if vs[1].Class != tc.header {
				t.Errorf("header %s, want %s", vs[1].Class, tc.header)
			}
		})
	}
}

// Ensure a record with the run's prefix that no message created is unexpected, counted
// in its entity and legal entity.
func TestClassifyUnexpected(t *testing.T) {
	s := new(scene).order("commit").ok(1).ok(2).store(1).store(2)
	s.state = append(s.state, ledger.State{Entity: "PurchaseOrderHeadersV2", Company: "demf",
		MatchKey: "demf|SC-9", Body: `{"dataAreaId":"demf","PurchaseOrderNumber":"SC-9"}`})
	res, _ := s.classify(t)
	if res.Unexpected != 1 || res.Committed != 2 {
		t.Fatalf("counts %+v, want 1 unexpected and 2 committed", res.Counts)
	}
	want := []EntityCounts{
		{Entity: "PurchaseOrderHeadersV2", Company: "demf", Counts: Counts{Unexpected: 1}},
		{Entity: "PurchaseOrderHeadersV2", Company: "usmf",
			Counts: Counts{Expected: 1, Committed: 1}},
		{Entity: "PurchaseOrderLinesV2", Company: "usmf",
			Counts: Counts{Expected: 1, Committed: 1}},
	}
	if fmt.Sprint(res.Entities) != fmt.Sprint(want) {
		t.Fatalf("entities\n got %+v\nwant %+v", res.Entities, want)
	}
}

// Ensure the reconciliation puts the duplicates' and the gaps' quantities and amounts
// against the totals stored, and leaves the rest (an altered amount) as other.
func TestClassifyReconciles(t *testing.T) {
	s := new(scene).order("commit").ok(1).ok(2).store(1).store(2).store(2)
	second := ledger.Message{ID: 3, Doc: 1, DocKind: "purchase-order",
		Entity: "PurchaseOrderLinesV2", Role: "line", Company: "usmf", MatchKey: "usmf|SC-1|2",
		ParentEntity: "PurchaseOrderHeadersV2", ParentKey: "usmf|SC-1", Correlation: "SC-1",
		Fate: "commit", Quantity: 5, Amount: 50, Body: []byte(strings.Replace(lineBody,
			`"LineNumber":1`, `"LineNumber":2`, 1))}
	third := second
	third.ID, third.MatchKey, third.Quantity, third.Amount = 4, "usmf|SC-1|3", 2, 20.25
	third.Body = []byte(strings.Replace(lineBody, `"LineNumber":1`, `"LineNumber":3`, 1))
	s.messages = append(s.messages, second, third)
	s.ok(3).try(4, 0, 1, 0, 5, 400, "", "status 400 is not retried", "", 0)
	s.state = append(s.state, ledger.State{Entity: "PurchaseOrderLinesV2", Company: "usmf",
		MatchKey: "usmf|SC-1|2", ParentKey: "usmf|SC-1", Quantity: 5, Amount: 49.5,
		Body: string(second.Body)})
	res, _ := s.classify(t)
	want := []Reconciliation{{Entity: "PurchaseOrderLinesV2", Company: "usmf",
		Quantity: Totals{Expected: 19, Stored: 29, Duplicated: 12, Lost: 2},
		Amount: Totals{Expected: 351.65, Stored: 612.3, Duplicated: 281.4, Lost: 20.25,
			Other: -0.5},
	}}
	if fmt.Sprint(res.Reconciliation) != fmt.Sprint(want) {
		t.Fatalf("reconciliation\n got %+v\nwant %+v", res.Reconciliation, want)
	}
}

// Ensure the extra copies of an orphan count as duplicates, in the counts and in the
// reconciliation, so that none of their quantity is left as other.
func TestClassifyOrphanCopiesAreDuplicates(t *testing.T) {
	s := new(scene).order("commit").try(1, 0, 1, 0, 5, 503, "status-503", gaveUp(1), "", 0).
		ok(2).try(2, 1, 1, 10, 5, 201, "", "", "", 0).store(2).store(2)
	res, _ := s.classify(t)
	if res.Orphans != 1 || res.DuplicateCopies != 1 || res.Duplicated != 0 {
		t.Fatalf("counts %+v, want 1 orphan with 1 duplicate copy", res.Counts)
	}
	want := []Reconciliation{{Entity: "PurchaseOrderLinesV2", Company: "usmf",
		Quantity: Totals{Expected: 12, Stored: 24, Duplicated: 12},
		Amount:   Totals{Expected: 281.4, Stored: 562.8, Duplicated: 281.4},
	}}
	if fmt.Sprint(res.Reconciliation) != fmt.Sprint(want) {
		t.Fatalf("reconciliation\n got %+v\nwant %+v", res.Reconciliation, want)
	}
}

// Ensure a ledger where two messages share a match key is refused rather than judged.
func TestClassifyRefusesSharedKeys(t *testing.T) {
	s := new(scene).order("commit").ok(1).ok(2).store(1).store(2)
	dup := s.messages[1]
	dup.ID = 3
	s.messages = append(s.messages, dup)
	l, err := ledger.Create(filepath.Join(t.TempDir(), "run.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	for _, m := range s.messages {
		l.AddMessage(m)
	}
	_, err = Classify(context.Background(), l)
	if err == nil || !strings.Contains(err.Error(), "1 match keys are shared") {
		t.Fatalf("Classify = %v, want a refusal naming the shared keys", err)
	}
}

// Ensure the synthetic run of the benchmark classifies to its exact counts, so that the
// benchmark measures correct work.
func TestClassifySynthetic(t *testing.T) {
	s := synthetic{records: 20000}
	l := s.build(t, t.TempDir())
	defer l.Close()
	res, err := Classify(context.Background(), l)
	if err != nil {
		t.Fatal(err)
	}
	if res.Counts != s.want() {
		t.Fatalf("counts\n got %+v\nwant %+v", res.Counts, s.want())
	}
	// A second verification replaces the verdicts rather than adding to them.
	if res, err = Classify(context.Background(), l); err != nil || res.Counts != s.want() {
		t.Fatalf("second classification: %v, %+v", err, res)
	}
}

// Ensure the examples name the first record of each kind of trouble, in the order of
// ExampleKinds, with its cause.
func TestClassifyExamples(t *testing.T) {
	s := new(scene).order("commit").
		try(1, 0, 1, 0, 5, 503, "status-503", "status 503 on attempt 1 of 1: gave up", "", 0).
		try(2, 0, 1, 0, 5, 429, "status-429", "status 429: retry 2 of 3", "", time.Second).
		try(2, 0, 2, 100, 5, 201, "", "", "", 0).store(2)
	res, _ := s.classify(t)
	want := []Example{
		{Kind: Lost, Message: 1, Entity: "PurchaseOrderHeadersV2", Company: "usmf",
			Cause: "never accepted: status 503 on attempt 1 of 1: gave up"},
		{Kind: Orphan, Message: 2, Entity: "PurchaseOrderLinesV2", Company: "usmf",
			Cause: "stored, but its parent PurchaseOrderHeadersV2 usmf|SC-1 is absent: message 1 " +
				"that creates it was never accepted (injected 503 on its only attempt, retries " +
				"off); 1 retry sent before the Retry-After of the answer before it"},
		{Kind: "retry_after_violation", Message: 2, Entity: "PurchaseOrderLinesV2",
			Company: "usmf", Cause: "stored, but its parent PurchaseOrderHeadersV2 usmf|SC-1 is " +
				"absent: message 1 that creates it was never accepted (injected 503 on its only " +
				"attempt, retries off); 1 retry sent before the Retry-After of the answer " +
				"before it"},
	}
	if fmt.Sprint(res.Examples) != fmt.Sprint(want) {
		t.Fatalf("examples\n got %+v\nwant %+v", res.Examples, want)
	}
}
