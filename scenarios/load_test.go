package scenarios

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// Ensure Load reads a file path (anything with a separator or a .yaml suffix) and names
// the file in its problems.
func TestLoadFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	bad := filepath.Join(dir, "bad.yml")
	mustWrite(t, good, minimal)
	mustWrite(t, bad, minimal+"seed: x\n")

	s, err := Load(good)
	if err != nil || s.Source != good {
		t.Fatalf("Load(%s) = %v, %v", good, s, err)
	}
	_, err = Load(bad)
	want := bad + `:5:7: seed: expected a whole number >= 0, got the string "x"`
	if err == nil || err.Error() != want {
		t.Errorf("Load(%s) error:\ngot  %v\nwant %s", bad, err, want)
	}
}

// Ensure a file that cannot be read is an *Error that keeps its cause.
func TestLoadMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing.yaml")
	_, err := Load(path)
	var invalid *Error
	if !errors.As(err, &invalid) || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Load: got %v, want an *Error wrapping fs.ErrNotExist", err)
	}
	want := path + ": cannot read the scenario: no such file or directory"
	if err.Error() != want {
		t.Errorf("Load error:\ngot  %s\nwant %s", err, want)
	}
}

func mustWrite(tb testing.TB, path, data string) {
	tb.Helper()
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		tb.Fatal(err)
	}
}
