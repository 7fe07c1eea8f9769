package faults

import (
	"encoding/json"
	"strings"

	"github.com/stormcheck/stormcheck/generators"
	"github.com/stormcheck/stormcheck/mockd365"
)

// missingRequired leaves out a mandatory field, as a source system whose mapping forgot it.
func missingRequired(m *generators.Message, c candidates, pick func(int) int) (string, bool) {
	f, ok := choose(c.where(func(f mockd365.Field) bool { return f.Required }), pick)
	if !ok {
		return "", false
	}
	m.RemoveField(f.Name)
	return f.Name, true
}

// nullVersusEmpty sends a mandatory text as JSON null where an empty string is meant, or
// as an empty string where no value is meant: exports that cannot tell the two apart.
func nullVersusEmpty(m *generators.Message, c candidates, pick func(int) int) (string, bool) {
	f, ok := choose(c.where(func(f mockd365.Field) bool {
		return f.Required && f.Kind == mockd365.String
	}), pick)
	if !ok {
		return "", false
	}
	if pick(2) == 0 {
		m.SetField(f.Name, nil)
		return f.Name + "=null", true
	}
	m.SetField(f.Name, "")
	return f.Name + "=empty", true
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

// invalidEnum sends an enum field with a value that is not one of its members, as a
// source system that maps its own status names ("Open") onto F&O's.
func invalidEnum(m *generators.Message, _ candidates, pick func(int) int) (string, bool) {
	var enums []mockd365.Field
	if e := entityOf(m.Entity); e != nil {
		for _, f := range e.Fields {
			if f.Kind == mockd365.Enum {
				enums = append(enums, f)
			}
		}
	}
	f, ok := choose(enums, pick)
	if !ok {
		return "", false
	}
	m.SetField(f.Name, "Open")
	return f.Name, true
}

// unknownReference points a reference at a record that does not exist: a vendor or item
// created in the source system but never in F&O.
func unknownReference(m *generators.Message, c candidates, pick func(int) int) (string, bool) {
	refs := referenceFields(m.Entity)
	f, ok := choose(c.where(func(f mockd365.Field) bool {
		return refs[f.Name] && f.Kind == mockd365.String && f.Name != "dataAreaId"
	}), pick)
	if !ok {
		return "", false
	}
	v, _ := m.Field(f.Name)
	m.SetField(f.Name, missingTwin(v.(string)))
	return f.Name, true
}

// missingTwin returns an id shaped like id that no generator makes: its digits become 9s.
func missingTwin(id string) string {
	var b strings.Builder
	for _, r := range id {
		if r >= '0' && r <= '9' {
			r = '9'
		}
		b.WriteRune(r)
	}
	if b.String() == id {
		return id + "-X"
	}
	return b.String()
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

// wrongLegalEntity sends the record to a legal entity that does not exist, as a sender
// with a mistyped or retired company code. The record's match keys follow, so that a
// target that stores it anyway is caught storing it there.
func wrongLegalEntity(m *generators.Message, _ candidates, _ func(int) int) (string, bool) {
	const nowhere = "zzzz"
	if m.Company == nowhere {
		return "", false
	}
	m.SetField("dataAreaId", nowhere)
	m.Company = nowhere
	spec, _ := generators.SpecFor(m.Entity)
	m.Key, _ = spec.MatchKey(m.Field)
	m.ParentKey, _ = spec.ParentKey(m.Field)
	return "dataAreaId", true
}
