package verify

import "testing"

func TestJudge(t *testing.T) {
	sent := []byte(`{"dataAreaId":"usmf","PurchaseOrderNumber":"SC-1","LineNumber":1,"OrderedPurchaseQuantity":12.5,"RequestedDeliveryDate":"2026-03-02T12:00:00Z","LineDescription":"Blue chair"}`)
	same := `{"@odata.etag":"W/\"x\"","dataAreaId":"USMF","PurchaseOrderNumber":"SC-1","LineNumber":1,"OrderedPurchaseQuantity":12.500000,"RequestedDeliveryDate":"2026-03-02T12:00:00+00:00","LineDescription":"Blue chair","PurchaseUnitSymbol":"ea"}`
	truncated := `{"dataAreaId":"usmf","PurchaseOrderNumber":"SC-1","LineNumber":1,"OrderedPurchaseQuantity":12.5,"RequestedDeliveryDate":"2026-03-02T12:00:00Z","LineDescription":"Blue ch"}`
	for _, tc := range []struct {
		name      string
		ev        evidence
		class     string
		recovered bool
		falseNeg  bool
		detail    string
	}{
		{"committed", evidence{fate: "commit", sent: sent, found: 1, parentFound: true, stored: same,
			acknowledged: true, lastOutcome: "ok"}, Committed, false, false, ""},
		{"altered by truncation", evidence{fate: "commit", sent: sent, found: 1, parentFound: true,
			stored: truncated, lastOutcome: "ok"}, Altered, false, false,
			`LineDescription: sent "Blue chair", stored "Blue ch"`},
		{"duplicated after a lost answer", evidence{fate: "commit", sent: sent, found: 3,
			parentFound: true, stored: same, troubled: true, lastOutcome: "ok"}, Duplicated, true,
			false, "stored 3 times"},
		{"lost, never accepted", evidence{fate: "commit", found: 0, lastOutcome: "rejected",
			lastDecision: "status 400 is not retried: not found"}, Lost, false, false,
			"status 400 is not retried: not found"},
		{"orphan", evidence{fate: "commit", sent: sent, found: 1, parentFound: false, stored: same},
			Orphan, false, false, "stored, but its parent record is absent"},
		{"false negative", evidence{fate: "commit", sent: sent, found: 1, parentFound: true,
			stored: same, troubled: true, lastOutcome: "rejected"}, Committed, true, true, ""},
		{"bad data accepted", evidence{fate: "reject", sent: sent, found: 1, parentFound: true,
			stored: same}, BadDataAccepted, false, false, "sent malformed on purpose, yet stored"},
		{"rejected as expected", evidence{fate: "reject", found: 0, lastDecision: "status 400"},
			RejectedAsExpected, false, false, "status 400"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := judge(tc.ev)
			if v.class != tc.class || v.recovered != tc.recovered || v.falseNegative != tc.falseNeg ||
				v.detail != tc.detail {
				t.Fatalf("got %s recovered=%v falseNegative=%v %q; want %s %v %v %q", v.class,
					v.recovered, v.falseNegative, v.detail, tc.class, tc.recovered, tc.falseNeg, tc.detail)
			}
		})
	}
}

func TestCountsAdd(t *testing.T) {
	var c Counts
	for _, v := range []verdict{
		{class: Committed}, {class: Duplicated, found: 3, recovered: true},
		{class: Lost, acknowledged: true}, {class: Lost}, {class: Orphan},
		{class: Committed, falseNegative: true, recovered: true},
	} {
		c.add(v)
	}
	want := Counts{Expected: 6, Committed: 2, Duplicated: 1, DuplicateCopies: 2, Lost: 2,
		LostAcknowledged: 1, LostNeverAccepted: 1, Orphans: 1, Recovered: 2, FalseNegatives: 1}
	if c != want {
		t.Fatalf("counts %+v, want %+v", c, want)
	}
}
