package scenarios

import (
	"errors"
	"testing"
)

// minimal is the smallest valid scenario; tests append to it or replace lines of it.
const minimal = `name: t
load: { rate: 10/s, messages: 100 }
flows:
  - flow: procure-to-pay
`

// MustParse parses src as t.yaml and stops the test on any error.
func MustParse(tb testing.TB, src string) *Scenario {
	tb.Helper()
	s, err := Parse([]byte(src), "t.yaml")
	if err != nil {
		tb.Fatalf("Parse: %v\n--- source:\n%s", err, src)
	}
	return s
}

// MustProblems parses src as t.yaml, which must fail with an *Error, and returns its
// problems.
func MustProblems(tb testing.TB, src string) []Problem {
	tb.Helper()
	s, err := Parse([]byte(src), "t.yaml")
	var invalid *Error
	if !errors.As(err, &invalid) {
		tb.Fatalf("Parse: got (%v, %v), want an *Error\n--- source:\n%s", s, err, src)
	}
	if s != nil {
		tb.Fatalf("Parse returned a scenario with an error")
	}
	return invalid.Problems
}

// stripped returns a copy of s without what Marshal does not carry (Source and the
// places of keys), so two scenarios can be compared with reflect.DeepEqual.
func stripped(s *Scenario) Scenario {
	c := *s
	c.Source, c.keys = "", nil
	return c
}
