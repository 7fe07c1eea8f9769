package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Load reads a scenario from a file path, or from the bundled catalogue when the
// argument names a bundled scenario (a name without a path separator or .yaml suffix,
// such as "quickstart"). It parses, applies defaults and validates as Parse does. Every
// failure is an *Error, a missing file and an unknown bundled name included.
func Load(nameOrPath string) (*Scenario, error) {
	if isBundledName(nameOrPath) && !exists(nameOrPath) {
		return loadBundled(nameOrPath)
	}
	data, err := readLimited(nameOrPath)
	if err != nil {
		return nil, readError(nameOrPath, err)
	}
	return Parse(data, nameOrPath)
}

// MaxFileSize bounds a scenario file: a scenario is a page of YAML, and reading a device
// or a huge file by mistake must not exhaust memory.
const MaxFileSize = 1 << 20

// readLimited reads a file of at most MaxFileSize bytes.
func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("the file is larger than %d KiB; a scenario is a page of YAML",
			MaxFileSize>>10)
	}
	return data, nil
}

// exists reports whether something in the file system has this name, so that a scenario
// file in the current directory wins over a bundled scenario of the same name, and a
// directory given by mistake is reported as one.
func exists(name string) bool {
	_, err := os.Stat(name)
	return err == nil
}

// Parse decodes a scenario strictly, applies defaults and validates it. source names
// the data in problems and becomes Scenario.Source. On failure it returns nil and an
// *Error listing every problem found, in file order: unknown, duplicate and mistyped
// keys, and impossible values. An impossible value is left out when it only follows from
// a key that failed to decode (a bad rate leaves no pace; a misspelt key leaves its
// mapping incomplete).
func Parse(data []byte, source string) (*Scenario, error) {
	root, problems := parseYAML(data, source, "scenario file")
	if len(problems) > 0 {
		return nil, newError(problems)
	}
	s := &Scenario{Source: source}
	d := &decoder{file: source, keys: map[string]position{"": posOf(root)}}
	d.value(root, reflect.ValueOf(s).Elem(), "")
	s.keys = d.keys
	s.ApplyDefaults()
	problems = d.problems
	var invalid *Error
	if errors.As(s.Validate(), &invalid) {
		problems = append(problems, unrelated(invalid.Problems, d.problems)...)
	}
	if len(problems) > 0 {
		return nil, newError(problems)
	}
	return s, nil
}

// unrelated keeps the problems whose key is neither the key, an ancestor nor a
// descendant of the key of any problem in the other list.
func unrelated(problems, others []Problem) []Problem {
	var kept []Problem
	for _, p := range problems {
		if !slices.ContainsFunc(others, func(o Problem) bool { return related(p.Key, o.Key) }) {
			kept = append(kept, p)
		}
	}
	return kept
}

func related(a, b string) bool { return a == b || isUnder(a, b) || isUnder(b, a) }

// isUnder reports whether key path child lies inside key path parent.
func isUnder(child, parent string) bool {
	return parent == "" || strings.HasPrefix(child, parent+".") ||
		strings.HasPrefix(child, parent+"[")
}

func isBundledName(arg string) bool {
	return arg != "" &&
		!strings.ContainsRune(arg, '/') && !strings.ContainsRune(arg, filepath.Separator) &&
		!strings.HasSuffix(arg, ".yaml") && !strings.HasSuffix(arg, ".yml")
}

func loadBundled(name string) (*Scenario, error) {
	data, err := BundledSource(name)
	if err != nil {
		var names []string
		for _, info := range Bundled() {
			names = append(names, info.Name)
		}
		p := Problem{File: name, Msg: "no bundled scenario has this name; " +
			"give a file path or one of: " + strings.Join(names, ", "), Hint: nearest(name, names)}
		return nil, &Error{Problems: []Problem{p}, cause: err}
	}
	return Parse(data, bundledSource(name))
}

func readError(path string, err error) error {
	cause := err
	var pathErr *fs.PathError
	if errors.As(err, &pathErr) {
		cause = pathErr.Err
	}
	p := Problem{File: path, Msg: "cannot read the scenario: " + cause.Error()}
	return &Error{Problems: []Problem{p}, cause: err}
}

// parseYAML returns the root node of the only document in data, or the problem that
// stops it: a syntax error, an empty file, more than one document. What names the kind of
// file in messages ("scenario", "faults file").
func parseYAML(data []byte, file, what string) (root *yaml.Node, problems []Problem) {
	defer func() {
		// yaml.v3 reports syntax errors as values; anything it panics with is a bug
		// there, and must not take the caller down.
		if r := recover(); r != nil {
			root, problems = nil, []Problem{{File: file, Msg: fmt.Sprintf("invalid YAML: %v", r)}}
		}
	}()
	empty := Problem{File: file, Msg: "the " + what + " is empty"}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
		return nil, []Problem{empty}
	} else if err != nil {
		return nil, []Problem{syntaxProblem(data, file, err)}
	}
	if len(doc.Content) == 0 || isNull(resolve(doc.Content[0])) {
		empty.Line, empty.Column = doc.Line, doc.Column
		return nil, []Problem{empty}
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == nil:
		return nil, []Problem{{File: file, Line: next.Line, Column: next.Column,
			Msg: "a " + what + " holds one YAML document; this is a second one"}}
	case !errors.Is(err, io.EOF):
		return nil, []Problem{syntaxProblem(data, file, err)}
	}
	return doc.Content[0], nil
}
