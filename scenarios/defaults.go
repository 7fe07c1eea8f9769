package scenarios

import (
	"fmt"
	"strings"
	"time"
)

// The defaults that ApplyDefaults fills in. The CLI reuses them, so help texts and the
// scenario format cannot drift apart.
const (
	DefaultFormat          = "odata"
	DefaultDesign          = "d365"
	DefaultLegalEntity     = "usmf"
	DefaultConcurrency     = 64
	DefaultVendors         = 50
	DefaultProducts        = 200
	DefaultFlowWeight      = 1
	DefaultMinLines        = 1
	DefaultMaxLines        = 5
	DefaultStrategy        = "retry"
	DefaultRetryAttempts   = 3
	DefaultDuplicateMode   = "resend"
	DefaultReorderMode     = "child-first"
	DefaultTransportStatus = 503
	DefaultSettle          = Duration(time.Second)
	DefaultCopies          = 1 // extra deliveries of a duplicated message
	DefaultRedeliveries    = 3 // extra deliveries in duplicate mode redeliver
	DefaultShuffleWindow   = 8 // messages shuffled together in reorder mode shuffle
	DefaultRetryAfter      = Duration(time.Second)
	DefaultSlowBody        = Duration(2 * time.Second)
	DefaultSenderTimeout   = Duration(30 * time.Second)
)

// DefaultReorderDelay is how long a reordered parent is held back when
// faults.reorder.delay is absent.
var DefaultReorderDelay = DurationRange{Min: time.Second, Max: 5 * time.Second}

// DefaultRetry returns the retry policy a scenario gets when it has no sender.retry key:
// three attempts, a backoff from 100ms to 5s, retries on 429, 5xx and timeouts, and
// Retry-After honoured.
func DefaultRetry() Retry {
	return Retry{
		Attempts:        DefaultRetryAttempts,
		Backoff:         DurationRange{Min: 100 * time.Millisecond, Max: 5 * time.Second},
		On:              []string{"429", "5xx", "timeout"},
		HonorRetryAfter: true,
	}
}

// ApplyDefaults fills in what the scenario leaves out; Load and Parse call it before
// Validate. For a scenario read from a file a default replaces only an absent key, so
// an explicit zero (vendors: 0, settle: 0s) stays and Validate judges it; for a
// scenario built in code, a zero value counts as absent. A scenario with no sender.retry
// key gets DefaultRetry; one with a retry key keeps what it says and gets the default
// of each retry key it leaves out. The
// seed stays nil: the engine chooses one and records it. Legal entities are
// lower-cased. Calling ApplyDefaults again changes nothing.
func (s *Scenario) ApplyDefaults() {
	s.defaultTarget()
	if s.absent("load.concurrency", s.Load.Concurrency == 0) {
		s.Load.Concurrency = DefaultConcurrency
	}
	if s.absent("master_data.vendors", s.MasterData.Vendors == 0) {
		s.MasterData.Vendors = DefaultVendors
	}
	if s.absent("master_data.products", s.MasterData.Products == 0) {
		s.MasterData.Products = DefaultProducts
	}
	s.defaultFlows()
	s.defaultFaults()
	s.defaultSender()
	if s.absent("verify.settle", s.Verify.Settle == 0) {
		s.Verify.Settle = DefaultSettle
	}
}

// absent reports whether a default belongs at path: the value is zero and the file did
// not give the key.
func (s *Scenario) absent(path string, zero bool) bool {
	_, given := s.keys[path]
	return zero && !given
}

func (s *Scenario) defaultTarget() {
	t := &s.Target
	if s.absent("target.format", t.Format == "") {
		t.Format = DefaultFormat
	}
	if t.URL == "" && s.absent("target.mock.design", t.Mock.Design == "") {
		t.Mock.Design = DefaultDesign
	}
	if s.absent("target.legal_entities", len(t.LegalEntities) == 0) {
		t.LegalEntities = []string{DefaultLegalEntity}
	}
	for i, le := range t.LegalEntities {
		t.LegalEntities[i] = strings.ToLower(le)
	}
}

func (s *Scenario) defaultFlows() {
	for i := range s.Flows {
		f, path := &s.Flows[i], fmt.Sprintf("flows[%d]", i)
		if s.absent(path+".weight", f.Weight == 0) {
			f.Weight = DefaultFlowWeight
		}
		if s.absent(path+".lines.min", f.Lines.Min == 0) {
			f.Lines.Min = DefaultMinLines
		}
		if s.absent(path+".lines.max", f.Lines.Max == 0) {
			f.Lines.Max = DefaultMaxLines
		}
	}
}

func (s *Scenario) defaultFaults() {
	if d := s.Faults.Duplicate; d != nil {
		if s.absent("faults.duplicate.mode", d.Mode == "") {
			d.Mode = DefaultDuplicateMode
		}
		if s.absent("faults.duplicate.copies", d.Copies == 0) {
			d.Copies = DefaultCopies
			if d.Mode == "redeliver" {
				d.Copies = DefaultRedeliveries
			}
		}
	}
	if r := s.Faults.Reorder; r != nil {
		if s.absent("faults.reorder.mode", r.Mode == "") {
			r.Mode = DefaultReorderMode
		}
		if s.absent("faults.reorder.delay", r.Delay == DurationRange{}) {
			r.Delay = DefaultReorderDelay
		}
		if r.Mode == "shuffle" && s.absent("faults.reorder.window", r.Window == 0) {
			r.Window = DefaultShuffleWindow
		}
	}
	if t := s.Faults.Transport; t != nil {
		s.defaultTransport(t)
	}
}

func (s *Scenario) defaultTransport(t *TransportFault) {
	if s.absent("faults.transport.status", t.Status == 0) {
		t.Status = DefaultTransportStatus
	}
	if s.absent("faults.transport.retry_after", t.RetryAfter == 0) {
		t.RetryAfter = DefaultRetryAfter
	}
	if s.absent("faults.transport.slow_body", t.SlowBody == 0) {
		t.SlowBody = DefaultSlowBody
	}
}

func (s *Scenario) defaultSender() {
	if s.absent("sender.strategy", s.Sender.Strategy == "") {
		s.Sender.Strategy = DefaultStrategy
	}
	if s.absent("sender.timeout", s.Sender.Timeout == 0) {
		s.Sender.Timeout = DefaultSenderTimeout
	}
	r, def := &s.Sender.Retry, DefaultRetry()
	zero := r.Attempts == 0 && r.Backoff == DurationRange{} && r.On == nil && !r.HonorRetryAfter
	if s.absent("sender.retry", zero) {
		*r = def
		return
	}
	if s.absent("sender.retry.attempts", r.Attempts == 0) {
		r.Attempts = def.Attempts
	}
	if s.absent("sender.retry.backoff", r.Backoff == DurationRange{}) {
		r.Backoff = def.Backoff
	}
	if s.absent("sender.retry.on", r.On == nil) {
		r.On = def.On
	}
	// Built in code, a false HonorRetryAfter cannot be told from an absent one, so it
	// is kept; only a file that leaves the key out gets true.
	if s.keys != nil && s.absent("sender.retry.honor_retry_after", !r.HonorRetryAfter) {
		r.HonorRetryAfter = true
	}
}
