package verify

import (
	"strconv"
	"strings"
)

// storedScale is how many decimals F&O keeps of an amount or a quantity: NUMERIC(32,6).
const storedScale = 6

// A decimal is a number held exactly, as Edm.Decimal is: its value is digits·10^-scale.
// Canonical decimals (see canonical) are equal exactly when their values are.
type decimal struct {
	neg    bool
	digits string // no leading zeros; "" is zero
	scale  int
}

// parseDecimal reads a JSON number exactly, without going through float64.
func parseDecimal(s string) (decimal, bool) {
	var d decimal
	if strings.HasPrefix(s, "-") {
		d.neg, s = true, s[1:]
	}
	mant, exp, hasExp := strings.Cut(strings.ToLower(s), "e")
	whole, frac, _ := strings.Cut(mant, ".")
	if whole == "" || !allDigits(whole) || !allDigits(frac) {
		return decimal{}, false
	}
	d.digits, d.scale = whole+frac, len(frac)
	if hasExp {
		e, err := strconv.Atoi(strings.TrimPrefix(exp, "+"))
		if err != nil || e > 400 || e < -400 {
			return decimal{}, false
		}
		d.scale -= e
	}
	return d.canonical(), true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// canonical strips leading and trailing zeros, so that equal values compare equal.
func (d decimal) canonical() decimal {
	d.digits = strings.TrimLeft(d.digits, "0")
	for strings.HasSuffix(d.digits, "0") {
		d.digits = d.digits[:len(d.digits)-1]
		d.scale--
	}
	if d.digits == "" {
		return decimal{}
	}
	return d
}

// round returns d rounded to places decimals, half away from zero, as SQL Server rounds a
// value into a NUMERIC column.
func (d decimal) round(places int) decimal { return d.shorten(places, true) }

// truncate returns d cut to places decimals, toward zero, as a target that drops the
// digits it has no room for does.
func (d decimal) truncate(places int) decimal { return d.shorten(places, false) }

// shorten keeps places decimals of d, rounding half away from zero when round is set.
func (d decimal) shorten(places int, round bool) decimal {
	drop := d.scale - places
	if drop <= 0 {
		return d
	}
	if drop > len(d.digits) {
		return decimal{} // the first digit dropped is a leading zero
	}
	keep, first := d.digits[:len(d.digits)-drop], d.digits[len(d.digits)-drop]
	if round && first >= '5' {
		keep = increment(keep)
	}
	return decimal{neg: d.neg, digits: keep, scale: places}.canonical()
}

// increment adds one to a string of decimal digits.
func increment(digits string) string {
	b := []byte(digits)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < '9' {
			b[i]++
			return string(b)
		}
		b[i] = '0'
	}
	return "1" + string(b)
}

// equalDecimals reports whether two JSON numbers are equal once the sent one is stored at
// F&O's scale, and otherwise, in how, whether the stored one is the sent one rounded or
// truncated to fewer decimals ("rounded to 2 decimals", "truncated to 2 decimals").
func equalDecimals(sent, stored string) (equal bool, how string) {
	if sent == stored {
		return true, ""
	}
	a, okA := parseDecimal(sent)
	b, okB := parseDecimal(stored)
	if !okA || !okB {
		return false, "changed"
	}
	if a.round(storedScale) == b {
		return true, ""
	}
	for places := storedScale - 1; places >= 0; places-- {
		switch b {
		case a.round(places):
			return false, "rounded to " + decimals(places)
		case a.truncate(places):
			return false, "truncated to " + decimals(places)
		}
	}
	return false, "changed"
}

func decimals(places int) string {
	if places == 0 {
		return "a whole number"
	}
	return plural(places, "decimal")
}
