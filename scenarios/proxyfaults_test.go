package scenarios

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseProxyFaults(t *testing.T) {
	pf, err := ParseProxyFaults([]byte(`seed: 7
faults:
  ack_loss: { rate: 1% }
  transport: { error_rate: 2%, status: 429, latency: 0ms-40ms }
`), "p.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tr := pf.Faults.Transport
	if *pf.Seed != 7 || pf.Faults.AckLoss.Rate != 0.01 || tr.Status != 429 ||
		tr.RetryAfter.D() != time.Second || tr.Latency.Max != 40*time.Millisecond {
		t.Fatalf("parsed %+v / %+v", pf, *tr)
	}
}

func TestParseProxyFaultsProblems(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"faults:\n  transport: { eror_rate: 2% }\n",
			"p.yaml:2:16: faults.transport.eror_rate: unknown key (did you mean error_rate?)"},
		{"faults:\n  duplicate: { rate: 2% }\n",
			"p.yaml:2:3: faults.duplicate: the proxy sees requests, not messages"},
		{"faults:\n  transport: { error_rate: 60%, reset_rate: 50% }\n",
			"p.yaml:2:3: faults.transport: error_rate, reset_rate, timeout_rate and " +
				"slow_body_rate add up to 110%"},
	} {
		_, err := ParseProxyFaults([]byte(tc.src), "p.yaml")
		var se *Error
		if !errors.As(err, &se) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want %q", tc.src, err, tc.want)
		}
	}
}
