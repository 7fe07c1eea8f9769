package faults

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stormcheck/stormcheck/generators"
	"github.com/stormcheck/stormcheck/mockd365"
	"github.com/stormcheck/stormcheck/scenarios"
)

// breakAll malforms every message with one kind and returns the messages it changed.
func breakAll(t *testing.T, kind string) []*generators.Message {
	t.Helper()
	docs := cases(t, 21, 400)
	f, err := newMalformed(scenarios.MalformedFault{Rate: 1, Kinds: []string{kind}}, NewDice(21))
	if err != nil {
		t.Fatal(err)
	}
	apply(f, docs)
	var changed []*generators.Message
	for _, m := range messagesOf(docs) {
		if len(m.Faults) > 0 {
			changed = append(changed, m)
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
	if spec.Protected(label) && kind != "wrong-legal-entity" {
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
		{"null-vs-empty", func(t *testing.T, m *generators.Message, field string) {
			name, form, _ := strings.Cut(field, "=")
			v, has := m.Field(name)
			if !has || (form == "null") != (v == nil) || (form == "empty" && v != "") {
				t.Fatalf("message %d: %s is %#v, want %s", m.ID, name, v, form)
			}
		}},
		{"swapped-day-month", func(t *testing.T, m *generators.Message, field string) {
			v, _ := m.Field(field)
			month, day, year := 0, 0, 0
			if _, err := fmt.Sscanf(v.(string), "%02d/%02d/%04d", &month, &day, &year); err != nil ||
				day > 12 || day == month {
				t.Fatalf("message %d: %s is %q, want an ambiguous mm/dd/yyyy", m.ID, field, v)
			}
		}},
		{"ambiguous-thousands", func(t *testing.T, m *generators.Message, field string) {
			v, _ := m.Field(field)
			if !regexp.MustCompile(`^\d{1,3}(\.\d{3})+$`).MatchString(v.(string)) {
				t.Fatalf("message %d: %s is %q, want dots between thousands", m.ID, field, v)
			}
		}},
		{"invalid-enum", func(t *testing.T, m *generators.Message, field string) {
			v, _ := m.Field(field)
			f, ok := fieldOf(entityOf(m.Entity), field)
			if !ok || f.Kind != mockd365.Enum || slices.Contains(f.Members, v.(string)) {
				t.Fatalf("message %d: %s is %q, want a non-member of an enum", m.ID, field, v)
			}
		}},
		{"unknown-reference", func(t *testing.T, m *generators.Message, field string) {
			v, _ := m.Field(field)
			if !referenceFields(m.Entity)[field] || !strings.Contains(v.(string), "99") {
				t.Fatalf("message %d: %s is %q, want an id that no generator makes", m.ID, field, v)
			}
		}},
		{"negative-quantity", func(t *testing.T, m *generators.Message, field string) {
			v, _ := m.Field(field)
			if v.(float64) >= 0 || v.(float64) != -m.Quantity {
				t.Fatalf("message %d: %s is %v, want %v", m.ID, field, v, -m.Quantity)
			}
		}},
		{"bad-encoding", func(t *testing.T, m *generators.Message, field string) {
			body := m.Body()
			switch {
			case field == "byte-order-mark":
				if !bytes.HasPrefix(body, []byte("\xEF\xBB\xBF{")) {
					t.Fatalf("message %d: body %q lacks a byte order mark", m.ID, body[:8])
				}
			case strings.HasSuffix(field, ":latin-1"):
				if utf8.Valid(body) {
					t.Fatalf("message %d: body is valid UTF-8", m.ID)
				}
			case strings.HasSuffix(field, ":control-character"):
				if !bytes.Contains(body, []byte(`\u0001`)) {
					t.Fatalf("message %d: body %s lacks a control character", m.ID, body)
				}
			default:
				t.Fatalf("message %d: unknown variant %q", m.ID, field)
			}
		}},
		{"truncated-json", func(t *testing.T, m *generators.Message, field string) {
			if json.Valid(m.Body()) || !bytes.HasPrefix(m.Raw, m.Body()[:1]) {
				t.Fatalf("message %d: body %q is still whole JSON", m.ID, m.Body())
			}
		}},
		{"wrong-legal-entity", func(t *testing.T, m *generators.Message, field string) {
			if v, _ := m.Field("dataAreaId"); v != "zzzz" || m.Company != "zzzz" ||
				!strings.HasPrefix(m.Key, "zzzz|") {
				t.Fatalf("message %d: company %v, key %s; want zzzz throughout", m.ID, v, m.Key)
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
				if tc.kind == "truncated-json" || tc.kind == "bad-encoding" {
					continue
				}
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

func TestMalformedExactSetAndRate(t *testing.T) {
	apply := func(seed uint64, rate scenarios.Share, n int) (hit []int64, msgs int) {
		docs := cases(t, seed, n)
		f, err := newMalformed(scenarios.MalformedFault{Rate: rate,
			Kinds: []string{"missing-required", "bad-date"}}, NewDice(seed))
		if err != nil {
			t.Fatal(err)
		}
		apply(f, docs)
		for _, m := range messagesOf(docs) {
			if len(m.Faults) > 0 {
				hit = append(hit, m.ID)
			}
		}
		return hit, len(messagesOf(docs))
	}
	got, _ := apply(3, 0.04, 300)
	want := []int64{11, 19, 56, 58, 97, 160, 241}
	if !slices.Equal(got, want) {
		t.Fatalf("seed 3 malformed %v, want %v", got, want)
	}
	for seed := uint64(1); seed <= 20; seed++ {
		hit, n := apply(seed, 0.05, 2000)
		if !withinBinomial(len(hit), n, 0.05) {
			t.Fatalf("seed %d: %d of %d messages malformed at 5%%", seed, len(hit), n)
		}
	}
}

// TestEveryMalformedKindIsInjectedWhenAllAreListed: with every kind listed, each struck
// record gets one of the kinds that fit it, drawn evenly, so even a kind that few records
// can take (ambiguous-thousands) is injected.
func TestEveryMalformedKindIsInjectedWhenAllAreListed(t *testing.T) {
	docs := revisedCases(t, 9, 4000)
	f, err := newMalformed(scenarios.MalformedFault{Rate: 1, Kinds: scenarios.MalformedKinds},
		NewDice(9))
	if err != nil {
		t.Fatal(err)
	}
	apply(f, docs)
	got := map[string]int{}
	for _, m := range messagesOf(docs) {
		for _, fault := range m.Faults {
			if kind, ok := strings.CutPrefix(fault, "malformed:"); ok {
				got[strings.SplitN(kind, ":", 2)[0]]++
			}
		}
	}
	for _, kind := range scenarios.MalformedKinds {
		if got[kind] < 10 {
			t.Errorf("%s struck %d of 4000 messages; want at least 10 (all: %v)", kind,
				got[kind], got)
		}
	}
}
