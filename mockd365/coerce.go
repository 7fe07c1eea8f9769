package mockd365

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"
)

// coerce converts a JSON value to f's stored value the way a lenient endpoint does: numeric
// strings become numbers, "1.234,50" is read as a locale decimal, dd/mm/yyyy (then
// mm/dd/yyyy) dates are accepted, enum members match without regard to case or by number.
// A value it cannot read is stored as sent. Null stores f's default.
func coerce(f *Field, raw any) any {
	if raw == nil {
		return defaultValue(f)
	}
	var v any
	switch f.Kind {
	case Int32, Int64:
		v = coerceInt(raw)
	case Decimal:
		v = coerceDecimal(raw)
	case DateTimeOffset:
		v = coerceDate(raw)
	case Enum:
		v = coerceEnum(f, raw)
	}
	if v == nil {
		return asSent(raw)
	}
	return v
}

// asSent returns the text of a JSON value, as a lenient endpoint would store it.
func asSent(raw any) any {
	switch x := raw.(type) {
	case string:
		return x
	case json.Number:
		return string(x)
	case bool:
		return strconv.FormatBool(x)
	}
	b, err := json.Marshal(raw)
	if err != nil {
		return ""
	}
	return string(b)
}

// coerceInt reads a whole number from a number or a numeric string; nil if it cannot.
func coerceInt(raw any) any {
	x, ok := coerceNumber(raw)
	if !ok || x != math.Trunc(x) || math.Abs(x) > 1<<53 {
		return nil
	}
	return int64(x)
}

// coerceDecimal reads a number or a numeric string, with either decimal separator, exactly
// and rounded as F&O stores it; nil if it cannot, or if the value does not fit NUMERIC(32,6).
func coerceDecimal(raw any) any {
	s, ok := numberText(raw)
	if !ok {
		return nil
	}
	d, err := storedDecimal(s)
	if err != nil {
		return nil
	}
	return d
}

// numberText returns the text of a JSON number, or of a string holding one written with
// either decimal separator.
func numberText(raw any) (string, bool) {
	switch x := raw.(type) {
	case json.Number:
		return string(x), true
	case string:
		return localeNumber(x), true
	}
	return "", false
}

// coerceNumber reads a JSON number or a string holding one.
func coerceNumber(raw any) (float64, bool) {
	s, ok := numberText(raw)
	if !ok {
		return 0, false
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(x, 0) || math.IsNaN(x) {
		return 0, false
	}
	return x, true
}

// localeNumber rewrites "1.234,50", "1,234.50" and "12,5" as plain decimals. The separator
// that comes last is the decimal one; a lone comma is decimal; repeated ones group digits.
func localeNumber(s string) string {
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	dot, comma := strings.LastIndex(s, "."), strings.LastIndex(s, ",")
	switch {
	case dot >= 0 && comma >= 0 && comma > dot:
		return strings.ReplaceAll(strings.ReplaceAll(s, ".", ""), ",", ".")
	case dot >= 0 && comma >= 0:
		return strings.ReplaceAll(s, ",", "")
	case strings.Count(s, ",") == 1:
		return strings.Replace(s, ",", ".", 1)
	case strings.Count(s, ",") > 1:
		return strings.ReplaceAll(s, ",", "")
	case strings.Count(s, ".") > 1:
		return strings.ReplaceAll(s, ".", "")
	}
	return s
}

// lenientLayouts are the date formats a lenient endpoint tries, in order. Day before month
// comes first, so an ambiguous 03/02/2026 is read as 3 February.
var lenientLayouts = []string{
	time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02",
	"02/01/2006", "01/02/2006", "02.01.2006", "2006/01/02", "20060102",
}

// coerceDate reads a date in any of lenientLayouts; nil if none fits.
func coerceDate(raw any) any {
	s, ok := raw.(string)
	if !ok {
		return nil
	}
	s = strings.TrimSpace(s)
	for _, layout := range lenientLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return formatDate(t)
		}
	}
	return nil
}

// coerceEnum matches a member name without regard to case, or a member number; nil if
// neither fits.
func coerceEnum(f *Field, raw any) any {
	s := strings.TrimSpace(asSent(raw).(string))
	for _, m := range f.Members {
		if strings.EqualFold(m, s) {
			return m
		}
	}
	if i, err := strconv.Atoi(s); err == nil && i >= 0 && i < len(f.Members) {
		return f.Members[i]
	}
	return nil
}
