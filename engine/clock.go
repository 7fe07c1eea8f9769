// Package engine runs a scenario's load: it seeds master data, paces the message stream,
// hands each due delivery to vegeta's attacker, applies transport faults, records every
// attempt in the run ledger, retries as the simulated sender would, and then has the
// target's state verified and the run reported.
package engine

import "time"

// A Clock tells the time and wakes the engine; runs use the real clock, tests may inject
// their own.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

// RealClock is the wall clock.
type RealClock struct{}

// Now returns time.Now().
func (RealClock) Now() time.Time { return time.Now() }

// After returns time.After(d).
func (RealClock) After(d time.Duration) <-chan time.Time { return time.After(d) }
