package scenarios

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxProblem turns a yaml.v3 syntax error into a problem at the best place data lets us
// find. Tabs in indentation and control characters are found by scanning data itself, with
// their column, since yaml.v3 names no column and, for control characters, no line.
// yaml.v3 numbers the lines of parser errors ("did not find expected key") from 0 and
// places them where the enclosing block or flow collection starts, so those are shifted
// to count from 1 and say so.
func syntaxProblem(data []byte, file string, err error) Problem {
	if p, ok := badCharacter(data, file); ok {
		return p
	}
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	m := yamlLine.FindStringSubmatch(err.Error())
	if m == nil {
		return Problem{File: file, Msg: "invalid YAML: " + msg}
	}
	line, _ := strconv.Atoi(m[1])
	msg = m[2]
	if strings.HasPrefix(msg, "did not find expected") {
		line++
		msg += " in the block or list that starts here (below it: a missing comma or " +
			"bracket, or a wrong indent)"
	}
	return Problem{File: file, Line: line, Msg: "invalid YAML: " + msg}
}

// badCharacter finds the first character YAML cannot take where it stands: a tab in a
// line's indentation, a control character, or bytes that are not UTF-8.
func badCharacter(data []byte, file string) (Problem, bool) {
	for i, line := range bytes.Split(data, []byte("\n")) {
		at := func(col int, msg string) (Problem, bool) {
			return Problem{File: file, Line: i + 1, Column: col, Msg: "invalid YAML: " + msg}, true
		}
		indent := len(line) - len(bytes.TrimLeft(line, " \t"))
		if col := bytes.IndexByte(line[:indent], '\t'); col >= 0 {
			return at(col+1, "a tab indents this line; YAML indents with spaces only")
		}
		for col, rest := 1, line; len(rest) > 0; col++ {
			r, size := utf8.DecodeRune(rest)
			rest = rest[size:]
			switch {
			case r == utf8.RuneError && size == 1:
				return at(col, "bytes that are not UTF-8; save the file as UTF-8")
			case r < 0x20 && r != '\t' && r != '\r', r == 0x7f:
				return at(col, fmt.Sprintf("a control character (U+%04X) is not allowed", r))
			}
		}
	}
	return Problem{}, false
}
