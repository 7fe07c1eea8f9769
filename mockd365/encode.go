package mockd365

import (
	"encoding/base64"
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// etag returns F&O's weak ETag of a record: base64 of '<RecVersion>,<RecId>'.
func etag(version, recID int64) string {
	raw := "'" + strconv.FormatInt(version, 10) + "," + strconv.FormatInt(recID, 10) + "'"
	return `W/"` + base64.StdEncoding.EncodeToString([]byte(raw)) + `"`
}

// appendEntity appends one record of t as a JSON object: @odata.context when ctx is not
// empty, @odata.etag, then the fields at sel in catalogue order (nil: every field).
func appendEntity(b []byte, t *table, ctx string, recID, version int64, vals []any,
	sel []int) []byte {
	b = append(b, '{')
	if ctx != "" {
		b = append(b, `"@odata.context":`...)
		b = appendString(b, ctx)
		b = append(b, ',')
	}
	b = append(b, `"@odata.etag":`...)
	b = appendString(b, etag(version, recID))
	if sel == nil {
		for i := range t.e.Fields {
			b = appendMember(b, &t.e.Fields[i], vals[i])
		}
	} else {
		for _, i := range sel {
			b = appendMember(b, &t.e.Fields[i], vals[i])
		}
	}
	return append(b, '}')
}

// appendMember appends ,"name":value for field f. A decimal is written as the number its
// text holds; text the naive design stored as sent in a numeric field stays a string.
func appendMember(b []byte, f *Field, v any) []byte {
	b = append(b, ',')
	b = appendString(b, f.Name)
	b = append(b, ':')
	if s, ok := v.(string); ok && f.Kind == Decimal && isDecimalText(s) {
		return append(b, s...)
	}
	return appendValue(b, v)
}

// appendValue appends a stored value as JSON: numbers bare, text quoted.
func appendValue(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case string:
		return appendString(b, x)
	case []byte:
		return appendString(b, string(x))
	case int64:
		return strconv.AppendInt(b, x, 10)
	case float64:
		return strconv.AppendFloat(b, x, 'f', -1, 64)
	}
	enc, err := json.Marshal(v)
	if err != nil {
		return append(b, "null"...)
	}
	return append(b, enc...)
}

// appendString appends s as a JSON string.
func appendString(b []byte, s string) []byte {
	if !utf8.ValidString(s) {
		enc, _ := json.Marshal(s) // replaces invalid bytes with U+FFFD
		return append(b, enc...)
	}
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\r':
			b = append(b, '\\', 'r')
		case c == '\t':
			b = append(b, '\\', 't')
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}
