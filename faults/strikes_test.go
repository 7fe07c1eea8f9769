package faults

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stormcheck/stormcheck/generators"
	"github.com/stormcheck/stormcheck/scenarios"
)

var update = flag.Bool("update", false, "rewrite testdata/strikes.golden from this build")

// strikesGolden holds, for every fault kind, what it strikes for the pinned seed and rate.
const strikesGolden = "testdata/strikes.golden"

// A striker runs one fault kind over a seeded stream at a rate and returns the ids of the
// units it struck (messages, documents, cases, revision chains or attempts, whatever the
// kind chooses among) and how many units it could have struck.
type striker func(t *testing.T, seed uint64, rate scenarios.Share) (struck []int64, eligible int)

// strikers lists every fault kind of the catalogue by the name the golden file uses.
func strikers() map[string]striker {
	out := map[string]striker{
		"duplicate:resend":         duplicateStriker("resend", 1),
		"duplicate:new-message-id": duplicateStriker("new-message-id", 1),
		"duplicate:redeliver":      duplicateStriker("redeliver", 3),
		"reorder:child-first":      reorderStriker("child-first", documentsWithLines),
		"reorder:late-parent":      reorderStriker("late-parent", casesOfTwoDocuments),
		"reorder:invoice-first":    reorderStriker("invoice-first", invoicedCases),
		"reorder:shuffle":          reorderStriker("shuffle", casesOfTwoMessages),
		"reorder:newer-first":      reorderStriker("newer-first", revisedTwice),
		"transport:ack-loss":       transportStriker(func(p Plan) bool { return p.AckLoss }),
		"transport:status":         transportStriker(func(p Plan) bool { return p.Status != 0 }),
		"transport:reset":          transportStriker(func(p Plan) bool { return p.Reset }),
		"transport:timeout":        transportStriker(func(p Plan) bool { return p.Timeout }),
		"transport:slow-body":      transportStriker(func(p Plan) bool { return p.SlowBody > 0 }),
	}
	for _, kind := range scenarios.MalformedKinds {
		out["malformed:"+kind] = malformedStriker(kind)
	}
	return out
}

// TestEveryFaultKindStrikesExactlyWhatItsSeedSays pins, kind by kind, the exact units a
// fixed seed strikes at 5%, against testdata/strikes.golden (`go test ./faults -run
// Strikes -update` rewrites it after a deliberate change in how faults draw).
func TestEveryFaultKindStrikesExactlyWhatItsSeedSays(t *testing.T) {
	var got []string
	for name, strike := range strikers() {
		struck, eligible := strike(t, 1, 0.05)
		if len(struck) == 0 || eligible == 0 {
			t.Errorf("%s struck %d of %d units for seed 1: the pin would prove nothing", name,
				len(struck), eligible)
		}
		got = append(got, fmt.Sprintf("%s: %d of %d: %s", name, len(struck), eligible, ids(struck)))
	}
	slices.Sort(got)
	text := strings.Join(got, "\n") + "\n"
	if *update {
		if err := os.WriteFile(strikesGolden, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(strikesGolden)
	if err != nil {
		t.Fatal(err)
	}
	if text != string(want) {
		t.Fatalf("strikes differ from %s:\n%s", strikesGolden, diffLines(string(want), text))
	}
}

// TestEveryFaultKindStrikesAtItsRate checks, kind by kind and seed by seed, that the share
// of eligible units struck lies within a binomial bound of the configured rate.
func TestEveryFaultKindStrikesAtItsRate(t *testing.T) {
	for name, strike := range strikers() {
		for seed := uint64(1); seed <= 12; seed++ {
			struck, eligible := strike(t, seed, 0.1)
			if !withinBinomial(len(struck), eligible, 0.1) {
				t.Errorf("%s, seed %d: struck %d of %d eligible units at 10%%", name, seed,
					len(struck), eligible)
			}
		}
	}
}

// TestTransportLatencyIsDrawnPerAttemptWithinItsRange pins the added latency of the first
// attempts for a seed and checks every attempt's latency lies within the range.
func TestTransportLatencyIsDrawnPerAttemptWithinItsRange(t *testing.T) {
	lat := scenarios.DurationRange{Min: 10 * time.Millisecond, Max: 50 * time.Millisecond}
	p := NewPlanner(scenarios.Faults{Transport: &scenarios.TransportFault{Latency: lat}}, 1)
	var first []string
	lo, hi := time.Hour, time.Duration(0)
	for msg := int64(1); msg <= 2000; msg++ {
		d := p.Plan(Attempt{Message: msg, Try: 1}).Latency
		lo, hi = min(lo, d), max(hi, d)
		if msg <= 6 {
			first = append(first, d.Round(time.Microsecond).String())
		}
	}
	want := "47.734ms 25.48ms 24.722ms 37.758ms 29.9ms 25.88ms"
	if got := strings.Join(first, " "); got != want {
		t.Errorf("seed 1 delays the first attempts by %s, want %s", got, want)
	}
	if lo < lat.Min || hi > lat.Max || lo > lat.Min+time.Millisecond || hi < lat.Max-time.Millisecond {
		t.Errorf("latencies spread over %s-%s, want all of %s-%s", lo, hi, lat.Min, lat.Max)
	}
	retry := p.Plan(Attempt{Message: 1, Try: 2}).Latency
	if retry == p.Plan(Attempt{Message: 1, Try: 1}).Latency {
		t.Error("a retry got the same latency as its first try: the draw is not per attempt")
	}
}

func duplicateStriker(mode string, copies int) striker {
	return func(t *testing.T, seed uint64, rate scenarios.Share) ([]int64, int) {
		cs := cases(t, seed, 1200)
		d, err := newDuplicate(scenarios.DuplicateFault{Rate: rate, Mode: mode, Copies: copies},
			NewDice(seed))
		if err != nil {
			t.Fatal(err)
		}
		n := apply(d, cs)
		var struck []int64
		for _, m := range messagesOf(cs) {
			if len(m.Copies) == 0 {
				continue
			}
			if len(m.Copies) != copies || m.Copies[0].NewID != (mode == "new-message-id") {
				t.Fatalf("%s gave message %d the copies %+v", mode, m.ID, m.Copies)
			}
			struck = append(struck, m.ID)
		}
		if n != copies*len(struck) {
			t.Fatalf("%s counted %d copies for %d messages", mode, n, len(struck))
		}
		return struck, len(messagesOf(cs))
	}
}

// malformedStriker's eligible units are the creates that have a field the kind can break:
// a malformed rate is a share of those (a line has no date for bad-date to break).
func malformedStriker(kind string) striker {
	return func(t *testing.T, seed uint64, rate scenarios.Share) ([]int64, int) {
		cs := revisedCases(t, seed, 1200)
		f, err := newMalformed(scenarios.MalformedFault{Rate: rate, Kinds: []string{kind}},
			NewDice(seed))
		if err != nil {
			t.Fatal(err)
		}
		eligible := 0
		for _, m := range messagesOf(cs) {
			if _, ok := f.try(m, kind); ok && m.Role != generators.Update {
				eligible++
			}
		}
		if n := apply(f, cs); n > eligible {
			t.Fatalf("%s broke %d messages, more than the %d it can break", kind, n, eligible)
		}
		var struck []int64
		for _, m := range messagesOf(cs) {
			if len(m.Faults) > 0 && strings.HasPrefix(m.Faults[0], "malformed:"+kind+":") {
				struck = append(struck, m.ID)
			}
		}
		return struck, eligible
	}
}

// A unitCounter returns the ids of the units of a stream a reorder mode chooses among.
type unitCounter func(cs []generators.Case) []int64

func reorderStriker(mode string, units unitCounter) striker {
	return func(t *testing.T, seed uint64, rate scenarios.Share) ([]int64, int) {
		cs := revisedCases(t, seed, 1200)
		r, err := newReorder(scenarios.ReorderFault{Rate: rate, Mode: mode, Window: 4,
			Delay: scenarios.DurationRange{Min: time.Second, Max: 2 * time.Second}}, NewDice(seed))
		if err != nil {
			t.Fatal(err)
		}
		eligible := units(cs)
		n := apply(r, cs)
		struck := reordered(cs, mode)
		if n != len(struck) {
			t.Fatalf("%s counted %d reorders, the messages show %d", mode, n, len(struck))
		}
		for _, id := range struck {
			if !slices.Contains(eligible, id) {
				t.Fatalf("%s struck unit %d, which it cannot reorder", mode, id)
			}
		}
		return struck, len(eligible)
	}
}

// reordered returns the units the mode's fault marks name: the first message of each
// struck document, case or revision pair.
func reordered(cs []generators.Case, mode string) []int64 {
	var out []int64
	for _, c := range cs {
		for _, doc := range c {
			for _, m := range doc.Messages {
				if unitOf(m, mode) {
					out = append(out, unitID(c, doc, m, mode))
				}
			}
		}
	}
	return slices.Compact(out)
}

func unitOf(m *generators.Message, mode string) bool {
	for _, f := range m.Faults {
		if strings.HasPrefix(f, "reorder:"+mode) {
			return true
		}
	}
	return false
}

func unitID(c generators.Case, doc *generators.Document, m *generators.Message, mode string) int64 {
	switch mode {
	case "child-first":
		return doc.Seq
	case "late-parent":
		return c[0].Seq
	case "invoice-first":
		return documentOf(c, generators.VendorInvoice).Seq
	case "shuffle":
		return c.Messages()[0].ID
	}
	return m.ID // newer-first: the newest revision
}

func documentsWithLines(cs []generators.Case) []int64 {
	var out []int64
	for _, c := range cs {
		for _, doc := range c {
			if len(withRole(doc.Messages, generators.Line)) > 0 {
				out = append(out, doc.Seq)
			}
		}
	}
	return out
}

func casesOfTwoDocuments(cs []generators.Case) []int64 {
	var out []int64
	for _, c := range cs {
		if len(c) >= 2 {
			out = append(out, c[0].Seq)
		}
	}
	return out
}

// invoicedCases returns the vendor invoices of cases with a receipt and an invoice.
func invoicedCases(cs []generators.Case) []int64 {
	var out []int64
	for _, c := range cs {
		inv := documentOf(c, generators.VendorInvoice)
		if inv != nil && documentOf(c, generators.ProductReceipt) != nil {
			out = append(out, inv.Seq)
		}
	}
	return out
}

func casesOfTwoMessages(cs []generators.Case) []int64 {
	var out []int64
	for _, c := range cs {
		if msgs := c.Messages(); len(msgs) >= 2 {
			out = append(out, msgs[0].ID)
		}
	}
	return out
}

// revisedTwice returns the newest revision of each record revised at least twice.
func revisedTwice(cs []generators.Case) []int64 {
	var out []int64
	for _, c := range cs {
		chains := map[string][]int64{}
		var keys []string
		for _, m := range withRole(c.Messages(), generators.Update) {
			k := m.Entity + "|" + m.Key
			if chains[k] == nil {
				keys = append(keys, k)
			}
			chains[k] = append(chains[k], m.ID)
		}
		for _, k := range keys {
			if chain := chains[k]; len(chain) >= 2 {
				out = append(out, chain[len(chain)-1])
			}
		}
	}
	slices.Sort(out)
	return out
}

// transportStriker's units are the first tries of 3,000 original deliveries.
func transportStriker(struckBy func(Plan) bool) striker {
	return func(t *testing.T, seed uint64, rate scenarios.Share) ([]int64, int) {
		const n = 3000
		p := NewPlanner(scenarios.Faults{AckLoss: &scenarios.AckLossFault{Rate: rate},
			Transport: &scenarios.TransportFault{Status: 429, RetryAfter: scenarios.Duration(time.Second),
				ErrorRate: rate, ResetRate: rate, TimeoutRate: rate, SlowBodyRate: rate,
				SlowBody: scenarios.Duration(time.Second)}}, seed)
		var struck []int64
		for msg := int64(1); msg <= n; msg++ {
			if struckBy(p.Plan(Attempt{Message: msg, Try: 1})) {
				struck = append(struck, msg)
			}
		}
		return struck, n - ackLost(p, n, struckBy)
	}
}

// ackLost returns how many of the n first tries lose their answer, when the kind is not
// ack loss itself: an attempt whose answer is lost gets no other transport fault.
func ackLost(p *Planner, n int64, struckBy func(Plan) bool) int {
	if struckBy(Plan{AckLoss: true}) {
		return 0
	}
	lost := 0
	for msg := int64(1); msg <= n; msg++ {
		if p.Plan(Attempt{Message: msg, Try: 1}).AckLoss {
			lost++
		}
	}
	return lost
}

// revisedCases returns the business cases of a procure-to-pay stream whose documents are
// revised after creation, so that update-only kinds have something to strike.
func revisedCases(t *testing.T, seed uint64, maxMessages int) []generators.Case {
	t.Helper()
	return streamCases(t, seed, maxMessages, 0.5)
}

func ids(xs []int64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprint(x)
	}
	return strings.Join(parts, " ")
}

// diffLines lists the lines of got that differ from want, by name.
func diffLines(want, got string) string {
	var out []string
	w := strings.Split(want, "\n")
	for _, line := range strings.Split(got, "\n") {
		if !slices.Contains(w, line) {
			out = append(out, "got:  "+line)
		}
	}
	for _, line := range w {
		if !strings.Contains(got, line+"\n") && line != "" {
			out = append(out, "want: "+line)
		}
	}
	return strings.Join(out, "\n") + "\n(after a deliberate change: go test ./faults -run " +
		"Strikes -update, and review the diff of " + filepath.Base(strikesGolden) + ")"
}
