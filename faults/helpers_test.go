package faults

import (
	"errors"
	"io"
	"math"
	"testing"

	"github.com/stormcheck/stormcheck/generators"
)

// cases returns the business cases of a small procure-to-pay stream.
func cases(t *testing.T, seed uint64, maxMessages int) []generators.Case {
	t.Helper()
	return streamCases(t, seed, maxMessages, 0)
}

// streamCases returns the business cases of a procure-to-pay stream in one legal entity,
// a share changes of whose documents are revised after creation.
func streamCases(t *testing.T, seed uint64, maxMessages int, changes float64) []generators.Case {
	t.Helper()
	s, err := generators.NewStream(generators.Config{
		Seed: seed, Prefix: "SCTEST0",
		Companies: []*generators.MasterData{generators.NewMasterData(seed, "usmf", 10, 30)},
		Flows: []generators.FlowMix{{Flow: "procure-to-pay", Weight: 1, MinLines: 1, MaxLines: 6,
			Changes: changes}},
		MaxMessages: maxMessages,
	})
	if err != nil {
		t.Fatal(err)
	}
	var out []generators.Case
	for {
		c, err := s.NextCase()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
}

// apply runs a fault over every case and returns the injections it counted.
func apply(f StreamFault, cs []generators.Case) int {
	n := 0
	for _, c := range cs {
		n += f.Apply(c)
	}
	return n
}

func messagesOf(cs []generators.Case) []*generators.Message {
	var out []*generators.Message
	for _, c := range cs {
		out = append(out, c.Messages()...)
	}
	return out
}

// withinBinomial reports whether k successes in n trials of probability p lie within
// five standard deviations of the mean: a bound a correct sampler misses about once in
// three million runs.
func withinBinomial(k, n int, p float64) bool {
	mean := float64(n) * p
	sd := math.Sqrt(float64(n) * p * (1 - p))
	return math.Abs(float64(k)-mean) <= 5*sd+1
}
