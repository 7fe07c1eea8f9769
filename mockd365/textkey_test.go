package mockd365

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Ensure text keys compare as F&O's SQL Server compares them, without regard to trailing
// spaces (or case), while the value is stored as sent: in the duplicate check, a read by
// key, a reference, $filter eq and ne, and a parked child waiting for its parent.
func TestTextKeysIgnoreTrailingSpaces(t *testing.T) {
	s := mustServer(t, Options{})
	created := post(t, s, "VendorsV2", vendorJSON("usmf", "V-16 ")).
		mustStatus(t, http.StatusCreated)
	if got := created.object(t)["VendorAccountNumber"]; got != "V-16 " {
		t.Errorf("stored %q, want the value as sent, %q", got, "V-16 ")
	}
	got := post(t, s, "VendorsV2", vendorJSON("usmf", "v-16")).writeFault(t)
	if !strings.HasSuffix(got, "Vendor account: v-16, usmf.\nThe record already exists.") {
		t.Errorf("second create: %s", got)
	}

	r := get(t, s, "/data/VendorsV2(dataAreaId='usmf',VendorAccountNumber='V-16')").
		mustStatus(t, http.StatusOK)
	if got := r.object(t)["VendorAccountNumber"]; got != "V-16 " {
		t.Errorf("read by key: %q", got)
	}
	mustOrder(t, s, "usmf", "V-16", "") // the reference resolves

	for filter, want := range map[string]int{
		"VendorAccountNumber eq 'v-16'":   1,
		"VendorAccountNumber eq 'V-16  '": 1,
		"VendorAccountNumber ne 'V-16'":   0,
	} {
		r := get(t, s, "/data/VendorsV2?$filter="+url.QueryEscape(filter)).
			mustStatus(t, http.StatusOK)
		if n := len(r.rows(t)); n != want {
			t.Errorf("%s: %d rows, want %d", filter, n, want)
		}
	}
}

// Ensure a child parked with trailing spaces in its parent reference is applied when the
// parent arrives without them.
func TestParkedChildMatchesParentWithoutTrailingSpaces(t *testing.T) {
	s := mustServer(t, Options{Design: "idempotent"})
	mustVendor(t, s, "usmf", "V-1")
	mustItem(t, s, "usmf", "D0001")
	post(t, s, "PurchaseOrderLinesV2", `{"PurchaseOrderNumber":"PO-7 ","LineNumber":1,`+
		`"ItemNumber":"D0001","OrderedPurchaseQuantity":5}`).mustStatus(t, http.StatusAccepted)
	post(t, s, "PurchaseOrderHeadersV2", fmt.Sprintf(`{"PurchaseOrderNumber":"PO-7",`+
		`"OrderVendorAccountNumber":%q,"CurrencyCode":"USD"}`, "V-1")).
		mustStatus(t, http.StatusCreated)
	if n := count(t, s, "PurchaseOrderLinesV2"); n != 1 {
		t.Errorf("%d lines stored after the header arrived, want 1", n)
	}
}
