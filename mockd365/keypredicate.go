package mockd365

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// splitResource splits the path after /data/ into a collection name and, when the path
// addresses one record, the text between its parentheses.
func splitResource(rest string) (name, key string, hasKey bool, err error) {
	open := strings.IndexByte(rest, '(')
	if open < 0 {
		return rest, "", false, nil
	}
	if !strings.HasSuffix(rest, ")") {
		return "", "", false, badRequest("The resource path '%s' is not valid: a key must end "+
			"with ')' and nothing may follow it.", rest)
	}
	return rest[:open], rest[open+1 : len(rest)-1], true, nil
}

// parseKey reads a key predicate, such as dataAreaId='usmf',PurchaseOrderNumber='PO-1',
// into the values of t's key fields in key order. Every key field must be named once;
// strings are quoted with ” escaping and numbers bare.
func parseKey(t *table, text string) ([]any, error) {
	vals := make([]any, len(t.keys))
	seen := make([]bool, len(t.keys))
	parts, err := splitOutsideQuotes(text)
	if err != nil {
		return nil, keyError(t, text, err.Error())
	}
	for _, part := range parts {
		name, lit, ok := strings.Cut(part, "=")
		if !ok {
			return nil, keyError(t, text, fmt.Sprintf("'%s' is not name=value", part))
		}
		k := slices.Index(t.e.Keys, strings.TrimSpace(name))
		if k < 0 || seen[k] {
			return nil, keyError(t, text, fmt.Sprintf("'%s' is not a key property, or is "+
				"named twice", strings.TrimSpace(name)))
		}
		if vals[k], err = keyValue(&t.e.Fields[t.keys[k]], strings.TrimSpace(lit)); err != nil {
			return nil, keyError(t, text, err.Error())
		}
		seen[k] = true
	}
	for k, ok := range seen {
		if !ok {
			return nil, keyError(t, text, fmt.Sprintf("key property '%s' is missing; name "+
				"every key property (%s)", t.e.Keys[k], strings.Join(t.e.Keys, ", ")))
		}
	}
	return vals, nil
}

// keyValue reads the literal of one key property.
func keyValue(f *Field, lit string) (any, error) {
	toks, err := lexFilter(lit)
	if err != nil {
		return nil, err
	}
	if len(toks) != 2 { // the literal and tokEOF
		return nil, fmt.Errorf("'%s' is not one literal", lit)
	}
	v, err := literalValue(f, toks[0])
	if err != nil {
		return nil, err
	}
	if err := fitsKey(f, toks[0].text, v); err != nil {
		return nil, err
	}
	if f.Name == dataAreaID.Name {
		v = strings.ToLower(v.(string))
	}
	return v, nil
}

// fitsKey checks that the value v of the literal lit is of f's type, as a key value must
// be (a $filter may compare an integer property with 1.5; a key cannot name it).
func fitsKey(f *Field, lit string, v any) error {
	_, isInt := v.(int64)
	switch {
	case f.Kind == Int32 && (!isInt || v.(int64) < math.MinInt32 || v.(int64) > math.MaxInt32),
		f.Kind == Int64 && !isInt:
		return fmt.Errorf("the value %s of key property '%s' is not of type '%s' (a whole "+
			"number from %s to %s)", lit, f.Name, edmType(f), intBound(f, false),
			intBound(f, true))
	case f.Kind == Decimal:
		if d, _ := parseDecimal(v.(string)); d.intDigits() > decimalPrecision-decimalScale {
			return fmt.Errorf("the value %s of key property '%s' does not fit type '%s' as "+
				"F&O stores it (%v)", lit, f.Name, edmType(f), errDecimalRange)
		}
	}
	return nil
}

// intBound returns the smallest or largest value of an integer field, for messages.
func intBound(f *Field, largest bool) string {
	switch {
	case f.Kind == Int32 && largest:
		return strconv.Itoa(math.MaxInt32)
	case f.Kind == Int32:
		return strconv.Itoa(math.MinInt32)
	case largest:
		return strconv.FormatInt(math.MaxInt64, 10)
	}
	return strconv.FormatInt(math.MinInt64, 10)
}

// splitOutsideQuotes splits text at the commas that are not inside a quoted string.
func splitOutsideQuotes(text string) ([]string, error) {
	var parts []string
	start, quoted := 0, false
	for i := 0; i < len(text); i++ {
		switch {
		case text[i] == '\'':
			quoted = !quoted // '' inside a string toggles twice
		case text[i] == ',' && !quoted:
			parts = append(parts, text[start:i])
			start = i + 1
		}
	}
	if quoted {
		return nil, fmt.Errorf("a string literal is not closed with '")
	}
	return append(parts, text[start:]), nil
}

// keyError is the 400 answer to a key predicate that does not address one record.
func keyError(t *table, text, problem string) error {
	return badRequest("The key (%s) of %s is not valid: %s.", text, t.e.Collection, problem)
}
