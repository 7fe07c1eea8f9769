package verify

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stormcheck/stormcheck/generators"
	"github.com/stormcheck/stormcheck/ledger"
)

// fakeClock returns at once from every wait and records it; time moves by the waits only.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.waits = append(c.waits, d)
	c.now = c.now.Add(d)
	ch := make(chan time.Time, 1)
	ch <- c.now
	return ch
}

// odata serves the entity sets of a read-back: lines in two pages, every other set
// empty. answers, when set, may answer a request first (throttling, refusals); next, when
// set, writes the link to the second page, which is absolute by default.
type odata struct {
	t       *testing.T
	mu      sync.Mutex
	queries []string
	answers func(w http.ResponseWriter, r *http.Request) bool
	next    func(r *http.Request) string
}

func absoluteNext(r *http.Request) string {
	return "http://" + r.Host + r.URL.Path + "?" + r.URL.RawQuery + "&$skiptoken=2"
}

func (o *odata) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	o.mu.Lock()
	o.queries = append(o.queries, r.URL.Path+"?"+r.URL.RawQuery)
	answered := o.answers != nil && o.answers(w, r)
	o.mu.Unlock()
	if answered {
		return
	}
	w.Header().Set("Content-Type", "application/json")
	next := o.next
	if next == nil {
		next = absoluteNext
	}
	switch {
	case r.URL.Path == "/data/PurchaseOrderLinesV2" && r.URL.Query().Get("$skiptoken") == "":
		fmt.Fprintf(w, `{"@odata.context":"x","value":[%s,%s],"@odata.nextLink":%q}`,
			line("usmf", 1, 12, 281.4), line("usmf", 2, 5, 50), next(r))
	case r.URL.Path == "/data/PurchaseOrderLinesV2":
		fmt.Fprintf(w, `{"value":[%s]}`, line("DEMF", 1, 3, 7.5))
	default:
		fmt.Fprint(w, `{"value":[]}`)
	}
}

func line(company string, n int, qty, amount float64) string {
	return fmt.Sprintf(`{"@odata.etag":"W/\"1\"","dataAreaId":%q,"PurchaseOrderNumber":"SCX-1",`+
		`"LineNumber":%d,"OrderedPurchaseQuantity":%g,"LineAmount":%g}`, company, n, qty, amount)
}

func newLedger(t *testing.T) *ledger.Ledger {
	t.Helper()
	l, err := ledger.Create(filepath.Join(t.TempDir(), "run.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func TestReadBackFollowsPagesAcrossCompanies(t *testing.T) {
	o := &odata{t: t}
	srv := httptest.NewServer(o)
	defer srv.Close()
	l := newLedger(t)
	st, err := ReadBack(context.Background(), Source{URL: srv.URL, Prefix: "SCX"}, l)
	if err != nil {
		t.Fatal(err)
	}
	// One request per entity set, and one more for the second page of one set.
	if want := len(generators.Specs) + 1; st.Requests != want || st.Records != 3 {
		t.Fatalf("stats %+v, want %d requests (one set with 2 pages) and 3 records", st, want)
	}
	want := "/data/PurchaseOrderHeadersV2?%24filter=PurchaseOrderNumber+eq+%27SCX-%2A%27&" +
		"cross-company=true"
	if o.queries[0] != want {
		t.Fatalf("first query %s, want %s", o.queries[0], want)
	}
	rows, err := l.DB().Query(`SELECT company, match_key, parent_key, quantity, amount FROM state
		ORDER BY rowid`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var company, key, parent string
		var qty, amount float64
		if err := rows.Scan(&company, &key, &parent, &qty, &amount); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%s %s %s %g %g", company, key, parent, qty, amount))
	}
	wantRows := []string{
		"usmf usmf|SCX-1|1 usmf|SCX-1 12 281.4", "usmf usmf|SCX-1|2 usmf|SCX-1 5 50",
		"demf demf|SCX-1|1 demf|SCX-1 3 7.5",
	}
	if strings.Join(got, "; ") != strings.Join(wantRows, "; ") {
		t.Fatalf("state\n got %q\nwant %q", got, wantRows)
	}
}

// Ensure a relative next link is followed, resolved against the page that carried it, as
// OData JSON allows.
func TestReadBackFollowsRelativeNextLinks(t *testing.T) {
	for name, next := range map[string]func(r *http.Request) string{
		"relative to the page": func(r *http.Request) string {
			return "PurchaseOrderLinesV2?" + r.URL.RawQuery + "&$skiptoken=2"
		},
		"relative to the host": func(r *http.Request) string {
			return r.URL.Path + "?" + r.URL.RawQuery + "&$skiptoken=2"
		},
	} {
		t.Run(name, func(t *testing.T) {
			o := &odata{t: t, next: next}
			srv := httptest.NewServer(o)
			defer srv.Close()
			st, err := ReadBack(context.Background(), Source{URL: srv.URL, Prefix: "SCX"},
				newLedger(t))
			if err != nil {
				t.Fatal(err)
			}
			second := "/data/PurchaseOrderLinesV2?%24filter=PurchaseOrderNumber+eq+%27SCX-%2A%27" +
				"&cross-company=true&$skiptoken=2"
			want := len(generators.Specs) + 1
			if st.Requests != want || st.Records != 3 || o.queries[2] != second {
				t.Fatalf("stats %+v, queries %q; want %d requests, 3 records, the second page "+
					"at %s", st, o.queries, want, second)
			}
		})
	}
}

func TestReadBackWaitsOutThrottling(t *testing.T) {
	for _, tc := range []struct {
		name   string
		header []string // Retry-After of each throttled answer, "" for none
		status int
		waits  []time.Duration
	}{
		{"Retry-After in seconds", []string{"2", "3"}, 429, []time.Duration{2 * time.Second,
			3 * time.Second}},
		{"Retry-After as a date", []string{"Mon, 02 Mar 2026 12:00:05 GMT"}, 429,
			[]time.Duration{5 * time.Second}},
		{"doubling backoff without Retry-After", []string{"", "", ""}, 429,
			[]time.Duration{time.Second, 2 * time.Second, 4 * time.Second}},
		{"503 with Retry-After", []string{"1"}, 503, []time.Duration{time.Second}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			left := tc.header
			o := &odata{t: t, answers: func(w http.ResponseWriter, r *http.Request) bool {
				if len(left) == 0 {
					return false
				}
				if left[0] != "" {
					w.Header().Set("Retry-After", left[0])
				}
				left = left[1:]
				w.WriteHeader(tc.status)
				return true
			}}
			srv := httptest.NewServer(o)
			defer srv.Close()
			clock := newFakeClock()
			st, err := ReadBack(context.Background(),
				Source{URL: srv.URL, Prefix: "SCX", Clock: clock}, newLedger(t))
			if err != nil {
				t.Fatal(err)
			}
			var total time.Duration
			for _, w := range tc.waits {
				total += w
			}
			if fmt.Sprint(clock.waits) != fmt.Sprint(tc.waits) || st.Throttled != len(tc.waits) ||
				st.Waited != total || st.Records != 3 {
				t.Fatalf("waits %v, stats %+v; want %v", clock.waits, st, tc.waits)
			}
		})
	}
}

func TestReadBackFailures(t *testing.T) {
	for _, tc := range []struct {
		name    string
		answer  func(w http.ResponseWriter, r *http.Request) bool
		wantErr string
	}{
		{"throttled beyond the bound", func(w http.ResponseWriter, r *http.Request) bool {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return true
		}, "still 429 Too Many Requests after waiting out 3 throttled answers"},
		{"unauthorised", func(w http.ResponseWriter, r *http.Request) bool {
			w.WriteHeader(http.StatusUnauthorized)
			return true
		}, "401 Unauthorized:  (the source needs valid credentials: verify.source.auth)"},
		{"not OData", func(w http.ResponseWriter, r *http.Request) bool {
			fmt.Fprint(w, `<html>`)
			return true
		}, "malformed OData answer"},
		{"a record without its key", func(w http.ResponseWriter, r *http.Request) bool {
			fmt.Fprint(w, `{"value":[{"dataAreaId":"usmf"}]}`)
			return true
		}, "match field PurchaseOrderNumber is missing"},
		{"a next link elsewhere", func(w http.ResponseWriter, r *http.Request) bool {
			fmt.Fprint(w, `{"value":[],"@odata.nextLink":"http://192.0.2.1/data/x"}`)
			return true
		}, "next link http://192.0.2.1/data/x leaves the source"},
		{"a next link to another host without a scheme", func(w http.ResponseWriter,
			r *http.Request) bool {
			fmt.Fprint(w, `{"value":[],"@odata.nextLink":"//192.0.2.1/data/x"}`)
			return true
		}, "next link //192.0.2.1/data/x leaves the source"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(&odata{t: t, answers: tc.answer})
			defer srv.Close()
			_, err := ReadBack(context.Background(), Source{URL: srv.URL, Prefix: "SCX",
				Clock: newFakeClock(), MaxThrottled: 3}, newLedger(t))
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("ReadBack = %v, want an error with %q", err, tc.wantErr)
			}
			if !strings.HasPrefix(err.Error(), "read back PurchaseOrderHeadersV2: ") {
				t.Fatalf("error %q does not name the entity", err)
			}
		})
	}
}
