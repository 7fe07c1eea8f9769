package verify

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// growing answers $count of the run's lines with the next of counts, then the last one
// for ever, and 0 for every other entity: an asynchronous target that works through
// what it accepted.
type growing struct {
	mu     sync.Mutex
	counts []int
	polls  int
}

func (g *growing) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasSuffix(r.URL.Path, "/$count") ||
		r.URL.Query().Get("cross-company") != "true" {
		http.NotFound(w, r)
		return
	}
	n := 0
	if r.URL.Path == "/data/PurchaseOrderLinesV2/$count" {
		g.mu.Lock()
		n = g.counts[min(g.polls, len(g.counts)-1)]
		g.polls++
		g.mu.Unlock()
	}
	fmt.Fprintf(w, "\ufeff%d", n)
}

func TestSettle(t *testing.T) {
	for _, tc := range []struct {
		name   string
		counts []int
		limit  time.Duration
		want   SettleResult
	}{
		{"a synchronous target is stable at once", []int{40}, 5 * time.Second,
			SettleResult{EndedBy: SettleStable, WaitedMS: 500, Polls: 2, Records: 40}},
		{"stable once the work is done", []int{10, 25, 40, 40}, 5 * time.Second,
			SettleResult{EndedBy: SettleStable, WaitedMS: 1500, Polls: 4, Records: 40}},
		{"still changing when the limit runs out", []int{10, 20, 30, 40, 50, 60}, 1200 *
			time.Millisecond, SettleResult{EndedBy: SettleTimeout, WaitedMS: 1200, Polls: 4,
			Records: 40}},
		{"off", []int{10}, 0, SettleResult{EndedBy: SettleOff}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(&growing{counts: tc.counts})
			defer srv.Close()
			clock := newFakeClock()
			got, err := Settle(context.Background(), Source{URL: srv.URL, Prefix: "SCX",
				Clock: clock}, tc.limit, 500*time.Millisecond)
			if err != nil || got != tc.want {
				t.Fatalf("Settle = %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}

func TestSettleNeedsACount(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "lots")
	}))
	defer srv.Close()
	_, err := Settle(context.Background(), Source{URL: srv.URL, Prefix: "SCX",
		Clock: newFakeClock()}, time.Second, 0)
	// The engine names the phase ("settle: ..."); Settle names the entity and the answer.
	want := `count PurchaseOrderHeadersV2: GET ` + srv.URL
	if err == nil || !strings.HasPrefix(err.Error(), want) ||
		!strings.HasSuffix(err.Error(), `$count answered "lots", not a number`) {
		t.Fatalf("Settle = %v, want an error naming the entity and the answer", err)
	}
}
