package engine

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/stormcheck/stormcheck/faults"
	"github.com/stormcheck/stormcheck/generators"
	"github.com/stormcheck/stormcheck/ledger"
)

// A step is what the simulated sender does after an attempt: stop, or try again after a
// wait, with a send or a look-up; and how the attempt is recorded.
type step struct {
	retry    bool
	wait     time.Duration
	lookup   bool // the next try looks the record up instead of sending it
	outcome  string
	decision string
}

// decide applies the sender's strategy to the outcome of an attempt. With
// query-before-create, an ambiguous failure (no answer, or a 5xx that may have come after
// the commit) is followed by a look-up of the record, and the record is sent again only
// when the look-up finds nothing.
func (cfg loadConfig) decide(d *delivery, r *vegeta.Result, o faults.Outcome) step {
	if d.lookup {
		return cfg.afterLookup(d, r, o)
	}
	retry, wait, reason := cfg.policy.Next(d.attempt(), o)
	s := step{retry: retry, wait: wait, outcome: ledgerOutcome(o), decision: reason}
	// A revision sets values and is harmless to repeat: it is retried, never looked up.
	isCreate := d.msg.Role != generators.Update
	if retry && cfg.lookupFirst && isCreate && (!o.Answered() || o.Status >= 500) {
		s.lookup = true
		s.decision += ", looking the record up first"
	}
	return s
}

func (cfg loadConfig) afterLookup(d *delivery, r *vegeta.Result, o faults.Outcome) step {
	if !o.OK() {
		retry, wait, reason := cfg.policy.Next(d.attempt(), o)
		return step{retry: retry, wait: wait, lookup: true, outcome: ledgerOutcome(o),
			decision: "look-up " + reason}
	}
	found, err := foundRecords(r.Body)
	switch {
	case err != nil:
		return step{outcome: ledger.OutcomeFailed, decision: "look-up answer unreadable: " +
			err.Error() + ": gave up"}
	case found > 0:
		return step{outcome: ledger.OutcomeOK,
			decision: "look-up found the record: not sent again"}
	case d.try >= cfg.policy.Attempts():
		return step{outcome: ledger.OutcomeAbsent, decision: fmt.Sprintf(
			"look-up found no record on attempt %d of %d: gave up", d.try, cfg.policy.Attempts())}
	}
	return step{retry: true, outcome: ledger.OutcomeAbsent, decision: fmt.Sprintf(
		"look-up found no record: sending again as attempt %d", d.try+1)}
}

// foundRecords counts the records of an OData collection answer.
func foundRecords(body []byte) (int, error) {
	var page struct {
		Value []json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		return 0, err
	}
	return len(page.Value), nil
}

// lookupURL returns the query that finds a message's record by its match fields, in any
// legal entity, as a sender that stored the record's external reference would ask.
func lookupURL(base string, m *generators.Message) string {
	spec, _ := generators.SpecFor(m.Entity)
	var terms []string
	for _, f := range spec.MatchFields {
		v, _ := m.Field(f)
		terms = append(terms, f+" eq "+literal(v))
	}
	q := url.Values{}
	q.Set("$filter", strings.Join(terms, " and "))
	q.Set("$top", "1")
	q.Set("cross-company", "true")
	return base + "/data/" + m.Entity + "?" + q.Encode()
}

// literal writes a value as an OData literal: strings quoted with quotes doubled.
func literal(v any) string {
	switch x := v.(type) {
	case string:
		return "'" + strings.ReplaceAll(x, "'", "''") + "'"
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprintf("'%v'", v)
}
