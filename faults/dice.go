// Package faults injects the ways integrations break: stream faults change the message
// stream (duplicates, malformed fields, reordering), transport faults act on each attempt
// (ack loss, injected errors, latency), and the sender's retry policy decides what the
// simulated source system does about each failure.
//
// Every decision is drawn from Dice: a hash of the run seed, the kind of decision and the
// identity of what is decided (a message, a copy, an attempt). A decision therefore never
// depends on timing or on the order in which concurrent requests happen to run, and the
// same seed and scenario always affect the same messages.
package faults

import (
	"time"
)

// Dice draws reproducible random numbers keyed by a salt and the ids of what is decided.
// The zero value is usable and equals seed 0. Dice is safe for concurrent use.
type Dice struct {
	seed uint64
}

// NewDice returns dice for a run seed.
func NewDice(seed uint64) Dice { return Dice{seed: seed} }

// Float returns a number in [0, 1) for the salt and ids.
func (d Dice) Float(salt string, ids ...int64) float64 {
	return float64(d.hash(salt, ids)>>11) / (1 << 53)
}

// Chance reports whether an event of probability p happens for the salt and ids.
func (d Dice) Chance(p float64, salt string, ids ...int64) bool {
	return p > 0 && d.Float(salt, ids...) < p
}

// IntN returns a number in [0, n) for the salt and ids; n must be positive.
func (d Dice) IntN(n int, salt string, ids ...int64) int {
	return int(d.Float(salt, ids...) * float64(n))
}

// Between returns a duration in [lo, hi] for the salt and ids.
func (d Dice) Between(lo, hi time.Duration, salt string, ids ...int64) time.Duration {
	if hi <= lo {
		return lo
	}
	return lo + time.Duration(d.Float(salt, ids...)*float64(hi-lo+1))
}

func (d Dice) hash(salt string, ids []int64) uint64 {
	h := mix(d.seed ^ 0x9e3779b97f4a7c15)
	for i := 0; i < len(salt); i++ {
		h = mix(h ^ uint64(salt[i]))
	}
	for _, id := range ids {
		h = mix(h ^ uint64(id))
	}
	return h
}

// mix is the SplitMix64 finaliser: every input bit affects every output bit.
func mix(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
