package faults

import (
	"fmt"
	"slices"

	"github.com/stormcheck/stormcheck/generators"
	"github.com/stormcheck/stormcheck/scenarios"
)

// A StreamFault changes business cases on their way from the generator to the sender.
// Apply alters the case in place and returns how many injections it made (messages
// malformed, copies added, documents or cases reordered), for the run's fault counts.
// Apply must decide only from its Dice and the ids in the case, never from call order.
type StreamFault interface {
	Name() string
	Apply(c generators.Case) int
}

// streamFaults is the registry of stream faults, in the order they apply: malformed first
// (it decides which records are meant to be rejected), then reorder, then duplicate (so
// copies of a late parent are late too). Each entry builds its fault when the scenario
// configures it, and returns nil otherwise.
var streamFaults = []func(f scenarios.Faults, dice Dice) (StreamFault, error){
	func(f scenarios.Faults, dice Dice) (StreamFault, error) {
		if f.Malformed == nil {
			return nil, nil
		}
		return newMalformed(*f.Malformed, dice)
	},
	func(f scenarios.Faults, dice Dice) (StreamFault, error) {
		if f.Reorder == nil {
			return nil, nil
		}
		return newReorder(*f.Reorder, dice)
	},
	func(f scenarios.Faults, dice Dice) (StreamFault, error) {
		if f.Duplicate == nil {
			return nil, nil
		}
		return newDuplicate(*f.Duplicate, dice)
	},
}

// NewStreamFaults returns the stream faults a scenario asks for, in the order of the
// registry. The burst is not among them: it changes when messages fall due, not the
// messages, so the pacing schedule carries it (generators.Schedule.Burst).
func NewStreamFaults(f scenarios.Faults, seed uint64) ([]StreamFault, error) {
	dice := NewDice(seed)
	var out []StreamFault
	for _, build := range streamFaults {
		sf, err := build(f, dice)
		if err != nil {
			return nil, err
		}
		if sf != nil {
			out = append(out, sf)
		}
	}
	return out, nil
}

// A Pipeline applies stream faults to each document and carries the intended fate along
// references: a record that needs a record meant to be rejected cannot be committed either.
// It is not safe for concurrent use.
type Pipeline struct {
	faults   []StreamFault
	counts   map[string]int
	rejected map[int64]bool // messages meant to be rejected, within the reference window
}

// referenceWindow bounds how far back (in messages) a record may refer to another; older
// rejected ids are forgotten so that memory stays flat on long runs. Documents refer only
// to documents of their own business case, which are a few dozen messages apart.
const referenceWindow = 10_000

// NewPipeline returns a pipeline of the given faults.
func NewPipeline(faults ...StreamFault) *Pipeline {
	return &Pipeline{faults: faults, counts: map[string]int{}, rejected: map[int64]bool{}}
}

// Apply runs every fault on a case, then propagates rejection along Needs.
func (p *Pipeline) Apply(c generators.Case) {
	for _, f := range p.faults {
		if n := f.Apply(c); n > 0 {
			p.counts[f.Name()] += n
		}
	}
	msgs := c.Messages()
	for _, m := range msgs {
		p.inherit(m)
	}
	p.forget(msgs)
}

func (p *Pipeline) inherit(m *generators.Message) {
	if m.Fate == generators.Commit {
		for _, id := range m.Needs {
			if p.rejected[id] {
				m.Fate = generators.Reject
				m.AddFault(fmt.Sprintf("needs-rejected:%d", id))
				break
			}
		}
	}
	if m.Fate == generators.Reject {
		p.rejected[m.ID] = true
	}
}

func (p *Pipeline) forget(msgs []*generators.Message) {
	if len(msgs) == 0 || len(p.rejected) == 0 {
		return
	}
	oldest := msgs[0].ID - referenceWindow
	for id := range p.rejected {
		if id < oldest {
			delete(p.rejected, id)
		}
	}
}

// Counts returns the injections made so far by fault name.
func (p *Pipeline) Counts() map[string]int {
	out := make(map[string]int, len(p.counts))
	for k, v := range p.counts {
		out[k] = v
	}
	return out
}

// Names returns the names of the faults in the pipeline, in order.
func (p *Pipeline) Names() []string {
	var out []string
	for _, f := range p.faults {
		out = append(out, f.Name())
	}
	return slices.Clip(out)
}
