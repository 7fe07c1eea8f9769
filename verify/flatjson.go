package verify

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"
)

// A member is one property of a JSON object: its name, unescaped, and its value exactly
// as written (a string with its quotes and escapes, a number as its digits).
type member struct {
	name  []byte
	value []byte
}

var errNotObject = errors.New("not a JSON object")

// parseObject splits one JSON object into its members, appending them to out. Records
// read back through OData and the bodies stormcheck sends are flat objects, so this
// scanner reads them without building a map and allocates only for escaped names; a
// nested object or array is kept as written. It checks structure, not every detail of
// the grammar: what the target sent is compared, not validated.
func parseObject(data []byte, out []member) ([]member, error) {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return nil, errNotObject
	}
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == '}' {
		return out, nil
	}
	for {
		name, next, err := readName(data, i)
		if err != nil {
			return nil, err
		}
		i = skipSpace(data, next)
		if i >= len(data) || data[i] != ':' {
			return nil, fmt.Errorf("missing ':' after %q at offset %d", name, i)
		}
		i = skipSpace(data, i+1)
		end, err := valueEnd(data, i)
		if err != nil {
			return nil, err
		}
		out = append(out, member{name: name, value: data[i:end]})
		i = skipSpace(data, end)
		switch {
		case i < len(data) && data[i] == ',':
			i = skipSpace(data, i+1)
		case i < len(data) && data[i] == '}':
			return out, nil
		default:
			return nil, fmt.Errorf("object not closed at offset %d", i)
		}
	}
}

// readName reads the quoted name at data[i:] and returns it unescaped, with the offset
// after its closing quote.
func readName(data []byte, i int) ([]byte, int, error) {
	if i >= len(data) || data[i] != '"' {
		return nil, 0, fmt.Errorf("member name expected at offset %d", i)
	}
	end, err := stringEnd(data, i)
	if err != nil {
		return nil, 0, err
	}
	name, err := unquote(data[i:end])
	return name, end, err
}

// unquote returns the text of a JSON string literal, without copying when it holds no
// escape. Invalid UTF-8 becomes U+FFFD, as encoding/json reads it.
func unquote(lit []byte) ([]byte, error) {
	inner := lit[1 : len(lit)-1]
	if bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
		return inner, nil
	}
	var s string
	if err := json.Unmarshal(lit, &s); err != nil {
		return nil, fmt.Errorf("bad string %s: %w", shorten(string(lit), 60), err)
	}
	return []byte(s), nil
}

// stringEnd returns the offset after the closing quote of the string at data[i].
func stringEnd(data []byte, i int) (int, error) {
	for j := i + 1; j < len(data); j++ {
		switch data[j] {
		case '\\':
			j++
		case '"':
			return j + 1, nil
		}
	}
	return 0, fmt.Errorf("string at offset %d is not closed", i)
}

// valueEnd returns the offset after the value that starts at data[i].
func valueEnd(data []byte, i int) (int, error) {
	if i >= len(data) {
		return 0, errors.New("value expected at end of input")
	}
	switch data[i] {
	case '"':
		return stringEnd(data, i)
	case '{', '[':
		return nestedEnd(data, i)
	}
	j := i
	for j < len(data) && !isDelimiter(data[j]) {
		j++
	}
	if j == i {
		return 0, fmt.Errorf("value expected at offset %d", i)
	}
	return j, nil
}

// nestedEnd returns the offset after the object or array that starts at data[i].
func nestedEnd(data []byte, i int) (int, error) {
	depth := 0
	for j := i; j < len(data); j++ {
		switch data[j] {
		case '"':
			end, err := stringEnd(data, j)
			if err != nil {
				return 0, err
			}
			j = end - 1
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return j + 1, nil
			}
		}
	}
	return 0, fmt.Errorf("value at offset %d is not closed", i)
}

func isDelimiter(c byte) bool {
	switch c {
	case ',', '}', ']', ' ', '\t', '\r', '\n':
		return true
	}
	return false
}

func skipSpace(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\r', '\n':
			i++
		default:
			return i
		}
	}
	return i
}

// lookup returns the value of the member called name, and whether there is one. When a
// name repeats, the last value counts, as encoding/json reads it.
func lookup(ms []member, name []byte) ([]byte, bool) {
	for i := len(ms) - 1; i >= 0; i-- {
		if bytes.Equal(ms[i].name, name) {
			return ms[i].value, true
		}
	}
	return nil, false
}
