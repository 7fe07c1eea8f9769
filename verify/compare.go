package verify

import (
	"bytes"
	"fmt"
	"time"
	"unicode/utf8"
)

// A difference is the first field, in the order sent, whose stored value is not the value
// sent once F&O's normalisation is applied.
type difference struct {
	field  string
	sent   string // the value sent, as JSON
	stored string // the value stored, as JSON; "" when the record lacks the field
	how    string // what happened: "truncated to 30 characters", "rounded to 2 decimals", ...
	others int    // how many further fields differ
}

// String describes the difference for a verdict's cause.
func (d difference) String() string {
	stored := shorten(d.stored, 80)
	if d.stored == "" {
		stored = "nothing"
	}
	s := fmt.Sprintf("%s: sent %s, stored %s (%s)", d.field, shorten(d.sent, 80), stored, d.how)
	if d.others > 0 {
		s += fmt.Sprintf(", and %s", plural(d.others, "more field"))
	}
	return s
}

// A comparer compares sent bodies with stored records. It keeps its scratch space between
// calls, so one comparer must not be shared between goroutines.
type comparer struct {
	sent, stored []member
}

// compare returns the first difference between the fields sent and the stored record, and
// whether there is one. Values are compared after the normalisation F&O applies: company
// ids in any case, decimals at six places (NUMERIC(32,6)), date-times as instants to the
// second (Edm.DateTimeOffset, stored as utcdatetime). Fields the target adds are ignored.
func (c *comparer) compare(sent, stored []byte) (difference, bool, error) {
	var err error
	if c.sent, err = parseObject(sent, c.sent[:0]); err != nil {
		return difference{}, false, fmt.Errorf("sent body: %w", err)
	}
	if c.stored, err = parseObject(stored, c.stored[:0]); err != nil {
		return difference{}, false, fmt.Errorf("stored record: %w", err)
	}
	var first difference
	found := false
	for _, m := range c.sent {
		got, ok := lookup(c.stored, m.name)
		how := "not stored"
		if ok {
			how = compareValues(m.name, m.value, got)
		}
		if how == "" {
			continue
		}
		if found {
			first.others++
			continue
		}
		first, found = difference{field: string(m.name), sent: string(m.value), how: how}, true
		if ok {
			first.stored = string(got)
		}
	}
	return first, found, nil
}

var dataAreaID = []byte("dataAreaId")

// compareValues returns "" when a stored value equals the value sent, else what changed.
func compareValues(name, sent, stored []byte) string {
	if bytes.Equal(sent, stored) {
		return ""
	}
	switch {
	case len(sent) == 0 || len(stored) == 0:
		return "changed"
	case sent[0] == '"' && stored[0] == '"':
		return compareStrings(name, sent, stored)
	case sent[0] == '"':
		return "stored as a number"
	case sent[0] == 'n':
		if string(stored) == `""` {
			return ""
		}
		return "changed"
	case isNumber(sent) && isNumber(stored):
		_, how := equalDecimals(string(sent), string(stored))
		return how
	case isNumber(sent) && stored[0] == '"':
		return "stored as text"
	}
	return "changed"
}

func isNumber(v []byte) bool { return v[0] == '-' || (v[0] >= '0' && v[0] <= '9') }

// compareStrings compares two JSON string literals as text, as company ids, or as
// date-times, and names truncation and date changes.
func compareStrings(name, sentLit, storedLit []byte) string {
	sent, errS := unquote(sentLit)
	stored, errT := unquote(storedLit)
	switch {
	case errS != nil || errT != nil:
		return "changed"
	case bytes.Equal(sent, stored):
		return ""
	case bytes.Equal(name, dataAreaID) && bytes.EqualFold(sent, stored):
		return ""
	}
	if s, ok := parseInstant(sent); ok {
		if t, ok := parseInstant(stored); ok {
			return compareInstants(s, t)
		}
	}
	if n := utf8.RuneCount(stored); len(stored) < len(sent) && bytes.HasPrefix(sent, stored) {
		return "truncated to " + plural(n, "character")
	}
	return "changed"
}

func parseInstant(b []byte) (time.Time, bool) {
	if len(b) < 20 || b[4] != '-' || b[10] != 'T' {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, string(b))
	return t, err == nil
}

// compareInstants returns "" when stored is sent to the second (F&O keeps no fractions),
// else how the date-time changed.
func compareInstants(sent, stored time.Time) string {
	s, t := sent.UTC().Truncate(time.Second), stored.UTC()
	if s.Equal(t) {
		return ""
	}
	if swapped, ok := swapDayMonth(s); ok && sameDate(swapped, t) {
		return "day and month swapped"
	}
	if sameDate(s, t) {
		return "time of day changed"
	}
	if shift := t.Sub(s); shift%time.Hour == 0 && shift > -24*time.Hour && shift < 24*time.Hour {
		return "shifted by " + shift.String()
	}
	return "date changed"
}

// swapDayMonth returns t with its day and month exchanged, when that is a date.
func swapDayMonth(t time.Time) (time.Time, bool) {
	if t.Day() > 12 || t.Day() == int(t.Month()) {
		return time.Time{}, false
	}
	return time.Date(t.Year(), time.Month(t.Day()), int(t.Month()), t.Hour(), t.Minute(),
		t.Second(), 0, time.UTC), true
}

func sameDate(a, b time.Time) bool {
	return a.Year() == b.Year() && a.YearDay() == b.YearDay()
}
