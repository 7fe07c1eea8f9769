package scenarios

import "testing"

func TestNearest(t *testing.T) {
	keys := []string{"attempts", "backoff", "on", "honor_retry_after"}
	tests := []struct {
		name, word, want string
	}{
		{"swapped letters", "atempts", "attempts"},
		{"transposition", "backofff", "backoff"},
		{"case", "ON", "on"},
		{"prefix", "honor_retry", "honor_retry_after"},
		{"too far", "timeout", ""},
		{"short and far", "xy", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := nearest(tt.word, keys); got != tt.want {
				t.Errorf("nearest(%q) = %q, want %q", tt.word, got, tt.want)
			}
		})
	}
	if got := nearest("retyr", []string{"retry", "strategy"}); got != "retry" {
		t.Errorf("nearest(retyr) = %q, want retry", got)
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want int
	}{
		{"equal", "rate", "rate", 0},
		{"empty", "", "abc", 3},
		{"swap", "retyr", "retry", 1},
		{"substitution", "mdoe", "mode", 1},
		{"mixed", "kitten", "sitting", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := editDistance(tt.a, tt.b); got != tt.want {
				t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
			}
		})
	}
}
