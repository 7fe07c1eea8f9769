package scenarios

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// Ensure the value types read and write their scenario notation through plain yaml.v3 as
// well, so other packages can embed them in their own YAML.
func TestValuesThroughYAML(t *testing.T) {
	type doc struct {
		Rate  Rate          `yaml:"rate"`
		Share Share         `yaml:"share"`
		Wait  Duration      `yaml:"wait"`
		Delay DurationRange `yaml:"delay"`
	}
	src := "rate: 90/m\nshare: 0.5%\nwait: 250ms\ndelay: 0s-5s\n"
	var d doc
	if err := yaml.Unmarshal([]byte(src), &d); err != nil {
		t.Fatalf("Unmarshal: %v", err)
	}
	want := doc{
		Rate: Rate{Freq: 90, Per: time.Minute}, Share: 0.005,
		Wait: Duration(250 * time.Millisecond), Delay: DurationRange{Max: 5 * time.Second},
	}
	if d != want {
		t.Errorf("Unmarshal = %+v, want %+v", d, want)
	}
	out, err := yaml.Marshal(d)
	if err != nil || string(out) != src {
		t.Errorf("Marshal = %q, %v; want %q", out, err, src)
	}
}

// Ensure a bad value is an *Error placed at its node.
func TestValueUnmarshalPlacesProblem(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"bad rate", "rate: 5/d", `1:7: rate "5/d" has unit "d"; use s, m or h`},
		{"share over 100%", "\nshare: 101%", `2:8: share "101%" must lie between 0% and 100%`},
		{"list for a duration", "wait: [1s]", "1:7: expected a duration such as 250ms, got a list"},
		{"inverted range", "delay: 2s-1s", `1:8: range "2s-1s" is inverted: 2s is more than 1s`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d struct {
				Rate  Rate          `yaml:"rate"`
				Share Share         `yaml:"share"`
				Wait  Duration      `yaml:"wait"`
				Delay DurationRange `yaml:"delay"`
			}
			err := yaml.Unmarshal([]byte(tt.src), &d)
			var invalid *Error
			if !errors.As(err, &invalid) || err.Error() != tt.want {
				t.Errorf("Unmarshal error = %v, want *Error %q", err, tt.want)
			}
		})
	}
}

// Ensure a share is written with the fewest digits and reads back exactly.
func TestShareString(t *testing.T) {
	tests := []struct {
		name  string
		share Share
		want  string
	}{
		{"zero", 0, "0%"},
		{"whole", 0.02, "2%"},
		{"half", 0.005, "0.5%"},
		{"all", 1, "100%"},
		{"tiny", 1e-9, "0.0000001%"},
		{"long", 0.123456789012345, "12.3456789012345%"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.share.String(); got != tt.want {
				t.Errorf("String = %s, want %s", got, tt.want)
			}
		})
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 100_000 {
		s := Share(r.Float64())
		if back, err := ParseShare(s.String()); err != nil || back != s {
			t.Fatalf("ParseShare(%s) = %v, %v; want %v", s, float64(back), err, float64(s))
		}
	}
}

// Ensure the short form of an IntRange parses like the mapping form.
func TestParseIntRange(t *testing.T) {
	tests := []struct {
		name, in string
		want     IntRange
		wantErr  bool
	}{
		{"range", "1-12", IntRange{1, 12}, false},
		{"spaces", " 2 - 3 ", IntRange{2, 3}, false},
		{"single", "4", IntRange{4, 4}, false},
		{"inverted", "6-2", IntRange{}, true},
		{"negative", "-1", IntRange{}, true},
		{"words", "a-b", IntRange{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseIntRange(tt.in)
			if got != tt.want || (err != nil) != tt.wantErr {
				t.Errorf("ParseIntRange(%q) = %v, %v", tt.in, got, err)
			}
		})
	}
}
