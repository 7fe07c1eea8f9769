package verify

import (
	"encoding/json"
	"testing"
)

func TestCompareValues(t *testing.T) {
	for _, tc := range []struct {
		name, field, sent, stored, how string
	}{
		{"same text", "ItemNumber", `"SCI-1"`, `"SCI-1"`, ""},
		{"escaped the same", "PurchaseOrderName", `"A \u0026 B"`, `"A & B"`, ""},
		{"company in any case", "dataAreaId", `"usmf"`, `"USMF"`, ""},
		{"other text in another case", "ItemNumber", `"sci-1"`, `"SCI-1"`, "changed"},
		{"truncated", "LineDescription", `"Blue chair"`, `"Blue ch"`, "truncated to 7 characters"},
		{"truncated by characters", "LineDescription", `"Stühle für"`, `"Stühle"`,
			"truncated to 6 characters"},
		{"same decimal written otherwise", "LineAmount", `281.4`, `281.400000`, ""},
		{"exponent", "LineAmount", `2.814e2`, `281.4`, ""},
		{"F&O's six places", "PurchasePrice", `1.23456789`, `1.234568`, ""},
		{"rounded to two places", "PurchasePrice", `12.345`, `12.35`, "rounded to 2 decimals"},
		{"truncated to two places", "PurchasePrice", `12.345`, `12.34`, "truncated to 2 decimals"},
		{"negative truncated toward zero", "LineAmount", `-12.345`, `-12.34`,
			"truncated to 2 decimals"},
		{"truncated to a whole number", "OrderedPurchaseQuantity", `2.7`, `2`,
			"truncated to a whole number"},
		{"rounded to a whole number", "OrderedPurchaseQuantity", `2.5`, `3`,
			"rounded to a whole number"},
		{"rounded away from zero", "LineAmount", `-2.5`, `-3`, "rounded to a whole number"},
		{"changed number", "LineNumber", `1`, `2`, "changed"},
		{"number stored as text", "LineAmount", `12.5`, `"12.5"`, "stored as text"},
		{"text stored as a number", "LineAmount", `"12,5"`, `12.5`, "stored as a number"},
		{"same instant written otherwise", "RequestedDeliveryDate", `"2026-03-02T12:00:00Z"`,
			`"2026-03-02T13:00:00+01:00"`, ""},
		{"fractions of a second dropped", "RequestedDeliveryDate",
			`"2026-03-02T12:00:00.250Z"`, `"2026-03-02T12:00:00Z"`, ""},
		{"day and month swapped", "RequestedDeliveryDate", `"2026-03-02T12:00:00Z"`,
			`"2026-02-03T12:00:00Z"`, "day and month swapped"},
		{"time of day changed", "RequestedDeliveryDate", `"2026-03-02T12:00:00Z"`,
			`"2026-03-02T00:00:00Z"`, "time of day changed"},
		{"shifted into another day", "RequestedDeliveryDate", `"2026-03-02T20:00:00Z"`,
			`"2026-03-03T04:00:00Z"`, "shifted by 8h0m0s"},
		{"date changed", "RequestedDeliveryDate", `"2026-03-02T12:00:00Z"`,
			`"2027-03-02T12:00:00Z"`, "date changed"},
		{"null stored empty", "LineDescription", `null`, `""`, ""},
		{"null stored as text", "LineDescription", `null`, `"x"`, "changed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := compareValues([]byte(tc.field), []byte(tc.sent), []byte(tc.stored)); got !=
				tc.how {
				t.Fatalf("compareValues(%s, %s) = %q, want %q", tc.sent, tc.stored, got, tc.how)
			}
		})
	}
}

func TestCompareRecords(t *testing.T) {
	sent := `{"dataAreaId":"usmf","LineNumber":1,"LineDescription":"Blue chair","LineAmount":10.25}`
	for _, tc := range []struct {
		name, stored string
		want         difference
		differs      bool
	}{
		{"target adds fields", `{"@odata.etag":"W/\"1\"","dataAreaId":"USMF","LineNumber":1,` +
			`"LineDescription":"Blue chair","LineAmount":10.250000,"Status":"Open"}`,
			difference{}, false},
		{"first of two differences", `{"dataAreaId":"usmf","LineNumber":1,` +
			`"LineDescription":"Blue","LineAmount":10.3}`,
			difference{field: "LineDescription", sent: `"Blue chair"`, stored: `"Blue"`,
				how: "truncated to 4 characters", others: 1}, true},
		{"a field not stored", `{"dataAreaId":"usmf","LineNumber":1,"LineAmount":10.25}`,
			difference{field: "LineDescription", sent: `"Blue chair"`, how: "not stored"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var c comparer
			got, differs, err := c.compare([]byte(sent), []byte(tc.stored))
			if err != nil || differs != tc.differs || got != tc.want {
				t.Fatalf("compare = %+v, %v, %v; want %+v, %v", got, differs, err, tc.want,
					tc.differs)
			}
		})
	}
	var c comparer
	if _, _, err := c.compare([]byte(sent), []byte(`{"a":1`)); err == nil {
		t.Fatal("an unclosed stored record compared without an error")
	}
}

func TestDifferenceString(t *testing.T) {
	d := difference{field: "LineAmount", sent: "10.25", stored: "10.3",
		how: "rounded to 1 decimal", others: 2}
	want := "LineAmount: sent 10.25, stored 10.3 (rounded to 1 decimal), and 2 more fields"
	if d.String() != want {
		t.Fatalf("got %q, want %q", d.String(), want)
	}
}

func TestParseDecimal(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want decimal
		ok   bool
	}{
		{"0", decimal{}, true},
		{"-0.000", decimal{}, true},
		{"12.500", decimal{digits: "125", scale: 1}, true},
		{"1200", decimal{digits: "12", scale: -2}, true},
		{"-1.5e3", decimal{neg: true, digits: "15", scale: -2}, true},
		{"1E-2", decimal{digits: "1", scale: 2}, true},
		{"12,5", decimal{}, false},
		{"", decimal{}, false},
		{"1e999", decimal{}, false},
	} {
		got, ok := parseDecimal(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseDecimal(%q) = %+v, %v; want %+v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
	got := (decimal{digits: "9995", scale: 3}).round(2)
	if got != (decimal{digits: "1", scale: -1}) {
		t.Errorf("9.995 rounded to 2 places = %+v, want 10", got)
	}
}

// FuzzParseObject checks the flat scanner against encoding/json: whatever encoding/json
// reads as an object, parseObject reads too, with the same names and values.
func FuzzParseObject(f *testing.F) {
	for _, seed := range []string{
		`{}`, `{"a":1}`, ` { "a" : "x\"y" , "b":[1,{"c":"]"}] ,"d":null,"e":true} `,
		`{"\u00e9t\u00e9":-1.5e3}`, `{"a":{"b":{"c":[]}}}`, `[1]`, `{"a":`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data string) {
		var want map[string]json.RawMessage
		if json.Unmarshal([]byte(data), &want) != nil || want == nil {
			return
		}
		got, err := parseObject([]byte(data), nil)
		if err != nil {
			t.Fatalf("parseObject(%q): %v; encoding/json reads it", data, err)
		}
		for _, m := range got {
			w, ok := want[string(m.name)]
			if !ok {
				t.Fatalf("parseObject(%q) found member %q that encoding/json did not", data, m.name)
			}
			value, _ := lookup(got, m.name)
			var a, b any
			if json.Unmarshal(w, &a) != nil || json.Unmarshal(value, &b) != nil ||
				!jsonEqual(a, b) {
				t.Fatalf("member %q: %s, encoding/json %s", m.name, value, w)
			}
		}
		if len(got) < len(want) {
			t.Fatalf("parseObject(%q) found %d members, encoding/json %d", data, len(got),
				len(want))
		}
	})
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}
