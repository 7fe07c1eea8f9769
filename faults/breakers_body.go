package faults

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/stormcheck/stormcheck/generators"
	"github.com/stormcheck/stormcheck/mockd365"
)

// badEncoding breaks a body's bytes in one of three ways text files from other systems
// are broken: a UTF-8 byte order mark before the JSON, a byte that is not UTF-8 (a
// Latin-1 "é") inside a text, or a control character inside a text.
func badEncoding(m *generators.Message, c candidates, pick func(int) int) (string, bool) {
	texts := c.where(func(f mockd365.Field) bool { return f.Kind == mockd365.String && f.Length >= 10 })
	switch variant := pick(3); {
	case variant == 0 || len(texts) == 0:
		m.Raw = append([]byte("\xEF\xBB\xBF"), m.Body()...)
		return "byte-order-mark", true
	case variant == 1:
		f, _ := choose(texts, pick)
		v, _ := m.Field(f.Name)
		quoted, _ := json.Marshal(v)
		broken := append(quoted[:len(quoted)-1:len(quoted)-1], 0xE9, '"')
		m.SetField(f.Name, json.RawMessage(broken))
		return f.Name + ":latin-1", true
	default:
		f, _ := choose(texts, pick)
		v, _ := m.Field(f.Name)
		m.SetField(f.Name, v.(string)+"\x01")
		return f.Name + ":control-character", true
	}
}

// truncatedJSON cuts the body off in the middle, as a sender whose buffer or a proxy's
// size limit ended the document early.
func truncatedJSON(m *generators.Message, _ candidates, pick func(int) int) (string, bool) {
	body := m.Body()
	cut := len(body)/3 + pick(len(body)/3+1)
	m.Raw = bytes.Clone(body[:cut])
	return "at-byte-" + strconv.Itoa(cut), true
}
