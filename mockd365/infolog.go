package mockd365

import (
	"fmt"
	"strconv"
	"strings"
)

// The Infolog texts of write failures, paraphrased from what F&O answers. Labels come from
// the catalogue; values are shown as stored.
const (
	duplicateText  = "Info: Cannot create a record in %s (%s). %s: %s.\nThe record already exists."
	missingRefText = "Warning: The value '%s' in field '%s' is not found in the related table " +
		"'%s'.; Warning: validateField failed on field '%s.%s'."
	requiredText = "Warning: Field '%s' must be filled in."
	overlongText = "Warning: The text in field '%s' is %d characters long, longer than its " +
		"maximum of %d characters.; Warning: validateField failed on field '%s.%s'."
)

// duplicateEntry says that a record with rec's key already exists: the labels of the key
// fields after the company, then their values and the company.
func duplicateEntry(t *table, rec *record) string {
	var labels, values []string
	for _, i := range t.keys {
		f := &t.e.Fields[i]
		if f.Name == dataAreaID.Name {
			continue
		}
		labels = append(labels, f.Label)
		values = append(values, displayValue(rec.vals[i]))
	}
	values = append(values, rec.company(t))
	return fmt.Sprintf(duplicateText, t.e.TableLabel, t.e.TableName,
		strings.Join(labels, ", "), strings.Join(values, ", "))
}

// missingReferenceEntry says that reference ref of rec names no stored record. It names the
// first field of the reference after the company: the one that identifies the missing
// record (a receipt line's ProductReceiptNumber, not the PurchaseOrderNumber beside it,
// whose order may well exist). Which field F&O names for a relation of several fields is
// not known.
func missingReferenceEntry(t *table, ref *Reference, rec *record) string {
	name := ref.Fields[0]
	for _, n := range ref.Fields {
		if n != dataAreaID.Name {
			name = n
			break
		}
	}
	i := t.index[name]
	return fmt.Sprintf(missingRefText, displayValue(rec.vals[i]), t.e.Fields[i].Label,
		ref.Label, t.e.Object, name)
}

// requiredEntry says that f was left empty.
func requiredEntry(f *Field) string {
	return fmt.Sprintf(requiredText, f.Label)
}

// overlongEntry says that a value of n characters does not fit f.
func overlongEntry(e *Entity, f *Field, n int) string {
	return fmt.Sprintf(overlongText, f.Label, n, f.Length, e.Object, f.Name)
}

// displayValue formats a stored value the way Infolog messages show it.
func displayValue(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}
