package scenarios

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// The kinds of expectation, as Expectation.Kind holds them. A failed integrity
// expectation sets exit code bit 1, a failed performance expectation bit 2.
const (
	KindIntegrity   = "integrity"
	KindPerformance = "performance"
)

// IntegrityExpectations are the expectation names that bound a verdict count. Each
// takes a whole number >= 0, the most that may be counted:
//
//	expect:
//	  duplicates: 0
//	  gaps: 0
var IntegrityExpectations = []string{
	"duplicates", "gaps", "lost_acknowledged", "altered", "bad_data_accepted",
	"orphans", "unexpected", "false_negatives", "retry_after_violations",
}

// PerformanceExpectations are the expectation names that bound a load metric. The
// latencies take a duration (a maximum), error_rate a share (a maximum) and throughput
// a rate (a minimum):
//
//	expect:
//	  p99_latency: 800ms
//	  error_rate: 1%
//	  throughput: 150/s
var PerformanceExpectations = []string{
	"p50_latency", "p90_latency", "p95_latency", "p99_latency", "max_latency",
	"error_rate", "throughput",
}

// ExpectationKind returns KindIntegrity or KindPerformance for a valid expectation
// name, and false for any other name.
func ExpectationKind(name string) (string, bool) {
	switch {
	case slices.Contains(IntegrityExpectations, name):
		return KindIntegrity, true
	case slices.Contains(PerformanceExpectations, name):
		return KindPerformance, true
	}
	return "", false
}

// DefaultExpectations returns the integrity expectations that apply when a scenario has
// no expect key: no duplicates, no gaps, no bad data accepted, nothing altered.
func DefaultExpectations() []Expectation {
	names := []string{"duplicates", "gaps", "bad_data_accepted", "altered"}
	items := make([]Expectation, len(names))
	for i, name := range names {
		items[i] = Expectation{Name: name, Kind: KindIntegrity, Want: "0"}
	}
	return items
}

// Effective returns the expectations a run checks: Items when the scenario had an
// expect key (none for `expect: {}`), else DefaultExpectations.
func (e Expect) Effective() []Expectation {
	if !e.Set {
		return DefaultExpectations()
	}
	return slices.Clone(e.Items)
}

// MarshalYAML writes the expectations as a mapping in their order, or null (which reads
// back as absent) when Set is false.
func (e Expect) MarshalYAML() (any, error) {
	if !e.Set {
		return nil, nil
	}
	m := &yaml.Node{Kind: yaml.MappingNode}
	for _, item := range e.Items {
		tag := "!!str"
		if item.Kind == KindIntegrity {
			tag = "!!int"
		}
		m.Content = append(m.Content,
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: item.Name},
			&yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: item.Want})
	}
	return m, nil
}

// checkWant reports whether want is a valid limit for the expectation name.
func checkWant(name, want string) error {
	kind, ok := ExpectationKind(name)
	switch {
	case !ok:
		return fmt.Errorf("unknown expectation %q", name)
	case kind == KindIntegrity:
		if n, err := strconv.Atoi(want); err != nil || n < 0 {
			return fmt.Errorf("%s takes a whole number >= 0, not %q", name, want)
		}
	case strings.HasSuffix(name, "_latency"):
		_, err := ParseDuration(want)
		return err
	case name == "error_rate":
		_, err := ParseShare(want)
		return err
	case name == "throughput":
		_, err := ParseRate(want)
		return err
	}
	return nil
}

// expect decodes the expect mapping, keeping its order.
func (d *decoder) expect(n *yaml.Node, e *Expect, path string) {
	e.Set = true
	if n.Kind != yaml.MappingNode {
		d.wrongType(n, path, "a mapping of expectation names to limits")
		return
	}
	known := slices.Concat(IntegrityExpectations, PerformanceExpectations)
	d.pairs(n, path, known, func(name string, val *yaml.Node, child string) {
		if want, ok := d.want(name, resolve(val), child); ok {
			kind, _ := ExpectationKind(name)
			e.Items = append(e.Items, Expectation{Name: name, Kind: kind, Want: want})
		}
	})
}

// want reads the limit of one expectation. Counts are normalised to decimal; the other
// limits are kept as written.
func (d *decoder) want(name string, n *yaml.Node, path string) (string, bool) {
	if kind, _ := ExpectationKind(name); kind == KindIntegrity {
		var x int64
		if !hasTag(n, "!!int") || n.Decode(&x) != nil || x < 0 {
			d.wrongType(n, path, "a whole number >= 0")
			return "", false
		}
		return strconv.FormatInt(x, 10), true
	}
	if n.Kind != yaml.ScalarNode {
		d.wrongType(n, path, "a single value such as 800ms, 1% or 150/s")
		return "", false
	}
	want := strings.TrimSpace(n.Value)
	if err := checkWant(name, want); err != nil {
		d.fail(n, path, err.Error(), "")
		return "", false
	}
	return want, true
}
