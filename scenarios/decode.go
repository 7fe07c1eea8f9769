package scenarios

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// position is a place in a scenario file; both parts are 1-based, 0 when unknown.
type position struct{ line, column int }

func posOf(n *yaml.Node) position { return position{line: n.Line, column: n.Column} }

// decoder turns a yaml.Node tree into scenario values strictly: unknown keys, duplicate
// keys and wrong types become problems, and decoding goes on so that one pass reports
// them all. It records the place of every key path it decodes in keys.
type decoder struct {
	file     string
	problems []Problem
	keys     map[string]position
}

var (
	expectType   = reflect.TypeFor[Expect]()
	intRangeType = reflect.TypeFor[IntRange]()
)

func (d *decoder) fail(n *yaml.Node, path, msg, hint string) {
	d.problems = append(d.problems, Problem{
		File: d.file, Line: n.Line, Column: n.Column, Key: path, Msg: msg, Hint: hint,
	})
}

func (d *decoder) wrongType(n *yaml.Node, path, want string) {
	d.fail(n, path, "expected "+want+", got "+describe(n), "")
}

// value decodes n, which is not null, into the settable v.
func (d *decoder) value(n *yaml.Node, v reflect.Value, path string) {
	n = resolve(n)
	switch {
	case v.Type() == expectType:
		d.expect(n, v.Addr().Interface().(*Expect), path)
	case v.Type() == intRangeType && n.Kind == yaml.ScalarNode:
		d.intRange(n, v.Addr().Interface().(*IntRange), path)
	default:
		if u, ok := v.Addr().Interface().(yaml.Unmarshaler); ok {
			d.unmarshaler(n, u, path)
			return
		}
		d.byKind(n, v, path)
	}
}

func (d *decoder) byKind(n *yaml.Node, v reflect.Value, path string) {
	switch v.Kind() {
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		d.value(n, p.Elem(), path)
		v.Set(p)
	case reflect.Struct:
		d.structure(n, v, path)
	case reflect.Slice:
		d.sequence(n, v, path)
	case reflect.String:
		d.text(n, v, path)
	case reflect.Int:
		d.integer(n, v, path)
	case reflect.Uint64:
		d.unsigned(n, v, path)
	case reflect.Bool:
		d.boolean(n, v, path)
	default:
		d.fail(n, path, "cannot decode into "+v.Type().String(), "")
	}
}

// structure decodes a mapping into a struct whose fields carry yaml tags.
func (d *decoder) structure(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.wrongType(n, path, "a mapping")
		return
	}
	names, index := fieldsOf(v.Type())
	d.pairs(n, path, names, func(key string, val *yaml.Node, child string) {
		d.value(val, v.Field(index[key]), child)
	})
}

// pairs walks the pairs of mapping n, reports bad, duplicate and unknown keys, skips
// null values (a null value counts as absent), records the place of each key it keeps
// and hands its value to each.
func (d *decoder) pairs(n *yaml.Node, path string, known []string,
	each func(key string, val *yaml.Node, child string)) {
	firstLine := make(map[string]int)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		name := resolve(k)
		if name.Kind != yaml.ScalarNode {
			d.fail(k, path, "a key must be a plain name, got "+describe(name), "")
			continue
		}
		child := joinKey(path, name.Value)
		if line, dup := firstLine[name.Value]; dup {
			d.fail(k, child, fmt.Sprintf("duplicate key: already given at line %d", line), "")
			continue
		}
		firstLine[name.Value] = k.Line
		if !slices.Contains(known, name.Value) {
			d.unknownKey(k, name.Value, child, known)
			continue
		}
		if isNull(resolve(val)) {
			continue
		}
		d.keys[child] = keyPosition(k, val)
		each(name.Value, val, child)
	}
}

func (d *decoder) unknownKey(k *yaml.Node, key, path string, known []string) {
	switch {
	case key == "client_secret" && slices.Contains(known, "client_secret_env"):
		d.fail(k, path, "a secret must not be written in the scenario; "+
			"name the environment variable that holds it", "client_secret_env")
	case key == "<<":
		d.fail(k, path, "merge keys are not supported; write the keys out", "")
	default:
		if hint := nearest(key, known); hint != "" {
			d.fail(k, path, "unknown key", hint)
			return
		}
		if there := elsewhere(key, path); there != "" {
			d.fail(k, path, "unknown key here; "+key+" belongs at "+there, "")
			return
		}
		d.fail(k, path, "unknown key; valid keys here: "+strings.Join(known, ", "), "")
	}
}

func (d *decoder) sequence(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.SequenceNode {
		d.wrongType(n, path, "a list")
		return
	}
	items := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, item := range n.Content {
		child := fmt.Sprintf("%s[%d]", path, i)
		d.keys[child] = posOf(item)
		if !isNull(resolve(item)) {
			d.value(item, items.Index(i), child)
		}
	}
	v.Set(items)
}

func (d *decoder) text(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.ScalarNode {
		d.wrongType(n, path, "a string")
		return
	}
	v.SetString(n.Value)
}

func (d *decoder) integer(n *yaml.Node, v reflect.Value, path string) {
	var x int64
	if !hasTag(n, "!!int") || n.Decode(&x) != nil || v.OverflowInt(x) {
		d.wrongType(n, path, "a whole number")
		return
	}
	v.SetInt(x)
}

func (d *decoder) unsigned(n *yaml.Node, v reflect.Value, path string) {
	var x uint64
	if !hasTag(n, "!!int") || n.Decode(&x) != nil {
		d.wrongType(n, path, "a whole number >= 0")
		return
	}
	v.SetUint(x)
}

func (d *decoder) boolean(n *yaml.Node, v reflect.Value, path string) {
	var x bool
	if !hasTag(n, "!!bool") || n.Decode(&x) != nil {
		d.wrongType(n, path, "true or false")
		return
	}
	v.SetBool(x)
}

// unmarshaler lets a value type parse its own node. An *Error from it carries the
// place; the decoder adds the file and the key path.
func (d *decoder) unmarshaler(n *yaml.Node, u yaml.Unmarshaler, path string) {
	err := u.UnmarshalYAML(n)
	if err == nil {
		return
	}
	var invalid *Error
	if !errors.As(err, &invalid) {
		d.fail(n, path, err.Error(), "")
		return
	}
	for _, p := range invalid.Problems {
		p.File, p.Key = d.file, path
		d.problems = append(d.problems, p)
	}
}

// intRange reads the short form "A-B" of an IntRange; the mapping form goes through
// structure like any struct.
func (d *decoder) intRange(n *yaml.Node, r *IntRange, path string) {
	v, err := ParseIntRange(n.Value)
	if err != nil {
		d.fail(n, path, err.Error(), "")
		return
	}
	*r = v
	d.keys[path+".min"], d.keys[path+".max"] = posOf(n), posOf(n)
}

// fieldsOf lists the yaml names of t's fields in order, and maps each to its index.
func fieldsOf(t reflect.Type) ([]string, map[string]int) {
	var names []string
	index := make(map[string]int)
	for i := range t.NumField() {
		name := yamlName(t.Field(i))
		if name == "" {
			continue
		}
		names = append(names, name)
		index[name] = i
	}
	return names, index
}

// yamlName is the key of a struct field in YAML, or "" when the field has none.
func yamlName(f reflect.StructField) string {
	if !f.IsExported() {
		return ""
	}
	name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	if name == "-" {
		return ""
	}
	return name
}

func joinKey(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// keyPosition is where a key path points: at a scalar value itself, else at the key.
func keyPosition(k, val *yaml.Node) position {
	if resolve(val).Kind == yaml.ScalarNode {
		return posOf(val)
	}
	return posOf(k)
}

// resolve follows an alias to the node it names.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 8; i++ {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool { return hasTag(n, "!!null") }

func hasTag(n *yaml.Node, tag string) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == tag
}

// describe names what a node holds, for "expected X, got Y" messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return describeScalar(n)
	}
	return "nothing"
}

func describeScalar(n *yaml.Node) string {
	value := n.Value
	if len(value) > 40 {
		value = value[:37] + "..."
	}
	switch n.ShortTag() {
	case "!!int", "!!float":
		return "the number " + value
	case "!!bool":
		return value
	case "!!null":
		return "nothing"
	case "!!str":
		return fmt.Sprintf("the string %q", value)
	}
	return fmt.Sprintf("the value %q", value)
}
