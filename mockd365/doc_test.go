package mockd365

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
)

// docPath is the user documentation whose examples TestDocExamples runs.
const docPath = "../docs/mock.md"

// A docExample is one command of a ```console block of docs/mock.md and the output the
// block shows after it.
type docExample struct {
	line    int // in docPath, of the command's first line
	command string
	output  string
}

// Ensure every ```console block of docs/mock.md shows what the mock answers: the blocks run
// in order, as one shell session, each "$ " line (continued by a trailing \) a command, and
// the lines up to the next command its exact output, where … stands for any text (a
// timestamp, a random boundary, a part of a long answer left out). Each "stormcheck mock"
// command starts a fresh mock on a loopback port of the test; its --addr is the address
// the examples use to reach it. Every mock runs on one clock of the test, which only sleep
// and latency waits move forward, so throttling windows, token lifetimes and cold starts
// give the same answers on every run.
func TestDocExamples(t *testing.T) {
	text, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatal(err)
	}
	examples, err := consoleExamples(string(text))
	if err != nil {
		t.Fatal(err)
	}
	if len(examples) < 50 {
		t.Fatalf("%d examples in %s; the convention of its ```console blocks changed?",
			len(examples), docPath)
	}
	sess := newDocSession(t)
	for _, ex := range examples {
		out, err := sess.run(ex.command)
		if err != nil {
			t.Fatalf("%s:%d: %s\n%v", docPath, ex.line, ex.command, err)
		}
		if got := normalizeOutput(out); !outputMatches(ex.output, got) {
			t.Errorf("%s:%d: %s\nthe doc shows:\n%s\nthe mock answers:\n%s", docPath, ex.line,
				ex.command, ex.output, clip(got, 4000))
		}
	}
}

// consoleExamples returns the commands of the ```console blocks of a Markdown text, in
// order, each with the output shown under it.
func consoleExamples(text string) ([]docExample, error) {
	var out []docExample
	var cur *docExample
	inBlock, continued := false, false
	for i, line := range strings.Split(text, "\n") {
		switch {
		case !inBlock:
			inBlock = strings.TrimSpace(line) == "```console"
		case strings.TrimSpace(line) == "```":
			inBlock, cur = false, nil
		case continued:
			cur.command += "\n" + line
			continued = strings.HasSuffix(line, `\`)
		case strings.HasPrefix(line, "$ "):
			out = append(out, docExample{line: i + 1, command: line[2:]})
			cur = &out[len(out)-1]
			continued = strings.HasSuffix(line, `\`)
		case cur == nil:
			return nil, fmt.Errorf("%s:%d: a ```console block must start with a \"$ \" "+
				"command", docPath, i+1)
		default:
			cur.output += line + "\n"
		}
	}
	for i := range out {
		out[i].output = strings.TrimRight(out[i].output, "\n")
	}
	return out, nil
}

// normalizeOutput returns output as a terminal shows it: lines end in \n, and trailing
// white space is left out.
func normalizeOutput(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\r")
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n")
}

// outputMatches reports whether got is the output shown, where … matches any text.
func outputMatches(shown, got string) bool {
	parts := strings.Split(shown, "…")
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	re, err := regexp.Compile(`\A` + strings.Join(parts, `(?s:.*?)`) + `\z`)
	return err == nil && re.MatchString(got)
}

// clip shortens s for a failure message.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + fmt.Sprintf("… (%d bytes in all)", len(s))
}
