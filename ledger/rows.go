package ledger

// Outcomes of an attempt, as recorded in attempts.outcome.
const (
	OutcomeOK       = "ok"       // 2xx: the target acknowledged
	OutcomeRejected = "rejected" // 4xx: the target refused
	OutcomeFailed   = "failed"   // 5xx or 429: the target failed or pushed back
	OutcomeUnknown  = "unknown"  // no answer: the target may or may not have committed
	OutcomeAbsent   = "absent"   // a look-up found no record: the sender sends again
)

// A Message is one row of the messages table: one message as first sent, and the record
// it is meant to create.
type Message struct {
	ID           int64
	Doc          int64
	DocKind      string
	Entity       string
	Role         string
	Company      string
	MatchKey     string
	ParentEntity string
	ParentKey    string
	Correlation  string
	Fate         string
	Faults       string // comma-separated stream faults
	Quantity     float64
	Amount       float64
	Copies       int
	Body         []byte
}

// An Attempt is one row of the attempts table: one try of one delivery and its outcome.
type Attempt struct {
	Message   int64
	Copy      int
	Try       int
	Seq       int64 // vegeta's sequence number of the request, -1 when vegeta did not send it
	StartedNS int64
	LatencyNS int64
	Status    int
	Outcome   string
	Error     string
	Injected  string // transport faults, such as "ack-loss"
	Decision  string // what the sender decided next and why
	Answer    string // the target's error text for a refused attempt, shortened
	// RetryAfterNS is the Retry-After of the answer in nanoseconds, 0 when it had none.
	RetryAfterNS int64
	// Method is POST for a send, GET for a sender's look-up of the record before it sends
	// again (strategy query-before-create).
	Method string
}

// A State is one row of the state table: one record read back from the target.
type State struct {
	Entity    string
	Company   string
	MatchKey  string
	ParentKey string
	Quantity  float64 // the entity's reconciled quantity field, 0 when it has none
	Amount    float64 // the entity's reconciled amount field, 0 when it has none
	Body      string  // the record as the target returned it, JSON
}

// A Verdict is one row of the verdicts table: the class of one expected record.
type Verdict struct {
	Message       int64
	Class         string
	Found         int  // rows found with the record's match key
	Extra         int  // copies beyond the first, for a duplicated record
	Acknowledged  bool // some attempt got a 2xx
	Recovered     bool // stored once after a failed or unanswered attempt; the sender knew
	FalseNegative bool // present, yet the sender's last word on it was a failure
	// RetryAfterViolations counts retries sent before the previous answer's Retry-After.
	RetryAfterViolations int
	Detail               string // the likely cause, in words
	// Field, SentValue and StoredValue name the first field whose stored value differs
	// from the one sent, with both values as JSON; empty when none differs.
	Field, SentValue, StoredValue string
}

// row is anything the writer can insert.
type row interface {
	table() int
}

const (
	tableMessages = iota
	tableAttempts
	tableState
	tableVerdicts
	tableCount
)

func (Message) table() int { return tableMessages }
func (Attempt) table() int { return tableAttempts }
func (State) table() int   { return tableState }
func (Verdict) table() int { return tableVerdicts }

var inserts = [tableCount]string{
	tableMessages: `INSERT INTO messages (id, doc, doc_kind, entity, role, company, match_key,
		parent_entity, parent_key, correlation, fate, faults, quantity, amount, copies, body)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	tableAttempts: `INSERT INTO attempts (message, copy, try, seq, started_ns, latency_ns, status,
		outcome, error, injected, decision, answer, retry_after_ns, method)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	tableState: `INSERT INTO state (entity, company, match_key, parent_key, quantity, amount, body)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
	tableVerdicts: insertVerdicts(verdictColumns, verdictValues, 1),
}

func methodOf(a Attempt) string {
	if a.Method == "" {
		return "POST"
	}
	return a.Method
}

func args(r row) []any {
	switch x := r.(type) {
	case Message:
		return []any{x.ID, x.Doc, x.DocKind, x.Entity, x.Role, x.Company, x.MatchKey,
			x.ParentEntity, x.ParentKey, x.Correlation, x.Fate, x.Faults, x.Quantity, x.Amount,
			x.Copies, x.Body}
	case Attempt:
		return []any{x.Message, x.Copy, x.Try, x.Seq, x.StartedNS, x.LatencyNS, x.Status,
			x.Outcome, x.Error, x.Injected, x.Decision, x.Answer, x.RetryAfterNS, methodOf(x)}
	case State:
		return []any{x.Entity, x.Company, x.MatchKey, x.ParentKey, x.Quantity, x.Amount, x.Body}
	case Verdict:
		return x.args()
	}
	panic("ledger: unknown row type")
}
