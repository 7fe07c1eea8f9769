package mockd365

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/interp"
	"mvdan.cc/sh/v3/syntax"

	"github.com/stormcheck/stormcheck/scenarios"
)

// The documentation test runs the examples of docs/mock.md in mvdan.cc/sh's interpreter.
// The commands it runs are Go functions, of this file and doctools_test.go: no process is
// started, so the test needs no shell, curl or jq on the machine, and every mock runs on
// the test's clock. A command the session lacks is an error that names it, so an example
// the test cannot run fails it rather than being skipped.

// A docCommand is a command of the examples' shell, run with the arguments after its name.
type docCommand func(hc interp.HandlerContext, args []string) error

// A docSession is the shell the examples run in, with the mocks they started.
type docSession struct {
	runner         *interp.Runner
	stdout, stderr bytes.Buffer
	clock          *docClock
	mocks          map[string]*Server // by the address the examples use
	jobs           []*Server          // $! is "g1" for jobs[0], "g2" for jobs[1]; nil once killed
	started        chan docJob        // what the last "stormcheck mock" started
}

// A docJob is a mock that "stormcheck mock" started, or why it could not.
type docJob struct {
	addr string
	s    *Server
	err  error
}

// newDocSession returns a session in a temporary folder, with no environment, on a clock
// set to a Monday morning.
func newDocSession(t *testing.T) *docSession {
	sess := &docSession{mocks: map[string]*Server{}, started: make(chan docJob, 1),
		clock: &docClock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}}
	commands := map[string]docCommand{"stormcheck": sess.stormcheck, "curl": sess.curl,
		"sleep": sess.sleep, "jq": jq, "seq": seq, "head": head}
	exec := func(ctx context.Context, args []string) error {
		cmd, ok := commands[args[0]]
		if !ok {
			return fmt.Errorf("the examples' shell has no command %q", args[0])
		}
		if err := cmd(interp.HandlerCtx(ctx), args[1:]); err != nil {
			return fmt.Errorf("%s: %w", args[0], err)
		}
		return nil
	}
	runner, err := interp.New(interp.Dir(t.TempDir()), interp.Env(expand.ListEnviron()),
		interp.StdIO(strings.NewReader(""), &sess.stdout, &sess.stderr),
		interp.CallHandler(sess.builtins),
		interp.ExecHandlers(func(interp.ExecHandlerFunc) interp.ExecHandlerFunc { return exec }))
	if err != nil {
		t.Fatal(err)
	}
	sess.runner = runner
	t.Cleanup(func() {
		for _, s := range sess.mocks {
			s.Close()
		}
	})
	return sess
}

// run runs one command line of the page and returns what it wrote to stdout. It runs the
// line's statements one at a time, so that a mock started with & serves before the next
// statement runs, as "sleep 1" lets it in a real shell.
func (sess *docSession) run(src string) (string, error) {
	file, err := syntax.NewParser().Parse(strings.NewReader(src), "")
	if err != nil {
		return "", err
	}
	sess.stdout.Reset()
	sess.stderr.Reset()
	for _, st := range file.Stmts {
		if err := sess.runStmt(st); err != nil {
			return "", fmt.Errorf("%w\n%s", err, sess.stderr.String())
		}
	}
	return sess.stdout.String(), nil
}

// runStmt runs one statement. Only "stormcheck mock ... &" runs in the background, and it
// runs only there, as it serves until it is killed; the interpreter numbers it in $! as
// the session numbers its jobs, since the examples start nothing else with &.
func (sess *docSession) runStmt(st *syntax.Stmt) error {
	call, _ := st.Cmd.(*syntax.CallExpr)
	if st.Background && (call == nil || len(call.Args) == 0 || call.Args[0].Lit() != "stormcheck") {
		return errors.New("only 'stormcheck mock ... &' runs in the background")
	}
	if err := sess.runner.Run(context.Background(), st); err != nil {
		return err
	}
	if !st.Background && len(sess.started) == 0 {
		return nil
	}
	job := <-sess.started
	if job.s != nil {
		sess.mocks[job.addr] = job.s
	}
	if !st.Background {
		return errors.Join(job.err,
			errors.New("stormcheck mock serves until it is killed: start it with &"))
	}
	sess.jobs = append(sess.jobs, job.s)
	return job.err
}

// builtins stands in for two of the interpreter's builtins: kill, which stops a mock, and
// printf, which would print the "--" that ends bash's options.
func (sess *docSession) builtins(_ context.Context, args []string) ([]string, error) {
	switch {
	case args[0] == "kill":
		return []string{"true"}, sess.kill(args[1:])
	case args[0] == "printf" && len(args) > 1 && args[1] == "--":
		return append(args[:1:1], args[2:]...), nil
	}
	return args, nil
}

// stormcheck runs "stormcheck mock FLAGS": it starts a mock and hands it to the session,
// which waits for it after each '&'.
func (sess *docSession) stormcheck(_ interp.HandlerContext, args []string) error {
	job := docJob{err: fmt.Errorf("only 'stormcheck mock ...' runs in the examples, not %q", args)}
	if len(args) > 0 && args[0] == "mock" {
		job = sess.startMock(args[1:])
	}
	sess.started <- job
	return job.err
}

// startMock starts a mock on a loopback port of the test that answers as if it listened on
// the address of --addr, on the session's clock.
func (sess *docSession) startMock(args []string) docJob {
	addr, opts, err := docMockOptions(args)
	if err == nil && sess.mocks[addr] != nil {
		err = fmt.Errorf("%s is in use: kill the mock there first", addr)
	}
	if err != nil {
		return docJob{err: err}
	}
	opts.Addr = "127.0.0.1:0"
	s, err := NewUnstartedServer(opts)
	if err != nil {
		return docJob{err: err}
	}
	s.now = sess.clock.Now
	s.delay.sleep = sess.clock.sleep
	if err := s.Start(); err != nil {
		return docJob{err: err}
	}
	s.URL = "http://" + addr // links and token audiences name the examples' address
	return docJob{addr: addr, s: s}
}

// docMockOptions reads the flags of stormcheck mock that the examples use into options,
// with the names and meanings of the CLI's flags.
func docMockOptions(args []string) (string, Options, error) {
	fs := flag.NewFlagSet("stormcheck mock", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
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
func (sess *docSession) kill(args []string) error {
	n := 0
	if len(args) == 1 {
		n, _ = strconv.Atoi(strings.TrimPrefix(args[0], "g"))
	}
	if n < 1 || n > len(sess.jobs) || sess.jobs[n-1] == nil {
		return fmt.Errorf("only kill $! of a running mock runs, not kill %q", args)
	}
	s := sess.jobs[n-1]
	sess.jobs[n-1] = nil
	maps.DeleteFunc(sess.mocks, func(_ string, m *Server) bool { return m == s })
	return s.Close()
}

// sleep runs "sleep SECONDS" on the session's clock.
func (sess *docSession) sleep(_ interp.HandlerContext, args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("want sleep SECONDS, got %q", args)
	}
	d, err := time.ParseDuration(args[0] + "s")
	if err != nil {
		return err
	}
	sess.clock.advance(d)
	return nil
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
