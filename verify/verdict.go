package verify

// The classes of an expected record. Each record ends in exactly one.
const (
	Committed          = "committed"            // valid, stored once, with the values sent
	Duplicated         = "duplicated"           // valid, stored more than once
	Lost               = "lost"                 // valid, absent
	Altered            = "altered"              // stored once, but a value differs
	BadDataAccepted    = "bad_data_accepted"    // sent malformed on purpose, yet stored
	RejectedAsExpected = "rejected_as_expected" // sent malformed on purpose, and absent
	Orphan             = "orphan"               // stored, but its parent record is absent
)

// A verdict is the classification of one expected record, with its evidence in words.
type verdict struct {
	message       int64
	entity        string
	company       string
	class         string
	found         int
	acknowledged  bool
	recovered     bool
	falseNegative bool
	unclear       bool // rejected as expected, but not with a 4xx and a message
	violations    int  // retries sent before the previous answer's Retry-After
	cause         string
	diff          difference // the first field that differs, for altered and bad data

	// Sent and lost quantities and amounts, for reconciliation.
	quantity, amount float64
	meant            bool // meant to be committed: its quantity and amount are expected
}

// extra is the number of copies beyond the first.
func (v verdict) extra() int { return max(v.found-1, 0) }

// duplicates is the number of extra copies that count as duplicates: those of a
// duplicated record, and those of an orphan stored more than once, which is valid data
// stored again as much as a duplicate is. Bad data accepted is not counted: none of it
// was expected, so reconciliation puts all of it in other.
func (v verdict) duplicates() int {
	if v.class != Duplicated && v.class != Orphan {
		return 0
	}
	return v.extra()
}

// Counts are the verdict counts of a run or of one entity in one legal entity.
type Counts struct {
	Expected   int `json:"expected"`
	Committed  int `json:"committed"`
	Duplicated int `json:"duplicated"` // records present more than once
	// DuplicateCopies counts the extra copies of duplicated records and of orphans stored
	// more than once (an orphan keeps its class, and its copies are duplicates too).
	DuplicateCopies    int `json:"duplicate_copies"`
	Lost               int `json:"lost"`
	LostAcknowledged   int `json:"lost_acknowledged"`   // a 2xx was seen: silent data loss
	LostNeverAccepted  int `json:"lost_never_accepted"` // every attempt failed
	Altered            int `json:"altered"`
	BadDataAccepted    int `json:"bad_data_accepted"`
	RejectedAsExpected int `json:"rejected_as_expected"`
	// UnclearRejections counts the records rejected as expected that were not refused
	// with a 4xx and a message: they never reached the target, or got a 5xx or no text.
	UnclearRejections int `json:"unclear_rejections"`
	Orphans           int `json:"orphans"`
	Unexpected        int `json:"unexpected"` // carry the run's prefix but were never sent
	Recovered         int `json:"recovered"`  // committed after a failed or unanswered attempt
	// FalseNegatives counts records the sender gave up on that were in fact stored.
	FalseNegatives int `json:"false_negatives"`
	// RetryAfterViolations counts retries sent sooner than the Retry-After of the answer
	// before them.
	RetryAfterViolations int `json:"retry_after_violations"`
}

// add counts one verdict.
func (c *Counts) add(v verdict) {
	c.Expected++
	switch v.class {
	case Committed:
		c.Committed++
	case Duplicated:
		c.Duplicated++
	case Lost:
		c.Lost++
		if v.acknowledged {
			c.LostAcknowledged++
		} else {
			c.LostNeverAccepted++
		}
	case Altered:
		c.Altered++
	case BadDataAccepted:
		c.BadDataAccepted++
	case RejectedAsExpected:
		c.RejectedAsExpected++
		if v.unclear {
			c.UnclearRejections++
		}
	case Orphan:
		c.Orphans++
	}
	c.DuplicateCopies += v.duplicates()
	if v.recovered {
		c.Recovered++
	}
	if v.falseNegative {
		c.FalseNegatives++
	}
	c.RetryAfterViolations += v.violations
}

// EntityCounts are the counts of one entity in one legal entity.
type EntityCounts struct {
	Entity  string `json:"entity"`
	Company string `json:"company"`
	Counts
}

// Result is the outcome of verification.
type Result struct {
	Counts
	Entities []EntityCounts `json:"entities"`
	// Reconciliation has one row per entity and legal entity that carries a quantity or
	// an amount.
	Reconciliation []Reconciliation `json:"reconciliation"`
	// Examples holds the first record (by message id) of each kind of trouble, with its
	// cause, in the order of ExampleKinds.
	Examples []Example `json:"examples"`
}

// An Example is one record of a kind of trouble and its likely cause.
type Example struct {
	Kind    string `json:"kind"` // a class other than committed, or a kind of ExampleKinds
	Message int64  `json:"message"`
	Entity  string `json:"entity"`
	Company string `json:"company"`
	Cause   string `json:"cause"`
}

// ExampleKinds are the kinds of trouble that Result.Examples shows a record of: the
// classes other than committed, then committed records the sender gave up on, and
// records retried before a Retry-After.
var ExampleKinds = []string{
	Duplicated, Lost, LostAcknowledgedKind, Altered, BadDataAccepted, RejectedAsExpected,
	Orphan, "false_negative", "retry_after_violation",
}

// LostAcknowledgedKind is the example kind of a lost record that the target had answered
// with a 2xx: silent loss, shown apart from the records that were never accepted.
const LostAcknowledgedKind = "lost_acknowledged"

// kinds returns the ExampleKinds that v is an example of.
func (v verdict) kinds() []string {
	var out []string
	switch {
	case v.class == Lost && v.acknowledged:
		out = append(out, LostAcknowledgedKind)
	case v.class != Committed:
		out = append(out, v.class)
	}
	if v.falseNegative {
		out = append(out, "false_negative")
	}
	if v.violations > 0 {
		out = append(out, "retry_after_violation")
	}
	return out
}
