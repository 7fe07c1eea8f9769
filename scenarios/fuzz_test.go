package scenarios

import (
	"errors"
	"reflect"
	"testing"
)

// FuzzParse checks that Parse never panics, fails only with an *Error, and that what
// it accepts survives Marshal and Parse unchanged.
func FuzzParse(f *testing.F) {
	quickstart, err := BundledSource("quickstart")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(quickstart)
	for _, seed := range []string{
		minimal,
		minimal + "sender:\n  retyr: { attempts: 2 }\n",
		minimal + "faults: { duplicate: { rate: 150%, delay: 5s-1s } }\n",
		minimal + "expect: { p99_latency: 800ms, duplicates: 0, throughput: 10/s }\n",
		minimal + "x: &a [*a]\n",
		"name: t\nload: { rate: 10/s\n",
		"a: &x 1\nb: *x\n<<: *x\n",
		"",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse(data, "fuzz.yaml")
		if err != nil {
			var invalid *Error
			if !errors.As(err, &invalid) || len(invalid.Problems) == 0 {
				t.Fatalf("Parse error %v is not an *Error with problems", err)
			}
			return
		}
		out, err := Marshal(s)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		back, err := Parse(out, "marshalled.yaml")
		if err != nil {
			t.Fatalf("Parse(Marshal(s)): %v\n%s", err, out)
		}
		if !reflect.DeepEqual(stripped(back), stripped(s)) {
			t.Fatalf("round trip changed the scenario:\n%s", out)
		}
	})
}
