package mockd365

import (
	"net/http"
	"testing"
)

// Ensure a body with a property given twice is refused naming the property, on create and
// on update, and that nothing is written.
func TestDuplicatePropertyRefused(t *testing.T) {
	s := mustServer(t, Options{})
	r := post(t, s, "VendorsV2", `{"VendorAccountNumber":"V-1","VendorOrganizationName":"A",`+
		`"VendorGroupId":"10","CurrencyCode":"USD","VendorGroupId":"20"}`).
		mustStatus(t, http.StatusBadRequest)
	checkODataException(t, r, "The property 'VendorGroupId' appears more than once in the "+
		"request body; send each property once.")
	if n := count(t, s, "VendorsV2"); n != 0 {
		t.Errorf("%d vendors stored, want 0", n)
	}

	mustVendor(t, s, "usmf", "V-1")
	r = do(t, http.MethodPatch, s.URL+vendorKey, `{"AddressCity":"A","AddressCity":"B"}`).
		mustStatus(t, http.StatusBadRequest)
	checkODataException(t, r, "The property 'AddressCity' appears more than once in the "+
		"request body; send each property once.")
}
