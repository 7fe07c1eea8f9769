package verify

import (
	"github.com/stormcheck/stormcheck/generators"
	"github.com/stormcheck/stormcheck/ledger"
)

// judge applies the verdict rules to one record:
//
//   - meant to be refused (sent malformed, or refers to a record that was): bad data
//     accepted when present, else rejected as expected;
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
	if !v.meant {
		judgeRefusal(ev, cmp, &v)
	} else {
		judgeValid(ev, cmp, &v)
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
