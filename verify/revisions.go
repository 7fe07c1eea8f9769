package verify

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// expected returns the body the record should hold: the body that created it with the
// fields of each of its revisions laid over it, in the order the source made them, field
// order kept. A record never revised expects what created it.
func (ev *evidence) expected() ([]byte, error) {
	if len(ev.revisions) == 0 {
		return ev.sent, nil
	}
	members, err := parseObject(ev.sent, nil)
	if err != nil {
		return nil, fmt.Errorf("body that created the record: %w", err)
	}
	var revisions []json.RawMessage
	if err := json.Unmarshal(ev.revisions, &revisions); err != nil {
		return nil, fmt.Errorf("revisions of the record: %w", err)
	}
	for _, rev := range revisions {
		changed, err := parseObject(rev, nil)
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

// staleNote explains an altered record whose revisions arrived newest first: the target
// applied an older revision last and kept its value.
func (ev *evidence) staleNote() string {
	if !strings.Contains(ev.revFaults, "reorder:newer-first") {
		return ""
	}
	return "; an older revision was applied after the newest one (reorder:newer-first)"
}
