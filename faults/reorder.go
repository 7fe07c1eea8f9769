package faults

import (
	"fmt"
	"slices"

	"github.com/stormcheck/stormcheck/generators"
	"github.com/stormcheck/stormcheck/scenarios"
)

// reorder delivers a share of documents out of order. In mode child-first the lines go
// out on schedule without waiting for their header, and the header follows once every
// line's delivery is over and its delay has passed: the lines reach the target before
// the record they belong to, as when a queue or a parallel sender overtakes the header.
// Making the header wait for the lines, not only for a delay, keeps the order the same on
// a slow or busy machine.
type reorder struct {
	cfg  scenarios.ReorderFault
	dice Dice
}

func newReorder(cfg scenarios.ReorderFault, dice Dice) (*reorder, error) {
	if !slices.Contains(scenarios.ReorderModes, cfg.Mode) {
		return nil, fmt.Errorf("reorder mode %q is not one of %v", cfg.Mode, scenarios.ReorderModes)
	}
	return &reorder{cfg: cfg, dice: dice}, nil
}

func (r *reorder) Name() string { return "reorder" }

func (r *reorder) Apply(doc *generators.Document) int {
	if len(doc.Messages) < 2 || !r.dice.Chance(float64(r.cfg.Rate), "reorder", doc.Seq) {
		return 0
	}
	header := doc.Messages[0]
	header.Delay = r.dice.Between(r.cfg.Delay.Min, r.cfg.Delay.Max, "reorder-delay", doc.Seq)
	header.AddFault("reorder:late-parent")
	for _, m := range doc.Messages[1:] {
		m.Eager = true
		m.AddFault("reorder:" + r.cfg.Mode)
		header.After = append(header.After, m.ID)
	}
	return 1
}
