package mockd365

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
)

// A benchCase is one kind of create to measure.
type benchCase struct {
	collection string
	setup      func(tb testing.TB, create func(collection, body string) int)
	body       func(n int64) string
}

// benchCases are a master-data create (one duplicate check) and an order line (duplicate
// check and two reference lookups).
var benchCases = []benchCase{
	{
		collection: "VendorsV2",
		body:       func(n int64) string { return vendorJSON("usmf", fmt.Sprintf("V-%d", n)) },
	},
	{
		collection: "PurchaseOrderLinesV2",
		setup: func(tb testing.TB, create func(collection, body string) int) {
			for _, c := range []struct{ collection, body string }{
				{"VendorsV2", vendorJSON("usmf", "V-1")},
				{"ReleasedProductsV2", `{"ItemNumber":"D0001","ProductNumber":"D0001"}`},
				{"PurchaseOrderHeadersV2", `{"PurchaseOrderNumber":"PO-1",` +
					`"OrderVendorAccountNumber":"V-1","CurrencyCode":"USD"}`},
			} {
				if status := create(c.collection, c.body); status != http.StatusCreated {
					tb.Fatalf("setup %s: status %d", c.collection, status)
				}
			}
		},
		body: func(n int64) string {
			return fmt.Sprintf(`{"PurchaseOrderNumber":"PO-1","LineNumber":%d,`+
				`"ItemNumber":"D0001","OrderedPurchaseQuantity":5,"PurchasePrice":12.5}`, n)
		},
	},
}

// BenchmarkCreate measures single-record creates against a file-backed store from parallel
// clients, over real HTTP on loopback and straight into the handler. Each create is one
// transaction: the record and its integration_log line.
//
//	go test ./mockd365 -run '^$' -bench BenchmarkCreate -benchtime 20000x -cpu 2
func BenchmarkCreate(b *testing.B) {
	for _, bc := range benchCases {
		b.Run("http/"+bc.collection, func(b *testing.B) {
			s := mustServer(b, Options{DBPath: filepath.Join(b.TempDir(), "bench.db")})
			tr := &http.Transport{MaxIdleConnsPerHost: 64}
			defer tr.CloseIdleConnections()
			client := &http.Client{Transport: tr}
			benchCreates(b, bc, func(collection, body string) int {
				resp, err := client.Post(s.URL+"/data/"+collection, "application/json",
					strings.NewReader(body))
				if err != nil {
					b.Error(err)
					return 0
				}
				io.Copy(io.Discard, resp.Body) //nolint:errcheck // draining only
				resp.Body.Close()
				return resp.StatusCode
			})
		})
		b.Run("handler/"+bc.collection, func(b *testing.B) {
			s, err := NewUnstartedServer(Options{DBPath: filepath.Join(b.TempDir(), "bench.db")})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			h := s.Handler()
			benchCreates(b, bc, func(collection, body string) int {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/data/"+collection,
					strings.NewReader(body)))
				return rec.Code
			})
		})
	}
}

// benchCreates runs bc's setup, then creates a new record per iteration from parallel
// goroutines and reports the rate.
func benchCreates(b *testing.B, bc benchCase, create func(collection, body string) int) {
	if bc.setup != nil {
		bc.setup(b, create)
	}
	var n atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(8) // 8 clients per CPU, like a load generator's workers
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if status := create(bc.collection, bc.body(n.Add(1))); status != http.StatusCreated {
				b.Errorf("status %d", status)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "creates/s")
}

// BenchmarkServeMemory creates records and pages through all of them, twice over for a
// store ten times larger, and reports the heap in use after each: what the server keeps in
// memory must not grow with the records it stores and serves.
//
//	go test ./mockd365 -run '^$' -bench BenchmarkServeMemory -benchtime 1x
func BenchmarkServeMemory(b *testing.B) {
	for _, n := range []int{5000, 50000} {
		b.Run(fmt.Sprintf("records=%d", n), func(b *testing.B) {
			for range b.N {
				s := mustServer(b, Options{DBPath: filepath.Join(b.TempDir(), "mem.db"),
					PageSize: 1000})
				h := s.Handler()
				for start := 0; start < n; start += 5000 {
					reqs := make([]string, 0, 5000)
					for i := start; i < min(n, start+5000); i++ {
						reqs = append(reqs, "POST VendorsV2\n"+vendorJSON("usmf", fmt.Sprintf("M-%07d", i)))
					}
					rec := httptest.NewRecorder()
					req := httptest.NewRequest(http.MethodPost, "/data/$batch",
						strings.NewReader(batchBody(reqs)))
					req.Header.Set("Content-Type", "multipart/mixed; boundary=batch_1")
					h.ServeHTTP(rec, req)
					if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "HTTP/1.1 5") {
						b.Fatalf("batch: %d %.300s", rec.Code, rec.Body.String())
					}
				}
				served := 0
				next := "/data/VendorsV2"
				for next != "" {
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, next, nil))
					var page struct {
						Value []json.RawMessage `json:"value"`
						Next  string            `json:"@odata.nextLink"`
					}
					if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil {
						b.Fatal(err)
					}
					served += len(page.Value)
					next = strings.TrimPrefix(page.Next, "http://example.com")
				}
				if served != n {
					b.Fatalf("served %d of %d records", served, n)
				}
				runtime.GC()
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")
				b.ReportMetric(float64(served), "served")
			}
		})
	}
}
