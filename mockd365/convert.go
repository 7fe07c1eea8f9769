package mockd365

import (
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"time"
)

// convertStrict converts a JSON value to f's stored value as F&O's OData reader does: the
// JSON type must match the EDM type, dates are RFC 3339 with an offset, enums are member
// names. Null is accepted for strings only (they are nullable) and stored as "".
func convertStrict(f *Field, raw any) (any, error) {
	if raw == nil {
		if f.Kind == String {
			return "", nil
		}
		return nil, badPayload("The property '%s' is null, but its type '%s' does not allow "+
			"null values.", f.Name, edmType(f))
	}
	switch f.Kind {
	case Int32, Int64:
		return strictInt(f, raw)
	case Decimal:
		return strictDecimal(f, raw)
	case DateTimeOffset:
		return strictDate(f, raw)
	case Enum:
		return strictEnum(f, raw)
	}
	s, ok := raw.(string)
	if !ok {
		return nil, wrongJSONType(f, raw, "string")
	}
	return s, nil
}

// strictInt converts a JSON integer that fits f.
func strictInt(f *Field, raw any) (any, error) {
	n, ok := raw.(json.Number)
	if !ok {
		return nil, wrongJSONType(f, raw, "number")
	}
	i, err := strconv.ParseInt(string(n), 10, 64)
	if err != nil || (f.Kind == Int32 && (i < math.MinInt32 || i > math.MaxInt32)) {
		return nil, cannotConvert(f, string(n))
	}
	return i, nil
}

// strictDecimal converts a JSON number exactly, rounded to F&O's six decimals, and refuses
// one that does not fit NUMERIC(32,6).
func strictDecimal(f *Field, raw any) (any, error) {
	n, ok := raw.(json.Number)
	if !ok {
		return nil, wrongJSONType(f, raw, "number")
	}
	s, err := storedDecimal(string(n))
	switch {
	case errors.Is(err, errDecimalRange):
		return nil, decimalOutOfRange(f, string(n))
	case err != nil:
		return nil, cannotConvert(f, string(n))
	}
	return s, nil
}

// decimalOutOfRange reports a number too large for the column F&O stores f in.
func decimalOutOfRange(f *Field, s string) error {
	return badPayload("The value '%s' of property '%s' does not fit type '%s' as F&O stores "+
		"it: NUMERIC(%d,%d) holds at most %d digits before the decimal point.", s, f.Name,
		edmType(f), decimalPrecision, decimalScale, decimalPrecision-decimalScale)
}

// strictDate converts an RFC 3339 date-time with an offset, within F&O's date range.
func strictDate(f *Field, raw any) (any, error) {
	s, ok := raw.(string)
	if !ok {
		return nil, wrongJSONType(f, raw, "string")
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return nil, cannotConvert(f, s)
	}
	if !inDateRange(t.UTC()) {
		return nil, badPayload("The value '%s' of property '%s' is outside the range of type "+
			"'%s' (1900-01-01T00:00:00Z to 2154-12-31T23:59:59Z).", s, f.Name, edmType(f))
	}
	return formatDate(t), nil
}

// strictEnum converts a member name of f's enum.
func strictEnum(f *Field, raw any) (any, error) {
	s, ok := raw.(string)
	if !ok {
		return nil, wrongJSONType(f, raw, "string")
	}
	for _, m := range f.Members {
		if m == s {
			return s, nil
		}
	}
	return nil, badPayload("The value '%s' of property '%s' is not a member of enum type '%s' "+
		"(members: %s).", s, f.Name, edmType(f), strings.Join(f.Members, ", "))
}

// wrongJSONType reports a JSON value of the wrong type for f.
func wrongJSONType(f *Field, raw any, want string) error {
	return badPayload("The property '%s' has a JSON %s value, but its type '%s' needs a JSON %s.",
		f.Name, jsonKind(raw), edmType(f), want)
}

// cannotConvert reports a value that does not parse as f's type.
func cannotConvert(f *Field, s string) error {
	return badPayload("Cannot convert the value '%s' of property '%s' to type '%s'.",
		s, f.Name, edmType(f))
}
