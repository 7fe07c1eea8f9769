package mockd365

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// mustServer starts a server with opts and closes it when the test ends.
func mustServer(tb testing.TB, opts Options) *Server {
	tb.Helper()
	s, err := NewServer(opts)
	if err != nil {
		tb.Fatalf("NewServer: %v", err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return s
}

// A reply is a response read whole.
type reply struct {
	status int
	header http.Header
	body   string
}

// do sends a request; headers come in name, value pairs.
func do(tb testing.TB, method, url, body string, headers ...string) reply {
	tb.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("%s %s: read body: %v", method, url, err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

// post creates a record in collection.
func post(tb testing.TB, s *Server, collection, body string, headers ...string) reply {
	tb.Helper()
	return do(tb, http.MethodPost, s.URL+"/data/"+collection, body, headers...)
}

// get reads a path under the server's URL.
func get(tb testing.TB, s *Server, path string) reply {
	tb.Helper()
	return do(tb, http.MethodGet, s.URL+path, "")
}

// mustStatus stops the test unless r has the wanted status.
func (r reply) mustStatus(tb testing.TB, want int) reply {
	tb.Helper()
	if r.status != want {
		tb.Fatalf("status = %d, want %d; body: %s", r.status, want, r.body)
	}
	return r
}

// object decodes the body as a JSON object, keeping numbers exact.
func (r reply) object(tb testing.TB) map[string]any {
	tb.Helper()
	dec := json.NewDecoder(strings.NewReader(r.body))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		tb.Fatalf("decode %q: %v", r.body, err)
	}
	return m
}

// rows returns the "value" array of a collection answer.
func (r reply) rows(tb testing.TB) []map[string]any {
	tb.Helper()
	var page struct {
		Value []map[string]any `json:"value"`
	}
	if err := json.Unmarshal([]byte(r.body), &page); err != nil {
		tb.Fatalf("decode page %q: %v", r.body, err)
	}
	return page.Value
}

// odataError is an F&O error body.
type odataError struct {
	Error struct {
		Code       *string `json:"code"`
		Message    string  `json:"message"`
		InnerError *struct {
			Message    string `json:"message"`
			Type       string `json:"type"`
			StackTrace string `json:"stacktrace"`
		} `json:"innererror"`
	} `json:"error"`
}

// fault decodes r as an F&O error body and checks its envelope.
func (r reply) fault(tb testing.TB) odataError {
	tb.Helper()
	var e odataError
	if err := json.Unmarshal([]byte(r.body), &e); err != nil {
		tb.Fatalf("not an F&O error body: %v: %s", err, r.body)
	}
	if e.Error.Code == nil || *e.Error.Code != "" {
		tb.Errorf("error.code = %v, want the empty string", e.Error.Code)
	}
	return e
}

// writeFault checks that r is F&O's 400 write failure and returns its Infolog message.
func (r reply) writeFault(tb testing.TB) string {
	tb.Helper()
	r.mustStatus(tb, http.StatusBadRequest)
	e := r.fault(tb)
	if e.Error.Message != genericMessage || e.Error.InnerError == nil {
		tb.Fatalf("not a write failure: %s", r.body)
	}
	if e.Error.InnerError.Type != typeWriteFailed {
		tb.Errorf("innererror.type = %q, want %q", e.Error.InnerError.Type, typeWriteFailed)
	}
	return e.Error.InnerError.Message
}

// vendorJSON returns a complete vendor body.
func vendorJSON(company, account string) string {
	return fmt.Sprintf(`{"dataAreaId":%q,"VendorAccountNumber":%q,`+
		`"VendorOrganizationName":"Fabrikam Supplies","VendorGroupId":"10","CurrencyCode":"USD"}`,
		company, account)
}

// mustVendor creates a vendor.
func mustVendor(tb testing.TB, s *Server, company, account string) {
	tb.Helper()
	post(tb, s, "VendorsV2", vendorJSON(company, account)).mustStatus(tb, http.StatusCreated)
}

// mustItem creates a released product.
func mustItem(tb testing.TB, s *Server, company, item string) {
	tb.Helper()
	body := fmt.Sprintf(`{"dataAreaId":%q,"ItemNumber":%q,"ProductNumber":%q}`, company, item,
		item)
	post(tb, s, "ReleasedProductsV2", body).mustStatus(tb, http.StatusCreated)
}

// mustOrder creates a purchase order header for vendor and returns its number.
func mustOrder(tb testing.TB, s *Server, company, vendor, ref string) string {
	tb.Helper()
	body := fmt.Sprintf(`{"dataAreaId":%q,"OrderVendorAccountNumber":%q,"CurrencyCode":"USD",`+
		`"VendorOrderReference":%q}`, company, vendor, ref)
	r := post(tb, s, "PurchaseOrderHeadersV2", body).mustStatus(tb, http.StatusCreated)
	return r.object(tb)["PurchaseOrderNumber"].(string)
}

// count returns the number of records of collection, from /admin/counts.
func count(tb testing.TB, s *Server, collection string) int64 {
	tb.Helper()
	var counts map[string]int64
	r := get(tb, s, "/admin/counts").mustStatus(tb, http.StatusOK)
	if err := json.Unmarshal([]byte(r.body), &counts); err != nil {
		tb.Fatal(err)
	}
	return counts[collection]
}
