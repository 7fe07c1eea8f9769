package verify

import "math"

// Totals reconcile one unit (a quantity or an amount) of one entity in one legal entity:
// what the run meant to store against what the target holds, and the part of the
// difference that duplicates and gaps explain.
type Totals struct {
	Expected float64 `json:"expected"` // sent in records meant to be committed
	Stored   float64 `json:"stored"`   // held in every record read back
	// Duplicated is carried by the extra copies of duplicated records and of orphans.
	Duplicated float64 `json:"duplicated"`
	Lost       float64 `json:"lost"` // carried by lost records
	// Other is the rest of the difference, Stored - Expected - Duplicated + Lost: altered
	// values, bad data accepted and unexpected records.
	Other float64 `json:"other"`
}

// A Reconciliation compares quantities and amounts for one entity in one legal entity.
// Amounts are in the legal entity's currency.
type Reconciliation struct {
	Entity   string `json:"entity"`
	Company  string `json:"company"`
	Quantity Totals `json:"quantity"`
	Amount   Totals `json:"amount"`
}

// add counts one verdict's sent quantity and amount.
func (r *Reconciliation) add(v verdict) {
	if v.meant {
		r.Quantity.Expected += v.quantity
		r.Amount.Expected += v.amount
	}
	if n := float64(v.duplicates()); n > 0 {
		r.Quantity.Duplicated += n * v.quantity
		r.Amount.Duplicated += n * v.amount
	}
	if v.class == Lost {
		r.Quantity.Lost += v.quantity
		r.Amount.Lost += v.amount
	}
}

// finish rounds the totals to F&O's six decimals, so that float sums of decimals do not
// show noise, and works out Other.
func (t *Totals) finish() {
	for _, x := range []*float64{&t.Expected, &t.Stored, &t.Duplicated, &t.Lost} {
		*x = round6(*x)
	}
	t.Other = round6(t.Stored - t.Expected - t.Duplicated + t.Lost)
}

func (t Totals) isZero() bool { return t == Totals{} }

func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }
