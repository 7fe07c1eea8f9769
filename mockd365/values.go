package mockd365

import (
	"strconv"
	"time"
	"unicode/utf8"
)

// Stored values are Go values of a few types: string (String, Enum, DateTimeOffset and
// Decimal fields) and int64 (Int32, Int64). A decimal is its exact value in canonical text
// (see decimal.go); a file kept from an earlier mock may still hold float64 decimals. The
// naive design may also store a string in a numeric field, as sent. Dates are kept as UTC
// text in dateLayout, which sorts and compares as text in time order.
const (
	dateLayout = "2006-01-02T15:04:05Z"
	emptyDate  = "1900-01-01T00:00:00Z" // F&O's empty date-time
	namespace  = "Microsoft.Dynamics.DataEntities"
)

// The range of F&O's utcdatetime.
var (
	minDate = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	maxDate = time.Date(2154, 12, 31, 23, 59, 59, 0, time.UTC)
)

// edmType returns the EDM type name of f, as $metadata declares it.
func edmType(f *Field) string {
	switch f.Kind {
	case Int32:
		return "Edm.Int32"
	case Int64:
		return "Edm.Int64"
	case Decimal:
		return "Edm.Decimal"
	case DateTimeOffset:
		return "Edm.DateTimeOffset"
	case Enum:
		return namespace + "." + f.Enum
	}
	return "Edm.String"
}

// defaultValue returns what f holds when a create leaves it out.
func defaultValue(f *Field) any {
	if f.Default != nil {
		return normalizeDefault(f, f.Default)
	}
	switch f.Kind {
	case Int32, Int64:
		return int64(0)
	case Decimal:
		return "0"
	case DateTimeOffset:
		return emptyDate
	case Enum:
		if len(f.Members) > 0 {
			return f.Members[0]
		}
	}
	return ""
}

// normalizeDefault turns a catalogue default (an int, a float, a time) into a stored value.
func normalizeDefault(f *Field, v any) any {
	switch x := v.(type) {
	case int:
		if f.Kind == Decimal {
			return strconv.Itoa(x)
		}
		return int64(x)
	case float64:
		if f.Kind == Int32 || f.Kind == Int64 {
			return int64(x)
		}
		return exactText(x)
	case time.Time:
		return x.UTC().Format(dateLayout)
	}
	return v
}

// isEmpty reports whether v counts as "not filled in" for f, as F&O's mandatory check
// sees it: an empty string, a zero number, the empty date. An enum is never empty.
func isEmpty(f *Field, v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == "" || (f.Kind == DateTimeOffset && x == emptyDate) ||
			(f.Kind == Decimal && x == "0")
	case int64:
		return x == 0
	case float64:
		return x == 0
	}
	return false
}

// formatDate returns t as a stored date-time: UTC, whole seconds.
func formatDate(t time.Time) string {
	return t.UTC().Truncate(time.Second).Format(dateLayout)
}

// inDateRange reports whether t fits F&O's utcdatetime.
func inDateRange(t time.Time) bool {
	return !t.Before(minDate) && !t.After(maxDate)
}

// truncateRunes cuts s to at most n characters.
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for pos := range s {
		if i == n {
			return s[:pos]
		}
		i++
	}
	return s
}
