package scenarios

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// A Rate is a number of events per unit of time, written "200/s", "90/m" or "3600/h".
type Rate struct {
	Freq int           // events per Per
	Per  time.Duration // time.Second, time.Minute or time.Hour
}

// PerSecond returns the rate in events per second.
func (r Rate) PerSecond() float64 {
	if r.Per <= 0 {
		return 0
	}
	return float64(r.Freq) / r.Per.Seconds()
}

// IsZero reports whether the rate was left unset.
func (r Rate) IsZero() bool { return r.Freq == 0 && r.Per == 0 }

// String formats the rate the way a scenario writes it.
func (r Rate) String() string {
	if r.IsZero() {
		return ""
	}
	unit := map[time.Duration]string{time.Second: "s", time.Minute: "m", time.Hour: "h"}[r.Per]
	return fmt.Sprintf("%d/%s", r.Freq, unit)
}

// ParseRate parses "N/s", "N/m" or "N/h" with N a positive whole number.
func ParseRate(s string) (Rate, error) {
	num, unit, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok {
		return Rate{}, fmt.Errorf("rate %q must be N/s, N/m or N/h", s)
	}
	per, ok := map[string]time.Duration{"s": time.Second, "m": time.Minute, "h": time.Hour}[unit]
	if !ok {
		return Rate{}, fmt.Errorf("rate %q has unit %q; use s, m or h", s, unit)
	}
	n, err := strconv.Atoi(strings.TrimSpace(num))
	if err != nil || n <= 0 {
		return Rate{}, fmt.Errorf("rate %q needs a positive whole number before the slash", s)
	}
	return Rate{Freq: n, Per: per}, nil
}

// A Share is a fraction of a whole, written "2%" or "0.5%" and held as 0.02 or 0.005.
type Share float64

// String formats the share as a percentage with the fewest digits that ParseShare reads
// back to the same Share.
func (s Share) String() string {
	f := float64(s)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return strconv.FormatFloat(f, 'f', -1, 64) + "%"
	}
	return movePoint(strconv.FormatFloat(f, 'e', -1, 64), 2) + "%"
}

// movePoint writes a number given in e notation ("-6.5e-03") without exponent, its
// decimal point moved by places to the right ("-0.65" for 2 places).
func movePoint(e string, places int) string {
	sign := ""
	if rest, ok := strings.CutPrefix(e, "-"); ok {
		sign, e = "-", rest
	}
	mantissa, exp, _ := strings.Cut(e, "e")
	n, _ := strconv.Atoi(exp)
	digits := strings.Replace(mantissa, ".", "", 1)
	point := 1 + n + places
	switch {
	case digits == "0":
		return sign + "0"
	case point <= 0:
		return sign + "0." + strings.Repeat("0", -point) + digits
	case point >= len(digits):
		return sign + digits + strings.Repeat("0", point-len(digits))
	}
	return sign + digits[:point] + "." + digits[point:]
}

// ParseShare parses "N%" with N between 0 and 100.
func ParseShare(s string) (Share, error) {
	num, ok := strings.CutSuffix(strings.TrimSpace(s), "%")
	if !ok {
		return 0, fmt.Errorf("share %q must be a percentage such as 2%% or 0.5%%", s)
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("share %q is not a number followed by %%", s)
	}
	if f < 0 || f > 100 {
		return 0, fmt.Errorf("share %q must lie between 0%% and 100%%", s)
	}
	return Share(percentToFraction(strings.TrimSpace(num), f)), nil
}

// percentToFraction returns num percent as a fraction. A plain decimal is read with its
// point moved two places left, so it is rounded once (and String's output reads back
// exactly); other notations are divided by 100.
func percentToFraction(num string, f float64) float64 {
	if strings.ContainsAny(num, "eEpPxX_") {
		return f / 100
	}
	v, err := strconv.ParseFloat(num+"e-2", 64)
	if err != nil {
		return f / 100
	}
	return v
}

// A Duration is a time.Duration written as Go writes it ("250ms", "10s", "2m").
type Duration time.Duration

// D returns the value as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// String formats the duration as Go does.
func (d Duration) String() string { return time.Duration(d).String() }

// ParseDuration parses a non-negative Go duration.
func ParseDuration(s string) (Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("duration %q is not like 250ms, 10s or 2m", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("duration %q must not be negative", s)
	}
	return Duration(d), nil
}

// A DurationRange is an inclusive range of durations, written "A-B" ("0s-5s"), or a
// single duration meaning A = B.
type DurationRange struct {
	Min, Max time.Duration
}

// String formats the range as a scenario writes it.
func (r DurationRange) String() string {
	return r.Min.String() + "-" + r.Max.String()
}

// ParseDurationRange parses "A-B" with 0 <= A <= B, or a single duration.
func ParseDurationRange(s string) (DurationRange, error) {
	lo, hi, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		hi = lo
	}
	a, errA := ParseDuration(lo)
	b, errB := ParseDuration(hi)
	if errA != nil || errB != nil {
		return DurationRange{}, fmt.Errorf("range %q must be A-B with durations such as 200ms-10s",
			s)
	}
	if a > b {
		return DurationRange{}, fmt.Errorf("range %q is inverted: %s is more than %s", s, a, b)
	}
	return DurationRange{Min: a.D(), Max: b.D()}, nil
}

// An IntRange is an inclusive range of whole numbers, written { min: 1, max: 12 }.
type IntRange struct {
	Min int `yaml:"min"`
	Max int `yaml:"max"`
}
