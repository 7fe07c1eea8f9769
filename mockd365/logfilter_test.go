package mockd365

import (
	"encoding/json"
	"net/http"
	"testing"
)

// Ensure /admin/log refuses a filter value no row can hold, an unknown parameter and a
// repeated one with a 400 that lists what is valid, instead of answering nothing.
func TestAdminLogRefusesBadFilters(t *testing.T) {
	s := mustServer(t, Options{})
	mustVendor(t, s, "usmf", "V-1")
	for query, want := range map[string]string{
		"outcome=bogus": `outcome "bogus" is not one of received, validated, committed, failed`,
		"method=FETCH": `method "FETCH" is not one of GET, HEAD, POST, PUT, PATCH, DELETE, ` +
			`OPTIONS, CONNECT, TRACE`,
		"status=2xx":  `status "2xx" is not an HTTP status (a number from 100 to 599)`,
		"status=1000": `status "1000" is not an HTTP status (a number from 100 to 599)`,
		"entity=vendorsV2": `entity "vendorsV2" is not an entity set of the mock (names are ` +
			`case sensitive): VendorsV2, CustomersV3, ReleasedProductsV2, ` +
			`PurchaseOrderHeadersV2, PurchaseOrderLinesV2, ProductReceiptHeaders, ` +
			`ProductReceiptLinesV2, VendorInvoiceHeaders, VendorInvoiceLines, ` +
			`SalesOrderHeadersV2, SalesOrderLines, InventoryAdjustmentJournalHeaders, ` +
			`InventoryAdjustmentJournalEntriesV2, LedgerJournalHeaders, LedgerJournalLines, ` +
			`RetailTransactions, RetailTransactionSalesLinesV2, RetailTransactionPaymentLinesV2`,
		"outcom=failed": `unknown parameter "outcom"; /admin/log reads after, limit, outcome, ` +
			`entity, status, method`,
		"outcome=failed&outcome=committed": `parameter "outcome" is given 2 times; give it once`,
		"limit=0":                          `limit "0" is not a whole number from 1 to 10000`,
		"after=-1":                         `after "-1" is not a log id (a whole number, 0 or more)`,
	} {
		r := get(t, s, "/admin/log?"+query).mustStatus(t, http.StatusBadRequest)
		var body map[string]string
		if err := json.Unmarshal([]byte(r.body), &body); err != nil || body["error"] != want {
			t.Errorf("%s: %s\nwant error %q", query, r.body, want)
		}
	}
	r := get(t, s, "/admin/log?method=post&outcome=committed&status=201&entity=VendorsV2").
		mustStatus(t, http.StatusOK)
	if rows := r.rows(t); len(rows) != 1 || rows[0]["method"] != "POST" {
		t.Errorf("valid filters: %s", r.body)
	}
}
