package mockd365

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strings"
)

// maxBody is the largest create body the mock reads.
const maxBody = 4 << 20

// decodeRecord reads the JSON body of a create on t. Supplied values are converted strictly
// or leniently as d.StrictTypes says; dataAreaId is lower-cased, and an omitted or empty one
// becomes company. The error is an *apiError for a body the design rejects.
func decodeRecord(body []byte, t *table, d Design, company string) (*record, error) {
	obj, err := parseObject(body)
	if err != nil {
		return nil, err
	}
	if err := checkProperties(obj, t, d); err != nil {
		return nil, err
	}
	rec := newRecord(t)
	for i := range t.e.Fields {
		f := &t.e.Fields[i]
		raw, ok := obj[f.Name]
		if !ok {
			continue
		}
		v, err := convertValue(f, raw, d.StrictTypes)
		if err != nil {
			return nil, err
		}
		rec.vals[i], rec.given[i] = v, true
	}
	setCompany(t, rec, company)
	return rec, nil
}

// convertValue converts raw strictly, or leniently when strict is false.
func convertValue(f *Field, raw any, strict bool) (any, error) {
	if strict {
		return convertStrict(f, raw)
	}
	return coerce(f, raw), nil
}

// parseObject parses body as one JSON object, keeping numbers as written. A property given
// twice is refused, as F&O's OData reader refuses it, rather than letting one value win.
func parseObject(body []byte) (map[string]any, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, badPayload("The request body is empty; a create needs a JSON object.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, notJSON(err)
	}
	if tok != json.Delim('{') {
		return nil, notObject(tok)
	}
	obj := map[string]any{}
	for dec.More() {
		if err := readProperty(dec, obj); err != nil {
			return nil, err
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, notJSON(err)
	}
	if err := dec.Decode(new(json.RawMessage)); err != io.EOF {
		return nil, badPayload("The request body has data after its JSON object.")
	}
	return obj, nil
}

// readProperty reads one name and value of an object into obj.
func readProperty(dec *json.Decoder, obj map[string]any) error {
	tok, err := dec.Token()
	if err != nil {
		return notJSON(err)
	}
	name, _ := tok.(string) // the decoder gives object keys as strings only
	if _, dup := obj[name]; dup {
		return badPayload("The property '%s' appears more than once in the request body; "+
			"send each property once.", name)
	}
	var v any
	if err := dec.Decode(&v); err != nil {
		return notJSON(err)
	}
	obj[name] = v
	return nil
}

// notJSON reports a body that is not valid JSON.
func notJSON(err error) error {
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return badPayload("The request body is not valid JSON: %v.", err)
}

// notObject reports a body whose JSON value, starting with tok, is not an object.
func notObject(tok json.Token) error {
	kind := map[bool]string{true: "array", false: jsonKind(tok)}[tok == json.Delim('[')]
	if tok == nil {
		return badPayload("The request body is null; a create needs a JSON object.")
	}
	return badPayload("The request body is a JSON %s; a create needs a JSON object.", kind)
}

// checkProperties rejects the first property, in name order, that t does not define, when
// the design rejects unknown properties. Instance annotations ("@odata.type") are allowed.
func checkProperties(obj map[string]any, t *table, d Design) error {
	if !d.RejectUnknownProperties {
		return nil
	}
	names := make([]string, 0, len(obj))
	for name := range obj {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if _, ok := t.index[name]; !ok && !strings.Contains(name, "@") {
			return unknownProperty(t.e, name)
		}
	}
	return nil
}

// setCompany lower-cases the record's company, or sets it to company when it is empty.
func setCompany(t *table, rec *record, company string) {
	i, ok := t.index[dataAreaID.Name]
	if !ok {
		return
	}
	s, isString := rec.vals[i].(string)
	if !isString || s == "" {
		rec.vals[i] = company
		return
	}
	rec.vals[i] = strings.ToLower(s)
}

// jsonKind names the JSON type of a decoded value, for messages.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "boolean"
	case []any:
		return "array"
	}
	return "object"
}
