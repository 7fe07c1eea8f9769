package mockd365

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
)

// Ensure decimals are read exactly, rounded half away from zero to six decimals, and
// refused when they do not fit NUMERIC(32,6).
func TestStoredDecimal(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		err      error
	}{
		{"12345678901234.123456", "12345678901234.123456", nil},
		{"25.50", "25.5", nil},
		{"100", "100", nil},
		{"-0.0", "0", nil},
		{"1.0000005", "1.000001", nil},
		{"-2.0000005", "-2.000001", nil},
		{"1.00000049", "1", nil},
		{"0.0000004", "0", nil},
		{"1.5e3", "1500", nil},
		{"1E-6", "0.000001", nil},
		{"99999999999999999999999999.999999", "99999999999999999999999999.999999", nil},
		{"99999999999999999999999999.9999995", "", errDecimalRange},
		{"1.2e29", "", errDecimalRange},
		{"1e999999999", "", errDecimalRange},
		{"1e-999999999", "0", nil},
		{"12,5", "", errNotDecimal},
		{"1.2.3", "", errNotDecimal},
		{"e5", "", errNotDecimal},
		{"NaN", "", errNotDecimal},
	} {
		got, err := storedDecimal(tt.in)
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("storedDecimal(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

// Ensure the collation of Decimal columns orders numbers numerically, exactly, and before
// text that is not a number.
func TestCompareDecimalText(t *testing.T) {
	ordered := []string{"-12345678901234.123457", "-12345678901234.123456", "-9.5", "-1", "0",
		"0.000001", "9", "10", "12345678901234.123456", "12345678901234.123457",
		"99999999999999999999999999", "abc", "twelve"}
	for i, a := range ordered {
		for j, b := range ordered {
			want := map[bool]int{true: -1, false: 1}[i < j]
			if i == j {
				want = 0
			}
			if got := compareDecimalText(a, b); got != want {
				t.Errorf("compare(%s, %s) = %d, want %d", a, b, got, want)
			}
		}
	}
	if compareDecimalText("1.50", "1.5") != 0 || compareDecimalText("-0", "0") != 0 {
		t.Error("equal numbers written differently do not compare equal")
	}
}

// Ensure a decimal comes back exactly as sent (to six decimals), a value beyond
// NUMERIC(32,6) is refused naming the property, and $orderby and $filter compare decimals
// as numbers, exactly.
func TestDecimalsAreExact(t *testing.T) {
	s := mustServer(t, Options{})
	for i, price := range []string{"10", "9", "-3.5", "12345678901234.123457",
		"12345678901234.123456", "1.0000005"} {
		body := fmt.Sprintf(`{"ItemNumber":"P-%d","ProductNumber":"P-%d","PurchasePrice":%s}`,
			i, i, price)
		post(t, s, "ReleasedProductsV2", body).mustStatus(t, http.StatusCreated)
	}
	r := get(t, s, "/data/ReleasedProductsV2(dataAreaId='usmf',ItemNumber='P-4')").
		mustStatus(t, http.StatusOK)
	if !strings.Contains(r.body, `"PurchasePrice":12345678901234.123456,`) {
		t.Errorf("read back: %s", r.body)
	}
	prices := func(query string) string {
		r := get(t, s, "/data/ReleasedProductsV2?$select=PurchasePrice&"+query).
			mustStatus(t, http.StatusOK)
		var out []string
		for _, row := range strings.Split(r.body, `"PurchasePrice":`)[1:] {
			out = append(out, row[:strings.IndexByte(row, '}')])
		}
		return strings.Join(out, " ")
	}
	want := "-3.5 1.000001 9 10 12345678901234.123456 12345678901234.123457"
	if got := prices("$orderby=PurchasePrice"); got != want {
		t.Errorf("$orderby=PurchasePrice: %s, want %s", got, want)
	}
	filter := "$filter=" + url.QueryEscape("PurchasePrice gt 12345678901234.123456")
	if got := prices(filter); got != "12345678901234.123457" {
		t.Errorf("%s: %s", filter, got)
	}

	e := post(t, s, "ReleasedProductsV2", `{"ItemNumber":"BIG","ProductNumber":"BIG",`+
		`"PurchasePrice":1.2e29}`).mustStatus(t, http.StatusBadRequest).fault(t)
	wantMsg := "The value '1.2e29' of property 'PurchasePrice' does not fit type " +
		"'Edm.Decimal' as F&O stores it: NUMERIC(32,6) holds at most 26 digits before the " +
		"decimal point."
	if e.Error.InnerError == nil || e.Error.InnerError.Message != wantMsg ||
		e.Error.InnerError.Type != typeODataError {
		t.Errorf("1.2e29: %+v, want %q", e.Error.InnerError, wantMsg)
	}
}

// Ensure a file kept from a mock that stored decimals as REAL gets exact decimal columns,
// its values converted, and its indexes rebuilt.
func TestKeptRealDecimalsBecomeExact(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kept.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`CREATE TABLE "ReleasedProductsV2" ("_RecId" INTEGER PRIMARY KEY, ` +
			`"_RecVersion" INTEGER NOT NULL, "_Created" TEXT NOT NULL, ` +
			`"dataAreaId" TEXT COLLATE NOCASE, "ItemNumber" TEXT COLLATE NOCASE, ` +
			`"ProductNumber" TEXT COLLATE NOCASE, "PurchasePrice" REAL)`,
		`CREATE INDEX "ReleasedProductsV2_by_dataAreaId_ItemNumber" ON "ReleasedProductsV2" ` +
			`("dataAreaId", "ItemNumber")`,
		`INSERT INTO "ReleasedProductsV2" VALUES (5637144600, 1, '', 'usmf', 'P-1', 'P-1', 19.99)`,
		`INSERT INTO "ReleasedProductsV2" VALUES (5637144601, 1, '', 'usmf', 'P-2', 'P-2', 1e20)`,
	} {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	s := mustServer(t, Options{DBPath: path})
	r := get(t, s, "/data/ReleasedProductsV2?$select=ItemNumber,PurchasePrice&"+
		"$orderby=PurchasePrice%20desc").mustStatus(t, http.StatusOK)
	if !strings.Contains(r.body, `"ItemNumber":"P-2","PurchasePrice":100000000000000000000}`+
		`,{"@odata.etag":"W/\"JzEsNTYzNzE0NDYwMCc=\"","ItemNumber":"P-1","PurchasePrice":19.99}`) {
		t.Errorf("converted rows: %s", r.body)
	}
	var typ string
	var plan string
	err = s.store.r.QueryRow(`SELECT type FROM pragma_table_info('ReleasedProductsV2')
		WHERE name = 'PurchasePrice'`).Scan(&typ)
	if err != nil || typ != "TEXT" {
		t.Errorf("PurchasePrice column type %q, %v; want TEXT", typ, err)
	}
	err = s.store.r.QueryRow(`SELECT group_concat(name, ' ') FROM sqlite_schema
		WHERE type = 'index' AND tbl_name = 'ReleasedProductsV2'`).Scan(&plan)
	if err != nil || plan != "ReleasedProductsV2_on_dataAreaId_ItemNumber" {
		t.Errorf("indexes %q, %v; want only the new key index", plan, err)
	}
	r = post(t, s, "ReleasedProductsV2", `{"ItemNumber":"P-3","ProductNumber":"P-3",`+
		`"PurchasePrice":12345678901234.123456}`).mustStatus(t, http.StatusCreated)
	if !strings.Contains(r.body, `"PurchasePrice":12345678901234.123456`) ||
		r.header.Get("ETag") != etag(1, 5637144602) {
		t.Errorf("create after the conversion: %s %s", r.header.Get("ETag"), r.body)
	}
}
