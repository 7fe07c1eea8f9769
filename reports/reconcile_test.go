package reports

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stormcheck/stormcheck/verify"
)

func TestWriteTextReconcilesAndSaysHowTheWaitEnded(t *testing.T) {
	s := &Summary{
		Verify: &verify.Counts{Expected: 3, Committed: 1, Duplicated: 1, DuplicateCopies: 1,
			Lost: 1, RetryAfterViolations: 2},
		Settle: &verify.SettleResult{EndedBy: verify.SettleTimeout, WaitedMS: 10000, Polls: 21,
			Records: 1234},
		Reconciliation: []verify.Reconciliation{{Entity: "PurchaseOrderLinesV2", Company: "usmf",
			Quantity: verify.Totals{Expected: 1500, Stored: 1512, Duplicated: 24, Lost: 12},
			Amount: verify.Totals{Expected: 1234567.5, Stored: 1234567.5, Duplicated: 20.25,
				Lost: 10, Other: -10.25}}},
	}
	var b bytes.Buffer
	if err := WriteText(&b, s); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"settle: verify.settle ran out while the state still changed after 10s (21 counts, " +
			"1234 records)",
		"Retry-After violations 2: retries sent sooner than the answer before them asked",
		" PurchaseOrderLinesV2 │ usmf    │ quantity │        1,500 │        1,512 │        +24 " +
			"│    -12 │      0 ",
		" PurchaseOrderLinesV2 │ usmf    │ amount   │ 1,234,567.50 │ 1,234,567.50 │     +20.25 " +
			"│ -10.00 │ -10.25 ",
		"stored = expected + duplicates + gaps + other, where each of the last three is a " +
			"signed change:\n  duplicates (+): the extra copies stored, of duplicated records " +
			"and of orphans\n  gaps (-): the lost records, never stored\n",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(b.String())
	}
}
