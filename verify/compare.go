package verify

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// compare returns "" when every field sent is stored with the same value, or a description
// of the first difference ("LineDescription: sent "…", stored "…""). Values are compared
// after the normalisation F&O applies: company ids in lower case, numbers as decimals,
// dates as instants (Edm.DateTimeOffset).
func compare(sent []byte, stored string) string {
	want, err := decodeRecord(sent)
	if err != nil {
		return "sent body does not decode: " + err.Error()
	}
	got, err := decodeRecord([]byte(stored))
	if err != nil {
		return "stored record does not decode: " + err.Error()
	}
	for _, name := range sortedKeys(want) {
		if d := compareField(name, want[name], got[name]); d != "" {
			return d
		}
	}
	return ""
}

func compareField(name string, want, got any) string {
	if equalValues(name, want, got) {
		return ""
	}
	return fmt.Sprintf("%s: sent %s, stored %s", name, show(want), show(got))
}

func equalValues(name string, want, got any) bool {
	switch w := want.(type) {
	case json.Number:
		g, ok := got.(json.Number)
		return ok && equalNumbers(w, g)
	case string:
		g, ok := got.(string)
		if !ok {
			return false
		}
		if name == "dataAreaId" {
			return strings.EqualFold(w, g)
		}
		return w == g || equalInstants(w, g)
	case nil:
		return got == nil || got == ""
	}
	return fmt.Sprint(want) == fmt.Sprint(got)
}

func equalNumbers(a, b json.Number) bool {
	x, errX := a.Float64()
	y, errY := b.Float64()
	if errX != nil || errY != nil {
		return a == b
	}
	return math.Abs(x-y) <= 1e-6*math.Max(1, math.Abs(x))
}

// equalInstants compares two date-times that may be written differently ("…T12:00:00Z"
// and "…T12:00:00+00:00").
func equalInstants(a, b string) bool {
	x, errX := time.Parse(time.RFC3339Nano, a)
	y, errY := time.Parse(time.RFC3339Nano, b)
	return errX == nil && errY == nil && x.Equal(y)
}

func show(v any) string {
	if v == nil {
		return "nothing"
	}
	out, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return shorten(string(out), 80)
}

func sortedKeys(r record) []string {
	keys := make([]string, 0, len(r))
	for k := range r {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
