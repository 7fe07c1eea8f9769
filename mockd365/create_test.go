package mockd365

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// Ensure a create answers 201 with the whole stored record, its context and its etag.
func TestCreateAnswersStoredRecord(t *testing.T) {
	s := mustServer(t, Options{})
	r := post(t, s, "VendorsV2", `{"dataAreaId":"USMF","VendorAccountNumber":"V-1001",`+
		`"VendorOrganizationName":"Fabrikam Supplies","VendorGroupId":"10","CurrencyCode":"USD"}`)
	r.mustStatus(t, http.StatusCreated)

	want := `{"@odata.context":"` + s.URL + `/data/$metadata#VendorsV2/$entity",` +
		`"@odata.etag":"W/\"JzEsNTYzNzE0NDU3Nic=\"","dataAreaId":"usmf",` +
		`"VendorAccountNumber":"V-1001","VendorOrganizationName":"Fabrikam Supplies",` +
		`"VendorGroupId":"10","CurrencyCode":"USD","DefaultPaymentTermsName":"",` +
		`"AddressCountryRegionId":"","AddressCity":"","AddressStreet":"","OnHoldStatus":"No"}`
	if r.body != want {
		t.Errorf("body:\n got %s\nwant %s", r.body, want)
	}
	for name, want := range map[string]string{
		"ETag":          `W/"JzEsNTYzNzE0NDU3Nic="`,
		"OData-Version": "4.0",
		"Content-Type":  "application/json; odata.metadata=minimal; charset=utf-8",
		"Location":      s.URL + "/data/VendorsV2(dataAreaId='usmf',VendorAccountNumber='V-1001')",
	} {
		if got := r.header.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}

// Ensure a create without dataAreaId lands in the default company.
func TestCreateDefaultsCompany(t *testing.T) {
	s := mustServer(t, Options{DefaultCompany: "DEMF"})
	r := post(t, s, "VendorsV2", `{"VendorAccountNumber":"V-1","VendorOrganizationName":"A",`+
		`"VendorGroupId":"10","CurrencyCode":"EUR"}`).mustStatus(t, http.StatusCreated)
	if got := r.object(t)["dataAreaId"]; got != "demf" {
		t.Errorf("dataAreaId = %v, want demf", got)
	}
}

// Ensure a client-supplied key that is stored already is refused with F&O's Infolog,
// without regard to case, as F&O's collation compares.
func TestCreateDuplicateKey(t *testing.T) {
	s := mustServer(t, Options{})
	mustVendor(t, s, "usmf", "V-1001")
	got := post(t, s, "VendorsV2", vendorJSON("USMF", "v-1001")).writeFault(t)
	want := "Write failed for table row of type 'VendVendorV2Entity'. Infolog: Info: Cannot " +
		"create a record in Vendors (VendTable). Vendor account: v-1001, usmf.\n" +
		"The record already exists."
	if got != want {
		t.Errorf("message:\n got %q\nwant %q", got, want)
	}
	if n := count(t, s, "VendorsV2"); n != 1 {
		t.Errorf("%d vendors stored, want 1", n)
	}
}

// Ensure a composite key lists every key label and value in the duplicate message.
func TestCreateDuplicateLine(t *testing.T) {
	s := mustServer(t, Options{})
	mustVendor(t, s, "usmf", "V-1")
	mustItem(t, s, "usmf", "D0001")
	po := mustOrder(t, s, "usmf", "V-1", "")
	line := fmt.Sprintf(`{"PurchaseOrderNumber":%q,"LineNumber":1,"ItemNumber":"D0001",`+
		`"OrderedPurchaseQuantity":5}`, po)
	post(t, s, "PurchaseOrderLinesV2", line).mustStatus(t, http.StatusCreated)
	got := post(t, s, "PurchaseOrderLinesV2", line).writeFault(t)
	want := "Write failed for table row of type 'PurchPurchaseOrderLineV2Entity'. Infolog: " +
		"Info: Cannot create a record in Purchase order lines (PurchLine). Purchase order, " +
		"Line number: 00000001, 1, usmf.\nThe record already exists."
	if got != want {
		t.Errorf("message:\n got %q\nwant %q", got, want)
	}
}

// Ensure a reference to a record that does not exist is refused, naming the field.
func TestCreateMissingReference(t *testing.T) {
	s := mustServer(t, Options{})
	got := post(t, s, "PurchaseOrderHeadersV2",
		`{"OrderVendorAccountNumber":"V-9999","CurrencyCode":"USD"}`).writeFault(t)
	want := "Write failed for table row of type 'PurchPurchaseOrderHeaderV2Entity'. Infolog: " +
		"Warning: The value 'V-9999' in field 'Vendor account' is not found in the related " +
		"table 'Vendors'.; Warning: validateField failed on field " +
		"'PurchPurchaseOrderHeaderV2Entity.OrderVendorAccountNumber'."
	if got != want {
		t.Errorf("message:\n got %q\nwant %q", got, want)
	}
}

// Ensure a line whose header has not arrived is refused under d365 (child before parent).
func TestCreateChildBeforeParentRejected(t *testing.T) {
	s := mustServer(t, Options{})
	mustItem(t, s, "usmf", "D0001")
	got := post(t, s, "PurchaseOrderLinesV2", `{"PurchaseOrderNumber":"PO-404","LineNumber":1,`+
		`"ItemNumber":"D0001","OrderedPurchaseQuantity":5}`).writeFault(t)
	want := "Warning: The value 'PO-404' in field 'Purchase order' is not found in the " +
		"related table 'Purchase orders'."
	if !strings.Contains(got, want) {
		t.Errorf("message %q does not contain %q", got, want)
	}
}

// Ensure every required field left empty is reported, and that "" counts as empty.
func TestCreateMissingRequired(t *testing.T) {
	s := mustServer(t, Options{})
	got := post(t, s, "VendorsV2",
		`{"VendorAccountNumber":"V-1","VendorOrganizationName":""}`).writeFault(t)
	want := "Write failed for table row of type 'VendVendorV2Entity'. Infolog: Warning: Field " +
		"'Name' must be filled in.; Warning: Field 'Group' must be filled in.; Warning: Field " +
		"'Currency' must be filled in."
	if got != want {
		t.Errorf("message:\n got %q\nwant %q", got, want)
	}
}

// Ensure values that do not deserialise are refused with a message naming the property and
// its EDM type.
func TestCreateMalformedValues(t *testing.T) {
	s := mustServer(t, Options{})
	mustVendor(t, s, "usmf", "V-1")
	tests := []struct {
		name  string
		field string
		value string
		want  string
	}{
		{"date not RFC 3339", "RequestedDeliveryDate", `"31/12/2026"`, "Cannot convert the " +
			"value '31/12/2026' of property 'RequestedDeliveryDate' to type 'Edm.DateTimeOffset'."},
		{"date without offset", "AccountingDate", `"2026-03-02T12:00:00"`, "Cannot convert the " +
			"value '2026-03-02T12:00:00' of property 'AccountingDate' to type " +
			"'Edm.DateTimeOffset'."},
		{"date out of range", "AccountingDate", `"1800-01-01T00:00:00Z"`, "The value " +
			"'1800-01-01T00:00:00Z' of property 'AccountingDate' is outside the range of type " +
			"'Edm.DateTimeOffset' (1900-01-01T00:00:00Z to 2154-12-31T23:59:59Z)."},
		{"non-member enum", "PurchaseOrderStatus", `"Open"`, "The value 'Open' of property " +
			"'PurchaseOrderStatus' is not a member of enum type " +
			"'Microsoft.Dynamics.DataEntities.PurchStatus' (members: None, Backorder, " +
			"Received, Invoiced, Canceled)."},
		{"number for a string", "CurrencyCode", `840`, "The property 'CurrencyCode' has a " +
			"JSON number value, but its type 'Edm.String' needs a JSON string."},
		{"null enum", "PurchaseOrderStatus", `null`, "The property 'PurchaseOrderStatus' is " +
			"null, but its type 'Microsoft.Dynamics.DataEntities.PurchStatus' does not allow " +
			"null values."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Deserialisation comes before validation, so required fields may be missing.
			body := fmt.Sprintf(`{"OrderVendorAccountNumber":"V-1",%q:%s}`, tt.field, tt.value)
			r := post(t, s, "PurchaseOrderHeadersV2", body).mustStatus(t, http.StatusBadRequest)
			checkODataException(t, r, tt.want)
		})
	}
	if n := count(t, s, "PurchaseOrderHeadersV2"); n != 0 {
		t.Errorf("%d orders stored, want 0", n)
	}
}

// Ensure a string in a Decimal field is refused.
func TestCreateStringInDecimal(t *testing.T) {
	s := mustServer(t, Options{})
	r := post(t, s, "ReleasedProductsV2", `{"ItemNumber":"D1","ProductNumber":"D1",`+
		`"PurchasePrice":"1.234,50"}`).mustStatus(t, http.StatusBadRequest)
	checkODataException(t, r, "The property 'PurchasePrice' has a JSON string value, but its "+
		"type 'Edm.Decimal' needs a JSON number.")
}

// checkODataException checks a deserialisation failure and its message.
func checkODataException(t *testing.T, r reply, want string) {
	t.Helper()
	e := r.fault(t)
	if e.Error.InnerError == nil {
		t.Fatalf("no innererror: %s", r.body)
	}
	if e.Error.InnerError.Type != typeODataError {
		t.Errorf("innererror.type = %q, want %q", e.Error.InnerError.Type, typeODataError)
	}
	if e.Error.InnerError.Message != want {
		t.Errorf("message:\n got %q\nwant %q", e.Error.InnerError.Message, want)
	}
}

// Ensure an overlong string is refused under d365 and truncated silently under naive.
func TestCreateOverlong(t *testing.T) {
	long := strings.Repeat("x", 61)
	body := `{"OrderVendorAccountNumber":"V-1","CurrencyCode":"USD","VendorOrderReference":"` +
		long + `"}`

	d365 := mustServer(t, Options{})
	mustVendor(t, d365, "usmf", "V-1")
	got := post(t, d365, "PurchaseOrderHeadersV2", body).writeFault(t)
	want := "Write failed for table row of type 'PurchPurchaseOrderHeaderV2Entity'. Infolog: " +
		"Warning: The text in field 'Vendor reference' is 61 characters long, longer than its " +
		"maximum of 60 characters.; Warning: validateField failed on field " +
		"'PurchPurchaseOrderHeaderV2Entity.VendorOrderReference'."
	if got != want {
		t.Errorf("message:\n got %q\nwant %q", got, want)
	}

	naive := mustServer(t, Options{Design: "naive"})
	r := post(t, naive, "PurchaseOrderHeadersV2", body).mustStatus(t, http.StatusCreated)
	if got := r.object(t)["VendorOrderReference"]; got != long[:30] {
		t.Errorf("naive stored %v, want the first 30 characters (its text columns)", got)
	}
}

// Ensure a property the entity does not define is refused, naming it.
func TestCreateUnknownProperty(t *testing.T) {
	s := mustServer(t, Options{})
	r := post(t, s, "VendorsV2", `{"VendorAccountNumber":"V-1","vendorGroupId":"10"}`)
	r.mustStatus(t, http.StatusBadRequest)
	e := r.fault(t)
	if e.Error.Message != genericMessage || e.Error.InnerError == nil {
		t.Fatalf("body: %s", r.body)
	}
	if e.Error.InnerError.Type != typeInvocation {
		t.Errorf("innererror.type = %q, want %q", e.Error.InnerError.Type, typeInvocation)
	}
	want := "Exception has been thrown by the target of an invocation. The property " +
		"'vendorGroupId' is not defined on type 'Microsoft.Dynamics.DataEntities.VendorV2' " +
		"(property names are case sensitive)."
	if e.Error.InnerError.Message != want {
		t.Errorf("message:\n got %q\nwant %q", e.Error.InnerError.Message, want)
	}
}

// Ensure bodies that are not one JSON object are refused with a message saying so.
func TestCreateMalformedJSON(t *testing.T) {
	s := mustServer(t, Options{})
	for _, tt := range []struct{ name, body, want string }{
		{"cut short", `{"VendorAccountNumber":"V-1"`, "The request body is not valid JSON: " +
			"unexpected EOF."},
		{"array", `[{"VendorAccountNumber":"V-1"}]`, "The request body is a JSON array; a " +
			"create needs a JSON object."},
		{"empty", ``, "The request body is empty; a create needs a JSON object."},
		{"trailing data", `{} {}`, "The request body has data after its JSON object."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := post(t, s, "VendorsV2", tt.body).mustStatus(t, http.StatusBadRequest)
			checkODataException(t, r, tt.want)
		})
	}
}

// Ensure an unknown entity set is a 404 that points at the right case.
func TestUnknownEntitySet(t *testing.T) {
	s := mustServer(t, Options{})
	r := post(t, s, "vendorsv2", vendorJSON("usmf", "V-1")).mustStatus(t, http.StatusNotFound)
	want := "No entity set named 'vendorsv2' exists; entity set names are case sensitive: " +
		"did you mean 'VendorsV2'?"
	if got := r.fault(t).Error.Message; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
}

// Ensure number sequences count per legal entity and skip numbers taken by hand.
func TestNumberSequencePerCompany(t *testing.T) {
	s := mustServer(t, Options{})
	mustVendor(t, s, "usmf", "V-1")
	mustVendor(t, s, "demf", "V-1")
	got := []string{
		mustOrder(t, s, "usmf", "V-1", ""),
		mustOrder(t, s, "usmf", "V-1", ""),
		mustOrder(t, s, "demf", "V-1", ""),
	}
	post(t, s, "PurchaseOrderHeadersV2", `{"PurchaseOrderNumber":"00000003",`+
		`"OrderVendorAccountNumber":"V-1","CurrencyCode":"USD"}`).mustStatus(t, http.StatusCreated)
	got = append(got, mustOrder(t, s, "usmf", "V-1", ""))
	want := []string{"00000001", "00000002", "00000001", "00000004"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("numbers = %v, want %v", got, want)
	}
}

// Ensure a resent receipt is stored again under d365 (F&O has no server-side dedupe), and
// that a receipt line takes its header's RecordId from the first header stored.
func TestReceiptResendStoredTwice(t *testing.T) {
	s := mustServer(t, Options{})
	mustVendor(t, s, "usmf", "V-1")
	mustItem(t, s, "usmf", "D0001")
	po := mustOrder(t, s, "usmf", "V-1", "")
	post(t, s, "PurchaseOrderLinesV2", fmt.Sprintf(`{"PurchaseOrderNumber":%q,"LineNumber":1,`+
		`"ItemNumber":"D0001","OrderedPurchaseQuantity":5}`, po)).mustStatus(t, http.StatusCreated)
	header := fmt.Sprintf(`{"ProductReceiptNumber":"PS-1","ProductReceiptDate":`+
		`"2026-03-02T12:00:00Z","PurchaseOrderNumber":%q}`, po)
	first := post(t, s, "ProductReceiptHeaders", header).mustStatus(t, http.StatusCreated).
		object(t)
	second := post(t, s, "ProductReceiptHeaders", header).mustStatus(t, http.StatusCreated).
		object(t)
	if first["RecordId"] == second["RecordId"] {
		t.Errorf("both receipts got RecordId %v", first["RecordId"])
	}
	if first["RecordId"].(json.Number).String() != "5637144576" {
		t.Errorf("first RecordId = %v, want the sequence start", first["RecordId"])
	}
	if first["OrderVendorAccountNumber"] != "V-1" {
		t.Errorf("vendor not filled from the order: %v", first["OrderVendorAccountNumber"])
	}
	line := post(t, s, "ProductReceiptLinesV2", fmt.Sprintf(`{"ProductReceiptNumber":"PS-1",`+
		`"PurchaseOrderNumber":%q,"PurchaseOrderLineNumber":1,"ItemNumber":"D0001",`+
		`"ReceivedPurchaseQuantity":5}`, po)).mustStatus(t, http.StatusCreated).object(t)
	if line["ProductReceiptHeaderRecordId"] != first["RecordId"] {
		t.Errorf("line header id = %v, want %v", line["ProductReceiptHeaderRecordId"],
			first["RecordId"])
	}
	if n := count(t, s, "ProductReceiptHeaders"); n != 2 {
		t.Errorf("%d receipt headers stored, want 2", n)
	}
}
