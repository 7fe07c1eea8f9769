package faults

import "testing"

func TestDiceIsAFunctionOfSeedSaltAndIDs(t *testing.T) {
	a, b := NewDice(1), NewDice(1)
	if a.Float("x", 1, 2) != b.Float("x", 1, 2) {
		t.Fatal("the same seed, salt and ids gave different numbers")
	}
	if a.Float("x", 1, 2) == a.Float("x", 2, 1) || a.Float("x", 1) == a.Float("y", 1) ||
		a.Float("x", 1) == NewDice(2).Float("x", 1) {
		t.Fatal("different inputs gave the same number")
	}
}

func TestDiceChanceRateAndRange(t *testing.T) {
	d := NewDice(9)
	hits := 0
	for i := int64(0); i < 100_000; i++ {
		f := d.Float("rate", i)
		if f < 0 || f >= 1 {
			t.Fatalf("Float gave %v, outside [0, 1)", f)
		}
		if d.Chance(0.02, "rate", i) {
			hits++
		}
	}
	if !withinBinomial(hits, 100_000, 0.02) {
		t.Fatalf("Chance(2%%) hit %d of 100000", hits)
	}
	if d.Chance(0, "rate", 1) {
		t.Fatal("Chance(0) hit")
	}
}
