package engine

import (
	"container/heap"
	"time"

	"github.com/stormcheck/stormcheck/faults"
	"github.com/stormcheck/stormcheck/generators"
)

// A delivery is one try of sending one message: the original (copy 0) or an injected
// copy, first try or a retry.
type delivery struct {
	msg    *generators.Message
	copy   int
	try    int
	lookup bool // a look-up of the record, not a send
	due    time.Time
	order  int64 // tie-break among equal due times: first scheduled, first sent
}

func (d *delivery) attempt() faults.Attempt {
	return faults.Attempt{Message: d.msg.ID, Copy: d.copy, Try: d.try}
}

// newID reports whether this delivery goes out as a new message (a re-export), so that
// it carries its own idempotency key.
func (d *delivery) newID() bool {
	return d.copy > 0 && d.msg.Copies[d.copy-1].NewID
}

// dueHeap orders deliveries by due time.
type dueHeap []*delivery

func (h dueHeap) Len() int { return len(h) }
func (h dueHeap) Less(i, j int) bool {
	if h[i].due.Equal(h[j].due) {
		return h[i].order < h[j].order
	}
	return h[i].due.Before(h[j].due)
}
func (h dueHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *dueHeap) Push(x any)   { *h = append(*h, x.(*delivery)) }
func (h *dueHeap) Pop() any {
	old := *h
	d := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return d
}

var _ heap.Interface = (*dueHeap)(nil)
