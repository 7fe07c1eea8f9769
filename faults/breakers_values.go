package faults

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/stormcheck/stormcheck/generators"
	"github.com/stormcheck/stormcheck/mockd365"
)

// dateOf returns a date field's value as a time.
func dateOf(m *generators.Message, name string) (time.Time, bool) {
	v, _ := m.Field(name)
	t, err := time.Parse(time.RFC3339, fmt.Sprint(v))
	return t, err == nil
}

func dateFields(c candidates) []mockd365.Field {
	return c.where(func(f mockd365.Field) bool { return f.Kind == mockd365.DateTimeOffset })
}

// badDate writes a date the way a European spreadsheet export does (31/12/2026), not as
// ISO 8601.
func badDate(m *generators.Message, c candidates, pick func(int) int) (string, bool) {
	f, ok := choose(dateFields(c), pick)
	if !ok {
		return "", false
	}
	t, ok := dateOf(m, f.Name)
	if !ok {
		return "", false
	}
	m.SetField(f.Name, t.Format("02/01/2006"))
	return f.Name, true
}

// swappedDayMonth writes a date in the US order (03/02/2026 for 2 March) where the day is
// 12 or less, so that a reader expecting day first takes it for 3 February.
func swappedDayMonth(m *generators.Message, c candidates, pick func(int) int) (string, bool) {
	var ambiguous []mockd365.Field
	for _, f := range dateFields(c) {
		if t, ok := dateOf(m, f.Name); ok && t.Day() <= 12 && t.Day() != int(t.Month()) {
			ambiguous = append(ambiguous, f)
		}
	}
	f, ok := choose(ambiguous, pick)
	if !ok {
		return "", false
	}
	t, _ := dateOf(m, f.Name)
	m.SetField(f.Name, t.Format("01/02/2006"))
	return f.Name, true
}

func decimalsWhere(m *generators.Message, c candidates, keep func(float64) bool) []mockd365.Field {
	return c.where(func(f mockd365.Field) bool {
		v, _ := m.Field(f.Name)
		x, ok := v.(float64)
		return f.Kind == mockd365.Decimal && ok && keep(x)
	})
}

// localeDecimal writes a decimal with a comma as decimal separator and dots between
// thousands (1.234,50), as German or Danish exports do.
func localeDecimal(m *generators.Message, c candidates, pick func(int) int) (string, bool) {
	f, ok := choose(decimalsWhere(m, c, func(float64) bool { return true }), pick)
	if !ok {
		return "", false
	}
	v, _ := m.Field(f.Name)
	m.SetField(f.Name, formatLocale(v.(float64)))
	return f.Name, true
}

func formatLocale(x float64) string {
	whole, frac, _ := strings.Cut(strconv.FormatFloat(math.Abs(x), 'f', 2, 64), ".")
	sign := ""
	if x < 0 {
		sign = "-"
	}
	return sign + groupThousands(whole, ".") + "," + frac
}

// ambiguousThousands writes an amount of a thousand or more as "1.234": dots between
// thousands and the decimals dropped. A reader that takes the dot for a decimal point
// stores a thousandth of the value.
func ambiguousThousands(m *generators.Message, c candidates, pick func(int) int) (string, bool) {
	f, ok := choose(decimalsWhere(m, c, func(x float64) bool { return x >= 1000 }), pick)
	if !ok {
		return "", false
	}
	v, _ := m.Field(f.Name)
	m.SetField(f.Name, groupThousands(strconv.FormatFloat(math.Floor(v.(float64)), 'f', 0, 64), "."))
	return f.Name, true
}

func groupThousands(digits, sep string) string {
	var b strings.Builder
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// negativeQuantity sends a line quantity below zero, as a source system that books a
// return as a negative order line. F&O accepts such lines (they become return lines),
// which is why this fault shows whether the integration itself refuses them.
func negativeQuantity(m *generators.Message, _ candidates, _ func(int) int) (string, bool) {
	spec, _ := generators.SpecFor(m.Entity)
	if spec.Quantity == "" {
		return "", false
	}
	v, _ := m.Field(spec.Quantity)
	x, ok := v.(float64)
	if !ok || x <= 0 {
		return "", false
	}
	m.SetField(spec.Quantity, -x)
	return spec.Quantity, true
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
	want := f.Length + 1 + pick(20)
	for len([]rune(s)) < want {
		s += " " + s
	}
	m.SetField(f.Name, string([]rune(s)[:want]))
	return f.Name, true
}
