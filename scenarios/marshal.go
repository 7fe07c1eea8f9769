package scenarios

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"

	"gopkg.in/yaml.v3"
)

// keepZero lists the fields (key paths without list indexes) that Marshal writes even
// when zero, because leaving them out would bring back a non-zero default.
var keepZero = map[string]bool{
	"master_data.vendors":            true,
	"master_data.products":           true,
	"faults.reorder.delay":           true,
	"sender.retry.backoff":           true,
	"sender.retry.on":                true,
	"sender.retry.honor_retry_after": true,
	"verify.settle":                  true,
}

// keepsZero reports whether the field at path, or a field inside it, is in keepZero.
func keepsZero(path string) bool {
	for key := range keepZero {
		if key == path || strings.HasPrefix(key, path+".") {
			return true
		}
	}
	return false
}

// Marshal writes the scenario as YAML in the format's own notation ("200/s", "2%",
// "0s-5s", "250ms"), keys in the order of the format, with the seed when it is set and
// zero or empty optional parts left out. For a scenario that Parse returned (defaults
// applied), Parse reads the output back to an equal Scenario. Source is not written.
func Marshal(s *Scenario) ([]byte, error) {
	if s.Target.URL != "" {
		// With a target there is no mock: its section would only mislead.
		shown := *s
		shown.Target.Mock = Mock{}
		s = &shown
	}
	root := encode(reflect.ValueOf(s).Elem(), "")
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return nil, fmt.Errorf("marshal scenario %q: %w", s.Name, err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("marshal scenario %q: %w", s.Name, err)
	}
	return buf.Bytes(), nil
}

// encode turns v into a node; it returns nil for a value that writes as nothing.
func encode(v reflect.Value, path string) *yaml.Node {
	if m, ok := v.Interface().(yaml.Marshaler); ok {
		return encodeMarshaler(m)
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return nil
		}
		return encode(v.Elem(), path)
	case reflect.Struct:
		return encodeStruct(v, path)
	case reflect.Slice:
		return encodeSlice(v, path)
	case reflect.String:
		return encodeString(v.String())
	case reflect.Int, reflect.Uint64:
		return scalar("!!int", fmt.Sprint(v.Interface()))
	case reflect.Bool:
		return scalar("!!bool", fmt.Sprint(v.Bool()))
	}
	return nil
}

func encodeMarshaler(m yaml.Marshaler) *yaml.Node {
	out, err := m.MarshalYAML()
	switch out := out.(type) {
	case *yaml.Node:
		return out
	case string:
		return scalar("!!str", out)
	}
	if err != nil || out == nil {
		return nil
	}
	return scalar("!!str", fmt.Sprint(out))
}

func encodeStruct(v reflect.Value, path string) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode}
	for i := range v.NumField() {
		name := yamlName(v.Type().Field(i))
		child := joinKey(path, name)
		if name == "" || (v.Field(i).IsZero() && !keepsZero(child)) {
			continue
		}
		if val := encode(v.Field(i), child); val != nil {
			m.Content = append(m.Content, scalar("!!str", name), val)
		}
	}
	if small(m) {
		m.Style = yaml.FlowStyle
	}
	return m
}

func encodeSlice(v reflect.Value, path string) *yaml.Node {
	seq := &yaml.Node{Kind: yaml.SequenceNode}
	for i := range v.Len() {
		if item := encode(v.Index(i), path); item != nil {
			seq.Content = append(seq.Content, item)
		}
	}
	if v.Type().Elem().Kind() == reflect.String {
		seq.Style = yaml.FlowStyle
	}
	return seq
}

// encodeString writes a decimal number without quotes (retry.on: [429, 5xx]); the
// decoder reads a string from any scalar as written, so it reads back as the same text.
func encodeString(s string) *yaml.Node {
	decimal := s == "0" || (s != "" && s[0] != '0' && strings.Trim(s, "0123456789") == "")
	if decimal && len(s) <= 18 {
		return scalar("!!int", s)
	}
	return scalar("!!str", s)
}

// small reports whether a mapping reads well on one line: up to three scalar values.
func small(m *yaml.Node) bool {
	if len(m.Content) > 6 {
		return false
	}
	for i := 1; i < len(m.Content); i += 2 {
		if m.Content[i].Kind != yaml.ScalarNode {
			return false
		}
	}
	return true
}

func scalar(tag, value string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: value}
}
