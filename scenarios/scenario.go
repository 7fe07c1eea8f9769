// Package scenarios holds the scenario format of stormcheck: the types, strict YAML
// loading with errors that name file, line, column and key, defaults, validation, and the
// bundled catalogue of scenarios.
package scenarios

// A Scenario is one load-and-chaos test: where load goes, how much, which business flows,
// which faults, how the simulated sender behaves, and what must hold afterwards.
type Scenario struct {
	Name        string      `yaml:"name"`
	Description string      `yaml:"description,omitempty"`
	Seed        *uint64     `yaml:"seed,omitempty"` // nil until resolved: a seed is then chosen
	Target      Target      `yaml:"target"`
	Load        LoadProfile `yaml:"load"`
	MasterData  MasterData  `yaml:"master_data"`
	Flows       []Flow      `yaml:"flows"`
	Faults      Faults      `yaml:"faults"`
	Sender      Sender      `yaml:"sender"`
	Verify      Verify      `yaml:"verify"`
	Expect      Expect      `yaml:"expect"`

	// Source names where the scenario came from (a file path or "bundled:NAME"); it is
	// not part of the YAML.
	Source string `yaml:"-"`

	// keys maps each key path read from the file ("faults.duplicate.rate", "flows[0]") to
	// its place, so defaults can tell an absent key from a zero value and Validate can
	// point at lines. It is nil for a scenario built in code.
	keys map[string]position
	// flags maps the key paths that a command-line flag set to the flag's name, so that a
	// problem with such a value names the flag, not the line the file had.
	flags map[string]string
}

// SetByFlag records that the value at path (such as "target.url") came from the
// command-line flag named flag (such as "--target"): problems with it name the flag.
func (s *Scenario) SetByFlag(path, flag string) {
	if s.flags == nil {
		s.flags = map[string]string{}
	}
	s.flags[path] = flag
}

// fromFile reports whether the file gave the key at path and no flag replaced it.
func (s *Scenario) fromFile(path string) bool {
	_, given := s.keys[path]
	_, flagged := s.flags[path]
	return given && !flagged
}

// Target says where load goes. With no URL the embedded mock D365 serves the run.
type Target struct {
	URL           string   `yaml:"url,omitempty"`
	Format        string   `yaml:"format,omitempty"` // odata (default) or canonical-json
	Auth          *Auth    `yaml:"auth,omitempty"`
	Mock          Mock     `yaml:"mock"`
	LegalEntities []string `yaml:"legal_entities"`
}

// Auth is OAuth 2.0 client credentials as F&O uses them. The secret is read from the
// environment variable ClientSecretEnv, never from the scenario.
type Auth struct {
	TokenURL        string `yaml:"token_url"`
	ClientID        string `yaml:"client_id"`
	ClientSecretEnv string `yaml:"client_secret_env"`
	Scope           string `yaml:"scope,omitempty"`    // v2 endpoints
	Resource        string `yaml:"resource,omitempty"` // v1 endpoints
}

// Mock configures the embedded mock D365.
type Mock struct {
	Design   string   `yaml:"design"`           // naive | d365 | idempotent | queued
	Listen   string   `yaml:"listen,omitempty"` // fixed address; default 127.0.0.1:0
	Latency  Latency  `yaml:"latency"`
	Throttle Throttle `yaml:"throttle"`
}

// Latency is the mock's added response time: Base plus a uniform jitter up to Jitter.
type Latency struct {
	Base   Duration `yaml:"base"`
	Jitter Duration `yaml:"jitter"`
}

// Throttle makes the mock answer 429 with Retry-After beyond Capacity. Zero means off.
type Throttle struct {
	Capacity   Rate     `yaml:"capacity"`
	RetryAfter Duration `yaml:"retry_after"`
}

// A LoadProfile is how many messages go out and how fast (the load key). Exactly one of
// Rate, Stages and BusinessDay shapes the pace; Duration and Messages bound it (whichever
// ends first). It is not named Load because the package's Load function reads scenarios.
type LoadProfile struct {
	Rate        Rate         `yaml:"rate"`
	Duration    Duration     `yaml:"duration"`
	Messages    int          `yaml:"messages"`
	Stages      []Stage      `yaml:"stages,omitempty"`
	BusinessDay *BusinessDay `yaml:"business_day,omitempty"`
	// Concurrency caps requests in flight; 0 means the default.
	Concurrency int `yaml:"concurrency,omitempty"`
}

// A Stage is one step of a staged profile: either a ramp to a rate over a time, or a hold
// of a rate for a time.
type Stage struct {
	RampTo Rate     `yaml:"ramp_to,omitempty"`
	Over   Duration `yaml:"over,omitempty"`
	Hold   Rate     `yaml:"hold,omitempty"`
	For    Duration `yaml:"for,omitempty"`
}

// BusinessDay compresses a day's worth of messages, shaped by a named curve, into a
// shorter run.
type BusinessDay struct {
	Messages   int      `yaml:"messages"`
	Curve      string   `yaml:"curve"`
	CompressTo Duration `yaml:"compress_to"`
}

// MasterData says how many master records each legal entity gets before the load starts.
type MasterData struct {
	Vendors   int `yaml:"vendors"`
	Customers int `yaml:"customers"`
	Products  int `yaml:"products"`
}

// A Flow is one business flow in the mix, chosen per document in proportion to Weight.
type Flow struct {
	Flow   string   `yaml:"flow"` // procure-to-pay | order-to-cash | pos-sales
	Weight int      `yaml:"weight"`
	Lines  IntRange `yaml:"lines"`
	// Changes is the share of documents revised after they were created: for
	// procure-to-pay, a buyer changes an order line's quantity once or twice, each change
	// a PATCH of the line.
	Changes Share `yaml:"changes,omitempty"`
}

// Faults is the fault mix. A nil entry injects nothing of that kind.
type Faults struct {
	Duplicate *DuplicateFault `yaml:"duplicate,omitempty"`
	Malformed *MalformedFault `yaml:"malformed,omitempty"`
	Reorder   *ReorderFault   `yaml:"reorder,omitempty"`
	AckLoss   *AckLossFault   `yaml:"ack_loss,omitempty"`
	Transport *TransportFault `yaml:"transport,omitempty"`
	Restart   *RestartFault   `yaml:"restart,omitempty"`
	Burst     *BurstFault     `yaml:"burst,omitempty"`
}

// DuplicateFault sends a share of messages more than once: Copies extra deliveries, each
// after a delay drawn from Delay once the original delivery is over.
type DuplicateFault struct {
	Rate   Share         `yaml:"rate"`
	Mode   string        `yaml:"mode"`             // resend | new-message-id | redeliver
	Copies int           `yaml:"copies,omitempty"` // 1, or 3 for redeliver, when omitted
	Delay  DurationRange `yaml:"delay"`
}

// MalformedFault breaks one field of a share of messages, drawn from Kinds.
type MalformedFault struct {
	Rate  Share    `yaml:"rate"`
	Kinds []string `yaml:"kinds"`
}

// ReorderFault delivers a share of documents (or of business cases, for late-parent and
// shuffle) out of order.
type ReorderFault struct {
	Rate   Share         `yaml:"rate"`
	Mode   string        `yaml:"mode"` // child-first | late-parent | invoice-first | shuffle | newer-first
	Delay  DurationRange `yaml:"delay"`
	Window int           `yaml:"window,omitempty"` // shuffle: messages shuffled together
}

// AckLossFault lets the target commit a share of messages while the sender sees a timeout.
type AckLossFault struct {
	Rate Share `yaml:"rate"`
}

// TransportFault breaks a share of attempts on the way: an injected error status (with
// Retry-After for 429 and 503), a reset connection or a timeout before the request reaches
// the target, a slowly dribbled answer; and it adds latency to every attempt.
type TransportFault struct {
	ErrorRate    Share         `yaml:"error_rate"`
	Status       int           `yaml:"status"`
	RetryAfter   Duration      `yaml:"retry_after,omitempty"`
	ResetRate    Share         `yaml:"reset_rate,omitempty"`
	TimeoutRate  Share         `yaml:"timeout_rate,omitempty"`
	SlowBodyRate Share         `yaml:"slow_body_rate,omitempty"`
	SlowBody     Duration      `yaml:"slow_body,omitempty"`
	Latency      DurationRange `yaml:"latency"`
}

// BurstFault releases Messages messages at once, At after the load starts, on top of the
// paced load: a batch job upstream that dumps its backlog.
type BurstFault struct {
	At       Duration `yaml:"at"`
	Messages int      `yaml:"messages"`
}

// RestartFault takes the embedded mock down at At for DownFor.
type RestartFault struct {
	At      Duration `yaml:"at"`
	DownFor Duration `yaml:"down_for"`
}

// Sender is the behaviour of the simulated source system.
type Sender struct {
	Retry    Retry  `yaml:"retry"`
	Strategy string `yaml:"strategy"` // retry | query-before-create | fire-and-forget
	// Timeout bounds one attempt, answer included, as the sender's HTTP client does; an
	// attempt without a whole answer by then has no answer.
	Timeout Duration `yaml:"timeout"`
}

// Retry is the sender's retry policy. Attempts counts the first try, so 1 means no retry.
type Retry struct {
	Attempts        int           `yaml:"attempts"`
	Backoff         DurationRange `yaml:"backoff"`
	On              []string      `yaml:"on"` // status codes, "4xx", "5xx", "timeout"
	HonorRetryAfter bool          `yaml:"honor_retry_after"`
}

// Verify configures the read-back after the load.
type Verify struct {
	Settle Duration `yaml:"settle"`
	Source *Source  `yaml:"source,omitempty"`
}

// Source is where state is read back from, when it is not the target itself.
type Source struct {
	URL  string `yaml:"url"`
	Auth *Auth  `yaml:"auth,omitempty"`
}

// Expect is the list of expectations, in the order the scenario gives them. Set reports
// whether the scenario had an expect key at all: when it did not, the integrity defaults
// apply; `expect: {}` turns them off.
type Expect struct {
	Set   bool
	Items []Expectation
}

// An Expectation bounds one verdict count or load metric: Got must not exceed Want for
// counts, latencies and error rates, and must reach Want for throughput and success.
type Expectation struct {
	Name string // a verdict count (duplicates, gaps, ...) or a load metric (p99_latency, ...)
	Kind string // "integrity" or "performance"
	Want string // as written: "0", "800ms", "1%", "150/s"
}
