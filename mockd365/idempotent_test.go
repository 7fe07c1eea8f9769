package mockd365

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// Ensure a repeated Idempotency-Key gets the first answer again and writes nothing, under the
// idempotent design only.
func TestIdempotencyKeyReplays(t *testing.T) {
	s := mustServer(t, Options{Design: "idempotent"})
	mustVendor(t, s, "usmf", "V-1")
	body := `{"OrderVendorAccountNumber":"V-1","CurrencyCode":"USD"}`
	first := post(t, s, "PurchaseOrderHeadersV2", body, "Idempotency-Key", "k-1")
	second := post(t, s, "PurchaseOrderHeadersV2", body, "Idempotency-Key", "k-1")
	first.mustStatus(t, http.StatusCreated)
	if second.status != first.status || second.body != first.body {
		t.Errorf("replay = %d %s\nwant  %d %s", second.status, second.body, first.status,
			first.body)
	}
	if second.header.Get("Idempotent-Replayed") != "true" {
		t.Error("replay not marked")
	}
	post(t, s, "PurchaseOrderHeadersV2", body, "Idempotency-Key", "k-2").
		mustStatus(t, http.StatusCreated)
	if n := count(t, s, "PurchaseOrderHeadersV2"); n != 2 {
		t.Errorf("%d orders stored, want 2", n)
	}

	d365 := mustServer(t, Options{})
	mustVendor(t, d365, "usmf", "V-1")
	post(t, d365, "PurchaseOrderHeadersV2", body, "Idempotency-Key", "k-1")
	post(t, d365, "PurchaseOrderHeadersV2", body, "Idempotency-Key", "k-1")
	if n := count(t, d365, "PurchaseOrderHeadersV2"); n != 2 {
		t.Errorf("d365 ignores Idempotency-Key, yet stored %d orders", n)
	}
}

// Ensure a create whose key or external reference is stored returns that record with 200.
func TestIdempotentReturnsFirstRecord(t *testing.T) {
	s := mustServer(t, Options{Design: "idempotent"})
	mustVendor(t, s, "usmf", "V-1")
	po := mustOrder(t, s, "usmf", "V-1", "EXT-1")
	r := post(t, s, "PurchaseOrderHeadersV2", `{"OrderVendorAccountNumber":"V-1",`+
		`"CurrencyCode":"USD","VendorOrderReference":"ext-1"}`).mustStatus(t, http.StatusOK)
	if got := r.object(t)["PurchaseOrderNumber"]; got != po {
		t.Errorf("returned order %v, want %s", got, po)
	}
	again := post(t, s, "VendorsV2", vendorJSON("usmf", "V-1")).mustStatus(t, http.StatusOK)
	if again.object(t)["@odata.etag"] != `W/"JzEsNTYzNzE0NDU3Nic="` {
		t.Errorf("vendor resend returned %s", again.body)
	}
	if n := count(t, s, "PurchaseOrderHeadersV2"); n != 1 {
		t.Errorf("%d orders stored, want 1", n)
	}
}

// Ensure a child before its parent is parked (202) and created when the parent arrives.
func TestIdempotentParksOrphans(t *testing.T) {
	s := mustServer(t, Options{Design: "idempotent"})
	mustVendor(t, s, "usmf", "V-1")
	mustItem(t, s, "usmf", "D0001")
	line := `{"PurchaseOrderNumber":"PO-7","LineNumber":1,"ItemNumber":"D0001",` +
		`"OrderedPurchaseQuantity":5}`
	r := post(t, s, "PurchaseOrderLinesV2", line, "Idempotency-Key", "line-1")
	r.mustStatus(t, http.StatusAccepted)
	want := `{"message":"The record was parked because its parent Purchase orders ` +
		`PurchaseOrderHeadersV2(dataAreaId='usmf',PurchaseOrderNumber='PO-7') is not stored ` +
		`yet; it is created when the parent arrives.","parkedId":1,"status":"parked",` +
		`"waitingFor":"PurchaseOrderHeadersV2(dataAreaId='usmf',PurchaseOrderNumber='PO-7')"}`
	if r.body != want {
		t.Errorf("body:\n got %s\nwant %s", r.body, want)
	}
	if n := count(t, s, "PurchaseOrderLinesV2"); n != 0 {
		t.Fatalf("parked line stored before its header")
	}
	post(t, s, "PurchaseOrderHeadersV2", `{"PurchaseOrderNumber":"po-7",`+
		`"OrderVendorAccountNumber":"V-1","CurrencyCode":"USD"}`).mustStatus(t, http.StatusCreated)
	if n := count(t, s, "PurchaseOrderLinesV2"); n != 1 {
		t.Fatalf("%d lines after the header arrived, want 1", n)
	}
	retry := post(t, s, "PurchaseOrderLinesV2", line, "Idempotency-Key", "line-1")
	if retry.status != http.StatusCreated || !strings.Contains(retry.body, `"LineNumber":1`) {
		t.Errorf("retry after release = %d %s, want the created line", retry.status, retry.body)
	}
	var state string
	err := s.store.r.QueryRow(`SELECT state FROM parked WHERE id = 1`).Scan(&state)
	if err != nil || state != stateApplied {
		t.Errorf("parked row state = %q, %v", state, err)
	}
}

// Ensure a child that would fail for another reason is refused at once, not parked.
func TestIdempotentParksOnlyViableChildren(t *testing.T) {
	s := mustServer(t, Options{Design: "idempotent"})
	mustItem(t, s, "usmf", "D0001")
	got := post(t, s, "PurchaseOrderLinesV2", `{"PurchaseOrderNumber":"PO-8","LineNumber":1,`+
		`"ItemNumber":"NOPE","OrderedPurchaseQuantity":5}`).writeFault(t)
	if !strings.Contains(got, "The value 'NOPE' in field 'Item number'") {
		t.Errorf("unknown item: %s", got)
	}
	got = post(t, s, "PurchaseOrderLinesV2", `{"PurchaseOrderNumber":"PO-8","LineNumber":1,`+
		`"ItemNumber":"D0001"}`).writeFault(t)
	if !strings.HasSuffix(got, "Infolog: Warning: Field 'Quantity' must be filled in.") {
		t.Errorf("missing quantity: %s", got)
	}
}

// Ensure a child parked twice (a resend before the parent arrived) is stored once when the
// parent arrives: the second applies as a return-first duplicate.
func TestIdempotentParkedResendStoredOnce(t *testing.T) {
	s := mustServer(t, Options{Design: "idempotent"})
	mustVendor(t, s, "usmf", "V-1")
	mustItem(t, s, "usmf", "D0001")
	line := `{"PurchaseOrderNumber":"PO-8","LineNumber":1,"ItemNumber":"D0001",` +
		`"OrderedPurchaseQuantity":%d}`
	post(t, s, "PurchaseOrderLinesV2", fmt.Sprintf(line, 5)).mustStatus(t, http.StatusAccepted)
	post(t, s, "PurchaseOrderLinesV2", fmt.Sprintf(line, 7)).mustStatus(t, http.StatusAccepted)
	post(t, s, "PurchaseOrderHeadersV2", `{"PurchaseOrderNumber":"PO-8",`+
		`"OrderVendorAccountNumber":"V-1","CurrencyCode":"USD"}`).mustStatus(t, http.StatusCreated)
	rows, err := s.store.r.Query(`SELECT state, reason FROM parked ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var state, reason string
		if err := rows.Scan(&state, &reason); err != nil {
			t.Fatal(err)
		}
		got = append(got, state+": "+reason)
	}
	want := []string{"applied: ", "applied: "}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("parked rows = %q, want %q", got, want)
	}
	if n := count(t, s, "PurchaseOrderLinesV2"); n != 1 {
		t.Errorf("%d lines stored, want 1", n)
	}
}
