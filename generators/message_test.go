package generators

import (
	"encoding/json"
	"testing"
)

func TestBodyKeepsFieldOrderAndTypes(t *testing.T) {
	m := &Message{Fields: []Field{
		{"b", "x"}, {"a", int64(3)}, {"c", 12.5}, {"d", nil}, {"e", json.RawMessage("true")},
	}}
	if got, want := string(m.Body()), `{"b":"x","a":3,"c":12.5,"d":null,"e":true}`; got != want {
		t.Fatalf("body %s, want %s", got, want)
	}
	m.SetField("a", int64(4))
	m.RemoveField("b")
	m.SetField("z", "new")
	if got, want := string(m.Body()), `{"a":4,"c":12.5,"d":null,"e":true,"z":"new"}`; got != want {
		t.Fatalf("after edits body %s, want %s", got, want)
	}
}

func TestSpecMatchKeyNormalisesCompanyAndNumbers(t *testing.T) {
	spec, _ := SpecFor("PurchaseOrderLinesV2")
	fromGenerator := map[string]any{"dataAreaId": "usmf", "PurchaseOrderNumber": "SC-1", "LineNumber": int64(3)}
	fromODATA := map[string]any{"dataAreaId": "USMF", "PurchaseOrderNumber": "SC-1", "LineNumber": 3.0}
	get := func(m map[string]any) func(string) (any, bool) {
		return func(k string) (any, bool) { v, ok := m[k]; return v, ok }
	}
	a, err := spec.MatchKey(get(fromGenerator))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := spec.MatchKey(get(fromODATA))
	if a != b || a != "usmf|SC-1|3" {
		t.Fatalf("match keys %q and %q, want both usmf|SC-1|3", a, b)
	}
	if _, err := spec.MatchKey(get(map[string]any{"dataAreaId": "usmf"})); err == nil {
		t.Fatal("a record without its key fields got a match key")
	}
}
