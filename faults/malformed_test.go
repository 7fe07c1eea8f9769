package faults

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stormcheck/stormcheck/generators"
	"github.com/stormcheck/stormcheck/scenarios"
)

// breakAll malforms every message with one kind and returns the messages it changed.
func breakAll(t *testing.T, kind string) []*generators.Message {
	t.Helper()
	docs := documents(t, 21, 400)
	f, err := newMalformed(scenarios.MalformedFault{Rate: 1, Kinds: []string{kind}}, NewDice(21))
	if err != nil {
		t.Fatal(err)
	}
	var changed []*generators.Message
	for _, doc := range docs {
		f.Apply(doc)
		for _, m := range doc.Messages {
			if len(m.Faults) > 0 {
				changed = append(changed, m)
			}
		}
	}
	if len(changed) == 0 {
		t.Fatalf("%s changed no message", kind)
	}
	return changed
}

// brokenField returns the field a malformed fault names, checking the fault label and
// the intended fate.
func brokenField(t *testing.T, m *generators.Message, kind string) string {
	t.Helper()
	if m.Fate != generators.Reject {
		t.Fatalf("message %d malformed with %s is not meant to be rejected", m.ID, kind)
	}
	label, ok := strings.CutPrefix(m.Faults[0], "malformed:"+kind+":")
	if !ok {
		t.Fatalf("message %d fault %q does not name %s", m.ID, m.Faults[0], kind)
	}
	spec, _ := generators.SpecFor(m.Entity)
	if spec.Protected(label) {
		t.Fatalf("message %d: %s broke %s, which identifies the record", m.ID, kind, label)
	}
	return label
}

func TestMalformedKinds(t *testing.T) {
	for _, tc := range []struct {
		kind  string
		check func(t *testing.T, m *generators.Message, field string)
	}{
		{"missing-required", func(t *testing.T, m *generators.Message, field string) {
			if _, has := m.Field(field); has {
				t.Fatalf("message %d still has %s", m.ID, field)
			}
			f, _ := fieldOf(entityOf(m.Entity), field)
			if !f.Required {
				t.Fatalf("message %d: removed %s, which is not required", m.ID, field)
			}
		}},
		{"bad-date", func(t *testing.T, m *generators.Message, field string) {
			v, _ := m.Field(field)
			if !regexp.MustCompile(`^\d\d/\d\d/\d{4}$`).MatchString(v.(string)) {
				t.Fatalf("message %d: %s is %q, want dd/mm/yyyy", m.ID, field, v)
			}
		}},
		{"overlong-string", func(t *testing.T, m *generators.Message, field string) {
			v, _ := m.Field(field)
			f, _ := fieldOf(entityOf(m.Entity), field)
			if n := utf8.RuneCountInString(v.(string)); n <= f.Length {
				t.Fatalf("message %d: %s has %d characters, limit %d", m.ID, field, n, f.Length)
			}
		}},
		{"locale-decimal", func(t *testing.T, m *generators.Message, field string) {
			v, _ := m.Field(field)
			if !regexp.MustCompile(`^-?\d{1,3}(\.\d{3})*,\d\d$`).MatchString(v.(string)) {
				t.Fatalf("message %d: %s is %q, want a locale decimal", m.ID, field, v)
			}
		}},
		{"unknown-property", func(t *testing.T, m *generators.Message, field string) {
			if f, ok := fieldOf(entityOf(m.Entity), field); ok {
				t.Fatalf("message %d: %s is a real property (%v)", m.ID, field, f)
			}
		}},
		{"wrong-type", func(t *testing.T, m *generators.Message, field string) {
			v, _ := m.Field(field)
			if raw, ok := v.(json.RawMessage); !ok || string(raw) != "true" {
				t.Fatalf("message %d: %s is %v, want JSON true", m.ID, field, v)
			}
		}},
	} {
		t.Run(tc.kind, func(t *testing.T) {
			for _, m := range breakAll(t, tc.kind) {
				tc.check(t, m, brokenField(t, m, tc.kind))
				var v map[string]any
				if err := json.Unmarshal(m.Body(), &v); err != nil {
					t.Fatalf("message %d body is no longer JSON: %v", m.ID, err)
				}
			}
		})
	}
}

func TestMalformedRegistryCoversScenarioKinds(t *testing.T) {
	for _, k := range scenarios.MalformedKinds {
		if breakers[k] == nil {
			t.Errorf("scenario kind %q has no breaker", k)
		}
	}
	if len(breakers) != len(scenarios.MalformedKinds) {
		t.Errorf("%d breakers for %d scenario kinds", len(breakers), len(scenarios.MalformedKinds))
	}
}

func TestFormatLocale(t *testing.T) {
	for in, want := range map[float64]string{1234.5: "1.234,50", 12: "12,00", 1234567.891: "1.234.567,89",
		-5.5: "-5,50", 999: "999,00"} {
		if got := formatLocale(in); got != want {
			t.Errorf("formatLocale(%v) = %q, want %q", in, got, want)
		}
	}
}
