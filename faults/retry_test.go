package faults

import (
	"strings"
	"testing"
	"time"

	"github.com/stormcheck/stormcheck/scenarios"
)

func policy(t *testing.T, strategy string, attempts int, on ...string) *Policy {
	t.Helper()
	p, err := NewPolicy(scenarios.Sender{Strategy: strategy, Retry: scenarios.Retry{
		Attempts: attempts, On: on, HonorRetryAfter: true,
		Backoff: scenarios.DurationRange{Min: 100 * time.Millisecond, Max: time.Second},
	}}, 1)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPolicyDecisions(t *testing.T) {
	p := policy(t, "retry", 3, "429", "5xx", "timeout")
	for _, tc := range []struct {
		name   string
		try    int
		o      Outcome
		retry  bool
		reason string
	}{
		{"success", 1, Outcome{Status: 201}, false, ""},
		{"rejection is final", 1, Outcome{Status: 400}, false, "status 400 is not retried"},
		{"timeout retried", 1, Outcome{}, true, "no answer (timeout): retry 2 of 3 after"},
		{"503 retried", 2, Outcome{Status: 503}, true, "status 503: retry 3 of 3 after"},
		{"gives up", 3, Outcome{Status: 503}, false, "status 503 on attempt 3 of 3: gave up"},
		{"Retry-After honoured", 1, Outcome{Status: 429, RetryAfter: 5 * time.Second}, true,
			"status 429: retry 2 of 3 after Retry-After 5s"},
		{"Retry-After beyond reason", 1, Outcome{Status: 429, RetryAfter: 27 * time.Hour}, false,
			"status 429 asks to wait Retry-After 27h0m0s, longer than the sender waits (1m0s): gave up"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			retry, wait, reason := p.Next(Attempt{Message: 7, Try: tc.try}, tc.o)
			if retry != tc.retry || !strings.HasPrefix(reason, tc.reason) {
				t.Fatalf("got retry %v %q, want %v %q", retry, reason, tc.retry, tc.reason)
			}
			if retry && tc.o.RetryAfter > 0 && wait != tc.o.RetryAfter {
				t.Fatalf("waits %s, want the Retry-After %s", wait, tc.o.RetryAfter)
			}
		})
	}
}

func TestBackoffGrowsWithinBounds(t *testing.T) {
	p := policy(t, "retry", 10, "timeout")
	for try, bounds := range map[int][2]time.Duration{
		1: {100 * time.Millisecond, 200 * time.Millisecond},
		2: {200 * time.Millisecond, 400 * time.Millisecond},
		4: {800 * time.Millisecond, time.Second},
		9: {time.Second, time.Second},
	} {
		lo, hi := time.Duration(1<<62), time.Duration(0)
		for msg := int64(0); msg < 500; msg++ {
			_, wait, _ := p.Next(Attempt{Message: msg, Try: try}, Outcome{})
			lo, hi = min(lo, wait), max(hi, wait)
		}
		// 500 draws spread over the whole range: the extremes come within 2% of its ends.
		slack := (bounds[1] - bounds[0]) / 50
		if lo < bounds[0] || hi > bounds[1] || lo > bounds[0]+slack || hi < bounds[1]-slack {
			t.Fatalf("retry after try %d waited %s-%s, want %s-%s", try, lo, hi, bounds[0], bounds[1])
		}
	}
}

func TestNoAnswerNamesWhatFailed(t *testing.T) {
	p := policy(t, "retry", 3, "timeout")
	_, _, reason := p.Next(Attempt{Message: 1, Try: 1}, Outcome{Failure: "connection reset"})
	if !strings.HasPrefix(reason, "no answer (connection reset): retry 2 of 3 after ") {
		t.Fatalf("reason %q does not name the reset", reason)
	}
}

func TestFireAndForgetNeverRetries(t *testing.T) {
	p := policy(t, "fire-and-forget", 5, "timeout", "5xx")
	if retry, _, _ := p.Next(Attempt{Message: 1, Try: 1}, Outcome{Status: 503}); retry {
		t.Fatal("fire-and-forget retried")
	}
}

func TestPolicyRejectsBadTrigger(t *testing.T) {
	_, err := NewPolicy(scenarios.Sender{Retry: scenarios.Retry{Attempts: 2, On: []string{"teapot"}}}, 1)
	if err == nil || !strings.Contains(err.Error(), `"teapot"`) {
		t.Fatalf("got %v, want an error naming the trigger", err)
	}
}

func TestFailureOfNamesTheNetworkError(t *testing.T) {
	for text, want := range map[string]string{
		ErrReset.Error():             "connection reset",
		ErrAckLost.Error():           "timeout",
		ErrTimeoutBeforeSend.Error(): "timeout",
		`Post "http://127.0.0.1:9/data/VendorsV2": dial tcp 127.0.0.1:9: connect: connection refused`: "connection refused",
		`Post "http://127.0.0.1:9/data/VendorsV2": EOF`:                                               "connection closed",
		"context deadline exceeded (Client.Timeout exceeded while awaiting headers)":                  "timeout",
		"something else": "",
	} {
		if got := FailureOf(text); got != want {
			t.Errorf("FailureOf(%q) = %q, want %q", text, got, want)
		}
	}
}
