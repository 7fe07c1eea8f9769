package faults

import (
	"slices"
	"testing"
	"time"

	"github.com/stormcheck/stormcheck/scenarios"
)

func TestReorderChildFirst(t *testing.T) {
	docs := documents(t, 8, 1000)
	r, err := newReorder(scenarios.ReorderFault{Rate: 0.1, Mode: "child-first",
		Delay: scenarios.DurationRange{Min: time.Second, Max: 3 * time.Second}}, NewDice(8))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, doc := range docs {
		applied := r.Apply(doc)
		n += applied
		head := doc.Messages[0]
		if applied == 0 {
			if head.Delay != 0 || doc.Messages[1].Eager {
				t.Fatalf("document %d was changed without being chosen", doc.Seq)
			}
			continue
		}
		if head.Delay < time.Second || head.Delay > 3*time.Second || head.Eager {
			t.Fatalf("document %d header delay %s eager %v, want 1s-3s late", doc.Seq,
				head.Delay, head.Eager)
		}
		for _, m := range doc.Messages[1:] {
			if !m.Eager || m.Delay != 0 || !slices.Contains(head.After, m.ID) {
				t.Fatalf("document %d line %d is not sent ahead of its header", doc.Seq, m.ID)
			}
		}
	}
	if !withinBinomial(n, len(docs), 0.1) {
		t.Fatalf("%d of %d documents reordered at 10%%", n, len(docs))
	}
}
