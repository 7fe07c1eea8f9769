package scenarios

import (
	"fmt"
	"sort"
	"strings"
)

// A Problem is one thing wrong with a scenario, placed in its file.
type Problem struct {
	File   string // the scenario's source: a file path or "bundled:NAME"
	Line   int    // 1-based; 0 when the problem has no place in the file
	Column int    // 1-based; 0 when unknown
	Key    string // the key path, such as "faults.duplicate.rate" or "flows[0].weight"
	Msg    string // what is wrong
	Hint   string // a suggested replacement (the nearest valid key or value); may be empty
}

// String formats the problem as
//
//	file:line:col: key: message (did you mean hint?)
//
// leaving out the parts that are empty or zero.
func (p Problem) String() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File + ":")
	}
	if p.Line > 0 {
		fmt.Fprintf(&b, "%d:", p.Line)
		if p.Column > 0 {
			fmt.Fprintf(&b, "%d:", p.Column)
		}
	}
	if b.Len() > 0 {
		b.WriteByte(' ')
	}
	if p.Key != "" {
		b.WriteString(p.Key + ": ")
	}
	b.WriteString(p.Msg)
	if p.Hint != "" {
		fmt.Fprintf(&b, " (did you mean %s?)", p.Hint)
	}
	return b.String()
}

// Error is an invalid scenario: every problem found, in file order. Load, Parse,
// Validate and CheckProduction return it, so a caller can tell a scenario that must
// not run (exit code 64) from other failures:
//
//	var invalid *scenarios.Error
//	if errors.As(err, &invalid) { ... }
//
// When a file could not be read, Unwrap returns the cause (errors.Is(err,
// fs.ErrNotExist) holds for a missing file).
type Error struct {
	Problems []Problem

	cause error
}

// Error prints one problem per line, each as Problem.String formats it.
func (e *Error) Error() string {
	if len(e.Problems) == 0 {
		return "invalid scenario"
	}
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the error that stopped the scenario from being read, if any.
func (e *Error) Unwrap() error { return e.cause }

// newError returns nil when there are no problems, else an *Error holding them sorted
// by place in the file. Problems without a place come first.
func newError(problems []Problem) error {
	if len(problems) == 0 {
		return nil
	}
	sorted := append([]Problem(nil), problems...)
	sort.SliceStable(sorted, func(i, j int) bool {
		a, b := sorted[i], sorted[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	return &Error{Problems: sorted}
}
