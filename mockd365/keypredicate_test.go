package mockd365

import (
	"net/http"
	"testing"
)

// Ensure a key value that is not of its property's type is a 400 naming the property, for
// every method that addresses a record, while a decimal key takes a fraction.
func TestKeyPredicateMistypedNumber(t *testing.T) {
	s := mustServer(t, Options{})
	const int64Range = "(a whole number from -9223372036854775808 to 9223372036854775807)."
	for _, tt := range []struct{ key, want string }{
		{"(dataAreaId='usmf',PurchaseOrderNumber='00000002',LineNumber=1.5)",
			"The key (dataAreaId='usmf',PurchaseOrderNumber='00000002',LineNumber=1.5) of " +
				"PurchaseOrderLinesV2 is not valid: the value 1.5 of key property 'LineNumber' " +
				"is not of type 'Edm.Int64' " + int64Range},
		{"(dataAreaId='usmf',PurchaseOrderNumber='00000002',LineNumber=99999999999999999999)",
			"The key (dataAreaId='usmf',PurchaseOrderNumber='00000002'," +
				"LineNumber=99999999999999999999) of PurchaseOrderLinesV2 is not valid: the " +
				"value 99999999999999999999 of key property 'LineNumber' is not of type " +
				"'Edm.Int64' " + int64Range},
	} {
		for _, method := range []string{http.MethodGet, http.MethodPatch, http.MethodDelete} {
			r := do(t, method, s.URL+"/data/PurchaseOrderLinesV2"+tt.key, `{}`).
				mustStatus(t, http.StatusBadRequest)
			if got := r.fault(t).Error.Message; got != tt.want {
				t.Errorf("%s %s:\n got %q\nwant %q", method, tt.key, got, tt.want)
			}
		}
	}
	get(t, s, "/data/RetailTransactionSalesLinesV2(dataAreaId='usrt',Terminal='T-1',"+
		"TransactionNumber='X',LineNumber=1.5,OperatingUnitNumber='U')").
		mustStatus(t, http.StatusNotFound)
}
