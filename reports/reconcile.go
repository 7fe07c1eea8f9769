package reports

import (
	"fmt"
	"io"
	"strconv"

	"github.com/stormcheck/stormcheck/verify"
)

// writeReconciliation renders the quantities and amounts sent against those stored, per
// entity and legal entity, with the share of the difference that duplicates and gaps
// explain.
func writeReconciliation(w io.Writer, s *Summary) error {
	if len(s.Reconciliation) == 0 {
		return nil
	}
	if _, err := fmt.Fprintln(w, "Reconciliation (quantities, and amounts in the legal "+
		"entity's currency)"); err != nil {
		return err
	}
	t := newTable(w, 8, 3)
	t.Header("entity", "company", "unit", "expected", "stored", "duplicates", "gaps", "other")
	for _, r := range s.Reconciliation {
		for _, u := range []struct {
			name string
			t    verify.Totals
		}{{"quantity", r.Quantity}, {"amount", r.Amount}} {
			if u.t == (verify.Totals{}) {
				continue
			}
			if err := t.Append(totalsRow(r.Entity, r.Company, u.name, u.t)); err != nil {
				return err
			}
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	_, err := fmt.Fprint(w, reconciliationKey)
	return err
}

// reconciliationKey explains the columns under the table. The last three are signed
// changes, so that the sum reads the same whichever way each one goes.
const reconciliationKey = "stored = expected + duplicates + gaps + other, where each of the " +
	"last three is a signed change:\n" +
	"  duplicates (+): the extra copies stored, of duplicated records and of orphans\n" +
	"  gaps (-): the lost records, never stored\n" +
	"  other (+ or -): altered values, bad data accepted, unexpected records\n\n"

func totalsRow(entity, company, unit string, t verify.Totals) []string {
	// Amounts always show their cents, so that 191,885 cannot be read as 191.885.
	cents := unit == "amount"
	return []string{entity, company, unit, number(t.Expected, cents), number(t.Stored, cents),
		signed(t.Duplicated, cents), signed(-t.Lost, cents), signed(t.Other, cents)}
}

// number writes a total with two decimals (or none when they are zero and cents is false)
// and digit grouping.
func number(x float64, cents bool) string {
	s := strconv.FormatFloat(x, 'f', 2, 64)
	if !cents && len(s) > 3 && s[len(s)-3:] == ".00" {
		s = s[:len(s)-3]
	}
	return group(s)
}

// signed writes a change: "+12", "-3.50", or "0".
func signed(x float64, cents bool) string {
	if x > 0 {
		return "+" + number(x, cents)
	}
	if x == 0 {
		return "0"
	}
	return number(x, cents)
}

// group puts thousands separators into the whole part of a formatted number.
func group(s string) string {
	sign := ""
	if s[0] == '-' {
		sign, s = "-", s[1:]
	}
	whole, frac := s, ""
	for i := range s {
		if s[i] == '.' {
			whole, frac = s[:i], s[i:]
			break
		}
	}
	for i := len(whole) - 3; i > 0; i -= 3 {
		whole = whole[:i] + "," + whole[i:]
	}
	return sign + whole + frac
}
