package main

import (
	"fmt"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stormcheck/stormcheck/ledger"
	"github.com/stormcheck/stormcheck/reports"
)

// TestTraceExplainsADuplicatedReceipt runs the bundled verdict-duplicated scenario, picks
// a receipt that F&O stored twice because its first answer was lost, and checks that
// trace tells that story from the first attempt to the verdict, with the numbers the
// ledger and the mock recorded.
func TestTraceExplainsADuplicatedReceipt(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	if code, _, stderr := stormcheck(t, "run", "verdict-duplicated", "--out", dir,
		"--quiet"); code != reports.ExitIntegrity {
		t.Fatalf("run exit %d, stderr %s; want 1 (duplicates)", code, stderr)
	}
	db, err := ledger.OpenReadOnly(filepath.Join(dir, "run.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var id, seq1, seq2 int64
	var corr, decision string
	err = db.QueryRow(`SELECT m.id, m.correlation, a1.seq, a1.decision, a2.seq FROM messages m
		JOIN verdicts v ON v.message = m.id
		JOIN attempts a1 ON a1.message = m.id AND a1.copy = 0 AND a1.try = 1
		JOIN attempts a2 ON a2.message = m.id AND a2.copy = 0 AND a2.try = 2
		WHERE m.entity = 'ProductReceiptHeaders' AND v.class = 'duplicated' AND m.copies = 0
			AND a1.injected = 'ack-loss' AND a2.status = 201
		ORDER BY m.id LIMIT 1`).Scan(&id, &corr, &seq1, &decision, &seq2)
	if err != nil {
		t.Fatalf("seed 202 has no receipt duplicated after a lost answer: %v", err)
	}
	// The verdict names the wait the sender decided on, to the millisecond as the decision.
	planned := regexp.MustCompile(`: retry 2 of 4 after ([0-9]+)ms$`).FindStringSubmatch(decision)
	if planned == nil {
		t.Fatalf("message %d: decision %q names no wait in milliseconds", id, decision)
	}

	code, out, stderr := stormcheck(t, "trace", dir, fmt.Sprint(id))
	if code != 0 {
		t.Fatalf("trace exit %d: %s", code, stderr)
	}
	want := []string{
		fmt.Sprintf(`message %d: ProductReceiptHeaders header of product-receipt %s in `, id,
			regexp.QuoteMeta(corr)),
		fmt.Sprintf(`Idempotency-Key %s\.%d`, regexp.QuoteMeta(corr), id),
		fmt.Sprintf(`│ original │   1 │ +%d │ none: answer lost │ .* │ ack-loss │ no answer `+
			`\(timeout\): retry 2 of 4 after`, seq1),
		fmt.Sprintf(`│ original │   2 │ +%d │ 201 +│`, seq2),
		`the mock's integration log \(mock\.db\):`,
		fmt.Sprintf(`│ +%d │    201 │ committed │ \(dataAreaId=`, seq1),
		fmt.Sprintf(`│ +%d │    201 │ committed │ \(dataAreaId=`, seq2),
		`  read back: 2 records under its key`,
		fmt.Sprintf(`\(timeout\): retry 2 of 4 after %sms *\n`, planned[1]),
		fmt.Sprintf(`  verdict: duplicated: stored twice: ack lost on attempt 1, retried after `+
			`%s ms\n`, planned[1]),
	}
	for _, pattern := range want {
		if !regexp.MustCompile(pattern).MatchString(out) {
			t.Errorf("trace lacks %s", pattern)
		}
	}
	if t.Failed() {
		t.Log(out)
	}

	for _, unknown := range []string{"SCNONE-0000001", "999999"} {
		code, _, stderr = stormcheck(t, "trace", dir, unknown)
		wantErr := fmt.Sprintf("stormcheck: trace %q: no such message or document in the run "+
			"(give a message id, an Idempotency-Key, a correlation value or a match key)\n",
			unknown)
		if code != reports.ExitUsage || stderr != wantErr {
			t.Errorf("trace of unknown id %s: exit %d, stderr %q; want 64, %q", unknown, code,
				stderr, wantErr)
		}
	}
	notRun := t.TempDir()
	code, _, stderr = stormcheck(t, "trace", notRun, "27")
	wantErr := fmt.Sprintf("stormcheck: trace: %s is not a run directory (no run.db in it)\n",
		notRun)
	if code != reports.ExitUsage || stderr != wantErr {
		t.Errorf("trace of a directory without run.db: exit %d, stderr %q; want 64, %q", code,
			stderr, wantErr)
	}
}
