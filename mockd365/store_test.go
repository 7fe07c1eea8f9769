package mockd365

import (
	"net/http"
	"path/filepath"
	"slices"
	"testing"
)

// Ensure a database file made by an older catalogue gains the fields added since.
func TestStoreAddsMissingColumns(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	old := slices.Clone(Catalogue)
	old[0].Fields = old[0].Fields[:5] // VendorsV2 before it had addresses and a hold status
	st, err := openStore(path, old)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.close(); err != nil {
		t.Fatal(err)
	}

	s := mustServer(t, Options{DBPath: path})
	r := post(t, s, "VendorsV2", `{"VendorAccountNumber":"V-1","VendorOrganizationName":"A",`+
		`"VendorGroupId":"10","CurrencyCode":"USD","AddressCity":"Galvin"}`)
	if got := r.mustStatus(t, http.StatusCreated).object(t)["AddressCity"]; got != "Galvin" {
		t.Errorf("AddressCity = %v", got)
	}
}

// Ensure /$count answers the number of matching records as text.
func TestCountSegment(t *testing.T) {
	s := mustServer(t, Options{})
	mustVendor(t, s, "usmf", "V-1")
	mustVendor(t, s, "usmf", "V-2")
	mustVendor(t, s, "demf", "V-3")
	for query, want := range map[string]string{
		"":                    "2",
		"?cross-company=true": "3",
		"?$filter=VendorAccountNumber%20eq%20'V-2'": "1",
	} {
		r := get(t, s, "/data/VendorsV2/$count"+query).mustStatus(t, http.StatusOK)
		if r.body != want {
			t.Errorf("$count%s = %s, want %s", query, r.body, want)
		}
	}
}
