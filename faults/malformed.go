package faults

import (
	"fmt"
	"slices"

	"github.com/stormcheck/stormcheck/generators"
	"github.com/stormcheck/stormcheck/mockd365"
	"github.com/stormcheck/stormcheck/scenarios"
)

// malformed breaks one field of a share of messages in one of the ways real source data
// is broken. A malformed record is meant to be rejected; fields that identify a record or
// its parent are never touched, so every record stays traceable.
type malformed struct {
	rate  float64
	kinds []string
	dice  Dice
}

// A breaker breaks one field of m that suits its kind, chosen with pick among the
// candidates, and returns a label naming the field; ok is false when m has no such field.
type breaker func(m *generators.Message, c candidates, pick func(n int) int) (label string, ok bool)

// breakers is the registry of malformed kinds, by the name scenarios use.
var breakers = map[string]breaker{
	"missing-required":    missingRequired,
	"null-vs-empty":       nullVersusEmpty,
	"wrong-type":          wrongType,
	"bad-date":            badDate,
	"swapped-day-month":   swappedDayMonth,
	"locale-decimal":      localeDecimal,
	"ambiguous-thousands": ambiguousThousands,
	"overlong-string":     overlongString,
	"invalid-enum":        invalidEnum,
	"unknown-reference":   unknownReference,
	"negative-quantity":   negativeQuantity,
	"bad-encoding":        badEncoding,
	"truncated-json":      truncatedJSON,
	"unknown-property":    unknownProperty,
	"wrong-legal-entity":  wrongLegalEntity,
}

func newMalformed(cfg scenarios.MalformedFault, dice Dice) (*malformed, error) {
	for _, k := range cfg.Kinds {
		if breakers[k] == nil {
			return nil, fmt.Errorf("malformed kind %q is not one of %v", k, scenarios.MalformedKinds)
		}
	}
	if len(cfg.Kinds) == 0 {
		return nil, fmt.Errorf("malformed needs at least one kind")
	}
	return &malformed{rate: float64(cfg.Rate), kinds: cfg.Kinds, dice: dice}, nil
}

func (f *malformed) Name() string { return "malformed" }

func (f *malformed) Apply(c generators.Case) int {
	n := 0
	for _, m := range c.Messages() {
		// A revision carries only the fields it changes; the fault breaks creates.
		if m.Role == generators.Update {
			continue
		}
		if f.dice.Chance(f.rate, "malformed", m.ID) && f.breakOne(m) {
			n++
		}
	}
	return n
}

// breakOne breaks m in one of the kinds that fit it, drawn evenly among them, so that a
// kind few records can take (a thousands separator needs an amount of 1,000 or more) is
// injected as often as its share of those records allows. It reports false when no kind
// fits m.
func (f *malformed) breakOne(m *generators.Message) bool {
	var fits []broken
	for _, kind := range f.kinds {
		if b, ok := f.try(m, kind); ok {
			fits = append(fits, b)
		}
	}
	if len(fits) == 0 {
		return false
	}
	b := fits[f.dice.IntN(len(fits), "malformed-kind", m.ID)]
	*m = b.msg
	m.Fate = generators.Reject
	m.AddFault("malformed:" + b.kind + ":" + b.label)
	return true
}

// broken is a copy of a message broken in one kind, with the label naming its field.
type broken struct {
	msg         generators.Message
	kind, label string
}

// try breaks a copy of m in the kind, leaving m as it was; ok is false when the kind does
// not fit m.
func (f *malformed) try(m *generators.Message, kind string) (broken, bool) {
	b := broken{msg: *m, kind: kind}
	b.msg.Fields = slices.Clone(m.Fields)
	label, ok := breakers[kind](&b.msg, candidatesOf(&b.msg), f.picker(kind, m.ID))
	b.label = label
	return b, ok
}

// picker draws the field (or variant) a kind breaks in message id.
func (f *malformed) picker(kind string, id int64) func(n int) int {
	return func(n int) int { return f.dice.IntN(n, "malformed-field:"+kind, id) }
}

// candidates are the fields of a message that a breaker may touch, with their catalogue
// descriptions.
type candidates struct {
	fields []mockd365.Field
}

func candidatesOf(m *generators.Message) candidates {
	spec, _ := generators.SpecFor(m.Entity)
	ent := entityOf(m.Entity)
	var c candidates
	for _, f := range m.Fields {
		info, ok := fieldOf(ent, f.Name)
		if ok && !spec.Protected(f.Name) && f.Value != nil {
			c.fields = append(c.fields, info)
		}
	}
	return c
}

func (c candidates) where(keep func(mockd365.Field) bool) []mockd365.Field {
	var out []mockd365.Field
	for _, f := range c.fields {
		if keep(f) {
			out = append(out, f)
		}
	}
	return out
}

func choose(fs []mockd365.Field, pick func(int) int) (mockd365.Field, bool) {
	if len(fs) == 0 {
		return mockd365.Field{}, false
	}
	return fs[pick(len(fs))], true
}

func entityOf(name string) *mockd365.Entity {
	for i := range mockd365.Catalogue {
		if mockd365.Catalogue[i].Collection == name {
			return &mockd365.Catalogue[i]
		}
	}
	return nil
}

func fieldOf(e *mockd365.Entity, name string) (mockd365.Field, bool) {
	if e == nil {
		return mockd365.Field{}, false
	}
	i := slices.IndexFunc(e.Fields, func(f mockd365.Field) bool { return f.Name == name })
	if i < 0 {
		return mockd365.Field{}, false
	}
	return e.Fields[i], true
}

func referenceFields(entity string) map[string]bool {
	out := map[string]bool{}
	if e := entityOf(entity); e != nil {
		for _, r := range e.References {
			for _, f := range r.Fields {
				out[f] = true
			}
		}
	}
	return out
}
