package mockd365

import (
	"bytes"
	"cmp"
	"context"
	"flag"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stormcheck/stormcheck/scenarios"
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
		out, err := sess.sh.run(ex.command)
		if err != nil {
			t.Fatalf("%s:%d: %s\n%v", docPath, ex.line, ex.command, err)
		}
		if got := normalizeOutput(string(out)); !outputMatches(ex.output, got) {
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

// A docClock is the clock of the mocks of the examples: it moves only when told.
type docClock struct {
	mu  sync.Mutex
	now time.Time
}

// Now returns the clock's time.
func (c *docClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// advance moves the clock forward by d.
func (c *docClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// sleep is the latency wait of the mocks: the time passes at once.
func (c *docClock) sleep(_ context.Context, _ <-chan struct{}, d time.Duration) {
	c.advance(d)
}

// A docSession is the shell the examples run in, with the mocks they started.
type docSession struct {
	t     *testing.T
	sh    *shell
	clock *docClock
	mocks map[string]*Server // by the address the examples use
}

// newDocSession returns a session in a temporary folder, on a clock set to a Monday
// morning.
func newDocSession(t *testing.T) *docSession {
	sess := &docSession{t: t, mocks: map[string]*Server{},
		clock: &docClock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}}
	sess.sh = &shell{vars: map[string]string{}, dir: t.TempDir(), commands: map[string]func(
		*shell, []string, []byte) ([]byte, error){
		"stormcheck": sess.stormcheck, "kill": sess.kill, "sleep": sess.sleepCmd,
		"curl": sess.curl, "jq": jq, "printf": printfCmd, "seq": seq, "head": head,
		"echo": echo,
	}}
	t.Cleanup(func() {
		for _, s := range sess.mocks {
			s.Close()
		}
	})
	return sess
}

// stormcheck runs "stormcheck mock FLAGS &": it starts a fresh mock for the address of
// --addr, replacing one started there before, and sets $! to a job id that kill takes.
// It must run in the background, as it does not return until it is stopped.
func (sess *docSession) stormcheck(sh *shell, args []string, _ []byte) ([]byte, error) {
	if len(args) == 0 || args[0] != "mock" || !sh.background {
		return nil, fmt.Errorf("only 'stormcheck mock ... &' runs in the examples, not %q",
			args)
	}
	addr, opts, err := docMockOptions(args[1:])
	if err != nil {
		return nil, err
	}
	if old := sess.mocks[addr]; old != nil {
		old.Close()
	}
	s, err := sess.startMock(addr, opts)
	if err != nil {
		return nil, err
	}
	sess.mocks[addr] = s
	sh.vars["!"] = "mock@" + addr
	return nil, nil
}

// startMock starts a mock on a loopback port of the test that answers as if it listened on
// addr, on the session's clock.
func (sess *docSession) startMock(addr string, opts Options) (*Server, error) {
	opts.Addr = "127.0.0.1:0"
	s, err := NewUnstartedServer(opts)
	if err != nil {
		return nil, err
	}
	s.now = sess.clock.Now
	s.delay.sleep = sess.clock.sleep
	if err := s.Start(); err != nil {
		return nil, err
	}
	s.URL = "http://" + addr // links and token audiences name the examples' address
	return s, nil
}

// docMockOptions reads the flags of stormcheck mock that the examples use into options,
// with the names and meanings of the CLI's flags.
func docMockOptions(args []string) (string, Options, error) {
	fs := flag.NewFlagSet("stormcheck mock", flag.ContinueOnError)
	fs.SetOutput(&bytes.Buffer{})
	var o Options
	var priorities, clients listFlag
	addr := fs.String("addr", "127.0.0.1:8365", "")
	capacity := fs.String("throttle", "", "")
	fs.StringVar(&o.Design, "design", "", "")
	fs.IntVar(&o.PageSize, "page-size", 0, "")
	fs.DurationVar(&o.Latency.Base, "latency", 0, "")
	fs.DurationVar(&o.Latency.ColdStart, "cold-start", 0, "")
	fs.DurationVar(&o.Throttle.RetryAfter, "retry-after", 0, "")
	fs.BoolVar(&o.Auth.Enabled, "auth", false, "")
	fs.DurationVar(&o.Auth.TokenLifetime, "token-lifetime", 0, "")
	fs.Var(&priorities, "priority", "")
	fs.Var(&clients, "client", "")
	if err := fs.Parse(args); err != nil {
		return "", o, err
	}
	if *capacity != "" {
		rate, err := scenarios.ParseRate(*capacity)
		if err != nil {
			return "", o, err
		}
		o.Throttle.Capacity = rate.PerSecond()
	}
	o.Throttle.Priorities = map[string]Priority{}
	for _, kv := range priorities {
		id, level, _ := strings.Cut(kv, "=")
		o.Throttle.Priorities[id] = Priority(level)
	}
	o.Auth.Clients = map[string]string{}
	for _, kv := range clients {
		id, secret, _ := strings.Cut(kv, ":")
		o.Auth.Clients[id] = secret
	}
	return *addr, o, nil
}

// A listFlag is a repeatable flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// kill runs "kill $!" of a mock: it stops the mock, as Ctrl-C would.
func (sess *docSession) kill(_ *shell, args []string, _ []byte) ([]byte, error) {
	addr, ok := "", len(args) == 1
	if ok {
		addr, ok = strings.CutPrefix(args[0], "mock@")
	}
	if !ok || sess.mocks[addr] == nil {
		return nil, fmt.Errorf("only kill $! of a running mock runs, not %q", args)
	}
	err := sess.mocks[addr].Close()
	delete(sess.mocks, addr)
	return nil, err
}

// sleepCmd runs "sleep SECONDS" on the session's clock.
func (sess *docSession) sleepCmd(_ *shell, args []string, _ []byte) ([]byte, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("want sleep SECONDS, got %q", args)
	}
	secs, err := strconv.ParseFloat(args[0], 64)
	if err != nil {
		return nil, err
	}
	sess.clock.advance(time.Duration(secs * float64(time.Second)))
	return nil, nil
}

// seq runs "seq LAST" and "seq FIRST LAST".
func seq(_ *shell, args []string, _ []byte) ([]byte, error) {
	nums := make([]int, len(args))
	for i, a := range args {
		n, err := strconv.Atoi(a)
		if err != nil {
			return nil, err
		}
		nums[i] = n
	}
	first, last := 1, 0
	switch len(nums) {
	case 1:
		last = nums[0]
	case 2:
		first, last = nums[0], nums[1]
	default:
		return nil, fmt.Errorf("want seq [FIRST] LAST, got %q", args)
	}
	var b bytes.Buffer
	for n := first; n <= last; n++ {
		fmt.Fprintln(&b, n)
	}
	return b.Bytes(), nil
}

// head runs "head -N" and "head -n N".
func head(_ *shell, args []string, stdin []byte) ([]byte, error) {
	if len(args) == 2 && args[0] == "-n" {
		args = []string{"-" + args[1]}
	}
	n, err := 0, fmt.Errorf("want head -N, got %q", args)
	if len(args) == 1 && strings.HasPrefix(args[0], "-") {
		n, err = strconv.Atoi(args[0][1:])
	}
	if err != nil {
		return nil, err
	}
	lines := bytes.SplitAfter(stdin, []byte("\n"))
	return bytes.Join(lines[:min(n, len(lines))], nil), nil
}

// echo runs "echo WORDS".
func echo(_ *shell, args []string, _ []byte) ([]byte, error) {
	return []byte(strings.Join(args, " ") + "\n"), nil
}

// printfCmd runs "printf [--] FORMAT ARGS...": %s and %d with flags and a width, %%, and the
// escapes \n \r \t \\ \" \'; the format is used again while arguments remain.
func printfCmd(_ *shell, args []string, _ []byte) ([]byte, error) {
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 {
		return nil, fmt.Errorf("want printf FORMAT ARGS...")
	}
	format := strings.NewReplacer(`\n`, "\n", `\r`, "\r", `\t`, "\t", `\\`, `\`, `\"`, `"`,
		`\'`, "'").Replace(args[0])
	verbs := printfVerb.FindAllStringIndex(format, -1)
	var b bytes.Buffer
	rest := args[1:]
	for {
		used, err := printfOnce(&b, format, verbs, rest)
		if err != nil {
			return nil, err
		}
		rest = rest[used:]
		if len(rest) == 0 || used == 0 {
			return b.Bytes(), nil
		}
	}
}

// printfVerb matches a conversion of printf's format.
var printfVerb = regexp.MustCompile(`%[-0 +#]*[0-9]*[sd%]`)

// printfOnce writes the format once with args and returns how many it used.
func printfOnce(b *bytes.Buffer, format string, verbs [][]int, args []string) (int, error) {
	used, last := 0, 0
	for _, v := range verbs {
		b.WriteString(format[last:v[0]])
		last = v[1]
		verb := format[v[0]:v[1]]
		if verb == "%%" {
			b.WriteByte('%')
			continue
		}
		arg := ""
		if used < len(args) {
			arg = args[used]
		}
		used++
		if !strings.HasSuffix(verb, "d") {
			fmt.Fprintf(b, verb, arg)
			continue
		}
		n, err := strconv.Atoi(cmp.Or(arg, "0"))
		if err != nil {
			return 0, fmt.Errorf("%s: %q is not a number", verb, arg)
		}
		fmt.Fprintf(b, verb, n)
	}
	b.WriteString(format[last:])
	return min(used, len(args)), nil
}
