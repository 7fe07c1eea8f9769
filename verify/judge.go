package verify

import (
	"strings"

	"github.com/stormcheck/stormcheck/generators"
	"github.com/stormcheck/stormcheck/ledger"
)

// judge applies the verdict rules to one record:
//
//   - meant to be refused (sent malformed, or refers to a record that was): rejected as
//     expected when absent; when present, bad data accepted if it was sent malformed
//     itself, and judged as a valid record if it only refers to one that the target
//     stored as well (storing it was right, the damage is the other record's), or an
//     orphan if the record it refers to is absent;
//   - absent: lost, acknowledged when some attempt got a 2xx;
//   - present without its parent: orphan, however many times it is stored (its extra
//     copies count as duplicates all the same);
//   - present more than once: duplicated;
//   - present once: altered when a stored value differs from the one sent last (the
//     latest revision of the field, when the record was revised, whether or not that
//     revision got through), else committed.
//
// A present record is a false negative when the sender's last word on it was not a 2xx.
// A committed record is recovered when its original delivery had a failed or unanswered
// attempt and the sender ended knowing it landed: the retry design worked. Any other
// class, or a false negative, is damage, never a recovery.
func judge(ev *evidence, cmp *comparer) verdict {
	v := verdict{
		message: ev.id, entity: ev.entity, company: ev.company, found: ev.found,
		violations: ev.attempts.violations(), quantity: ev.quantity, amount: ev.amount,
		meant: ev.fate != string(generators.Reject),
	}
	_, v.acknowledged = ev.attempts.acknowledged()
	switch {
	case v.meant:
		judgeValid(ev, cmp, &v)
	case ev.found > 0 && !strings.Contains(ev.faults, "malformed:"):
		judgeDependent(ev, cmp, &v)
	default:
		judgeRefusal(ev, cmp, &v)
	}
	v.cause = violationNote(v.cause, v.violations)
	return v
}

func judgeRefusal(ev *evidence, cmp *comparer, v *verdict) {
	if ev.found == 0 {
		var clear bool
		v.class = RejectedAsExpected
		v.cause, clear = rejectedCause(ev)
		v.unclear = !clear
		return
	}
	v.class = BadDataAccepted
	diff, differs, err := cmp.compare(ev.sent, ev.stored)
	if err != nil {
		differs = false
	}
	if differs {
		v.diff = diff
	}
	v.cause = badDataCause(ev, diff, differs)
}

// judgeDependent judges a stored record that was meant to be refused only because it
// refers to a record sent malformed. When the target stored that record too, this one is
// judged as a valid record; when that record is absent, this one refers to nothing.
func judgeDependent(ev *evidence, cmp *comparer, v *verdict) {
	id := neededRejected(ev.faults)
	if !ev.needsFound {
		v.class = Orphan
		v.cause = "stored, but message " + id + ", which it refers to, was sent malformed " +
			"and is absent"
		return
	}
	v.meant = true
	judgeValid(ev, cmp, v)
	v.cause = joinCause(v.cause, "message "+id+", which it refers to, was sent malformed "+
		"and stored as well")
}

func judgeValid(ev *evidence, cmp *comparer, v *verdict) {
	present := ev.found > 0
	_, troubled := ev.attempts.troubled()
	last, sent := ev.attempts.last()
	v.falseNegative = present && sent && last.outcome != ledger.OutcomeOK
	switch {
	case !present:
		v.class, v.cause = Lost, lostCause(ev)
	case !ev.parentFound:
		v.class, v.cause = Orphan, orphanCause(ev)
	case ev.found > 1:
		v.class, v.cause = Duplicated, duplicatedCause(ev)
	default:
		judgeStoredOnce(ev, cmp, v)
	}
	v.recovered = v.class == Committed && troubled && !v.falseNegative
}

// judgeStoredOnce compares a record stored once with the source's last word on it.
func judgeStoredOnce(ev *evidence, cmp *comparer, v *verdict) {
	v.class, v.cause = Committed, presentCause(ev, v.falseNegative)
	revs, err := ev.revisionList()
	var want []byte
	if err == nil {
		want, err = expected(ev.sent, revs)
	}
	var diff difference
	var differs bool
	if err == nil {
		diff, differs, err = cmp.compare(want, ev.stored)
	}
	switch {
	case err != nil:
		v.class, v.cause = Altered, "stored record cannot be compared: "+err.Error()
	case differs:
		v.class, v.diff, v.cause = Altered, diff, diff.String()
		if cause, ok := revisionCause(ev, revs, diff); ok {
			v.cause = cause
		}
	}
}
