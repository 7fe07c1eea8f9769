package mockd365

import (
	"errors"
	"net/http"
	"path/filepath"
	"testing"
)

// Ensure a RecId, and so an etag, is never given out twice: not after the record that had
// it is deleted, and not after /admin/reset.
func TestRecIDsAreNeverReused(t *testing.T) {
	s := mustServer(t, Options{})
	mustVendor(t, s, "usmf", "V-1")
	second := post(t, s, "VendorsV2", vendorJSON("usmf", "V-2")).mustStatus(t, http.StatusCreated)
	do(t, http.MethodDelete, s.URL+"/data/VendorsV2(dataAreaId='usmf',VendorAccountNumber='V-2')",
		"").mustStatus(t, http.StatusNoContent)
	third := post(t, s, "VendorsV2", vendorJSON("usmf", "V-3")).mustStatus(t, http.StatusCreated)
	do(t, http.MethodPost, s.URL+"/admin/reset", "").mustStatus(t, http.StatusNoContent)
	fourth := post(t, s, "VendorsV2", vendorJSON("usmf", "V-4")).mustStatus(t, http.StatusCreated)

	for _, tc := range []struct {
		r     reply
		recID int64
	}{{second, firstRecID + 1}, {third, firstRecID + 2}, {fourth, firstRecID + 3}} {
		if got, want := tc.r.header.Get("ETag"), etag(1, tc.recID); got != want {
			t.Errorf("ETag = %s, want %s (RecId %d)", got, want, tc.recID)
		}
	}
}

// Ensure a file kept from a mock that had no RecId counters goes on after its highest RecId.
func TestRecIDsContinueInKeptFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kept.db")
	s, err := NewServer(Options{DBPath: path})
	if err != nil {
		t.Fatal(err)
	}
	mustVendor(t, s, "usmf", "V-1")
	mustVendor(t, s, "usmf", "V-2")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	st, err := openStore(path, Catalogue)
	if err != nil {
		t.Fatal(err)
	}
	_, err = st.w.Exec(`DROP TABLE rec_id`)
	if err := errors.Join(err, st.close()); err != nil {
		t.Fatal(err)
	}

	s = mustServer(t, Options{DBPath: path})
	r := post(t, s, "VendorsV2", vendorJSON("usmf", "V-3")).mustStatus(t, http.StatusCreated)
	if got, want := r.header.Get("ETag"), etag(1, firstRecID+2); got != want {
		t.Errorf("ETag = %s, want %s", got, want)
	}
}
