package scenarios

import (
	"fmt"
	"strconv"
	"strings"
)

// String formats the range in its short form, "A-B".
func (r IntRange) String() string { return fmt.Sprintf("%d-%d", r.Min, r.Max) }

// ParseIntRange parses the short form of an IntRange: "A-B" with 0 <= A <= B, or a single
// whole number N meaning N-N. A scenario may write either this or { min: A, max: B }.
func ParseIntRange(s string) (IntRange, error) {
	lo, hi, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		hi = lo
	}
	a, errA := strconv.Atoi(strings.TrimSpace(lo))
	b, errB := strconv.Atoi(strings.TrimSpace(hi))
	if errA != nil || errB != nil || a < 0 || b < 0 {
		return IntRange{}, fmt.Errorf("range %q must be A-B with whole numbers such as 1-12", s)
	}
	if a > b {
		return IntRange{}, fmt.Errorf("range %q is inverted: %d is more than %d", s, a, b)
	}
	return IntRange{Min: a, Max: b}, nil
}
