package faults

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stormcheck/stormcheck/generators"
	"github.com/stormcheck/stormcheck/scenarios"
)

func reorderWith(t *testing.T, mode string, rate scenarios.Share) (*reorder, []generators.Case, int) {
	t.Helper()
	cs := cases(t, 8, 1500)
	r, err := newReorder(scenarios.ReorderFault{Rate: rate, Mode: mode, Window: 4,
		Delay: scenarios.DurationRange{Min: time.Second, Max: 3 * time.Second}}, NewDice(8))
	if err != nil {
		t.Fatal(err)
	}
	return r, cs, apply(r, cs)
}

func TestReorderChildFirst(t *testing.T) {
	_, cs, n := reorderWith(t, "child-first", 0.1)
	docs := 0
	for _, c := range cs {
		for _, doc := range c {
			docs++
			head := doc.Messages[0]
			if head.Delay == 0 {
				if doc.Messages[1].Eager {
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
	}
	if !withinBinomial(n, docs, 0.1) {
		t.Fatalf("%d of %d documents reordered at 10%%", n, docs)
	}
}

func TestReorderLateParentSendsTheReceiptFirst(t *testing.T) {
	_, cs, n := reorderWith(t, "late-parent", 0.2)
	pairs := 0
	for _, c := range cs {
		if len(c) < 2 {
			continue
		}
		pairs++
		order, receipt := c[0].Messages[0], c[1].Messages
		held := order.Delay > 0
		if held != receipt[0].Eager {
			t.Fatalf("case of order %d: order held %v but receipt eager %v", c[0].Seq, held,
				receipt[0].Eager)
		}
		if !held {
			continue
		}
		for _, m := range receipt {
			if !slices.Contains(order.After, m.ID) {
				t.Fatalf("order %d does not wait for receipt message %d", c[0].Seq, m.ID)
			}
		}
		if receipt[1].Eager || !slices.Contains(receipt[1].After, receipt[0].ID) {
			t.Fatalf("receipt line %d no longer waits for its receipt header", receipt[1].ID)
		}
	}
	if !withinBinomial(n, pairs, 0.2) {
		t.Fatalf("%d of %d order-receipt cases reordered at 20%%", n, pairs)
	}
}

// TestReorderShuffleChainsEveryMessage checks that a shuffled case becomes one chain: each
// message waits for exactly the one before it, windows of four keep their order, and at
// least one chain differs from the generated order.
func TestReorderShuffleChainsEveryMessage(t *testing.T) {
	_, cs, n := reorderWith(t, "shuffle", 0.3)
	changed := 0
	for _, c := range cs {
		msgs := c.Messages()
		if !strings.HasPrefix(strings.Join(msgs[0].Faults, ","), "reorder:shuffle") {
			continue
		}
		pos := map[int64]int{}
		for _, m := range msgs {
			var k int
			for _, f := range m.Faults {
				if rest, ok := strings.CutPrefix(f, "reorder:shuffle:"); ok {
					k = atoi(t, rest)
				}
			}
			pos[m.ID] = k
		}
		for i, m := range msgs {
			want := i/4*4 + 1
			if pos[m.ID] < want || pos[m.ID] >= want+4 {
				t.Fatalf("message %d at position %d left its window", m.ID, pos[m.ID])
			}
			if pos[m.ID] != i+1 {
				changed++
			}
			if pos[m.ID] == 1 != (len(m.After) == 0) || m.Eager {
				t.Fatalf("message %d at position %d waits for %v", m.ID, pos[m.ID], m.After)
			}
			if len(m.After) == 1 && pos[m.After[0]] != pos[m.ID]-1 {
				t.Fatalf("message %d at %d waits for a message at %d", m.ID, pos[m.ID], pos[m.After[0]])
			}
		}
	}
	if n == 0 || changed == 0 {
		t.Fatalf("%d cases shuffled, %d messages moved", n, changed)
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			t.Fatalf("%q is not a number", s)
		}
		n = n*10 + int(r-'0')
	}
	return n
}

// TestReorderNewerFirstSwapsTheLastTwoRevisions checks that a chosen record's newest
// revision waits only for what the one before it waited for, and that one waits for it.
func TestReorderNewerFirstSwapsTheLastTwoRevisions(t *testing.T) {
	s, err := generators.NewStream(generators.Config{
		Seed: 8, Prefix: "SCTEST0",
		Companies: []*generators.MasterData{generators.NewMasterData(8, "usmf", 10, 30)},
		Flows: []generators.FlowMix{{Flow: "procure-to-pay", Weight: 1, MinLines: 1,
			MaxLines: 6, Changes: 0.6}},
		MaxMessages: 3000,
	})
	if err != nil {
		t.Fatal(err)
	}
	r, _ := newReorder(scenarios.ReorderFault{Rate: 0.5, Mode: "newer-first"}, NewDice(8))
	chains, swapped := 0, 0
	for {
		c, err := s.NextCase()
		if err != nil {
			break
		}
		var before []generators.Message
		for _, m := range c.Messages() {
			before = append(before, *m)
		}
		n := r.Apply(c)
		swapped += n
		revs := withRole(c.Messages(), generators.Update)
		if len(revs) >= 2 {
			chains++
		}
		if n == 0 {
			continue
		}
		older, newer := revs[len(revs)-2], revs[len(revs)-1]
		var olderBefore generators.Message
		for _, b := range before {
			if b.ID == older.ID {
				olderBefore = b
			}
		}
		if !slices.Equal(newer.After, olderBefore.After) || !slices.Equal(older.After, []int64{newer.ID}) ||
			!slices.Contains(newer.Faults, "reorder:newer-first") {
			t.Fatalf("case of document %d: newer waits for %v, older for %v", c[0].Seq, newer.After,
				older.After)
		}
	}
	if chains == 0 || !withinBinomial(swapped, chains, 0.5) {
		t.Fatalf("%d of %d records revised twice were swapped at 50%%", swapped, chains)
	}
}
