package generators

import (
	"fmt"
	"strconv"
	"strings"
)

// A Spec tells how records of one entity written by a run are found again: which fields
// identify a record (its match key), which field carries the run's correlation value (so
// read-back can filter by prefix), and which entity holds its parent.
type Spec struct {
	Entity      string
	MatchFields []string // dataAreaId first
	Correlation string   // field filtered with "eq '<prefix>-*'" on read-back
	Parent      string   // entity of the parent record, or ""
	ParentMatch []string // fields of this record that form the parent's match key
	// Quantity and Amount name the fields reconciled in totals, or "".
	Quantity, Amount string
}

// Specs lists the entities that documents write, parents before children.
var Specs = []Spec{
	{Entity: "PurchaseOrderHeadersV2", MatchFields: []string{"dataAreaId", "PurchaseOrderNumber"},
		Correlation: "PurchaseOrderNumber"},
	{Entity: "PurchaseOrderLinesV2",
		MatchFields: []string{"dataAreaId", "PurchaseOrderNumber", "LineNumber"},
		Correlation: "PurchaseOrderNumber", Parent: "PurchaseOrderHeadersV2",
		ParentMatch: []string{"dataAreaId", "PurchaseOrderNumber"},
		Quantity:    "OrderedPurchaseQuantity", Amount: "LineAmount"},
	{Entity: "ProductReceiptHeaders", MatchFields: []string{"dataAreaId", "ProductReceiptNumber"},
		Correlation: "ProductReceiptNumber"},
	{Entity: "ProductReceiptLinesV2",
		MatchFields: []string{"dataAreaId", "ProductReceiptNumber", "PurchaseOrderLineNumber"},
		Correlation: "ProductReceiptNumber", Parent: "ProductReceiptHeaders",
		ParentMatch: []string{"dataAreaId", "ProductReceiptNumber"},
		Quantity:    "ReceivedPurchaseQuantity"},
	{Entity: "VendorInvoiceHeaders", MatchFields: []string{"dataAreaId", "HeaderReference"},
		Correlation: "HeaderReference"},
	{Entity: "VendorInvoiceLines",
		MatchFields: []string{"dataAreaId", "HeaderReference", "InvoiceLineNumber"},
		Correlation: "HeaderReference", Parent: "VendorInvoiceHeaders",
		ParentMatch: []string{"dataAreaId", "HeaderReference"},
		Quantity:    "ReceiveNow", Amount: "LineAmount"},
}

// SpecFor returns the spec of an entity.
func SpecFor(entity string) (Spec, bool) {
	for _, s := range Specs {
		if s.Entity == entity {
			return s, true
		}
	}
	return Spec{}, false
}

// MatchKey builds the match key of a record from a field lookup, or an error naming the
// first field that is missing. Company ids compare in lower case, as F&O stores them.
func (s Spec) MatchKey(get func(string) (any, bool)) (string, error) {
	return joinKey(s.MatchFields, get)
}

// ParentKey builds the match key of the record's parent, or "" when it has none.
func (s Spec) ParentKey(get func(string) (any, bool)) (string, error) {
	if s.Parent == "" {
		return "", nil
	}
	return joinKey(s.ParentMatch, get)
}

// Protected reports whether a field identifies the record or its parent; faults leave
// such fields intact so that every record stays traceable.
func (s Spec) Protected(field string) bool {
	for _, f := range s.MatchFields {
		if f == field {
			return true
		}
	}
	for _, f := range s.ParentMatch {
		if f == field {
			return true
		}
	}
	return field == s.Correlation
}

func joinKey(fields []string, get func(string) (any, bool)) (string, error) {
	parts := make([]string, len(fields))
	for i, name := range fields {
		v, ok := get(name)
		if !ok || v == nil {
			return "", fmt.Errorf("match field %s is missing", name)
		}
		parts[i] = keyPart(name, v)
	}
	return strings.Join(parts, "|"), nil
}

func keyPart(name string, v any) string {
	switch x := v.(type) {
	case string:
		if name == "dataAreaId" {
			return strings.ToLower(x)
		}
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int64:
		return strconv.FormatInt(x, 10)
	case int:
		return strconv.Itoa(x)
	}
	return fmt.Sprint(v)
}
