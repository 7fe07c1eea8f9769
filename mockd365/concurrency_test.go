package mockd365

import (
	"net/http"
	"sync"
	"testing"
)

// Ensure concurrent creates of one key store it once: the single writer makes the duplicate
// check and the Idempotency-Key lookup atomic with the insert.
func TestConcurrentDuplicates(t *testing.T) {
	for _, tt := range []struct {
		design  string
		headers []string
		status  int // of every create but the first
	}{
		{"d365", nil, http.StatusBadRequest},
		{"idempotent", []string{"Idempotency-Key", "same"}, http.StatusCreated},
	} {
		t.Run(tt.design, func(t *testing.T) {
			s := mustServer(t, Options{Design: tt.design})
			const clients = 16
			statuses := make(chan int, clients)
			var wg sync.WaitGroup
			for range clients {
				wg.Go(func() {
					statuses <- post(t, s, "VendorsV2", vendorJSON("usmf", "V-1"),
						tt.headers...).status
				})
			}
			wg.Wait()
			close(statuses)
			created, other := 0, 0
			for st := range statuses {
				switch {
				case st == http.StatusCreated && created == 0:
					created++
				case st == tt.status:
					other++
				default:
					t.Errorf("unexpected status %d", st)
				}
			}
			if n := count(t, s, "VendorsV2"); n != 1 || created+other != clients {
				t.Errorf("%d stored, %d created, %d other; want 1 stored", n, created, other)
			}
		})
	}
}
