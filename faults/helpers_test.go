package faults

import (
	"errors"
	"io"
	"math"
	"testing"

	"github.com/stormcheck/stormcheck/generators"
)

// documents returns the documents of a small procure-to-pay stream.
func documents(t *testing.T, seed uint64, maxMessages int) []*generators.Document {
	t.Helper()
	s, err := generators.NewStream(generators.Config{
		Seed: seed, Prefix: "SCTEST0",
		Companies:   []*generators.MasterData{generators.NewMasterData(seed, "usmf", 10, 30)},
		Flows:       []generators.FlowMix{{Flow: "procure-to-pay", Weight: 1, MinLines: 1, MaxLines: 6}},
		MaxMessages: maxMessages,
	})
	if err != nil {
		t.Fatal(err)
	}
	var docs []*generators.Document
	for {
		d, err := s.Next()
		if errors.Is(err, io.EOF) {
			return docs
		}
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, d)
	}
}

func messagesOf(docs []*generators.Document) []*generators.Message {
	var out []*generators.Message
	for _, d := range docs {
		out = append(out, d.Messages...)
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
