package scenarios

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// UnmarshalYAML reads a rate such as "200/s" from a scalar node. A bad value is an *Error
// that carries the node's line and column.
func (r *Rate) UnmarshalYAML(n *yaml.Node) error {
	return unmarshalScalar(n, "a rate such as 200/s", ParseRate, r)
}

// MarshalYAML writes the rate as a scenario does ("200/s"); a zero rate is written as
// null, which reads back as absent.
func (r Rate) MarshalYAML() (any, error) {
	if r.IsZero() {
		return nil, nil
	}
	return r.String(), nil
}

// UnmarshalYAML reads a share such as "2%" from a scalar node. A bad value is an *Error
// that carries the node's line and column.
func (s *Share) UnmarshalYAML(n *yaml.Node) error {
	return unmarshalScalar(n, "a percentage such as 2%", ParseShare, s)
}

// MarshalYAML writes the share as a percentage ("2%").
func (s Share) MarshalYAML() (any, error) { return s.String(), nil }

// UnmarshalYAML reads a duration such as "250ms" from a scalar node. A bad value is an
// *Error that carries the node's line and column.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	return unmarshalScalar(n, "a duration such as 250ms", ParseDuration, d)
}

// MarshalYAML writes the duration as Go formats it ("250ms", "1m30s").
func (d Duration) MarshalYAML() (any, error) { return d.String(), nil }

// UnmarshalYAML reads a range such as "0s-5s" from a scalar node. A bad value is an
// *Error that carries the node's line and column.
func (r *DurationRange) UnmarshalYAML(n *yaml.Node) error {
	return unmarshalScalar(n, "a range such as 0s-5s", ParseDurationRange, r)
}

// MarshalYAML writes the range as "A-B" ("0s-5s").
func (r DurationRange) MarshalYAML() (any, error) { return r.String(), nil }

// unmarshalScalar parses the text of scalar node n into *out, or returns an *Error at the
// node: "expected <want>" for a mapping or a list, the parser's message for bad text.
func unmarshalScalar[T any](n *yaml.Node, want string, parse func(string) (T, error),
	out *T) error {
	n = resolve(n)
	if n.Kind != yaml.ScalarNode || isNull(n) {
		return nodeError(n, fmt.Sprintf("expected %s, got %s", want, describe(n)))
	}
	v, err := parse(n.Value)
	if err != nil {
		return nodeError(n, err.Error())
	}
	*out = v
	return nil
}

// nodeError is an *Error with one problem placed at n; the caller adds file and key.
func nodeError(n *yaml.Node, msg string) *Error {
	return &Error{Problems: []Problem{{Line: n.Line, Column: n.Column, Msg: msg}}}
}
