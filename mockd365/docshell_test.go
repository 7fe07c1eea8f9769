package mockd365

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// The documentation test runs the examples of docs/mock.md with a small shell written for
// them, so that it needs no shell, curl or jq on the machine and can run every mock on a
// clock of its own. It knows what the examples use: words with '...', "...", \ escapes,
// $NAME, ${NAME}, $! and $(...); pipes, ';', '&', '>' and '>>' redirects; for NAME in
// WORDS; do ...; done; NAME=value; and the commands newDocSession gives it. Anything else
// is an error that names it, so an example the shell cannot run fails the test rather than
// being skipped.

// A shSegment is a piece of a word: literal text, a parameter ($NAME) or a command
// substitution ($(...)). quoted segments are not split into fields.
type shSegment struct {
	kind   shSegKind
	text   string // the literal, the parameter's name, or the substituted command
	quoted bool
}

type shSegKind int

const (
	segLiteral shSegKind = iota
	segParam
	segCommand
)

// A shWord is a shell word before expansion.
type shWord []shSegment

// A shToken is a word or an operator: | ; & > >> 2>.
type shToken struct {
	w  shWord
	op string
}

// literal returns the word's text when it is one unquoted literal, such as a keyword.
func (w shWord) literal() (string, bool) {
	if len(w) != 1 || w[0].kind != segLiteral || w[0].quoted {
		return "", false
	}
	return w[0].text, true
}

// A shLexer splits a command line into tokens.
type shLexer struct {
	src  []rune
	pos  int
	toks []shToken
	cur  shWord
	open bool // cur has started, even if it is empty ('')
}

// shLex splits src into tokens; a '#' that starts a word comments out the rest of the line.
func shLex(src string) ([]shToken, error) {
	lx := &shLexer{src: []rune(src)}
	for lx.pos < len(lx.src) {
		if err := lx.step(); err != nil {
			return nil, err
		}
	}
	lx.endWord()
	return lx.toks, nil
}

// step reads one character, or one quoted or expanded piece.
func (lx *shLexer) step() error {
	c := lx.src[lx.pos]
	switch {
	case c == ' ' || c == '\t' || c == '\n':
		lx.endWord()
		lx.pos++
	case c == '#' && !lx.open:
		lx.pos = len(lx.src)
	case strings.ContainsRune("|;&>", c):
		return lx.operator()
	case c == '\\':
		if lx.pos+1 < len(lx.src) && lx.src[lx.pos+1] == '\n' {
			lx.pos += 2 // a line continuation
			return nil
		}
		lx.pos++
		lx.literal(lx.next(), true)
	case c == '\'':
		return lx.singleQuoted()
	case c == '"':
		return lx.doubleQuoted()
	case c == '$':
		return lx.dollar(false)
	default:
		lx.literal(string(c), false)
		lx.pos++
	}
	return nil
}

// next returns the character at pos and moves past it; "" at the end.
func (lx *shLexer) next() string {
	if lx.pos >= len(lx.src) {
		return ""
	}
	lx.pos++
	return string(lx.src[lx.pos-1])
}

// literal adds text to the current word, to its last segment when that is alike.
func (lx *shLexer) literal(text string, quoted bool) {
	lx.open = true
	if n := len(lx.cur); n > 0 && lx.cur[n-1].kind == segLiteral && lx.cur[n-1].quoted == quoted {
		lx.cur[n-1].text += text
		return
	}
	lx.cur = append(lx.cur, shSegment{kind: segLiteral, text: text, quoted: quoted})
}

// endWord ends the current word, if one has started.
func (lx *shLexer) endWord() {
	if lx.open {
		lx.toks = append(lx.toks, shToken{w: lx.cur})
	}
	lx.cur, lx.open = nil, false
}

// operator reads | ; & > >> and 2> (a word "2" right before '>').
func (lx *shLexer) operator() error {
	rest := string(lx.src[lx.pos:])
	for _, op := range []string{"&&", "||", ">>", "|", ";", "&", ">"} {
		if !strings.HasPrefix(rest, op) {
			continue
		}
		if op == "&&" || op == "||" {
			return fmt.Errorf("the examples' shell does not run %q; use ';'", op)
		}
		if text, ok := lx.cur.literal(); ok && text == "2" && op[0] == '>' {
			lx.cur, lx.open, op = nil, false, "2"+op
		}
		lx.endWord()
		lx.toks = append(lx.toks, shToken{op: op})
		lx.pos += len(op)
		return nil
	}
	return nil
}

// singleQuoted reads '...'.
func (lx *shLexer) singleQuoted() error {
	end := strings.IndexRune(string(lx.src[lx.pos+1:]), '\'')
	if end < 0 {
		return errors.New("a ' is not closed")
	}
	text := string(lx.src[lx.pos+1:])[:end]
	lx.literal(text, true)
	lx.pos += len([]rune(text)) + 2
	return nil
}

// doubleQuoted reads "...", with \ escapes of $ " \ and expansions inside.
func (lx *shLexer) doubleQuoted() error {
	lx.pos++
	lx.open = true
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		switch {
		case c == '"':
			lx.pos++
			return nil
		case c == '\\' && lx.pos+1 < len(lx.src) && escapedInQuotes(lx.src[lx.pos+1]):
			lx.literal(string(lx.src[lx.pos+1]), true)
			lx.pos += 2
		case c == '$':
			if err := lx.dollar(true); err != nil {
				return err
			}
		default:
			lx.literal(string(c), true)
			lx.pos++
		}
	}
	return errors.New(`a " is not closed`)
}

// escapedInQuotes reports whether a backslash before c escapes it inside "...".
func escapedInQuotes(c rune) bool {
	return strings.ContainsRune(`$"\`+"`", c)
}

// paramName matches the name of a parameter after '$'.
var paramName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*`)

// dollar reads $NAME, ${NAME}, $! or $(...); a '$' before anything else is literal.
func (lx *shLexer) dollar(quoted bool) error {
	rest := string(lx.src[lx.pos+1:])
	switch {
	case strings.HasPrefix(rest, "("):
		inner, err := substitution(rest)
		if err != nil {
			return err
		}
		lx.cur = append(lx.cur, shSegment{kind: segCommand, text: inner, quoted: quoted})
		lx.pos += len([]rune(inner)) + 3
	case strings.HasPrefix(rest, "{"):
		end := strings.IndexRune(rest, '}')
		if end < 0 {
			return errors.New("a ${ is not closed")
		}
		lx.cur = append(lx.cur, shSegment{kind: segParam, text: rest[1:end], quoted: quoted})
		lx.pos += len([]rune(rest[:end])) + 2
	case strings.HasPrefix(rest, "!"):
		lx.cur = append(lx.cur, shSegment{kind: segParam, text: "!", quoted: quoted})
		lx.pos += 2
	case paramName.MatchString(rest):
		name := paramName.FindString(rest)
		lx.cur = append(lx.cur, shSegment{kind: segParam, text: name, quoted: quoted})
		lx.pos += len(name) + 1
	default:
		lx.literal("$", quoted)
		lx.pos++
	}
	lx.open = true
	return nil
}

// substitution returns the command inside "(...)", which starts rest, skipping quoted
// parentheses.
func substitution(rest string) (string, error) {
	depth, quote := 0, rune(0)
	for i, c := range rest {
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '(':
			depth++
		case c == ')':
			if depth--; depth == 0 {
				return rest[1:i], nil
			}
		}
	}
	return "", errors.New("a $( is not closed")
}

// A shList is commands run in order; each item is a pipeline, maybe in the background.
type shList []shItem

type shItem struct {
	pipe       []*shCommand
	background bool
}

// A shCommand is a simple command or a for loop, with its redirections.
type shCommand struct {
	words  []shWord
	loop   *shLoop
	redirs []shRedir
}

type shLoop struct {
	name  string
	items []shWord
	body  shList
}

type shRedir struct {
	op     string // > >> 2> 2>>
	target shWord
}

// A shParser builds a shList from tokens.
type shParser struct {
	toks []shToken
	pos  int
}

// shParse parses a command line.
func shParse(src string) (shList, error) {
	toks, err := shLex(src)
	if err != nil {
		return nil, err
	}
	p := &shParser{toks: toks}
	l, err := p.list("")
	if err == nil && p.pos < len(p.toks) {
		err = fmt.Errorf("unexpected %q", p.peekText())
	}
	return l, err
}

// peekText returns the next token as text.
func (p *shParser) peekText() string {
	if p.pos >= len(p.toks) {
		return ""
	}
	if t := p.toks[p.pos]; t.op != "" {
		return t.op
	}
	text, _ := p.toks[p.pos].w.literal()
	return text
}

// list parses pipelines separated by ';' and '&', up to the keyword stop or the end.
func (p *shParser) list(stop string) (shList, error) {
	var l shList
	for p.pos < len(p.toks) && (stop == "" || p.peekText() != stop) {
		pipe, err := p.pipeline()
		if err != nil {
			return nil, err
		}
		item := shItem{pipe: pipe}
		switch p.peekText() {
		case "&":
			item.background = true
			p.pos++
		case ";":
			p.pos++
		}
		l = append(l, item)
	}
	return l, nil
}

// pipeline parses commands joined by '|'.
func (p *shParser) pipeline() ([]*shCommand, error) {
	var pipe []*shCommand
	for {
		c, err := p.command()
		if err != nil {
			return nil, err
		}
		pipe = append(pipe, c)
		if p.peekText() != "|" {
			return pipe, nil
		}
		p.pos++
	}
}

// command parses a for loop or a simple command, then its redirections.
func (p *shParser) command() (*shCommand, error) {
	c := &shCommand{}
	if p.peekText() == "for" {
		loop, err := p.forLoop()
		if err != nil {
			return nil, err
		}
		c.loop = loop
	}
	for p.pos < len(p.toks) {
		t := p.toks[p.pos]
		switch {
		case strings.HasSuffix(t.op, ">") || strings.HasSuffix(t.op, ">>"):
			if p.pos+1 >= len(p.toks) || p.toks[p.pos+1].op != "" {
				return nil, fmt.Errorf("%s needs a file", t.op)
			}
			c.redirs = append(c.redirs, shRedir{op: t.op, target: p.toks[p.pos+1].w})
			p.pos += 2
		case t.op != "":
			return c, p.nonEmpty(c)
		case c.loop != nil:
			return nil, fmt.Errorf("unexpected %q after done", p.peekText())
		default:
			c.words = append(c.words, t.w)
			p.pos++
		}
	}
	return c, p.nonEmpty(c)
}

// nonEmpty reports a command with nothing in it, such as "; ;".
func (p *shParser) nonEmpty(c *shCommand) error {
	if c.loop == nil && len(c.words) == 0 {
		return fmt.Errorf("an empty shCommand before %q", p.peekText())
	}
	return nil
}

// forLoop parses "for NAME in WORDS; do LIST; done".
func (p *shParser) forLoop() (*shLoop, error) {
	p.pos++
	name := p.peekText()
	p.pos++
	if !paramName.MatchString(name) || p.peekText() != "in" {
		return nil, errors.New("want 'for NAME in WORDS; do ...; done'")
	}
	p.pos++
	loop := &shLoop{name: name}
	for p.pos < len(p.toks) && p.toks[p.pos].op == "" {
		loop.items = append(loop.items, p.toks[p.pos].w)
		p.pos++
	}
	if p.peekText() != ";" {
		return nil, errors.New("want ';' after the words of for")
	}
	p.pos++
	if p.peekText() != "do" {
		return nil, errors.New("want 'do' after 'for NAME in WORDS;'")
	}
	p.pos++
	body, err := p.list("done")
	if err != nil {
		return nil, err
	}
	if p.peekText() != "done" {
		return nil, errors.New("a for loop has no 'done'")
	}
	p.pos++
	loop.body = body
	return loop, nil
}

// A shell runs parsed command lines. Its commands write to stdout; files are relative to
// dir, and /dev/null discards.
type shell struct {
	vars       map[string]string
	dir        string
	commands   map[string]func(sh *shell, args []string, stdin []byte) ([]byte, error)
	background bool // the pipeline running now was started with '&'
}

// run parses and runs one command line and returns what it wrote to stdout.
func (sh *shell) run(src string) ([]byte, error) {
	l, err := shParse(src)
	if err != nil {
		return nil, err
	}
	return sh.runList(l, nil)
}

// runList runs the items of l in order.
func (sh *shell) runList(l shList, stdin []byte) ([]byte, error) {
	var out []byte
	for _, item := range l {
		sh.background = item.background
		b, err := sh.runPipeline(item.pipe, stdin)
		sh.background = false
		if err != nil {
			return nil, err
		}
		out = append(out, b...)
	}
	return out, nil
}

// runPipeline runs commands one after another, each reading what the one before wrote.
func (sh *shell) runPipeline(pipe []*shCommand, stdin []byte) ([]byte, error) {
	in := stdin
	for _, c := range pipe {
		out, err := sh.runCommand(c, in)
		if err != nil {
			return nil, err
		}
		in = out
	}
	return in, nil
}

// runCommand runs a loop, an assignment or a command, then applies its redirections.
func (sh *shell) runCommand(c *shCommand, stdin []byte) ([]byte, error) {
	var out []byte
	var err error
	switch {
	case c.loop != nil:
		out, err = sh.runLoop(c.loop, stdin)
	case len(c.words) == 1 && isAssignment(c.words[0]):
		err = sh.assign(c.words[0])
	default:
		out, err = sh.runSimple(c.words, stdin)
	}
	if err != nil {
		return nil, err
	}
	return sh.redirect(c.redirs, out)
}

// runLoop runs a for loop's body once per field of its words.
func (sh *shell) runLoop(loop *shLoop, stdin []byte) ([]byte, error) {
	items, err := sh.fields(loop.items)
	if err != nil {
		return nil, err
	}
	var out []byte
	for _, v := range items {
		sh.vars[loop.name] = v
		b, err := sh.runList(loop.body, stdin)
		if err != nil {
			return nil, err
		}
		out = append(out, b...)
	}
	return out, nil
}

// assignmentPrefix matches the start of NAME=value.
var assignmentPrefix = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*=`)

// isAssignment reports whether w is NAME=value.
func isAssignment(w shWord) bool {
	return len(w) > 0 && w[0].kind == segLiteral && !w[0].quoted &&
		assignmentPrefix.MatchString(joinLiterals(w))
}

// joinLiterals returns the unquoted literal text that starts w.
func joinLiterals(w shWord) string {
	var b strings.Builder
	for _, s := range w {
		if s.kind != segLiteral || s.quoted {
			break
		}
		b.WriteString(s.text)
	}
	return b.String()
}

// assign runs NAME=value; the value is not split into fields.
func (sh *shell) assign(w shWord) error {
	name, _, _ := strings.Cut(joinLiterals(w), "=")
	value, err := sh.joined(w)
	if err != nil {
		return err
	}
	sh.vars[name] = value[len(name)+1:]
	return nil
}

// runSimple expands words and runs the command they name.
func (sh *shell) runSimple(words []shWord, stdin []byte) ([]byte, error) {
	args, err := sh.fields(words)
	if err != nil {
		return nil, err
	}
	if len(args) == 0 {
		return nil, nil
	}
	cmd, ok := sh.commands[args[0]]
	if !ok {
		return nil, fmt.Errorf("the examples' shell has no command %q", args[0])
	}
	out, err := cmd(sh, args[1:], stdin)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", args[0], err)
	}
	return out, nil
}

// redirect writes out to the files of redirs, and returns what stays on stdout.
func (sh *shell) redirect(redirs []shRedir, out []byte) ([]byte, error) {
	for _, r := range redirs {
		target, err := sh.joined(r.target)
		if err != nil {
			return nil, err
		}
		if strings.HasPrefix(r.op, "2") {
			continue // nothing writes to stderr here
		}
		if err := sh.writeFile(target, out, r.op == ">>"); err != nil {
			return nil, err
		}
		out = nil
	}
	return out, nil
}

// path returns a file name as the shell's commands see it.
func (sh *shell) path(name string) string {
	if filepath.IsAbs(name) {
		return name
	}
	return filepath.Join(sh.dir, name)
}

// writeFile writes or appends b to a file; /dev/null discards.
func (sh *shell) writeFile(name string, b []byte, appendTo bool) error {
	if name == "/dev/null" {
		return nil
	}
	flag := os.O_CREATE | os.O_WRONLY | os.O_TRUNC
	if appendTo {
		flag = os.O_CREATE | os.O_WRONLY | os.O_APPEND
	}
	f, err := os.OpenFile(sh.path(name), flag, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	return errors.Join(err, f.Close())
}

// fields expands words into fields: unquoted expansions split at white space.
func (sh *shell) fields(words []shWord) ([]string, error) {
	var out []string
	for _, w := range words {
		f, err := sh.expand(w)
		if err != nil {
			return nil, err
		}
		out = append(out, f...)
	}
	return out, nil
}

// expand expands one word into its fields.
func (sh *shell) expand(w shWord) ([]string, error) {
	var fields []string
	var cur strings.Builder
	started := false
	for _, s := range w {
		value, err := sh.value(s)
		if err != nil {
			return nil, err
		}
		if s.kind == segLiteral || s.quoted {
			cur.WriteString(value)
			started = true
			continue
		}
		parts := strings.Fields(value)
		if len(parts) > 0 && strings.TrimLeft(value, " \t\n") != value && started {
			fields, started = append(fields, cur.String()), false
			cur.Reset()
		}
		for i, part := range parts {
			if i > 0 {
				fields = append(fields, cur.String())
				cur.Reset()
			}
			cur.WriteString(part)
			started = true
		}
		if len(parts) > 0 && strings.TrimRight(value, " \t\n") != value {
			fields, started = append(fields, cur.String()), false
			cur.Reset()
		}
	}
	if started {
		fields = append(fields, cur.String())
	}
	return fields, nil
}

// joined expands a word without splitting it, as the value of an assignment or the file
// of a redirection.
func (sh *shell) joined(w shWord) (string, error) {
	var b strings.Builder
	for _, s := range w {
		v, err := sh.value(s)
		if err != nil {
			return "", err
		}
		b.WriteString(v)
	}
	return b.String(), nil
}

// value returns a segment's text: a literal, a variable, or a command's output without its
// trailing newlines.
func (sh *shell) value(s shSegment) (string, error) {
	switch s.kind {
	case segParam:
		v, ok := sh.vars[s.text]
		if !ok {
			return "", fmt.Errorf("$%s is not set", s.text)
		}
		return v, nil
	case segCommand:
		out, err := sh.run(s.text)
		return strings.TrimRight(string(out), "\n"), err
	}
	return s.text, nil
}
