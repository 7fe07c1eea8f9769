package faults

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/stormcheck/stormcheck/generators"
	"github.com/stormcheck/stormcheck/scenarios"
)

// TestNoFaultsLeaveTheStreamAsGenerated is the property that a pipeline without faults,
// or with every stream fault configured at a rate of 0%, passes every document through
// unchanged, for many seeds.
func TestNoFaultsLeaveTheStreamAsGenerated(t *testing.T) {
	idle := scenarios.Faults{
		Duplicate: &scenarios.DuplicateFault{Mode: "redeliver", Copies: 3},
		Malformed: &scenarios.MalformedFault{Kinds: scenarios.MalformedKinds},
		Reorder:   &scenarios.ReorderFault{Mode: "child-first"},
	}
	for name, f := range map[string]scenarios.Faults{"none": {}, "all at 0%": idle} {
		for seed := uint64(1); seed <= 25; seed++ {
			fs, err := NewStreamFaults(f, seed)
			if err != nil {
				t.Fatal(err)
			}
			p := NewPipeline(fs...)
			want := revisedCases(t, seed, 500)
			got := revisedCases(t, seed, 500)
			for _, c := range got {
				p.Apply(c)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s, seed %d: the pipeline changed documents", name, seed)
			}
			if n := len(p.Counts()); n != 0 {
				t.Fatalf("%s, seed %d: the pipeline counted %v", name, seed, p.Counts())
			}
		}
	}
}

func TestRejectionFollowsReferences(t *testing.T) {
	docs := cases(t, 4, 600)
	p := NewPipeline(&breakFirst{entity: "PurchaseOrderHeadersV2"})
	for _, c := range docs {
		p.Apply(c)
	}
	rejected := map[int64]bool{}
	for _, m := range messagesOf(docs) {
		needsRejected := false
		for _, id := range m.Needs {
			needsRejected = needsRejected || rejected[id]
		}
		if m.Entity == "PurchaseOrderHeadersV2" || needsRejected {
			if m.Fate != generators.Reject {
				t.Fatalf("message %d (%s) needs a rejected record but is meant to commit", m.ID, m.Entity)
			}
			rejected[m.ID] = true
			continue
		}
		if m.Fate != generators.Commit {
			t.Fatalf("message %d (%s) is meant to be rejected for no reason", m.ID, m.Entity)
		}
	}
	if got := p.Counts()["break-first"]; got == 0 {
		t.Fatal("the pipeline did not count the test fault")
	}
}

// breakFirst marks every message of one entity as malformed.
type breakFirst struct{ entity string }

func (b *breakFirst) Name() string { return "break-first" }
func (b *breakFirst) Apply(c generators.Case) int {
	n := 0
	for _, m := range c.Messages() {
		if m.Entity == b.entity {
			m.Fate = generators.Reject
			m.AddFault(fmt.Sprintf("test:%d", m.ID))
			n++
		}
	}
	return n
}
