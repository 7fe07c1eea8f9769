package mockd365

import (
	"fmt"
	"net/http"
	"strings"
)

// Duplicates says what a create gets when a record with the same identity is already stored.
type Duplicates int

const (
	// DuplicatesStored stores the record again: keys are not unique, and a read by key
	// returns the first record stored.
	DuplicatesStored Duplicates = iota
	// DuplicatesRejected answers 400 with F&O's "The record already exists" Infolog when the
	// full key is already stored. A server-numbered record gets a new number on every create,
	// so a resend of it is stored again, as in F&O.
	DuplicatesRejected
	// DuplicatesReturnFirst answers 200 with the stored record, and writes nothing, when the
	// full key or the entity's ExternalReference matches a stored record: first writer wins,
	// even if the new payload differs.
	DuplicatesReturnFirst
)

// Orphans says what a child record gets when its parent document is not stored.
type Orphans int

const (
	// OrphansRejected answers 400 "not found in the related table", as F&O does.
	OrphansRejected Orphans = iota
	// OrphansStored stores the child as sent; fields filled from the parent stay empty.
	OrphansStored
	// OrphansParked keeps the request in the parked table and answers 202 Accepted; it is
	// applied, in arrival order, in the same transaction that creates the parent.
	OrphansParked
)

// A Design is a set of independent knobs that decide how the mock treats what a sender gets
// wrong. The presets are in [Designs]; architects compare them side by side.
type Design struct {
	Name       string
	Duplicates Duplicates
	Orphans    Orphans
	// CheckReferences rejects a record whose references, other than the one to its parent,
	// name no stored record (400 "not found in the related table").
	CheckReferences bool
	// StrictTypes rejects a value of the wrong JSON type or format (a date that is not
	// RFC 3339, a string in a Decimal field, a non-member enum) with 400. Otherwise the value
	// is coerced where possible (dd/mm/yyyy dates, "1.234,50" decimals, numeric strings) and
	// stored as sent where not.
	StrictTypes bool
	// TruncateOverlong cuts a string longer than its field silently; otherwise it is
	// rejected with 400 naming the field and its maximum length.
	TruncateOverlong bool
	// TextColumns, when not 0, is the width of the text columns of a staging table that
	// is narrower than F&O: a text field that F&O makes longer holds at most TextColumns
	// characters, so a valid value longer than that is overlong here (cut when
	// TruncateOverlong, else refused). Shorter fields, such as keys and codes, keep their
	// length.
	TextColumns int
	// RequireFields rejects a create that leaves required fields empty; otherwise their
	// defaults are stored.
	RequireFields bool
	// RejectUnknownProperties rejects a property the entity does not define; otherwise it
	// is ignored.
	RejectUnknownProperties bool
	// IdempotencyKeys answers a request whose Idempotency-Key header was seen before, on
	// the same collection, with the first answer (same status and body) and writes nothing.
	IdempotencyKeys bool
	// BatchErrorStatus is the status of the one part that answers a $batch changeset
	// rolled back because a request of it was refused with 400. F&O's only published
	// capture shows 500 there (a duplicate key, reference §2.3/§5); 0 means 500.
	BatchErrorStatus int
	// RequireIfMatch refuses a PATCH, PUT or DELETE that sends no If-Match header (428).
	// Otherwise If-Match is honoured when sent: a stale etag gets 412. Whether F&O
	// enforces If-Match at all is unconfirmed (reference §7).
	RequireIfMatch bool
}

// textLimit returns how many characters field f holds under d; 0 means no limit.
func (d Design) textLimit(f *Field) int {
	if d.TextColumns > 0 && (f.Length == 0 || f.Length > d.TextColumns) {
		return d.TextColumns
	}
	return f.Length
}

// batchErrorStatus returns BatchErrorStatus, or 500 when it is unset.
func (d Design) batchErrorStatus() int {
	if d.BatchErrorStatus == 0 {
		return http.StatusInternalServerError
	}
	return d.BatchErrorStatus
}

// Designs lists the preset designs, default first:
//
//   - d365: what F&O itself does. Client-supplied keys are unique; server-numbered documents
//     are stored again on a resend; a child before its parent, a missing reference and
//     malformed or overlong values are rejected with F&O's error body.
//   - naive: an endpoint that trusts its input. Everything is stored: duplicates, orphans,
//     coerced or truncated values, records with required fields left at their defaults.
//     Its staging table keeps 30 characters of longer text fields, so even valid text
//     beyond that, such as a long item description, is cut silently.
//   - idempotent: like d365, but a repeated Idempotency-Key, key or external reference
//     returns the first result, and a child before its parent is parked until it arrives.
var Designs = []Design{
	{
		Name: "d365", Duplicates: DuplicatesRejected, Orphans: OrphansRejected,
		CheckReferences: true, StrictTypes: true, RequireFields: true,
		RejectUnknownProperties: true, BatchErrorStatus: http.StatusInternalServerError,
	},
	{
		Name: "naive", Duplicates: DuplicatesStored, Orphans: OrphansStored,
		TruncateOverlong: true, TextColumns: 30, BatchErrorStatus: http.StatusInternalServerError,
	},
	{
		Name: "idempotent", Duplicates: DuplicatesReturnFirst, Orphans: OrphansParked,
		CheckReferences: true, StrictTypes: true, RequireFields: true,
		RejectUnknownProperties: true, IdempotencyKeys: true,
		BatchErrorStatus: http.StatusBadRequest,
	},
}

// LookupDesign returns the preset design called name, compared without regard to case. The
// error lists the valid names.
func LookupDesign(name string) (Design, error) {
	names := make([]string, 0, len(Designs))
	for _, d := range Designs {
		if strings.EqualFold(d.Name, name) {
			return d, nil
		}
		names = append(names, d.Name)
	}
	return Design{}, fmt.Errorf("mockd365: unknown design %q (valid: %s)",
		name, strings.Join(names, ", "))
}

// String returns the knob's name as the docs use it ("rejected").
func (d Duplicates) String() string {
	switch d {
	case DuplicatesStored:
		return "stored"
	case DuplicatesRejected:
		return "rejected"
	case DuplicatesReturnFirst:
		return "return-first"
	}
	return fmt.Sprintf("Duplicates(%d)", int(d))
}

// String returns the knob's name as the docs use it ("parked").
func (o Orphans) String() string {
	switch o {
	case OrphansRejected:
		return "rejected"
	case OrphansStored:
		return "stored"
	case OrphansParked:
		return "parked"
	}
	return fmt.Sprintf("Orphans(%d)", int(o))
}
