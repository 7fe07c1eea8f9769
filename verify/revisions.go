package verify

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// expected returns the body a record should hold: sent, the body that created it, with
// the fields of each revision laid over it in the order the source made them, field order
// kept. Every revision counts, whether or not it got through: the record is judged
// against the source system's intent, and revisionCause says why a value is missing.
func expected(sent []byte, revs []related) ([]byte, error) {
	if len(revs) == 0 {
		return sent, nil
	}
	members, err := parseObject(sent, nil)
	if err != nil {
		return nil, fmt.Errorf("body that created the record: %w", err)
	}
	for _, rev := range revs {
		changed, err := parseObject(rev.Body, nil)
		if err != nil {
			return nil, fmt.Errorf("revision of the record: %w", err)
		}
		members = overlay(members, changed)
	}
	return encodeObject(members), nil
}

// overlay sets each changed member in members, adding those it lacks.
func overlay(members, changed []member) []member {
	for _, c := range changed {
		i := indexOf(members, c.name)
		if i < 0 {
			members = append(members, c)
			continue
		}
		members[i].value = c.value
	}
	return members
}

func indexOf(ms []member, name []byte) int {
	for i, m := range ms {
		if bytes.Equal(m.name, name) {
			return i
		}
	}
	return -1
}

func encodeObject(ms []member) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range ms {
		if i > 0 {
			b.WriteByte(',')
		}
		name, _ := json.Marshal(string(m.name))
		b.Write(name)
		b.WriteByte(':')
		b.Write(m.value)
	}
	b.WriteByte('}')
	return b.Bytes()
}

// revisionCause explains a differing field of a revised record when a revision set the
// value expected: whether that revision got through, and whose value is stored instead.
// ok is false when no revision set the field, so that the difference is the target's.
func revisionCause(ev *evidence, revs []related, d difference) (cause string, ok bool) {
	i := lastSetting(revs, d.field)
	if i < 0 {
		return "", false
	}
	r := revs[i]
	cause = fmt.Sprintf("%s: revision %d (message %d) set %s", d.field, i+1, r.ID,
		shorten(d.sent, 80))
	stored := storedWords(ev.sent, revs[:i], d)
	_, acked := r.Attempts.acknowledged()
	switch {
	case !acked:
		cause += " but " + fate(r.Attempts) + "; " + stored
	case newerFirst(revs):
		cause += ", " + stored + "; an older revision was applied after the newest one " +
			"(reorder:newer-first)"
	default:
		cause += " and " + fate(r.Attempts) + ", yet " + stored
	}
	if d.others == 1 {
		return cause + "; 1 more field differs", true
	}
	if d.others > 1 {
		return cause + "; " + plural(d.others, "more field") + " differ", true
	}
	return cause, true
}

// lastSetting returns the index of the last revision that sets field, or -1.
func lastSetting(revs []related, field string) int {
	for i := len(revs) - 1; i >= 0; i-- {
		if _, ok := fieldOf(revs[i].Body, field); ok {
			return i
		}
	}
	return -1
}

// storedWords says what the record holds instead, and whose value that is: the newest of
// the earlier revisions, or the body that created it, that sent it.
func storedWords(sent []byte, earlier []related, d difference) string {
	if d.stored == "" {
		return "stored nothing"
	}
	words := "stored " + shorten(d.stored, 80)
	for j := len(earlier) - 1; j >= 0; j-- {
		if v, ok := fieldOf(earlier[j].Body, d.field); ok && sameValue(d.field, v, d.stored) {
			return fmt.Sprintf("%s, revision %d's value", words, j+1)
		}
	}
	if v, ok := fieldOf(sent, d.field); ok && sameValue(d.field, v, d.stored) {
		return words + ", the value it was created with"
	}
	return words + " (" + d.how + ")"
}

func fieldOf(body []byte, field string) ([]byte, bool) {
	ms, err := parseObject(body, nil)
	if err != nil {
		return nil, false
	}
	return lookup(ms, []byte(field))
}

func sameValue(field string, sent []byte, stored string) bool {
	return compareValues([]byte(field), sent, []byte(stored)) == ""
}

// newerFirst reports whether the revisions were sent newest first (faults/reorder.go):
// the target applied an older revision last and kept its value.
func newerFirst(revs []related) bool {
	for _, r := range revs {
		if strings.Contains(r.Faults, "reorder:newer-first") {
			return true
		}
	}
	return false
}
