package faults

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

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

// breakers is the registry of malformed kinds.
var breakers = map[string]breaker{
	"missing-required": missingRequired,
	"bad-date":         badDate,
	"overlong-string":  overlongString,
	"locale-decimal":   localeDecimal,
	"unknown-property": unknownProperty,
	"wrong-type":       wrongType,
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

func (f *malformed) Apply(doc *generators.Document) int {
	n := 0
	for _, m := range doc.Messages {
		if f.dice.Chance(f.rate, "malformed", m.ID) && f.breakOne(m) {
			n++
		}
	}
	return n
}

// breakOne tries the kinds starting from a drawn one, so that a message without a field
// of that kind (a line has no date to break, say) still gets another kind.
func (f *malformed) breakOne(m *generators.Message) bool {
	c := candidatesOf(m)
	start := f.dice.IntN(len(f.kinds), "malformed-kind", m.ID)
	for i := range f.kinds {
		kind := f.kinds[(start+i)%len(f.kinds)]
		pick := func(n int) int { return f.dice.IntN(n, "malformed-field:"+kind, m.ID) }
		if label, ok := breakers[kind](m, c, pick); ok {
			m.Fate = generators.Reject
			m.AddFault("malformed:" + kind + ":" + label)
			return true
		}
	}
	return false
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

func missingRequired(m *generators.Message, c candidates, pick func(int) int) (string, bool) {
	f, ok := choose(c.where(func(f mockd365.Field) bool { return f.Required }), pick)
	if !ok {
		return "", false
	}
	m.RemoveField(f.Name)
	return f.Name, true
}

// badDate writes a date the way a European spreadsheet export does (31/12/2026), not as
// ISO 8601.
func badDate(m *generators.Message, c candidates, pick func(int) int) (string, bool) {
	f, ok := choose(c.where(func(f mockd365.Field) bool { return f.Kind == mockd365.DateTimeOffset }), pick)
	if !ok {
		return "", false
	}
	v, _ := m.Field(f.Name)
	t, err := time.Parse(time.RFC3339, fmt.Sprint(v))
	if err != nil {
		return "", false
	}
	m.SetField(f.Name, t.Format("02/01/2006"))
	return f.Name, true
}

// overlongString pads a free-text field past its length, as when a source system has
// wider columns than F&O.
func overlongString(m *generators.Message, c candidates, pick func(int) int) (string, bool) {
	refs := referenceFields(m.Entity)
	f, ok := choose(c.where(func(f mockd365.Field) bool {
		return f.Kind == mockd365.String && f.Length > 0 && !refs[f.Name] && f.Name != "dataAreaId"
	}), pick)
	if !ok {
		return "", false
	}
	v, _ := m.Field(f.Name)
	s := fmt.Sprint(v)
	if s == "" {
		s = "X"
	}
	for len([]rune(s)) <= f.Length {
		s += " " + s
	}
	m.SetField(f.Name, string([]rune(s)[:f.Length+1+pick(20)]))
	return f.Name, true
}

// localeDecimal writes a decimal with a comma as decimal separator and dots between
// thousands (1.234,50), as German or Danish exports do.
func localeDecimal(m *generators.Message, c candidates, pick func(int) int) (string, bool) {
	f, ok := choose(c.where(func(f mockd365.Field) bool { return f.Kind == mockd365.Decimal }), pick)
	if !ok {
		return "", false
	}
	v, _ := m.Field(f.Name)
	x, isNum := v.(float64)
	if !isNum {
		return "", false
	}
	m.SetField(f.Name, formatLocale(x))
	return f.Name, true
}

func formatLocale(x float64) string {
	s := strconv.FormatFloat(math.Abs(x), 'f', 2, 64)
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if x < 0 {
		b.WriteByte('-')
	}
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	return b.String() + "," + frac
}

// unknownProperty adds a property the entity does not have, as a source system that
// maps a custom field nobody created in F&O.
func unknownProperty(m *generators.Message, _ candidates, _ func(int) int) (string, bool) {
	const name = "ExternalDocumentReference"
	if _, has := m.Field(name); has {
		return "", false
	}
	m.SetField(name, m.Correlation)
	return name, true
}

// wrongType sends a number field as a JSON boolean.
func wrongType(m *generators.Message, c candidates, pick func(int) int) (string, bool) {
	f, ok := choose(c.where(func(f mockd365.Field) bool {
		return f.Kind == mockd365.Decimal || f.Kind == mockd365.Int64 || f.Kind == mockd365.Int32
	}), pick)
	if !ok {
		return "", false
	}
	m.SetField(f.Name, json.RawMessage("true"))
	return f.Name, true
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
