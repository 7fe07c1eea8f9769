package scenarios

import (
	"fmt"
	"slices"
	"strings"
)

// The values that Validate accepts for the named fields of a scenario, shared so that
// other packages (generators, faults, mockd365, the CLI) agree with it. Names that the
// format reserves but stormcheck does not implement yet are not listed; Validate says
// so when a scenario uses one.
var (
	// Flows are the business flows a scenario can list under flows.
	Flows = []string{"procure-to-pay"}

	// Formats are the message formats of target.format.
	Formats = []string{"odata"}

	// Designs are the designs of the embedded mock, target.mock.design.
	Designs = []string{"naive", "d365", "idempotent"}

	// Strategies are the sender strategies of sender.strategy.
	Strategies = []string{"retry", "fire-and-forget", "query-before-create"}

	// DuplicateModes are the modes of faults.duplicate: resend the same message, or send
	// a copy under a new message id.
	DuplicateModes = []string{"resend", "new-message-id", "redeliver"}

	// ReorderModes are the modes of faults.reorder.
	ReorderModes = []string{"child-first", "late-parent", "invoice-first", "shuffle", "newer-first"}

	// MalformedKinds are the kinds of broken field that faults.malformed.kinds lists.
	MalformedKinds = []string{
		"missing-required", "null-vs-empty", "wrong-type", "bad-date", "swapped-day-month",
		"locale-decimal", "ambiguous-thousands", "overlong-string", "invalid-enum",
		"unknown-reference", "negative-quantity", "bad-encoding", "truncated-json",
		"unknown-property", "wrong-legal-entity",
	}
)

// Names in the scenario format that are not implemented yet, by the field they belong to.
var (
	plannedFlows      = []string{"order-to-cash", "pos-sales"}
	plannedFormats    = []string{"canonical-json"}
	plannedDesigns    = []string{"queued"}
	plannedStrategies = []string{}
)

// choose checks that value is one of valid. It returns "" when it is, else a message
// and the nearest name as a hint. A planned name gets a message of its own.
func choose(what, value string, valid, planned []string) (msg, hint string) {
	switch {
	case slices.Contains(valid, value):
		return "", ""
	case slices.Contains(planned, value):
		return fmt.Sprintf("%s %q is in the scenario format but not implemented yet; "+
			"use %s", what, value, strings.Join(valid, " or ")), ""
	}
	msg = fmt.Sprintf("unknown %s %q; use %s", what, value, strings.Join(valid, ", "))
	return msg, nearest(value, slices.Concat(valid, planned))
}
