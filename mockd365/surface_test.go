package mockd365

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// vendorKey is the URL of vendor V-1 in usmf.
const vendorKey = "/data/VendorsV2(dataAreaId='usmf',VendorAccountNumber='V-1')"

// Ensure PATCH answers 204 with a new etag, a stale If-Match gets 412 with F&O's
// update-conflict text, PUT resets what it leaves out, and DELETE answers 204.
func TestUpdateAndDelete(t *testing.T) {
	s := mustServer(t, Options{})
	mustVendor(t, s, "usmf", "V-1")
	r := get(t, s, vendorKey).mustStatus(t, http.StatusOK)
	tag := r.header.Get("ETag")
	p := do(t, http.MethodPatch, s.URL+vendorKey, `{"VendorOrganizationName":"Renamed"}`,
		"If-Match", tag).mustStatus(t, http.StatusNoContent)
	if p.header.Get("ETag") == tag || p.header.Get("ETag") == "" {
		t.Errorf("etag after PATCH = %q, before %q", p.header.Get("ETag"), tag)
	}
	stale := do(t, http.MethodPatch, s.URL+vendorKey, `{"VendorOrganizationName":"x"}`,
		"If-Match", tag).mustStatus(t, http.StatusPreconditionFailed)
	if !strings.Contains(stale.body, "An update conflict occurred") {
		t.Errorf("412 body = %s", stale.body)
	}
	do(t, http.MethodPatch, s.URL+vendorKey, `{"VendorAccountNumber":"V-2"}`).
		mustStatus(t, http.StatusBadRequest)
	do(t, http.MethodPatch, s.URL+vendorKey, `{"CurrencyCode":""}`).
		mustStatus(t, http.StatusBadRequest) // required
	rep := do(t, http.MethodPut, s.URL+vendorKey, `{"VendorOrganizationName":"Put",`+
		`"VendorGroupId":"20","CurrencyCode":"EUR"}`, "Prefer", "return=representation").
		mustStatus(t, http.StatusOK)
	if !strings.Contains(rep.body, `"DefaultPaymentTermsName":""`) ||
		!strings.Contains(rep.body, `"VendorGroupId":"20"`) {
		t.Errorf("PUT representation = %s", rep.body)
	}
	do(t, http.MethodDelete, s.URL+vendorKey, "").mustStatus(t, http.StatusNoContent)
	get(t, s, vendorKey).mustStatus(t, http.StatusNotFound)
	do(t, http.MethodDelete, s.URL+vendorKey, "").mustStatus(t, http.StatusNotFound)
}

// batchBody builds a multipart $batch: each item is a request "METHOD URL\nbody" or a
// changeset, a list of such requests.
func batchBody(items ...any) string {
	var b strings.Builder
	part := func(boundary, req string, id int) {
		line, body, _ := strings.Cut(req, "\n")
		fmt.Fprintf(&b, "--%s\r\nContent-Type: application/http\r\n"+
			"Content-Transfer-Encoding: binary\r\nContent-ID: %d\r\n\r\n%s HTTP/1.1\r\n"+
			"Content-Type: application/json\r\n\r\n%s\r\n", boundary, id, line, body)
	}
	id := 0
	for _, it := range items {
		switch x := it.(type) {
		case string:
			id++
			part("batch_1", x, id)
		case []string:
			fmt.Fprintf(&b, "--batch_1\r\nContent-Type: multipart/mixed; boundary=cs_%d\r\n\r\n", id)
			cs := fmt.Sprintf("cs_%d", id)
			for _, req := range x {
				id++
				part(cs, req, id)
			}
			fmt.Fprintf(&b, "--%s--\r\n", cs)
		}
	}
	b.WriteString("--batch_1--\r\n")
	return b.String()
}

// Ensure a changeset is atomic and answered by one error part with F&O's status, while
// requests outside it are independent.
func TestBatchChangesetIsAtomic(t *testing.T) {
	s := mustServer(t, Options{})
	mustVendor(t, s, "usmf", "V-1")
	v := func(acc string) string {
		return `POST VendorsV2` + "\n" + vendorJSON("usmf", acc)
	}
	body := batchBody([]string{v("V-2"), v("V-1")}, v("V-3"), []string{v("V-4"), v("V-5")},
		"GET VendorsV2?$select=VendorAccountNumber&$orderby=VendorAccountNumber\n")
	r := do(t, http.MethodPost, s.URL+"/data/$batch", body, "Content-Type",
		"multipart/mixed; boundary=batch_1").mustStatus(t, http.StatusOK)
	if !strings.HasPrefix(r.header.Get("Content-Type"), "multipart/mixed; boundary=batchresponse_") {
		t.Errorf("Content-Type = %s", r.header.Get("Content-Type"))
	}
	statuses := []string{}
	for _, line := range strings.Split(r.body, "\r\n") {
		if strings.HasPrefix(line, "HTTP/1.1 ") {
			statuses = append(statuses, line[9:12])
		}
	}
	if got := strings.Join(statuses, ","); got != "500,201,201,201,200" {
		t.Errorf("part statuses %s, want 500 (changeset 1 rolled back), 201, 201, 201, 200", got)
	}
	if !strings.Contains(r.body, "Content-ID: 1\r\n\r\nHTTP/1.1 500") {
		t.Errorf("the failed changeset is not answered with its first Content-ID:\n%s", r.body)
	}
	if strings.Contains(r.body, `"VendorAccountNumber":"V-2"`) {
		t.Errorf("V-2 of the rolled-back changeset is stored:\n%s", r.body)
	}
	get(t, s, "/data/VendorsV2(dataAreaId='usmf',VendorAccountNumber='V-2')").
		mustStatus(t, http.StatusNotFound)
	var failed int
	s.store.r.QueryRow(`SELECT COUNT(*) FROM integration_log WHERE outcome = 'failed' AND
		reason LIKE 'rolled back with its changeset%'`).Scan(&failed)
	if failed != 1 {
		t.Errorf("%d log lines say rolled back, want 1 (the V-2 create)", failed)
	}
	// More than 5,000 operations are refused whole.
	many := make([]string, maxBatchOperations+1)
	for i := range many {
		many[i] = v(fmt.Sprintf("M-%d", i))
	}
	do(t, http.MethodPost, s.URL+"/data/$batch", batchBody(many), "Content-Type",
		"multipart/mixed; boundary=batch_1").mustStatus(t, http.StatusBadRequest)
}

// Ensure the token endpoints issue tokens in both forms, and /data answers 401 to a
// missing, expired or wrong-audience token.
func TestAuth(t *testing.T) {
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	s := mustServer(t, Options{Auth: Auth{Enabled: true, TokenLifetime: time.Minute,
		Clients: map[string]string{"app": "secret"}}})
	s.now = func() time.Time { return now }
	token := func(path string, form url.Values) (int, map[string]any) {
		resp, err := http.PostForm(s.URL+path, form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body map[string]any
		json.NewDecoder(resp.Body).Decode(&body) //nolint:errcheck // checked by the caller
		return resp.StatusCode, body
	}
	cc := func(kv ...string) url.Values {
		v := url.Values{"grant_type": {"client_credentials"}, "client_id": {"app"},
			"client_secret": {"secret"}}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	st, v2 := token("/tenant-1/oauth2/v2.0/token", cc("scope", s.URL+"/.default"))
	if st != 200 || v2["expires_in"] != float64(60) || v2["token_type"] != "Bearer" {
		t.Fatalf("v2 token: %d %v", st, v2)
	}
	st, v1 := token("/tenant-1/oauth2/token", cc("resource", s.URL))
	if st != 200 || v1["expires_in"] != "60" || v1["resource"] != s.URL {
		t.Fatalf("v1 token: %d %v", st, v1)
	}
	if st, e := token("/oauth2/token", cc("client_secret", "wrong", "resource", s.URL)); st != 401 ||
		!strings.HasPrefix(e["error_description"].(string), "AADSTS7000215") {
		t.Errorf("wrong secret: %d %v", st, e)
	}
	_, slash := token("/t/oauth2/token", cc("resource", s.URL+"/"))
	bearer := func(tok any) []string { return []string{"Authorization", "Bearer " + tok.(string)} }
	do(t, http.MethodGet, s.URL+"/data/VendorsV2", "").mustStatus(t, http.StatusUnauthorized)
	do(t, http.MethodGet, s.URL+"/data/VendorsV2", "", bearer(v2["access_token"])...).
		mustStatus(t, http.StatusOK)
	do(t, http.MethodGet, s.URL+"/data/VendorsV2", "", bearer(v1["access_token"])...).
		mustStatus(t, http.StatusOK)
	do(t, http.MethodGet, s.URL+"/data/VendorsV2", "", bearer(slash["access_token"])...).
		mustStatus(t, http.StatusUnauthorized) // audience with a trailing slash
	now = now.Add(61 * time.Second)
	do(t, http.MethodGet, s.URL+"/data/VendorsV2", "", bearer(v2["access_token"])...).
		mustStatus(t, http.StatusUnauthorized)
	var reason string
	s.store.r.QueryRow(`SELECT reason FROM integration_log WHERE status = 401 ORDER BY id DESC
		LIMIT 1`).Scan(&reason)
	if !strings.Contains(reason, "expired") {
		t.Errorf("log reason of the last 401 = %q", reason)
	}
}

// Ensure throttling answers 429 with Retry-After beyond capacity, throttles a Low
// priority client earlier, and grows Retry-After while a client keeps sending.
func TestThrottle(t *testing.T) {
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	th := newThrottler(Throttle{Capacity: 10, RetryAfter: 2 * time.Second,
		Priorities: map[string]Priority{"batch-app": PriorityLow}})
	admitted := 0
	for range 20 {
		if _, ok := th.admit("", now); ok {
			admitted++
		}
	}
	if admitted != 10 {
		t.Errorf("%d of 20 requests in one instant admitted at capacity 10, want 10", admitted)
	}
	ans, ok := th.admit("", now)
	if ok || ans.status != http.StatusTooManyRequests || ans.extra.Get("Retry-After") == "" {
		t.Fatalf("over capacity: %v %d %v", ok, ans.status, ans.extra)
	}
	first := ans.extra.Get("Retry-After")
	var later answer
	for range 20 { // the window moved on: fill it again, then hammer
		if later, ok = th.admit("", now.Add(1500*time.Millisecond)); !ok {
			break
		}
	}
	if first != "2" || later.extra.Get("Retry-After") != "4" {
		t.Errorf("Retry-After %s then %s while hammering, want 2 then 4", first,
			later.extra.Get("Retry-After"))
	}
	// Waiting past the Retry-After brings it back down, and two refusals in one instant
	// are one step, not two.
	back := now.Add(20 * time.Second)
	for range 20 {
		if later, ok = th.admit("", back); !ok {
			break
		}
	}
	again, _ := th.admit("", back)
	if later.extra.Get("Retry-After") != "2" || again.extra.Get("Retry-After") != "2" {
		t.Errorf("Retry-After %s then %s after waiting, want 2 and 2",
			later.extra.Get("Retry-After"), again.extra.Get("Retry-After"))
	}
	low := newThrottler(Throttle{Capacity: 10, Priorities: map[string]Priority{"b": PriorityLow}})
	n := 0
	for range 20 {
		if _, ok := low.admit("b", now); ok {
			n++
		}
	}
	if n != 5 {
		t.Errorf("Low priority admitted %d at capacity 10, want 5", n)
	}
	// Over HTTP: the 429 carries F&O's message and is logged.
	s := mustServer(t, Options{Throttle: Throttle{Capacity: 1, RetryAfter: time.Second}})
	get(t, s, "/data/VendorsV2").mustStatus(t, http.StatusOK)
	r := get(t, s, "/data/VendorsV2").mustStatus(t, http.StatusTooManyRequests)
	if r.header.Get("Retry-After") != "1" || !strings.Contains(r.body, "high resource utilization") {
		t.Errorf("429: %v %s", r.header, r.body)
	}
}

// Ensure $expand follows navigation both ways, and the cold start delays the first call.
func TestExpandAndColdStart(t *testing.T) {
	s := mustServer(t, Options{Latency: Latency{ColdStart: 300 * time.Millisecond}})
	start := time.Now()
	mustVendor(t, s, "usmf", "V-1")
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Errorf("the first call took %v, want the cold start of 300ms", d)
	}
	start = time.Now()
	post(t, s, "ReleasedProductsV2", `{"ItemNumber":"D0001","ProductNumber":"D0001"}`).
		mustStatus(t, http.StatusCreated)
	if d := time.Since(start); d > 250*time.Millisecond {
		t.Errorf("the second call took %v: the cold start is paid once", d)
	}
	po1 := mustOrder(t, s, "usmf", "V-1", "REF-1")
	for n := 1; n <= 2; n++ {
		post(t, s, "PurchaseOrderLinesV2", fmt.Sprintf(`{"PurchaseOrderNumber":%q,`+
			`"LineNumber":%d,"ItemNumber":"D0001","OrderedPurchaseQuantity":1}`, po1, n)).
			mustStatus(t, http.StatusCreated)
	}
	r := get(t, s, "/data/PurchaseOrderHeadersV2(dataAreaId='usmf',PurchaseOrderNumber='"+po1+"')"+
		"?$expand=PurchaseOrderLines&$select=PurchaseOrderNumber").mustStatus(t, http.StatusOK)
	var po struct {
		Lines []struct{ LineNumber int } `json:"PurchaseOrderLines"`
	}
	if err := json.Unmarshal([]byte(r.body), &po); err != nil || len(po.Lines) != 2 {
		t.Errorf("expanded order = %s (%v)", r.body, err)
	}
	q := get(t, s, "/data/PurchaseOrderLinesV2?$expand=PurchaseOrderHeader&$top=1").
		mustStatus(t, http.StatusOK)
	if !strings.Contains(q.body, `"PurchaseOrderHeader":{"@odata.etag"`) {
		t.Errorf("expanded line = %s", q.body)
	}
	get(t, s, "/data/PurchaseOrderLinesV2?$expand=PurchaseOrderHeader/PurchaseOrderLines").
		mustStatus(t, http.StatusBadRequest)
}

// Ensure /admin/log pages through the integration log.
func TestAdminLog(t *testing.T) {
	s := mustServer(t, Options{})
	mustVendor(t, s, "usmf", "V-1")
	post(t, s, "VendorsV2", vendorJSON("usmf", "V-1")).mustStatus(t, http.StatusBadRequest)
	r := get(t, s, "/admin/log?limit=1").mustStatus(t, http.StatusOK)
	var page struct {
		Value []map[string]any `json:"value"`
		Next  string           `json:"next"`
	}
	if err := json.Unmarshal([]byte(r.body), &page); err != nil || len(page.Value) != 1 ||
		page.Value[0]["outcome"] != "committed" || page.Next == "" {
		t.Fatalf("first page = %s", r.body)
	}
	r = get(t, s, page.Next).mustStatus(t, http.StatusOK)
	if !strings.Contains(r.body, `"outcome":"failed"`) ||
		!strings.Contains(r.body, "The record already exists") {
		t.Errorf("second page = %s", r.body)
	}
}
