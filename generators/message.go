// Package generators makes the business load of a run: master data, documents and their
// messages, all deterministic from the seed, and the pacing schedule that says when each
// message is due.
package generators

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// A Role says whether a message carries a document header or one of its lines.
type Role string

// The roles of a message within its document. An update revises a record that an
// earlier message of the document created; it creates no record of its own.
const (
	Header Role = "header"
	Line   Role = "line"
	Update Role = "update"
)

// A Fate is what the run intends to become of a record: committed exactly once, or
// rejected by the target because it was sent malformed on purpose (or depends on a record
// that was).
type Fate string

// The intended fates.
const (
	Commit Fate = "commit"
	Reject Fate = "reject"
)

// A Field is one property of a message body. Values are string, int64, float64 (an
// Edm.Decimal), nil (JSON null) or json.RawMessage (sent as written, for broken bodies).
type Field struct {
	Name  string
	Value any
}

// A Message is one request as the target needs it on first delivery: in the OData format,
// one entity header or one line. Its identity (ID) stays the same across retries and
// resends; copies sent as new messages get their own identity at delivery time.
type Message struct {
	ID          int64  // 1-based position in the run's stream
	Doc         int64  // sequence of the document it belongs to
	DocKind     string // "purchase-order", "product-receipt"
	Entity      string // OData collection, such as "PurchaseOrderLinesV2"
	Role        Role
	Company     string // legal entity (dataAreaId), lower case
	Correlation string // "<run prefix>-<document sequence>", stored by the target
	Key         string // match key of the record it creates, see Spec.MatchKey
	ParentKey   string // match key of its parent record (a line's header), or ""
	// After lists messages whose delivery must be over (committed or given up) before this
	// one is sent: a line waits for its header, a receipt for its purchase order.
	After []int64
	// Needs lists messages whose records this one refers to; when one of them is meant
	// to be rejected, this one cannot be committed either.
	Needs []int64
	// Method and Path are the request's: POST to /data/<Entity> when empty, PATCH to the
	// record's key for an update.
	Method string
	Path   string
	// Version numbers the updates of one record from 1, in the order the source made them;
	// 0 for a create.
	Version int
	Fields  []Field
	// Raw, when set, is sent instead of the encoded fields: a body broken below the JSON
	// level (a byte order mark, invalid UTF-8, a cut-off document).
	Raw      []byte
	Quantity float64 // quantity carried by a line, for reconciliation
	Amount   float64 // amount carried by a line, for reconciliation
	Fate     Fate
	Faults   []string // stream faults applied, such as "malformed:bad-date"

	// Delay postpones the first delivery beyond the schedule (a late parent).
	Delay time.Duration
	// Eager sends the message without waiting for After (a child sent before its parent).
	Eager bool
	// Copies are extra deliveries of the same message (duplicates), each after a delay.
	Copies []Copy
}

// A Copy is one extra delivery of a message. NewID marks a copy exported as a new message
// (a source system that sent the same business document twice).
type Copy struct {
	Delay time.Duration
	NewID bool
}

// A Document is a business unit and the messages that carry it, header first.
type Document struct {
	Seq         int64
	Kind        string
	Company     string
	Correlation string
	Messages    []*Message
}

// Request returns the method and path of the message's request.
func (m *Message) Request() (method, path string) {
	if m.Method == "" {
		return "POST", "/data/" + m.Entity
	}
	return m.Method, m.Path
}

// Field returns the value of the named field and whether the message has it.
func (m *Message) Field(name string) (any, bool) {
	for _, f := range m.Fields {
		if f.Name == name {
			return f.Value, true
		}
	}
	return nil, false
}

// SetField replaces the value of the named field, adding it when absent.
func (m *Message) SetField(name string, v any) {
	for i := range m.Fields {
		if m.Fields[i].Name == name {
			m.Fields[i].Value = v
			return
		}
	}
	m.Fields = append(m.Fields, Field{Name: name, Value: v})
}

// RemoveField drops the named field and reports whether it was there.
func (m *Message) RemoveField(name string) bool {
	for i := range m.Fields {
		if m.Fields[i].Name == name {
			m.Fields = append(m.Fields[:i], m.Fields[i+1:]...)
			return true
		}
	}
	return false
}

// AddFault records that a stream fault changed this message.
func (m *Message) AddFault(f string) { m.Faults = append(m.Faults, f) }

// Body returns the request body the target receives: Raw when set, else the fields
// encoded as a JSON object, in field order.
func (m *Message) Body() []byte {
	if m.Raw != nil {
		return m.Raw
	}
	return m.encodeFields()
}

func (m *Message) encodeFields() []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range m.Fields {
		if i > 0 {
			b.WriteByte(',')
		}
		name, _ := json.Marshal(f.Name)
		b.Write(name)
		b.WriteByte(':')
		b.Write(encodeValue(f.Value))
	}
	b.WriteByte('}')
	return b.Bytes()
}

func encodeValue(v any) []byte {
	switch x := v.(type) {
	case json.RawMessage:
		return x
	case float64:
		return []byte(strconv.FormatFloat(x, 'f', -1, 64))
	case nil:
		return []byte("null")
	}
	out, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("generators: field value %T cannot be encoded: %v", v, err))
	}
	return out
}

// Date formats a business date the way F&O's Edm.DateTimeOffset carries a pure date.
func Date(t time.Time) string {
	return t.UTC().Format("2006-01-02") + "T12:00:00Z"
}
