package faults

import (
	"fmt"
	"slices"

	"github.com/stormcheck/stormcheck/generators"
	"github.com/stormcheck/stormcheck/scenarios"
)

// duplicate sends a share of messages more than once, after a delay: the source system
// resent it (mode resend, same message id), exported the document again (mode
// new-message-id, so an idempotency key does not protect the target), or a queue whose
// lock expired delivered it again and again (mode redeliver, several copies).
type duplicate struct {
	cfg  scenarios.DuplicateFault
	dice Dice
}

func newDuplicate(cfg scenarios.DuplicateFault, dice Dice) (*duplicate, error) {
	if !slices.Contains(scenarios.DuplicateModes, cfg.Mode) {
		return nil, fmt.Errorf("duplicate mode %q is not one of %v", cfg.Mode, scenarios.DuplicateModes)
	}
	if cfg.Copies < 1 {
		cfg.Copies = 1
	}
	return &duplicate{cfg: cfg, dice: dice}, nil
}

func (d *duplicate) Name() string { return "duplicate" }

// Apply gives each chosen message its copies and returns the number of copies added.
func (d *duplicate) Apply(c generators.Case) int {
	n := 0
	for _, m := range c.Messages() {
		if !d.dice.Chance(float64(d.cfg.Rate), "duplicate", m.ID) {
			continue
		}
		for i := range d.cfg.Copies {
			delay := d.dice.Between(d.cfg.Delay.Min, d.cfg.Delay.Max, "duplicate-delay", m.ID, int64(i))
			m.Copies = append(m.Copies, generators.Copy{Delay: delay, NewID: d.cfg.Mode == "new-message-id"})
		}
		m.AddFault("duplicate:" + d.cfg.Mode)
		n += d.cfg.Copies
	}
	return n
}
