package scenarios

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// Ensure the resolved quickstart is written in the format's own notation, with the
// defaults spelled out and the optional parts it leaves out still left out.
func TestMarshalQuickstart(t *testing.T) {
	s, err := Load("quickstart")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	got, err := Marshal(s)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	want := `name: quickstart
description: ` + s.Description + `
seed: 42
target:
  format: odata
  mock: {design: d365}
  legal_entities: [usmf, demf]
load: {rate: 200/s, messages: 3000, concurrency: 64}
master_data: {vendors: 40, products: 150}
flows:
  - flow: procure-to-pay
    weight: 1
    lines: {min: 1, max: 6}
faults:
  duplicate:
    rate: 2%
    mode: resend
    copies: 1
    delay: 0s-2s
  malformed:
    rate: 1%
    kinds: [missing-required, bad-date, overlong-string]
  reorder: {rate: 2%, mode: child-first, delay: 1s-3s}
  ack_loss: {rate: 1%}
sender:
  retry:
    attempts: 4
    backoff: 100ms-2s
    on: [429, 5xx, timeout]
    honor_retry_after: true
  strategy: retry
  timeout: 30s
verify: {settle: 1s}
`
	if string(got) != want {
		t.Errorf("Marshal:\n%s\nwant:\n%s", got, want)
	}
}

// Ensure durations, zero values that carry meaning and expectations are written so that
// they read back as they were.
func TestMarshalNotation(t *testing.T) {
	s := MustParse(t, minimal+`target:
  mock: { latency: { base: 250ms, jitter: 90s }, throttle: { capacity: 90/m } }
master_data: { vendors: 1, products: 1, customers: 0 }
sender: { retry: { backoff: 0s-0s, on: [], honor_retry_after: false } }
verify: { settle: 0s }
expect: { p99_latency: 800ms, duplicates: 0x10, error_rate: 0.5%, throughput: 150/s }
`)
	got := string(mustMarshal(t, s))
	for _, want := range []string{
		"latency: {base: 250ms, jitter: 1m30s}",
		"throttle: {capacity: 90/m}",
		"master_data: {vendors: 1, products: 1}",
		"verify: {settle: 0s}",
		"backoff: 0s-0s\n    on: []\n    honor_retry_after: false\n",
		"expect:\n  p99_latency: 800ms\n  duplicates: 16\n  error_rate: 0.5%\n" +
			"  throughput: 150/s\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Marshal output lacks %q:\n%s", want, got)
		}
	}
	assertRoundTrip(t, s)
}

// Ensure expect: {} and an absent expect key stay apart through Marshal.
func TestMarshalExpectSet(t *testing.T) {
	off := MustParse(t, minimal+"expect: {}\n")
	if !strings.Contains(string(mustMarshal(t, off)), "expect: {}\n") {
		t.Errorf("expect: {} was not written")
	}
	assertRoundTrip(t, off)
	if strings.Contains(string(mustMarshal(t, MustParse(t, minimal))), "expect") {
		t.Errorf("an absent expect key was written")
	}
}

// Ensure Parse reads Marshal's output back to an equal scenario, for many random valid
// scenarios.
func TestMarshalRoundTrip(t *testing.T) {
	for i := range 2000 {
		r := rand.New(rand.NewPCG(uint64(i), 7))
		s := randomScenario(r)
		s.ApplyDefaults()
		if err := s.Validate(); err != nil {
			t.Fatalf("case %d: random scenario is invalid: %v", i, err)
		}
		assertRoundTrip(t, s)
		if t.Failed() {
			t.Fatalf("case %d failed", i)
		}
	}
}

func assertRoundTrip(t *testing.T, s *Scenario) {
	t.Helper()
	out := mustMarshal(t, s)
	back, err := Parse(out, "marshalled.yaml")
	if err != nil {
		t.Fatalf("Parse(Marshal(s)): %v\n%s", err, out)
	}
	if want, got := stripped(s), stripped(back); !reflect.DeepEqual(got, want) {
		t.Errorf("round trip changed the scenario:\ngot  %+v\nwant %+v\nyaml:\n%s",
			got, want, out)
	}
}

func mustMarshal(t *testing.T, s *Scenario) []byte {
	t.Helper()
	out, err := Marshal(s)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	return out
}

// randomScenario builds a valid scenario in code, with every optional part present
// or absent at random.
func randomScenario(r *rand.Rand) *Scenario {
	s := &Scenario{
		Name:        pick(r, []string{"a", "p2p-smoke", "0-9", strings.Repeat("x", 63)}),
		Description: pick(r, []string{"", "plain", "with: colon # and hash", "'quoted\"", "2024"}),
		Target:      randomTarget(r),
		Load:        randomLoad(r),
		MasterData: MasterData{
			Vendors: 1 + r.IntN(500), Customers: r.IntN(3) * r.IntN(500), Products: 1 + r.IntN(9),
		},
		Faults: randomFaults(r),
		Sender: randomSender(r),
		Verify: Verify{Settle: randomDuration(r)},
		Expect: randomExpect(r),
	}
	if r.IntN(2) == 0 {
		seed := r.Uint64()
		s.Seed = &seed
	}
	for range 1 + r.IntN(3) {
		lo := 1 + r.IntN(50)
		s.Flows = append(s.Flows, Flow{Flow: "procure-to-pay", Weight: 1 + r.IntN(100),
			Lines: IntRange{Min: lo, Max: lo + r.IntN(900)}})
	}
	if s.Target.URL != "" {
		s.Faults.Restart = nil
	}
	if rs := s.Faults.Restart; rs != nil {
		// A restart comes before the load's last message is due: under 1 µs, since one
		// message at the highest random rate, 100,000/s, is due after 10 µs.
		rs.At = Duration(r.Int64N(int64(time.Microsecond)))
	}
	return s
}

func randomTarget(r *rand.Rand) Target {
	t := Target{
		Format: "odata",
		Mock: Mock{
			Design:   pick(r, Designs),
			Latency:  Latency{Base: randomDuration(r), Jitter: randomDuration(r)},
			Throttle: Throttle{Capacity: randomRate(r), RetryAfter: randomDuration(r)},
		},
		LegalEntities: pickSome(r, []string{"usmf", "demf", "gbsi", "1", "ab12"}, 1),
	}
	if r.IntN(2) == 0 {
		t.Mock.Listen = "127.0.0.1:8365"
	}
	if r.IntN(2) == 0 {
		// A named target has no mock: its section is neither kept nor written.
		t.URL, t.Mock = "http://127.0.0.1:9000", Mock{}
		t.Auth = &Auth{TokenURL: "http://127.0.0.1:9000/token", ClientID: "app",
			ClientSecretEnv: "STORMCHECK_SECRET", Scope: pick(r, []string{"", "api://x/.default"})}
	}
	return t
}

func randomLoad(r *rand.Rand) LoadProfile {
	l := LoadProfile{Rate: randomRate(r), Concurrency: 1 + r.IntN(MaxConcurrency)}
	for l.Rate.IsZero() {
		l.Rate = randomRate(r)
	}
	if r.IntN(2) == 0 {
		l.Messages = 1 + r.IntN(1_000_000)
	}
	if l.Messages == 0 || r.IntN(2) == 0 {
		l.Duration = Duration(1+r.IntN(3600)) * Duration(time.Second)
	}
	return l
}

func randomFaults(r *rand.Rand) Faults {
	var f Faults
	if r.IntN(2) == 0 {
		f.Duplicate = &DuplicateFault{Rate: randomShare(r), Mode: pick(r, DuplicateModes),
			Delay: randomRange(r)}
	}
	if r.IntN(2) == 0 {
		f.Malformed = &MalformedFault{Rate: randomShare(r), Kinds: pickSome(r, MalformedKinds, 1)}
	}
	if r.IntN(2) == 0 {
		f.Reorder = &ReorderFault{Rate: randomShare(r), Mode: "child-first", Delay: randomRange(r)}
	}
	if r.IntN(2) == 0 {
		f.AckLoss = &AckLossFault{Rate: randomShare(r)}
	}
	if r.IntN(2) == 0 {
		f.Transport = &TransportFault{ErrorRate: randomShare(r), Status: 400 + r.IntN(200),
			Latency: randomRange(r)}
	}
	if r.IntN(2) == 0 {
		f.Restart = &RestartFault{At: randomDuration(r), DownFor: Duration(1 + r.IntN(1e9))}
	}
	return f
}

func randomSender(r *rand.Rand) Sender {
	return Sender{
		Strategy: pick(r, Strategies),
		Retry: Retry{
			Attempts:        1 + r.IntN(MaxRetryAttempts),
			Backoff:         randomRange(r),
			On:              pickSome(r, []string{"429", "503", "4xx", "5xx", "timeout"}, 0),
			HonorRetryAfter: r.IntN(2) == 0,
		},
	}
}

func randomExpect(r *rand.Rand) Expect {
	if r.IntN(3) == 0 {
		return Expect{}
	}
	e := Expect{Set: true}
	names := slices.Concat(IntegrityExpectations, PerformanceExpectations)
	r.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
	for _, name := range names[:r.IntN(len(names))] {
		kind, _ := ExpectationKind(name)
		want := fmt.Sprint(r.IntN(100))
		switch {
		case strings.HasSuffix(name, "_latency"):
			want = randomDuration(r).String()
		case name == "error_rate":
			want = randomShare(r).String()
		case name == "throughput":
			want = Rate{Freq: 1 + r.IntN(1000), Per: time.Second}.String()
		}
		e.Items = append(e.Items, Expectation{Name: name, Kind: kind, Want: want})
	}
	return e
}

func randomRate(r *rand.Rand) Rate {
	if r.IntN(4) == 0 {
		return Rate{}
	}
	per := pick(r, []time.Duration{time.Second, time.Minute, time.Hour})
	return Rate{Freq: 1 + r.IntN(100_000), Per: per}
}

// randomShare is any float64 from 0 to 1, not only the ones a short decimal gives.
func randomShare(r *rand.Rand) Share {
	if r.IntN(2) == 0 {
		return Share(float64(r.IntN(100_001)) / 100_000)
	}
	return Share(r.Float64())
}

func randomDuration(r *rand.Rand) Duration {
	if r.IntN(3) == 0 {
		return 0
	}
	return Duration(r.Int64N(int64(24 * time.Hour)))
}

func randomRange(r *rand.Rand) DurationRange {
	a, b := randomDuration(r).D(), randomDuration(r).D()
	return DurationRange{Min: min(a, b), Max: max(a, b)}
}

func pick[T any](r *rand.Rand, from []T) T { return from[r.IntN(len(from))] }

// pickSome returns at least least distinct items of from, in a random order.
func pickSome(r *rand.Rand, from []string, least int) []string {
	items := slices.Clone(from)
	r.Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
	return items[:least+r.IntN(len(items)-least+1)]
}
