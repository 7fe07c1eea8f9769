package scenarios

import (
	"errors"
	"io/fs"
	"slices"
	"strings"
	"testing"
)

// Ensure every bundled scenario loads, validates, is named after its file and describes
// itself in one sentence.
func TestBundledScenariosLoad(t *testing.T) {
	infos := Bundled()
	if len(infos) == 0 {
		t.Fatal("Bundled() is empty")
	}
	if !slices.IsSortedFunc(infos, func(a, b Info) int { return strings.Compare(a.Name, b.Name) }) {
		t.Errorf("Bundled() is not sorted by name: %v", infos)
	}
	for _, info := range infos {
		t.Run(info.Name, func(t *testing.T) {
			s, err := Load(info.Name)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if s.Name != info.Name || s.Source != "bundled:"+info.Name {
				t.Errorf("name %q, source %q; want both from the file name", s.Name, s.Source)
			}
			if info.Description == "" || info.Description != s.Description ||
				!strings.HasSuffix(info.Description, ".") ||
				strings.Count(info.Description, ". ") > 0 {
				t.Errorf("description %q is not one sentence", info.Description)
			}
			if err := s.CheckProduction(false); err != nil {
				t.Errorf("CheckProduction: %v", err)
			}
		})
	}
}

// Ensure the quickstart scenario says what its brief asks of it.
func TestQuickstart(t *testing.T) {
	s, err := Load("quickstart")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"seed", *s.Seed, uint64(42)},
		{"legal entities", strings.Join(s.Target.LegalEntities, ","), "usmf,demf"},
		{"embedded mock", s.Target.URL, ""},
		{"design", s.Target.Mock.Design, "d365"},
		{"latency", s.Target.Mock.Latency, Latency{}},
		{"rate", s.Load.Rate.String(), "200/s"},
		{"messages", s.Load.Messages, 3000},
		{"master data", s.MasterData, MasterData{Vendors: 40, Products: 150}},
		{"flows", len(s.Flows), 1},
		{"lines", s.Flows[0].Lines, IntRange{Min: 1, Max: 6}},
		{"duplicate", *s.Faults.Duplicate, DuplicateFault{Rate: 0.02, Mode: "resend",
			Copies: 1, Delay: mustRange(t, "0s-2s")}},
		{"malformed kinds", strings.Join(s.Faults.Malformed.Kinds, ","),
			"missing-required,bad-date,overlong-string"},
		{"reorder", *s.Faults.Reorder, ReorderFault{Rate: 0.02, Mode: "child-first",
			Delay: mustRange(t, "1s-3s")}},
		{"ack loss", s.Faults.AckLoss.Rate, Share(0.01)},
		{"retry attempts", s.Sender.Retry.Attempts, 4},
		{"retry backoff", s.Sender.Retry.Backoff.String(), "100ms-2s"},
		{"retry on", strings.Join(s.Sender.Retry.On, ","), "429,5xx,timeout"},
		{"settle", s.Verify.Settle.String(), "1s"},
		{"no expect key", s.Expect.Set, false},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func mustRange(tb testing.TB, s string) DurationRange {
	tb.Helper()
	r, err := ParseDurationRange(s)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// Ensure an unknown bundled name fails as an invalid scenario, with a suggestion.
func TestLoadUnknownBundled(t *testing.T) {
	_, err := Load("quikstart")
	var invalid *Error
	if !errors.As(err, &invalid) || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Load: got %v, want an *Error wrapping fs.ErrNotExist", err)
	}
	if p := invalid.Problems[0]; p.File != "quikstart" || p.Hint != "quickstart" {
		t.Errorf("problem = %+v, want file quikstart and hint quickstart", p)
	}
	if _, err := BundledSource("../scenario"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("BundledSource(../scenario) = %v, want fs.ErrNotExist", err)
	}
}
