package mockd365

import (
	"encoding/json"
	"net/http"
	"testing"
)

// Ensure the naive design stores a child whose parent is missing, with its reference as sent
// and the fields it would fill from the parent left empty.
func TestNaiveAcceptsOrphans(t *testing.T) {
	s := mustServer(t, Options{Design: "naive"})
	line := post(t, s, "PurchaseOrderLinesV2", `{"PurchaseOrderNumber":"PO-404","LineNumber":1,`+
		`"ItemNumber":"NOPE","OrderedPurchaseQuantity":5}`).mustStatus(t, http.StatusCreated)
	if got := line.object(t)["PurchaseOrderNumber"]; got != "PO-404" {
		t.Errorf("PurchaseOrderNumber = %v, want PO-404", got)
	}
	receipt := post(t, s, "ProductReceiptLinesV2", `{"ProductReceiptNumber":"PS-404",`+
		`"PurchaseOrderNumber":"PO-404","PurchaseOrderLineNumber":1,"ItemNumber":"NOPE",`+
		`"ReceivedPurchaseQuantity":5}`).mustStatus(t, http.StatusCreated).object(t)
	if got := receipt["ProductReceiptHeaderRecordId"].(json.Number); got != "0" {
		t.Errorf("ProductReceiptHeaderRecordId = %v, want 0 (no header to fill it from)", got)
	}
}

// Ensure the naive design stores duplicates, even with the same key, and reads the first back.
func TestNaiveStoresDuplicates(t *testing.T) {
	s := mustServer(t, Options{Design: "naive"})
	post(t, s, "VendorsV2", `{"VendorAccountNumber":"V-1","VendorOrganizationName":"First"}`).
		mustStatus(t, http.StatusCreated)
	post(t, s, "VendorsV2", `{"VendorAccountNumber":"V-1","VendorOrganizationName":"Second"}`).
		mustStatus(t, http.StatusCreated)
	if n := count(t, s, "VendorsV2"); n != 2 {
		t.Errorf("%d vendors stored, want 2", n)
	}
	r := get(t, s, "/data/VendorsV2(dataAreaId='usmf',VendorAccountNumber='V-1')")
	if got := r.mustStatus(t, http.StatusOK).object(t)["VendorOrganizationName"]; got != "First" {
		t.Errorf("read by key returned %v, want the first stored", got)
	}
}

// Ensure the naive design coerces what it can read, stores the rest as sent, ignores unknown
// properties and stores records with required fields left empty.
func TestNaiveCoercesValues(t *testing.T) {
	s := mustServer(t, Options{Design: "naive"})
	tests := []struct {
		name, field, value string
		want               any
	}{
		{"locale decimal", "OrderedPurchaseQuantity", `"1.234,50"`, json.Number("1234.5")},
		{"grouped decimal", "PurchasePrice", `"1,234.50"`, json.Number("1234.5")},
		{"comma decimal", "PurchasePrice", `"12,5"`, json.Number("12.5")},
		{"unreadable decimal", "LineAmount", `"twelve"`, "twelve"},
		{"numeric string", "LineNumber", `"2"`, json.Number("2")},
		{"day first", "RequestedDeliveryDate", `"03/02/2026"`, "2026-02-03T00:00:00Z"},
		{"month first when day first fails", "RequestedDeliveryDate", `"12/31/2026"`,
			"2026-12-31T00:00:00Z"},
		{"date only", "RequestedDeliveryDate", `"2026-03-02"`, "2026-03-02T00:00:00Z"},
		{"unreadable date", "RequestedDeliveryDate", `"soon"`, "soon"},
		{"enum case", "PurchaseOrderLineStatus", `"received"`, "Received"},
		{"enum number", "PurchaseOrderLineStatus", `3`, "Invoiced"},
		{"number in text", "ItemNumber", `4403`, "4403"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := `{"PurchaseOrderNumber":"PO-1","Unknown":1,` + quoteJSON(tt.field) + `:` +
				tt.value + `}`
			r := post(t, s, "PurchaseOrderLinesV2", body).mustStatus(t, http.StatusCreated)
			if got := r.object(t)[tt.field]; got != tt.want {
				t.Errorf("%s stored as %#v, want %#v", tt.field, got, tt.want)
			}
		})
	}
}

// quoteJSON returns s as a JSON string.
func quoteJSON(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
