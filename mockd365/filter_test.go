package mockd365

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// mustTable returns the table of a catalogue entity, without a database.
func mustTable(tb testing.TB, collection string) *table {
	tb.Helper()
	for i := range Catalogue {
		if Catalogue[i].Collection == collection {
			t, err := newTable(&Catalogue[i])
			if err != nil {
				tb.Fatal(err)
			}
			return t
		}
	}
	tb.Fatalf("no collection %s", collection)
	return nil
}

// textEq is the condition a text property equals a parameter compiles to: without regard to
// case or trailing spaces, as F&O's SQL Server compares.
func textEq(name string) string {
	return `rtrim("` + name + `") COLLATE NOCASE = rtrim(?)`
}

// Ensure $filter compiles to parameterised SQL for each operator and literal.
func TestCompileFilter(t *testing.T) {
	po := mustTable(t, "PurchaseOrderHeadersV2")
	lines := mustTable(t, "PurchaseOrderLinesV2")
	tests := []struct {
		name   string
		t      *table
		filter string
		sql    string
		args   []any
	}{
		{"eq", po, "VendorOrderReference eq 'R-1'", `rtrim("VendorOrderReference") COLLATE NOCASE = rtrim(?)`, []any{"R-1"}},
		{"ne", po, "CurrencyCode ne 'USD'", `rtrim("CurrencyCode") COLLATE NOCASE <> rtrim(?)`,
			[]any{"USD"}},
		{"gt", lines, "LineNumber gt 2", `"LineNumber" > ?`, []any{int64(2)}},
		{"ge", lines, "OrderedPurchaseQuantity ge 1.5", `"OrderedPurchaseQuantity" >= ?`,
			[]any{"1.5"}},
		{"lt", lines, "PurchasePrice lt 10", `"PurchasePrice" < ?`, []any{"10"}},
		{"le", lines, "LineNumber le -1", `"LineNumber" <= ?`, []any{int64(-1)}},
		{"decimal suffix", lines, "PurchasePrice eq 12.50m", `"PurchasePrice" = ?`,
			[]any{"12.5"}},
		{"and binds tighter than or", po,
			"CurrencyCode eq 'USD' or CurrencyCode eq 'EUR' and dataAreaId eq 'demf'",
			"(" + textEq("CurrencyCode") + " OR (" + textEq("CurrencyCode") + " AND " +
				textEq("dataAreaId") + "))",
			[]any{"USD", "EUR", "demf"}},
		{"parentheses", po, "(CurrencyCode eq 'USD' or CurrencyCode eq 'EUR') and " +
			"dataAreaId eq 'demf'", "((" + textEq("CurrencyCode") + " OR " +
			textEq("CurrencyCode") + ") AND " + textEq("dataAreaId") + ")",
			[]any{"USD", "EUR", "demf"}},
		{"not", po, "not CurrencyCode eq 'USD'", "NOT (" + textEq("CurrencyCode") + ")",
			[]any{"USD"}},
		{"quote escaping", po, "PurchaseOrderName eq 'O''Brien'", textEq("PurchaseOrderName"),
			[]any{"O'Brien"}},
		{"wildcard", po, "VendorOrderReference eq 'SCAB12-*'",
			`"VendorOrderReference" LIKE ? ESCAPE '\'`, []any{"SCAB12-%"}},
		{"wildcard with LIKE metacharacters", po, `VendorOrderReference eq '*50%_off\*'`,
			`"VendorOrderReference" LIKE ? ESCAPE '\'`, []any{`%50\%\_off\\%`}},
		{"no wildcard keeps metacharacters", po, "VendorOrderReference eq '50%_off'",
			textEq("VendorOrderReference"), []any{"50%_off"}},
		{"ne wildcard", po, "VendorOrderReference ne 'SCAB*'",
			`"VendorOrderReference" NOT LIKE ? ESCAPE '\'`, []any{"SCAB%"}},
		{"enum", po,
			"PurchaseOrderStatus eq Microsoft.Dynamics.DataEntities.PurchStatus'Backorder'",
			`"PurchaseOrderStatus" = ?`, []any{"Backorder"}},
		{"date", po, "RequestedDeliveryDate ge 2026-03-01T10:00:00+01:00",
			`"RequestedDeliveryDate" >= ?`, []any{"2026-03-01T09:00:00Z"}},
		{"date only", po, "RequestedDeliveryDate lt 2026-03-01", `"RequestedDeliveryDate" < ?`,
			[]any{"2026-03-01T00:00:00Z"}},
		{"null", po, "PurchaseOrderName eq null", `"PurchaseOrderName" IS NULL`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sql, args, err := compileFilter(tt.t, tt.filter)
			if err != nil {
				t.Fatalf("compileFilter(%q): %v", tt.filter, err)
			}
			if sql != tt.sql {
				t.Errorf("sql:\n got %s\nwant %s", sql, tt.sql)
			}
			if fmt.Sprintf("%#v", args) != fmt.Sprintf("%#v", tt.args) {
				t.Errorf("args = %#v, want %#v", args, tt.args)
			}
			for _, a := range args {
				if s, ok := a.(string); ok && strings.Contains(sql, s) && s != "" {
					t.Errorf("value %q written into the SQL", s)
				}
			}
		})
	}
}

// Ensure a bad $filter is refused with a message that says what and where.
func TestCompileFilterErrors(t *testing.T) {
	po := mustTable(t, "PurchaseOrderHeadersV2")
	tests := []struct{ name, filter, want string }{
		{"unknown property", "vendororderreference eq 'x'", "column 1: type " +
			"'Microsoft.Dynamics.DataEntities.PurchaseOrderHeaderV2' has no property named " +
			"'vendororderreference' (names are case sensitive)"},
		{"missing operator", "CurrencyCode 'USD'", "column 14: expected eq, ne, gt, ge, lt or " +
			"le after 'CurrencyCode', found the string 'USD'"},
		{"unclosed string", "CurrencyCode eq 'USD", "column 17: string literal is not closed " +
			"with '"},
		{"unclosed parenthesis", "(CurrencyCode eq 'USD'", "column 23: expected ')' to close " +
			"the '(' at column 1"},
		{"type mismatch", "CurrencyCode eq 840", "column 17: property 'CurrencyCode' has type " +
			"'Edm.String' and cannot be compared with the number 840; write a literal such " +
			"as 'text'"},
		{"enum as string", "PurchaseOrderStatus eq 'Backorder'", "column 24: property " +
			"'PurchaseOrderStatus' has type 'Microsoft.Dynamics.DataEntities.PurchStatus' and " +
			"cannot be compared with the string 'Backorder'; write a literal such as " +
			"Microsoft.Dynamics.DataEntities.PurchStatus'None'"},
		{"enum of another type", "PurchaseOrderStatus eq " +
			"Microsoft.Dynamics.DataEntities.NoYes'Yes'", "column 24: property " +
			"'PurchaseOrderStatus' has enum type 'Microsoft.Dynamics.DataEntities.PurchStatus', " +
			"not 'Microsoft.Dynamics.DataEntities.NoYes'"},
		{"enum non-member", "PurchaseOrderStatus eq " +
			"Microsoft.Dynamics.DataEntities.PurchStatus'Open'", "column 24: 'Open' is not a " +
			"member of enum type 'Microsoft.Dynamics.DataEntities.PurchStatus' (members: None, " +
			"Backorder, Received, Invoiced, Canceled)"},
		{"enum ordering", "PurchaseOrderStatus gt " +
			"Microsoft.Dynamics.DataEntities.PurchStatus'None'", "column 24: enum property " +
			"'PurchaseOrderStatus' can only be compared with eq or ne"},
		{"function", "contains(VendorOrderReference,'x')", "column 1: function contains() is " +
			"not supported; use a * wildcard inside an eq string literal instead"},
		{"trailing", "CurrencyCode eq 'USD' 'EUR'", "column 23: unexpected 'EUR'; expected " +
			"and, or or the end of the expression"},
		{"bad character", "CurrencyCode eq \"USD\"", "column 17: unexpected character '\"'"},
		{"empty operand", "CurrencyCode eq", "column 16: property 'CurrencyCode' has type " +
			"'Edm.String' and cannot be compared with the end of the expression; write a " +
			"literal such as 'text'"},
		{"bad number", "RequestedDeliveryDate eq 2026-13", "column 26: '2026-13' is neither a " +
			"number nor a date-time literal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := compileFilter(po, tt.filter)
			if err == nil {
				t.Fatalf("compileFilter(%q) succeeded", tt.filter)
			}
			if err.Error() != tt.want {
				t.Errorf("error:\n got %s\nwant %s", err, tt.want)
			}
		})
	}
}

// Ensure $filter runs end to end: the wildcard, escaping, enum literals, and a clear 400.
func TestQueryFilter(t *testing.T) {
	s := mustServer(t, Options{})
	mustVendor(t, s, "usmf", "V-1")
	for _, ref := range []string{"SCAB12-1", "SCAB12-2", "scab12-3", "SCAB13-1", "50%_off",
		"50xyoff", "O'Brien"} {
		mustOrder(t, s, "usmf", "V-1", ref)
	}
	for _, tt := range []struct {
		filter string
		want   []string
	}{
		{"VendorOrderReference eq 'SCAB12-*'", []string{"SCAB12-1", "SCAB12-2", "scab12-3"}},
		{"VendorOrderReference eq '50%_*'", []string{"50%_off"}},
		{"VendorOrderReference eq 'O''Brien'", []string{"O'Brien"}},
		{"VendorOrderReference ne 'S*' and VendorOrderReference ne '5*'", []string{"O'Brien"}},
		{"PurchaseOrderStatus eq Microsoft.Dynamics.DataEntities.PurchStatus'Received'", nil},
	} {
		r := get(t, s, "/data/PurchaseOrderHeadersV2?$filter="+url.QueryEscape(tt.filter))
		var got []string
		for _, row := range r.mustStatus(t, http.StatusOK).rows(t) {
			got = append(got, row["VendorOrderReference"].(string))
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("$filter=%s: got %v, want %v", tt.filter, got, tt.want)
		}
	}

	r := get(t, s, "/data/PurchaseOrderHeadersV2?$filter="+url.QueryEscape("Foo eq 1"))
	want := "The query specified in the URI is not valid. $filter: column 1: type " +
		"'Microsoft.Dynamics.DataEntities.PurchaseOrderHeaderV2' has no property named 'Foo' " +
		"(names are case sensitive)"
	if got := r.mustStatus(t, http.StatusBadRequest).fault(t).Error.Message; got != want {
		t.Errorf("message:\n got %s\nwant %s", got, want)
	}
}
