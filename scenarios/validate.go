package scenarios

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Limits that Validate enforces.
const (
	MaxConcurrency   = 10000
	MaxLinesPerDoc   = 999
	MaxRetryAttempts = 100
	MaxMasterRecords = 100_000   // vendors, customers or products in one legal entity
	MaxMasterTotal   = 1_000_000 // master records of all kinds in all legal entities
)

var namePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// Validate reports every impossible value in the scenario as one *Error, or returns nil.
// Run ApplyDefaults first (Load and Parse do both). A scenario read from a file gets
// problems placed at the offending line; one built in code gets problems without a
// place. Validate does not refuse production targets: see CheckProduction.
func (s *Scenario) Validate() error {
	c := &checker{s: s}
	c.name()
	c.target()
	c.load()
	c.masterData()
	c.flows()
	c.faults()
	c.sender()
	c.verify()
	c.expect()
	c.values()
	return newError(c.problems)
}

// checker gathers the problems of one scenario.
type checker struct {
	s        *Scenario
	problems []Problem
}

// fail adds a problem placed at path, or at its nearest ancestor the file gave.
func (c *checker) fail(path, msg, hint string) {
	if flag, ok := c.s.flags[path]; ok {
		c.problems = append(c.problems, Problem{Key: flag, Msg: msg, Hint: hint})
		return
	}
	at := c.s.position(path)
	c.problems = append(c.problems, Problem{
		File: c.s.Source, Line: at.line, Column: at.column, Key: path, Msg: msg, Hint: hint,
	})
}

func (c *checker) failf(path, format string, args ...any) {
	c.fail(path, fmt.Sprintf(format, args...), "")
}

// choose fails unless value is one of valid; see the package-level choose.
func (c *checker) choose(path, what, value string, valid, planned []string) {
	if msg, hint := choose(what, value, valid, planned); msg != "" {
		c.fail(path, msg, hint)
	}
}

// position is the place of path in the file, or of its nearest ancestor there.
func (s *Scenario) position(path string) position {
	for {
		if at, ok := s.keys[path]; ok {
			return at
		}
		if path == "" {
			return position{}
		}
		path = path[:max(0, strings.LastIndexAny(path, ".["))]
	}
}

func (c *checker) name() {
	switch name := c.s.Name; {
	case name == "":
		c.fail("name", "missing: every scenario needs a name, such as p2p-smoke", "")
	case !namePattern.MatchString(name):
		c.failf("name", "%q must be lower-case letters, digits and dashes, "+
			"start with a letter or digit, and be at most 63 characters", name)
	}
}

func (c *checker) load() {
	l := c.s.Load
	c.loadShape(l)
	bounded := true
	if l.Messages < 0 || (l.Messages == 0 && c.s.fromFile("load.messages")) {
		c.failf("load.messages", "%d must be 1 or more (leave it out to bound the run by "+
			"duration alone)", l.Messages)
		bounded = false
	}
	if l.Duration < 0 || (l.Duration == 0 && c.s.fromFile("load.duration")) {
		c.failf("load.duration", "%s must be longer than 0 (leave it out to bound the run "+
			"by messages alone)", l.Duration)
		bounded = false
	}
	if bounded && l.Duration == 0 && l.Messages == 0 {
		c.fail("load", "the run is unbounded: give duration, messages or both", "")
	}
	if l.Concurrency < 1 || l.Concurrency > MaxConcurrency {
		c.failf("load.concurrency", "%d must lie between 1 and %d", l.Concurrency, MaxConcurrency)
	}
}

// loadShape checks that exactly one of rate, stages and business_day paces the load.
func (c *checker) loadShape(l LoadProfile) {
	var given []string
	if !l.Rate.IsZero() {
		given = append(given, "rate")
	}
	if len(l.Stages) > 0 {
		given = append(given, "stages")
	}
	if l.BusinessDay != nil {
		given = append(given, "business_day")
	}
	switch {
	case len(given) == 0:
		c.fail("load", "give the pace: one of rate, stages or business_day", "")
	case len(given) > 1:
		c.failf("load."+given[1], "give only one of rate, stages and business_day, not %s",
			strings.Join(given, " and "))
	case given[0] != "rate":
		c.failf("load."+given[0], "the %s key is in the scenario format but not implemented yet; "+
			"use rate", given[0])
	}
}

func (c *checker) masterData() {
	m := c.s.MasterData
	counts := []struct {
		key string
		n   int
	}{{"vendors", m.Vendors}, {"customers", m.Customers}, {"products", m.Products}}
	total, fine := 0, true
	for _, count := range counts {
		switch {
		case count.n < 0:
			c.failf("master_data."+count.key, "%d must not be negative", count.n)
		case count.n > MaxMasterRecords:
			c.failf("master_data."+count.key, "%d is more than %d per legal entity", count.n,
				MaxMasterRecords)
		}
		fine = fine && count.n >= 0 && count.n <= MaxMasterRecords
		total += count.n
	}
	if n := total * len(c.s.Target.LegalEntities); fine && n > MaxMasterTotal {
		c.failf("master_data", "%d master records in %d legal entities are more than %d: "+
			"each is created before the load starts", n, len(c.s.Target.LegalEntities),
			MaxMasterTotal)
	}
	if c.s.hasFlow("procure-to-pay") && (m.Vendors < 1 || m.Products < 1) {
		c.fail("master_data", "procure-to-pay needs at least one vendor and one product", "")
	}
}

func (s *Scenario) hasFlow(name string) bool {
	return slices.ContainsFunc(s.Flows, func(f Flow) bool { return f.Flow == name })
}

func (c *checker) flows() {
	if len(c.s.Flows) == 0 {
		c.fail("flows", "missing flow: list at least one, such as - flow: procure-to-pay", "")
		return
	}
	for i, f := range c.s.Flows {
		c.flow(fmt.Sprintf("flows[%d]", i), f)
	}
}

func (c *checker) flow(path string, f Flow) {
	if f.Flow == "" {
		c.fail(path, "flow entry without flow: name it, such as flow: procure-to-pay", "")
	} else {
		c.choose(path+".flow", "flow", f.Flow, Flows, plannedFlows)
	}
	if f.Weight < 1 {
		c.failf(path+".weight", "%d must be 1 or more", f.Weight)
	}
	c.lines(path+".lines", f.Lines)
}

// revises reports whether some flow revises documents after creating them.
func (s *Scenario) revises() bool {
	return slices.ContainsFunc(s.Flows, func(f Flow) bool { return f.Changes > 0 })
}

func (c *checker) lines(path string, r IntRange) {
	switch {
	case r.Min < 1:
		c.failf(path+".min", "%d must be 1 or more", r.Min)
	case r.Min > r.Max:
		c.failf(path, "inverted: min %d is more than max %d", r.Min, r.Max)
	case r.Max > MaxLinesPerDoc:
		c.failf(path+".max", "%d is more than %d lines per document", r.Max, MaxLinesPerDoc)
	}
}
