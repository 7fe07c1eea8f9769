package mockd365

import (
	"database/sql"
	"errors"
	"net/http"
	"os"
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

// Ensure a DBPath that cannot be the mock's SQLite file is a *DBError that names the path,
// and a device is refused before SQLite writes a journal beside it.
func TestUnusableDBPath(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(text, []byte("not a database\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ path, want string }{
		{"/proc/x.db", "mockd365: cannot open the SQLite file /proc/x.db: unable to open " +
			"database file (14)"},
		{text, "mockd365: cannot open the SQLite file " + text + ": file is not a database (26)"},
		{"/dev/null", "mockd365: cannot open the SQLite file /dev/null: it is not a regular " +
			"file (a device)"},
		{dir, "mockd365: cannot open the SQLite file " + dir + ": it is not a regular file " +
			"(a folder)"},
	} {
		_, err := NewUnstartedServer(Options{DBPath: tt.path})
		var dbErr *DBError
		if !errors.As(err, &dbErr) || dbErr.Path != tt.path {
			t.Errorf("%s: error %v, want a *DBError for the path", tt.path, err)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("%s: error %q, want %q", tt.path, err, tt.want)
		}
	}
	if _, err := os.Stat("/dev/null-journal"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("/dev/null-journal exists (stat: %v)", err)
	}
}

// Ensure a panic inside a write rolls its transaction back and reaches the caller, and
// that the writer goes on with the next write.
func TestWritePanicRollsBack(t *testing.T) {
	s := mustServer(t, Options{})
	func() {
		defer func() {
			if p := recover(); p != "boom" {
				t.Errorf("recovered %v, want the panic of the write", p)
			}
		}()
		s.store.write(func(tx *sql.Tx) error { //nolint:errcheck // it panics
			if _, err := tx.Exec(`INSERT INTO number_sequence (collection, company, next)
				VALUES ('VendorsV2', 'usmf', 7)`); err != nil {
				t.Error(err) // not Fatal: fn runs on the writer's goroutine
			}
			panic("boom")
		})
	}()
	mustVendor(t, s, "usmf", "V-1")
	var n int
	if err := s.store.r.QueryRow(`SELECT COUNT(*) FROM number_sequence`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d number sequences after the panicking write, want it rolled back", n)
	}
}
