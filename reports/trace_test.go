package reports

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stormcheck/stormcheck/ledger"
)

// traceRun writes a run directory whose ledger holds one receipt header (message 7) that
// was stored twice after a lost answer, and a mock.db that logged both requests.
func traceRun(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	l, err := ledger.Create(filepath.Join(dir, "run.db"))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{"scenario": "demo", "seed": "42", "prefix": "SCT"} {
		if err := l.SetMeta(k, v); err != nil {
			t.Fatal(err)
		}
	}
	l.AddMessage(ledger.Message{ID: 7, Doc: 3, DocKind: "product-receipt",
		Entity: "ProductReceiptHeaders", Role: "header", Company: "usmf",
		MatchKey: "usmf|SCT-0000003", Correlation: "SCT-0000003", Fate: "commit",
		Body: []byte("{}")})
	l.AddAttempt(ledger.Attempt{Message: 7, Try: 1, Seq: 11, StartedNS: 1_250_000_000,
		LatencyNS: 3_000_000, Outcome: ledger.OutcomeUnknown, Injected: "ack-loss",
		Error:    `Post "http://127.0.0.1:1/data/ProductReceiptHeaders": timeout (answer lost)`,
		Decision: "no answer (timeout): retry 2 of 4 after 400ms"})
	l.AddAttempt(ledger.Attempt{Message: 7, Try: 2, Seq: 19, StartedNS: 1_653_000_000,
		LatencyNS: 2_500_000, Status: 201, Outcome: ledger.OutcomeOK})
	for _, rec := range []string{"5637144576", "5637144577"} {
		l.AddState(ledger.State{Entity: "ProductReceiptHeaders", Company: "usmf",
			MatchKey: "usmf|SCT-0000003", Body: `{"dataAreaId":"usmf","RecordId":` + rec + `}`})
	}
	if err := l.Flush(); err != nil {
		t.Fatal(err)
	}
	err = l.WriteVerdicts(context.Background(), []ledger.Verdict{{Message: 7, Class: "duplicated",
		Found: 2, Extra: 1, Acknowledged: true, Recovered: true,
		Detail: "stored twice: ack lost on attempt 1, retried after 400 ms"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	mock, err := sql.Open("sqlite", filepath.Join(dir, "mock.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer mock.Close()
	_, err = mock.Exec(`CREATE TABLE integration_log (id INTEGER PRIMARY KEY, time TEXT,
		attempt TEXT, status INTEGER, outcome TEXT, reason TEXT, idempotency_key TEXT,
		record_key TEXT);
		INSERT INTO integration_log (time, attempt, status, outcome, reason, idempotency_key,
			record_key) VALUES
		('2026-03-02T12:00:01.251Z', '11', 201, 'committed', '', 'SCT-0000003.7',
			'(dataAreaId=''usmf'',RecordId=5637144576)'),
		('2026-03-02T12:00:01.654Z', '19', 201, 'committed', '', 'SCT-0000003.7',
			'(dataAreaId=''usmf'',RecordId=5637144577)'),
		('2026-03-02T12:00:01.700Z', '20', 201, 'committed', '', 'SCT-0000003.70', 'other')`)
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestLoadTraceResolvesEveryKindOfID(t *testing.T) {
	dir := traceRun(t)
	for _, id := range []string{"7", "SCT-0000003.7", "SCT-0000003.7.copy1", "SCT-0000003",
		"usmf|SCT-0000003"} {
		tr, err := LoadTrace(context.Background(), dir, id)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		if len(tr.Messages) != 1 || tr.Messages[0].ID != 7 || len(tr.Messages[0].Log) != 2 {
			t.Fatalf("%s: traced %+v, want message 7 with its 2 log rows", id, tr.Messages)
		}
	}
}

// Ensure an ID that names nothing, numeric or not, gives one error that wraps
// ErrNotTraced, and that a directory without run.db is said not to be a run directory.
func TestLoadTraceFailures(t *testing.T) {
	dir := traceRun(t)
	const hint = " (give a message id, an Idempotency-Key, a correlation value or a match key)"
	for _, id := range []string{"99", "SCT-0000009", "SCT-0000003.99", "usmf|SCT-0000009"} {
		_, err := LoadTrace(context.Background(), dir, id)
		want := fmt.Sprintf("trace %q: no such message or document in the run%s", id, hint)
		if !errors.Is(err, ErrNotTraced) || err.Error() != want {
			t.Errorf("%s: %v, want %q wrapping ErrNotTraced", id, err, want)
		}
	}
	file := filepath.Join(dir, "mock.db")
	for path, why := range map[string]string{
		t.TempDir():                       "no run.db in it",
		filepath.Join(dir, "no-such-run"): "no such directory",
		file:                              "it is a file",
	} {
		_, err := LoadTrace(context.Background(), path, "7")
		want := fmt.Sprintf("trace: %s is not a run directory (%s)", path, why)
		if !errors.Is(err, ErrNotRunDir) || err.Error() != want {
			t.Errorf("%s: %v, want %q wrapping ErrNotRunDir", path, err, want)
		}
	}
}

func TestWriteTrace(t *testing.T) {
	tr, err := LoadTrace(context.Background(), traceRun(t), "7")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteTrace(&b, tr); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"trace 7: run of demo, seed 42, prefix SCT, 1 message",
		"message 7: ProductReceiptHeaders header of product-receipt SCT-0000003 in usmf",
		"  record usmf|SCT-0000003, meant to commit; faults: none; Idempotency-Key SCT-0000003.7",
		"+1.250s │ original │   1 │  11 │ none: answer lost │   3.0ms │           - │ ack-loss " +
			"│ no answer (timeout): retry 2 of 4 after 400ms",
		"+1.653s │ original │   2 │  19 │ 201               │   2.5ms │           - │ -        " +
			"│ done",
		"12:00:01.251 │  11 │    201 │ committed │ (dataAreaId='usmf',RecordId=5637144576)",
		"12:00:01.654 │  19 │    201 │ committed │ (dataAreaId='usmf',RecordId=5637144577)",
		"  read back: 2 records under its key",
		"  verdict: duplicated: stored twice: ack lost on attempt 1, retried after 400 ms",
	}
	out := b.String()
	for _, line := range want {
		if !strings.Contains(out, line) {
			t.Errorf("trace lacks %q", line)
		}
	}
	if t.Failed() {
		t.Log(out)
	}
}
