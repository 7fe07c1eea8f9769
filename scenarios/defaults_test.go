package scenarios

import (
	"fmt"
	"reflect"
	"testing"
	"time"
)

// Ensure a minimal scenario resolves to every documented default.
func TestApplyDefaultsMinimal(t *testing.T) {
	got := stripped(MustParse(t, minimal))
	want := Scenario{
		Name: "t",
		Target: Target{
			Format:        "odata",
			Mock:          Mock{Design: "d365"},
			LegalEntities: []string{"usmf"},
		},
		Load: LoadProfile{
			Rate: Rate{Freq: 10, Per: time.Second}, Messages: 100, Concurrency: 64,
		},
		MasterData: MasterData{Vendors: 50, Customers: 0, Products: 200},
		Flows:      []Flow{{Flow: "procure-to-pay", Weight: 1, Lines: IntRange{Min: 1, Max: 5}}},
		Sender: Sender{
			Strategy: "retry", Timeout: DefaultSenderTimeout,
			Retry: Retry{
				Attempts: 3,
				Backoff:  DurationRange{Min: 100 * time.Millisecond, Max: 5 * time.Second},
				On:       []string{"429", "5xx", "timeout"}, HonorRetryAfter: true,
			},
		},
		Verify: Verify{Settle: Duration(time.Second)},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("resolved:\ngot  %+v\nwant %+v", got, want)
	}
}

// Ensure the defaults of the fault modes, delays and status fill only what is absent.
func TestApplyDefaultsFaults(t *testing.T) {
	s := MustParse(t, minimal+`faults:
  duplicate: { rate: 1% }
  reorder: { rate: 1% }
  transport: { error_rate: 1% }
`)
	f := s.Faults
	if f.Duplicate.Mode != "resend" || f.Duplicate.Delay != (DurationRange{}) {
		t.Errorf("duplicate = %+v, want mode resend, delay 0s-0s", *f.Duplicate)
	}
	if f.Reorder.Mode != "child-first" || f.Reorder.Delay.String() != "1s-5s" {
		t.Errorf("reorder = %+v, want mode child-first, delay 1s-5s", *f.Reorder)
	}
	if f.Transport.Status != 503 {
		t.Errorf("transport status = %d, want 503", f.Transport.Status)
	}
	if f.Malformed != nil || f.AckLoss != nil || f.Restart != nil {
		t.Errorf("absent faults were created: %+v", f)
	}
}

// Ensure retry defaults apply as a whole only without a retry key, and key by key
// when the scenario has one.
func TestApplyDefaultsRetry(t *testing.T) {
	tests := []struct {
		name   string
		sender string
		want   string // attempts backoff on honor
	}{
		{"no sender", "", "3 100ms-5s [429 5xx timeout] true"},
		{"no retry key", "sender: { strategy: retry }\n", "3 100ms-5s [429 5xx timeout] true"},
		{"null retry", "sender: { retry: }\n", "3 100ms-5s [429 5xx timeout] true"},
		{"attempts only", "sender: { retry: { attempts: 1 } }\n",
			"1 100ms-5s [429 5xx timeout] true"},
		{"honor false kept", "sender: { retry: { honor_retry_after: false } }\n",
			"3 100ms-5s [429 5xx timeout] false"},
		{"empty on kept", "sender: { retry: { on: [] } }\n", "3 100ms-5s [] true"},
		{"zero backoff kept", "sender: { retry: { backoff: 0s-0s, on: [503] } }\n",
			"3 0s-0s [503] true"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := MustParse(t, minimal+tt.sender).Sender.Retry
			got := fmt.Sprint(r.Attempts, " ", r.Backoff, " ", r.On, " ", r.HonorRetryAfter)
			if got != tt.want {
				t.Errorf("retry = %s, want %s", got, tt.want)
			}
		})
	}
}

// Ensure an explicit value stays, a zero included, so that Validate judges it.
func TestApplyDefaultsKeepsExplicitZero(t *testing.T) {
	s := MustParse(t, minimal+`master_data: { vendors: 1, products: 1, customers: 0 }
verify: { settle: 0s }
target: { legal_entities: [USMF, DeMf] }
`)
	if s.MasterData.Vendors != 1 || s.MasterData.Products != 1 || s.Verify.Settle != 0 {
		t.Errorf("master data %+v, settle %s: explicit values replaced", s.MasterData,
			s.Verify.Settle)
	}
	if got := fmt.Sprint(s.Target.LegalEntities); got != "[usmf demf]" {
		t.Errorf("legal entities = %s, want [usmf demf]", got)
	}
	problems := MustProblems(t, minimal+"master_data: { vendors: 0 }\n")
	if len(problems) != 1 || problems[0].Key != "master_data" || problems[0].Line != 5 {
		t.Errorf("vendors 0 with procure-to-pay: problems = %+v", problems)
	}
}

// Ensure the seed stays unset when absent: the engine chooses it.
func TestApplyDefaultsLeavesSeed(t *testing.T) {
	if s := MustParse(t, minimal); s.Seed != nil {
		t.Errorf("seed = %d, want nil", *s.Seed)
	}
	if s := MustParse(t, minimal+"seed: 18446744073709551615\n"); *s.Seed != 1<<64-1 {
		t.Errorf("seed = %d, want the largest uint64", *s.Seed)
	}
}

// Ensure a scenario built in code gets defaults for its zero values, keeps what it
// sets, and does not change when defaults are applied again.
func TestApplyDefaultsInCode(t *testing.T) {
	s := &Scenario{
		Name:   "code",
		Load:   LoadProfile{Rate: Rate{Freq: 5, Per: time.Second}, Duration: Duration(time.Minute)},
		Flows:  []Flow{{Flow: "procure-to-pay", Lines: IntRange{Max: 9}}},
		Sender: Sender{Retry: Retry{Attempts: 2}},
	}
	s.ApplyDefaults()
	r := s.Sender.Retry
	if r.Attempts != 2 || r.Backoff.String() != "100ms-5s" || r.HonorRetryAfter {
		t.Errorf("retry = %+v, want attempts 2, default backoff, honor false kept", r)
	}
	if f := s.Flows[0]; f.Weight != 1 || f.Lines != (IntRange{Min: 1, Max: 9}) {
		t.Errorf("flow = %+v, want weight 1, lines 1-9", f)
	}
	if err := s.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	before := stripped(s)
	s.ApplyDefaults()
	if !reflect.DeepEqual(stripped(s), before) {
		t.Errorf("ApplyDefaults is not idempotent")
	}
}
