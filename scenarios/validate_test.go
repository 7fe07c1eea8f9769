package scenarios

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// validInCode is a valid scenario built in code, with defaults applied.
func validInCode() *Scenario {
	s := &Scenario{
		Name:  "code",
		Load:  LoadProfile{Rate: Rate{Freq: 5, Per: time.Second}, Messages: 10},
		Flows: []Flow{{Flow: "procure-to-pay"}},
	}
	s.ApplyDefaults()
	return s
}

// Ensure Validate catches impossible values set in code, where the decoder never ran,
// and reports them without a place.
func TestValidateInCode(t *testing.T) {
	tests := []struct {
		name   string
		change func(s *Scenario)
		want   string
	}{
		{"valid", func(*Scenario) {}, ""},
		{"share over 100%", func(s *Scenario) {
			s.Faults.AckLoss = &AckLossFault{Rate: 1.5}
		}, `faults.ack_loss.rate: share "150%" must lie between 0% and 100%`},
		{"negative duration", func(s *Scenario) {
			s.Verify.Settle = -1
		}, `verify.settle: duration "-1ns" must not be negative`},
		{"inverted range", func(s *Scenario) {
			s.Sender.Retry.Backoff = DurationRange{Min: time.Second}
		}, `sender.retry.backoff: range "1s-0s" is inverted: 1s is more than 0s`},
		{"rate without unit", func(s *Scenario) {
			s.Load.Rate.Per = 2 * time.Second
		}, `load.rate: rate "5/" has unit ""; use s, m or h`},
		{"unknown expectation", func(s *Scenario) {
			s.Expect = Expect{Set: true, Items: []Expectation{{Name: "gap", Want: "0"}}}
		}, `expect[0]: unknown expectation "gap" (did you mean gaps?)`},
		{"expectation of the wrong kind", func(s *Scenario) {
			s.Expect = Expect{Set: true, Items: []Expectation{
				{Name: "gaps", Kind: "performance", Want: "0"}}}
		}, `expect.gaps: kind "performance" should be "integrity"`},
		{"concurrency too high", func(s *Scenario) {
			s.Load.Concurrency = MaxConcurrency + 1
		}, "load.concurrency: 10001 must lie between 1 and 10000"},
		{"queued design", func(s *Scenario) {
			s.Target.Mock.Design = "queued"
		}, `target.mock.design: design "queued" is in the scenario format but not ` +
			`implemented yet; use naive or d365 or idempotent`},
		{"auth with scope and resource", func(s *Scenario) {
			s.Target.Auth = &Auth{TokenURL: "http://h/t", ClientID: "a",
				ClientSecretEnv: "S", Scope: "x", Resource: "y"}
		}, "target.auth: give scope (v2 endpoints) or resource (v1 endpoints), not both"},
		{"listen without port", func(s *Scenario) {
			s.Target.Mock.Listen = "127.0.0.1"
		}, `target.mock.listen: "127.0.0.1" must be host:port, such as 127.0.0.1:8365`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := validInCode()
			tt.change(s)
			err := s.Validate()
			var invalid *Error
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Validate: %v", err)
			case tt.want != "" && (!errors.As(err, &invalid) || err.Error() != tt.want):
				t.Errorf("Validate:\ngot  %v\nwant %s", err, tt.want)
			}
		})
	}
}

// Ensure Validate after a change in code (as the CLI's flags make) still points at the
// lines of the file.
func TestValidateAfterChangeKeepsPlaces(t *testing.T) {
	s := MustParse(t, minimal)
	s.Flows[0].Weight = 0
	err := s.Validate()
	if err == nil || err.Error() != "t.yaml:4:5: flows[0].weight: 0 must be 1 or more" {
		t.Errorf("Validate = %v", err)
	}
}

// Ensure the effective expectations follow the presence of the expect key.
func TestExpectEffective(t *testing.T) {
	tests := []struct {
		name, expect, want string
	}{
		{"absent", "", "duplicates gaps bad_data_accepted altered"},
		{"turned off", "expect: {}\n", ""},
		{"given, in order", "expect: { throughput: 5/s, orphans: 0 }\n", "throughput orphans"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var names []string
			for _, e := range MustParse(t, minimal+tt.expect).Expect.Effective() {
				names = append(names, e.Name)
			}
			if got := strings.Join(names, " "); got != tt.want {
				t.Errorf("Effective = %q, want %q", got, tt.want)
			}
		})
	}
}

// Ensure expectations keep their order, get their kind, and count limits are read as
// numbers.
func TestParseExpect(t *testing.T) {
	s := MustParse(t, minimal+`expect:
  throughput: 150/s
  duplicates: 0
  p99_latency: 800ms
  error_rate: 1%
`)
	want := Expect{Set: true, Items: []Expectation{
		{Name: "throughput", Kind: "performance", Want: "150/s"},
		{Name: "duplicates", Kind: "integrity", Want: "0"},
		{Name: "p99_latency", Kind: "performance", Want: "800ms"},
		{Name: "error_rate", Kind: "performance", Want: "1%"},
	}}
	if !reflect.DeepEqual(s.Expect, want) {
		t.Errorf("Expect = %+v, want %+v", s.Expect, want)
	}
	if e := MustParse(t, minimal+"expect: {}\n").Expect; !e.Set || len(e.Items) != 0 {
		t.Errorf("expect: {} gave %+v, want Set and no items", e)
	}
	if e := MustParse(t, minimal).Expect; e.Set {
		t.Errorf("no expect key gave %+v, want Set false", e)
	}
	problems := MustProblems(t, minimal+"expect: { p99_latency: fast, error_rate: 2 }\n")
	got := []string{problems[0].String(), problems[1].String()}
	wantProblems := []string{
		`t.yaml:5:24: expect.p99_latency: duration "fast" is not like 250ms, 10s or 2m`,
		`t.yaml:5:42: expect.error_rate: share "2" must be a percentage such as 2% or 0.5%`,
	}
	if !reflect.DeepEqual(got, wantProblems) {
		t.Errorf("problems:\ngot  %q\nwant %q", got, wantProblems)
	}
}
