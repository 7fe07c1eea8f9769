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
		{"faults:\n  flood: { rate: 2% }\n",
			"p.yaml:2:3: faults.flood: unknown key; the proxy applies ack_loss and transport"},
		{"faults:\n  ackloss: { rate: 2% }\n",
			"p.yaml:2:3: faults.ackloss: unknown key (did you mean ack_loss?)"},
		{"name: s\nload: { rate: 1/s }\nfaults: {}\n",
			"p.yaml:1:1: name: this looks like a scenario; a faults file holds only seed and faults"},
		{"", "p.yaml: the faults file is empty"},
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

func TestMarshalProxyFaultsRoundTrips(t *testing.T) {
	src := "faults:\n  ack_loss: { rate: 1% }\n  transport: { error_rate: 2.5%, status: 429, retry_after: 5s }\n"
	pf, err := ParseProxyFaults([]byte(src), "p.yaml")
	if err != nil {
		t.Fatal(err)
	}
	out, err := MarshalProxyFaults(pf, 9)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"seed: 9", "rate: 1%", "error_rate: 2.5%", "retry_after: 5s"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	back, err := ParseProxyFaults(out, "again.yaml")
	if err != nil || *back.Seed != 9 || *back.Faults.Transport != *pf.Faults.Transport ||
		back.Faults.AckLoss.Rate != pf.Faults.AckLoss.Rate {
		t.Fatalf("the output did not read back the same: %v\n%s", err, out)
	}
	empty, err := MarshalProxyFaults(&ProxyFaults{}, 1)
	if err != nil || !strings.HasPrefix(string(empty), "seed: 1\n") {
		t.Fatalf("no faults wrote %q, %v", empty, err)
	}
	if _, err := ParseProxyFaults(empty, "empty.yaml"); err != nil {
		t.Fatalf("no faults did not read back: %v", err)
	}
}
