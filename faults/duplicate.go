package faults

import (
	"fmt"
	"slices"

	"github.com/stormcheck/stormcheck/generators"
	"github.com/stormcheck/stormcheck/scenarios"
)

// duplicate sends a share of messages a second time, after a delay: the source system
// resent it (mode resend, same message id) or exported the document again (mode
// new-message-id, so an idempotency key does not protect the target).
type duplicate struct {
	cfg  scenarios.DuplicateFault
	dice Dice
}

func newDuplicate(cfg scenarios.DuplicateFault, dice Dice) (*duplicate, error) {
	if !slices.Contains(scenarios.DuplicateModes, cfg.Mode) {
		return nil, fmt.Errorf("duplicate mode %q is not one of %v", cfg.Mode, scenarios.DuplicateModes)
	}
	return &duplicate{cfg: cfg, dice: dice}, nil
}

func (d *duplicate) Name() string { return "duplicate" }

func (d *duplicate) Apply(doc *generators.Document) int {
	n := 0
	for _, m := range doc.Messages {
		if !d.dice.Chance(float64(d.cfg.Rate), "duplicate", m.ID) {
			continue
		}
		delay := d.dice.Between(d.cfg.Delay.Min, d.cfg.Delay.Max, "duplicate-delay", m.ID)
		m.Copies = append(m.Copies, generators.Copy{Delay: delay, NewID: d.cfg.Mode == "new-message-id"})
		m.AddFault("duplicate:" + d.cfg.Mode)
		n++
	}
	return n
}
