package mockd365

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"modernc.org/sqlite"
)

// F&O keeps amounts and quantities in NUMERIC(32,6) columns: 32 digits, 6 of them after the
// point. The mock stores a Decimal field as text holding the exact value, rounded half away
// from zero to 6 decimals as the database rounds, and declares such columns with the
// collation "decimal", which orders text by the number it holds. SQLite's own shell has a
// collation of that name with the same order, so the file stays readable and sortable there.
const (
	decimalScale     = 6
	decimalPrecision = 32
	decimalCollation = "decimal"
	// maxDecimalExponent bounds the exponents read, so that "1e999999999" cannot make the
	// mock write a billion digits; no value near the bound fits F&O's columns anyway.
	maxDecimalExponent = 1000
)

var (
	errNotDecimal   = errors.New("not a decimal number")
	errDecimalRange = fmt.Errorf("more than %d digits before the decimal point",
		decimalPrecision-decimalScale)
)

// A decimalNum is an exact decimal number: coef × 10^exp, negative when neg. coef has no
// leading or trailing zeros; zero is the empty coef, never negative.
type decimalNum struct {
	neg  bool
	coef string
	exp  int
}

// parseDecimal reads a number written with an optional sign, digits with an optional point,
// and an optional exponent ("-12.50", "1.2e29"). The error is errNotDecimal, or
// errDecimalRange for a number of more than maxDecimalExponent digits before the point; a
// number whose first digit lies further than that after the point is read as zero.
func parseDecimal(s string) (decimalNum, error) {
	var d decimalNum
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		d.neg = s[i] == '-'
		i++
	}
	var digits []byte
	frac, point := 0, false
	for ; i < len(s) && (isDigit(s[i]) || (s[i] == '.' && !point)); i++ {
		switch {
		case s[i] == '.':
			point = true
		case point:
			frac++
			fallthrough
		default:
			digits = append(digits, s[i])
		}
	}
	if len(digits) == 0 {
		return decimalNum{}, errNotDecimal
	}
	e, err := readExponent(s[i:])
	if err != nil {
		return decimalNum{}, err
	}
	return d.normalize(string(digits), e-frac)
}

// readExponent reads "", or "e" or "E" with an optional sign and digits.
func readExponent(s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	if s[0] != 'e' && s[0] != 'E' {
		return 0, errNotDecimal
	}
	s = s[1:]
	neg := strings.HasPrefix(s, "-")
	if neg || strings.HasPrefix(s, "+") {
		s = s[1:]
	}
	if len(s) == 0 || strings.TrimLeft(s, "0123456789") != "" {
		return 0, errNotDecimal
	}
	e := 0
	for _, c := range []byte(s) {
		e = min(e*10+int(c-'0'), 10*maxDecimalExponent)
	}
	if neg {
		return -e, nil
	}
	return e, nil
}

// normalize sets d to digits × 10^exp without leading or trailing zeros.
func (d decimalNum) normalize(digits string, exp int) (decimalNum, error) {
	digits = strings.TrimLeft(digits, "0")
	trimmed := strings.TrimRight(digits, "0")
	exp += len(digits) - len(trimmed)
	switch lead := len(trimmed) + exp; {
	case trimmed == "" || lead < -maxDecimalExponent: // far below the 6 decimals kept
		return decimalNum{}, nil
	case lead > maxDecimalExponent:
		return decimalNum{}, errDecimalRange
	}
	d.coef, d.exp = trimmed, exp
	return d, nil
}

// intDigits returns how many digits d has before the point.
func (d decimalNum) intDigits() int {
	return max(len(d.coef)+d.exp, 0)
}

// round rounds d half away from zero to scale decimals.
func (d decimalNum) round(scale int) decimalNum {
	drop := -scale - d.exp
	if drop <= 0 {
		return d
	}
	if drop > len(d.coef) {
		return decimalNum{}
	}
	kept := d.coef[:len(d.coef)-drop]
	if d.coef[len(d.coef)-drop] >= '5' {
		kept = incrementDigits(kept)
	}
	out, _ := decimalNum{neg: d.neg}.normalize(kept, -scale) // the exponent stays in range
	return out
}

// incrementDigits adds one to a string of decimal digits ("" is zero).
func incrementDigits(s string) string {
	b := []byte(s)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < '9' {
			b[i]++
			return string(b)
		}
		b[i] = '0'
	}
	return "1" + string(b)
}

// text returns d without exponent: "-12.5", "0", "120000".
func (d decimalNum) text() string {
	if d.coef == "" {
		return "0"
	}
	var s string
	switch p := len(d.coef) + d.exp; {
	case d.exp >= 0:
		s = d.coef + strings.Repeat("0", d.exp)
	case p > 0:
		s = d.coef[:p] + "." + d.coef[p:]
	default:
		s = "0." + strings.Repeat("0", -p) + d.coef
	}
	if d.neg {
		return "-" + s
	}
	return s
}

// compare returns -1, 0 or +1 as d is less than, equal to or greater than o.
func (d decimalNum) compare(o decimalNum) int {
	if d.neg != o.neg {
		return map[bool]int{true: -1, false: 1}[d.neg]
	}
	c := compareMagnitude(d, o)
	if d.neg {
		return -c
	}
	return c
}

// compareMagnitude compares the absolute values of d and o.
func compareMagnitude(d, o decimalNum) int {
	switch {
	case d.coef == "" || o.coef == "":
		return strings.Compare(d.coef, o.coef) // the empty coef is zero, the smallest
	case len(d.coef)+d.exp != len(o.coef)+o.exp:
		if len(d.coef)+d.exp < len(o.coef)+o.exp {
			return -1
		}
		return 1
	}
	return strings.Compare(d.coef, o.coef) // same leading position: digits decide
}

// storedDecimal returns s as F&O stores it: rounded to 6 decimals, in canonical text. The
// error is errNotDecimal, or errDecimalRange when the value does not fit NUMERIC(32,6).
func storedDecimal(s string) (string, error) {
	d, err := parseDecimal(s)
	if err != nil {
		return "", err
	}
	d = d.round(decimalScale)
	if d.intDigits() > decimalPrecision-decimalScale {
		return "", errDecimalRange
	}
	return d.text(), nil
}

// exactDecimal returns s in canonical text without rounding, for literals compared with
// stored values.
func exactDecimal(s string) (string, error) {
	d, err := parseDecimal(s)
	if err != nil {
		return "", err
	}
	return d.text(), nil
}

// isDecimalText reports whether s is a number in the canonical form of stored values, which
// is also a JSON number, so that it can be written into JSON as it is.
func isDecimalText(s string) bool {
	d, err := parseDecimal(s)
	return err == nil && d.text() == s
}

// compareDecimalText is the collation of Decimal columns: numbers in numeric order, before
// any text that is not a number (which the naive design may store), in byte order.
func compareDecimalText(a, b string) int {
	x, errX := parseDecimal(a)
	y, errY := parseDecimal(b)
	switch {
	case errX == nil && errY == nil:
		return x.compare(y)
	case errX == nil:
		return -1
	case errY == nil:
		return 1
	}
	return strings.Compare(a, b)
}

// registerDecimalCollation makes the collation known to every connection the SQLite driver
// opens from now on; the driver keeps collations for the life of the process.
var registerDecimalCollation = sync.OnceValue(func() error {
	if err := sqlite.RegisterCollationUtf8(decimalCollation, compareDecimalText); err != nil {
		return fmt.Errorf("register collation %s: %w", decimalCollation, err)
	}
	return nil
})
