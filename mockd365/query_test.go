package mockd365

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// A page is a collection answer.
type page struct {
	Context  string           `json:"@odata.context"`
	Count    *int64           `json:"@odata.count"`
	NextLink string           `json:"@odata.nextLink"`
	Value    []map[string]any `json:"value"`
}

// readPage GETs an absolute URL and decodes the page.
func readPage(tb testing.TB, link string) page {
	tb.Helper()
	r := do(tb, http.MethodGet, link, "").mustStatus(tb, http.StatusOK)
	var p page
	if err := json.Unmarshal([]byte(r.body), &p); err != nil {
		tb.Fatalf("decode page: %v: %s", err, r.body)
	}
	return p
}

// accounts returns the vendor accounts of a page.
func accounts(p page) []string {
	var out []string
	for _, row := range p.Value {
		out = append(out, row["VendorAccountNumber"].(string))
	}
	return out
}

// names returns V-01 ... V-n.
func names(from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, fmt.Sprintf("V-%02d", i))
	}
	return out
}

// Ensure paging follows @odata.nextLink across pages, and that records inserted between
// pages neither repeat nor skip a record: they appear after the ones already paged.
func TestPagingWithInsertsBetweenPages(t *testing.T) {
	s := mustServer(t, Options{PageSize: 4})
	for _, v := range names(1, 10) {
		mustVendor(t, s, "usmf", v)
	}
	var got []string
	p := readPage(t, s.URL+"/data/VendorsV2?$count=true")
	got = append(got, accounts(p)...)
	if p.Count == nil || *p.Count != 10 {
		t.Errorf("@odata.count = %v, want 10", p.Count)
	}
	mustVendor(t, s, "usmf", "V-11")
	mustVendor(t, s, "usmf", "V-00") // sorts first by name, but arrives last
	p = readPage(t, p.NextLink)
	got = append(got, accounts(p)...)
	mustVendor(t, s, "usmf", "V-12")
	p = readPage(t, p.NextLink)
	got = append(got, accounts(p)...)
	if p.NextLink == "" {
		t.Fatal("third page has no nextLink, yet three records remain")
	}
	p = readPage(t, p.NextLink)
	got = append(got, accounts(p)...)

	want := append(names(1, 11), "V-00", "V-12")
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("paged %v\nwant  %v", got, want)
	}
	if p.NextLink != "" {
		t.Errorf("last page has nextLink %s", p.NextLink)
	}
}

// Ensure keyset paging also holds with $orderby: a record inserted before the cursor does
// not shift the pages, and the link keeps the query options.
func TestPagingWithOrderBy(t *testing.T) {
	s := mustServer(t, Options{PageSize: 3})
	for _, v := range names(1, 7) {
		mustVendor(t, s, "usmf", v)
	}
	link := s.URL + "/data/VendorsV2?$orderby=VendorAccountNumber%20desc" +
		"&$select=VendorAccountNumber"
	p := readPage(t, link)
	got := accounts(p)
	if !strings.Contains(p.NextLink, "$orderby=VendorAccountNumber%20desc") ||
		!strings.HasPrefix(p.NextLink, s.URL+"/data/VendorsV2?") {
		t.Errorf("nextLink %s does not continue the query", p.NextLink)
	}
	mustVendor(t, s, "usmf", "V-99") // sorts before the cursor: not in later pages
	mustVendor(t, s, "usmf", "V-00") // sorts after: appears on the last page
	for p.NextLink != "" {
		p = readPage(t, p.NextLink)
		got = append(got, accounts(p)...)
	}
	want := []string{"V-07", "V-06", "V-05", "V-04", "V-03", "V-02", "V-01", "V-00"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("paged %v, want %v", got, want)
	}
	if len(p.Value) > 0 && len(p.Value[0]) != 2 { // @odata.etag and the selected field
		t.Errorf("$select not kept on later pages: %v", p.Value[0])
	}
}

// Ensure $top spans pages and $skip applies once.
func TestTopAndSkipAcrossPages(t *testing.T) {
	s := mustServer(t, Options{PageSize: 4})
	for _, v := range names(1, 12) {
		mustVendor(t, s, "usmf", v)
	}
	p := readPage(t, s.URL+"/data/VendorsV2?$skip=1&$top=6")
	got := accounts(p)
	for p.NextLink != "" {
		p = readPage(t, p.NextLink)
		got = append(got, accounts(p)...)
	}
	if want := names(2, 7); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if p := readPage(t, s.URL+"/data/VendorsV2?$top=4"); p.NextLink != "" {
		t.Errorf("$top equal to the page size still links on: %s", p.NextLink)
	}
}

// Ensure reads see the default company only, unless cross-company=true.
func TestCrossCompany(t *testing.T) {
	s := mustServer(t, Options{})
	mustVendor(t, s, "usmf", "V-1")
	mustVendor(t, s, "demf", "V-2")
	mustVendor(t, s, "DEMF", "V-3")
	for _, tt := range []struct {
		query string
		want  []string
	}{
		{"", []string{"V-1"}},
		{"?cross-company=true", []string{"V-1", "V-2", "V-3"}},
		{"?cross-company=true&$filter=" + url.QueryEscape("dataAreaId eq 'demf'"),
			[]string{"V-2", "V-3"}},
		{"?$filter=" + url.QueryEscape("dataAreaId eq 'demf'"), nil},
	} {
		got := accounts(readPage(t, s.URL+"/data/VendorsV2"+tt.query))
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%q: got %v, want %v", tt.query, got, tt.want)
		}
	}
}

// Ensure $orderby, $select and the context URL behave as OData says.
func TestSelectAndOrderBy(t *testing.T) {
	s := mustServer(t, Options{})
	mustVendor(t, s, "usmf", "V-2")
	mustVendor(t, s, "usmf", "V-1")
	p := readPage(t, s.URL+"/data/VendorsV2?$select=CurrencyCode,VendorAccountNumber&"+
		"$orderby=CurrencyCode,VendorAccountNumber%20asc")
	want := s.URL + "/data/$metadata#VendorsV2(VendorAccountNumber,CurrencyCode)"
	if p.Context != want {
		t.Errorf("context = %s, want %s", p.Context, want)
	}
	if got := accounts(p); fmt.Sprint(got) != "[V-1 V-2]" {
		t.Errorf("order = %v", got)
	}
	keys := make([]string, 0, 3)
	for k := range p.Value[0] {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if fmt.Sprint(keys) != "[@odata.etag CurrencyCode VendorAccountNumber]" {
		t.Errorf("members = %v", keys)
	}
}

// Ensure bad query options are refused with a message naming them.
func TestQueryOptionErrors(t *testing.T) {
	s := mustServer(t, Options{})
	for _, tt := range []struct{ query, want string }{
		{"$top=-1", "$top: '-1' is not a non-negative integer"},
		{"$select=Nope", "$select: type 'Microsoft.Dynamics.DataEntities.VendorV2' has no " +
			"property named 'Nope'"},
		{"$orderby=CurrencyCode%20up", "$orderby: direction 'up' is not asc or desc"},
		{"$expand=Lines", "$expand: type 'Microsoft.Dynamics.DataEntities.VendorV2' has no " +
			"navigation property named 'Lines'"},
		{"$apply=groupby((CurrencyCode))", "The query option '$apply' is not supported by mockd365"},
		{"$skiptoken=abc", "$skiptoken: not a token from an @odata.nextLink of this query"},
		{"$count=yes", "$count: 'yes' is not true or false"},
	} {
		r := get(t, s, "/data/VendorsV2?"+tt.query).mustStatus(t, http.StatusBadRequest)
		if got := r.fault(t).Error.Message; !strings.Contains(got, tt.want) {
			t.Errorf("%s: message %q does not contain %q", tt.query, got, tt.want)
		}
	}
}

// Ensure a query option given twice is a 400 naming it, for a query, a read by key and
// $count, instead of one of the values winning.
func TestRepeatedQueryOption(t *testing.T) {
	s := mustServer(t, Options{})
	mustVendor(t, s, "usmf", "V-1")
	for path, want := range map[string]string{
		"/data/VendorsV2?$top=1&$top=2": "The query option '$top' is given 2 times; give it once.",
		"/data/VendorsV2?cross-company=true&cross-company=false": "The query option " +
			"'cross-company' is given 2 times; give it once.",
		"/data/VendorsV2/$count?$filter=CurrencyCode%20eq%20'USD'&$filter=CurrencyCode%20eq" +
			"%20'EUR'": "The query option '$filter' is given 2 times; give it once.",
		vendorKey + "?$select=CurrencyCode&$select=VendorGroupId": "The query option " +
			"'$select' is given 2 times; give it once.",
	} {
		r := get(t, s, path).mustStatus(t, http.StatusBadRequest)
		if got := r.fault(t).Error.Message; got != want {
			t.Errorf("%s: message %q, want %q", path, got, want)
		}
	}
}

// Ensure one record is read by its full key, in any company, and that anything else fails.
func TestGetByKey(t *testing.T) {
	s := mustServer(t, Options{})
	mustVendor(t, s, "demf", "O'Brien")
	r := get(t, s, "/data/VendorsV2(dataAreaId='DEMF',VendorAccountNumber='O''Brien')")
	obj := r.mustStatus(t, http.StatusOK).object(t)
	if obj["VendorAccountNumber"] != "O'Brien" || r.header.Get("ETag") == "" {
		t.Errorf("got %s", r.body)
	}
	if want := s.URL + "/data/$metadata#VendorsV2/$entity"; obj["@odata.context"] != want {
		t.Errorf("context = %v, want %s", obj["@odata.context"], want)
	}

	r = get(t, s, "/data/VendorsV2(dataAreaId='demf',VendorAccountNumber='Nobody')")
	want := "No record of VendorsV2 has the key (dataAreaId='demf',VendorAccountNumber='Nobody')."
	if got := r.mustStatus(t, http.StatusNotFound).fault(t).Error.Message; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
	r = get(t, s, "/data/VendorsV2(VendorAccountNumber='O''Brien')")
	if got := r.mustStatus(t, http.StatusBadRequest).fault(t).Error.Message; !strings.Contains(
		got, "key property 'dataAreaId' is missing") {
		t.Errorf("partial key message = %q", got)
	}
	r = get(t, s, "/data/ReleasedProductsV2(dataAreaId='usmf',ItemNumber=5)")
	if got := r.mustStatus(t, http.StatusBadRequest).fault(t).Error.Message; !strings.Contains(
		got, "property 'ItemNumber' has type 'Edm.String' and cannot be compared with the "+
			"number 5") {
		t.Errorf("unquoted string key message = %q", got)
	}
}
