package mockd365

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"strconv"
)

// The CSDL document, generated from the catalogue. Like F&O's, it declares no MaxLength:
// string lengths are enforced at write time only.
type (
	edmxDoc struct {
		XMLName      xml.Name     `xml:"edmx:Edmx"`
		Version      string       `xml:"Version,attr"`
		XmlnsEdmx    string       `xml:"xmlns:edmx,attr"`
		DataServices dataServices `xml:"edmx:DataServices"`
	}
	dataServices struct {
		Schema csdlSchema `xml:"Schema"`
	}
	csdlSchema struct {
		Xmlns       string        `xml:"xmlns,attr"`
		Namespace   string        `xml:"Namespace,attr"`
		EntityTypes []csdlEntity  `xml:"EntityType"`
		EnumTypes   []csdlEnum    `xml:"EnumType"`
		Container   csdlContainer `xml:"EntityContainer"`
	}
	csdlEntity struct {
		Name       string         `xml:"Name,attr"`
		Key        []csdlRef      `xml:"Key>PropertyRef"`
		Properties []csdlProperty `xml:"Property"`
		Navs       []csdlNav      `xml:"NavigationProperty"`
	}
	csdlNav struct {
		Name        string           `xml:"Name,attr"`
		Type        string           `xml:"Type,attr"`
		Partner     string           `xml:"Partner,attr,omitempty"`
		Constraints []csdlConstraint `xml:"ReferentialConstraint"`
	}
	csdlConstraint struct {
		Property           string `xml:"Property,attr"`
		ReferencedProperty string `xml:"ReferencedProperty,attr"`
	}
	csdlBinding struct {
		Path   string `xml:"Path,attr"`
		Target string `xml:"Target,attr"`
	}
	csdlRef struct {
		Name string `xml:"Name,attr"`
	}
	csdlProperty struct {
		Name     string `xml:"Name,attr"`
		Type     string `xml:"Type,attr"`
		Nullable string `xml:"Nullable,attr,omitempty"`
	}
	csdlEnum struct {
		Name    string       `xml:"Name,attr"`
		Members []csdlMember `xml:"Member"`
	}
	csdlMember struct {
		Name  string `xml:"Name,attr"`
		Value string `xml:"Value,attr"`
	}
	csdlContainer struct {
		Name string    `xml:"Name,attr"`
		Sets []csdlSet `xml:"EntitySet"`
	}
	csdlSet struct {
		Name       string        `xml:"Name,attr"`
		EntityType string        `xml:"EntityType,attr"`
		Bindings   []csdlBinding `xml:"NavigationPropertyBinding"`
	}
)

// buildMetadata returns the $metadata document of the catalogue. Enum types are declared
// once, by the first field that uses them; a later field with other members is an error.
func buildMetadata(catalogue []Entity) ([]byte, error) {
	s := csdlSchema{
		Xmlns:     "http://docs.oasis-open.org/odata/ns/edm",
		Namespace: namespace,
		Container: csdlContainer{Name: "Resources"},
	}
	enums := map[string][]string{}
	for i := range catalogue {
		e := &catalogue[i]
		ent := csdlEntity{Name: e.Type}
		for _, k := range e.Keys {
			ent.Key = append(ent.Key, csdlRef{Name: k})
		}
		for j := range e.Fields {
			f := &e.Fields[j]
			if err := declareEnum(&s, enums, f); err != nil {
				return nil, err
			}
			ent.Properties = append(ent.Properties, csdlProperty{Name: f.Name, Type: edmType(f),
				Nullable: map[bool]string{true: "false"}[f.Kind != String]})
		}
		set := csdlSet{Name: e.Collection, EntityType: namespace + "." + e.Type}
		ent.Navs, set.Bindings = navigation(catalogue, e)
		s.EntityTypes = append(s.EntityTypes, ent)
		s.Container.Sets = append(s.Container.Sets, set)
	}
	doc := edmxDoc{Version: "4.0", XmlnsEdmx: "http://docs.oasis-open.org/odata/ns/edmx",
		DataServices: dataServices{Schema: s}}
	b, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode $metadata: %w", err)
	}
	return append([]byte(xml.Header), b...), nil
}

// declareEnum adds f's enum type to s the first time it is seen.
func declareEnum(s *csdlSchema, seen map[string][]string, f *Field) error {
	if f.Kind != Enum {
		return nil
	}
	if members, ok := seen[f.Enum]; ok {
		if fmt.Sprint(members) != fmt.Sprint(f.Members) {
			return fmt.Errorf("catalogue: enum %s declared with different members by %s",
				f.Enum, f.Name)
		}
		return nil
	}
	seen[f.Enum] = f.Members
	enum := csdlEnum{Name: f.Enum}
	for i, m := range f.Members {
		enum.Members = append(enum.Members, csdlMember{Name: m, Value: strconv.Itoa(i)})
	}
	s.EnumTypes = append(s.EnumTypes, enum)
	return nil
}

// serviceDocument returns the JSON answer of GET /data/: the entity sets.
func serviceDocument(base string, catalogue []Entity) []byte {
	type set struct {
		Name string `json:"name"`
		Kind string `json:"kind"`
		URL  string `json:"url"`
	}
	sets := make([]set, len(catalogue))
	for i, e := range catalogue {
		sets[i] = set{Name: e.Collection, Kind: "EntitySet", URL: e.Collection}
	}
	b, _ := json.Marshal(map[string]any{ // fixed types only
		"@odata.context": base + "/data/$metadata",
		"value":          sets,
	})
	return b
}

// navigation returns the navigation properties of e and their bindings: one to the record
// each reference with a Navigation names (with its referential constraint), and one
// collection per reference of another entity with a Partner pointing at e.
func navigation(catalogue []Entity, e *Entity) ([]csdlNav, []csdlBinding) {
	byName := map[string]*Entity{}
	for i := range catalogue {
		byName[catalogue[i].Collection] = &catalogue[i]
	}
	var navs []csdlNav
	var binds []csdlBinding
	for _, ref := range e.References {
		target := byName[ref.Entity]
		if ref.Navigation == "" || target == nil {
			continue
		}
		nav := csdlNav{Name: ref.Navigation, Type: namespace + "." + target.Type,
			Partner: ref.Partner}
		for i, f := range ref.Fields {
			nav.Constraints = append(nav.Constraints,
				csdlConstraint{Property: f, ReferencedProperty: ref.To[i]})
		}
		navs = append(navs, nav)
		binds = append(binds, csdlBinding{Path: ref.Navigation, Target: target.Collection})
	}
	for i := range catalogue {
		child := &catalogue[i]
		for _, ref := range child.References {
			if ref.Partner == "" || ref.Entity != e.Collection {
				continue
			}
			navs = append(navs, csdlNav{Name: ref.Partner,
				Type: "Collection(" + namespace + "." + child.Type + ")", Partner: ref.Navigation})
			binds = append(binds, csdlBinding{Path: ref.Partner, Target: child.Collection})
		}
	}
	return navs, binds
}
