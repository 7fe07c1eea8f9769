package mockd365

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"strings"
	"testing"
)

// Ensure $metadata is well-formed CSDL listing every entity set with its key, and declares
// no MaxLength, as F&O's does not.
func TestMetadata(t *testing.T) {
	s := mustServer(t, Options{})
	r := get(t, s, "/data/$metadata").mustStatus(t, http.StatusOK)
	var doc struct {
		Version string `xml:"Version,attr"`
		Schema  struct {
			Namespace   string `xml:"Namespace,attr"`
			EntityTypes []struct {
				Name string `xml:"Name,attr"`
				Keys []struct {
					Name string `xml:"Name,attr"`
				} `xml:"Key>PropertyRef"`
			} `xml:"EntityType"`
			EnumTypes []struct {
				Name string `xml:"Name,attr"`
			} `xml:"EnumType"`
			Sets []struct {
				Name       string `xml:"Name,attr"`
				EntityType string `xml:"EntityType,attr"`
			} `xml:"EntityContainer>EntitySet"`
		} `xml:"DataServices>Schema"`
	}
	if err := xml.Unmarshal([]byte(r.body), &doc); err != nil {
		t.Fatalf("$metadata is not well-formed XML: %v", err)
	}
	if doc.Version != "4.0" || doc.Schema.Namespace != namespace {
		t.Errorf("version %q, namespace %q", doc.Version, doc.Schema.Namespace)
	}
	if len(doc.Schema.Sets) != len(Catalogue) || len(doc.Schema.EntityTypes) != len(Catalogue) {
		t.Fatalf("%d sets and %d types for %d entities", len(doc.Schema.Sets),
			len(doc.Schema.EntityTypes), len(Catalogue))
	}
	for i, e := range Catalogue {
		set, typ := doc.Schema.Sets[i], doc.Schema.EntityTypes[i]
		if set.Name != e.Collection || set.EntityType != namespace+"."+e.Type {
			t.Errorf("set %d = %+v, want %s of %s", i, set, e.Collection, e.Type)
		}
		if typ.Name != e.Type || len(typ.Keys) != len(e.Keys) || typ.Keys[0].Name != "dataAreaId" {
			t.Errorf("type %d = %+v, want %s keyed by %v", i, typ, e.Type, e.Keys)
		}
	}
	if !strings.Contains(r.body, `<EnumType Name="PurchStatus">`) {
		t.Error("PurchStatus enum type not declared")
	}
	if strings.Contains(r.body, "MaxLength") {
		t.Error("$metadata declares MaxLength")
	}
}

// Ensure GET /data/ lists the entity sets.
func TestServiceDocument(t *testing.T) {
	s := mustServer(t, Options{})
	var doc struct {
		Value []struct{ Name, Kind, URL string } `json:"value"`
	}
	r := get(t, s, "/data/").mustStatus(t, http.StatusOK)
	if err := json.Unmarshal([]byte(r.body), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Value) != len(Catalogue) || doc.Value[0].Name != Catalogue[0].Collection ||
		doc.Value[0].Kind != "EntitySet" {
		t.Errorf("service document: %s", r.body)
	}
}

// Ensure every catalogue entity is consistent: keys, references, sequences, enums.
func TestCatalogueIsConsistent(t *testing.T) {
	st, err := openStore(t.TempDir()+"/c.db", Catalogue)
	if err != nil {
		t.Fatalf("catalogue does not open: %v", err)
	}
	defer st.close()
	if _, err := buildMetadata(Catalogue); err != nil {
		t.Fatal(err)
	}
	for _, tb := range st.list {
		if tb.e.Keys[0] != dataAreaID.Name {
			t.Errorf("%s: key does not start with dataAreaId", tb.e.Collection)
		}
	}
}
