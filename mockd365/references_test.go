package mockd365

import (
	"fmt"
	"net/http"
	"testing"
)

// Ensure a receipt line whose receipt header is missing blames the receipt number, the field
// that identifies the missing record, and not its purchase order, which exists.
func TestMissingMultiFieldReferenceNamesIdentifyingField(t *testing.T) {
	s := mustServer(t, Options{})
	mustVendor(t, s, "usmf", "V-1")
	mustItem(t, s, "usmf", "D0001")
	mustOrder(t, s, "usmf", "V-1", "")
	po := mustOrder(t, s, "usmf", "V-1", "")
	line := fmt.Sprintf(`{"PurchaseOrderNumber":%q,"LineNumber":1,"ItemNumber":"D0001",`+
		`"OrderedPurchaseQuantity":5}`, po)
	post(t, s, "PurchaseOrderLinesV2", line).mustStatus(t, http.StatusCreated)

	got := post(t, s, "ProductReceiptLinesV2", fmt.Sprintf(`{"ProductReceiptNumber":"R-1",`+
		`"PurchaseOrderNumber":%q,"PurchaseOrderLineNumber":1,"ItemNumber":"D0001",`+
		`"ReceivedPurchaseQuantity":1}`, po)).writeFault(t)
	want := "Write failed for table row of type 'PurchProductReceiptLineV2Entity'. Infolog: " +
		"Warning: The value 'R-1' in field 'Product receipt' is not found in the related " +
		"table 'Product receipt journal'.; Warning: validateField failed on field " +
		"'PurchProductReceiptLineV2Entity.ProductReceiptNumber'."
	if po != "00000002" || got != want {
		t.Errorf("order %s; message:\n got %q\nwant %q", po, got, want)
	}
}
