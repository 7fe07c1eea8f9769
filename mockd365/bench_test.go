package mockd365

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
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
