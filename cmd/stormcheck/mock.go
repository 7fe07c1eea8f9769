package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/stormcheck/stormcheck/mockd365"
	"github.com/stormcheck/stormcheck/scenarios"
)

// mockFlags are the flags of stormcheck mock.
type mockFlags struct {
	addr, design, db, company  string
	pageSize                   int
	latency, jitter, coldStart time.Duration
	seed                       uint64
	capacity                   string
	retryAfter, maxRetryAfter  time.Duration
	priorities                 []string
	defaultPriority            string
	auth                       bool
	tokenLifetime              time.Duration
	clients                    []string
	audience                   string
	verbose                    bool
}

func newMockCmd() *cobra.Command {
	var f mockFlags
	cmd := &cobra.Command{
		Use:   "mock",
		Short: "Serve the mock D365 F&O OData surface on its own",
		Long: "mock serves the embedded mock of Dynamics 365 Finance & Operations until it is\n" +
			"interrupted: the OData service under /data, the token endpoints under\n" +
			"/{tenant}/oauth2/token and /{tenant}/oauth2/v2.0/token, and the admin API under\n" +
			"/admin (health, counts, reset, log). On Ctrl-C or SIGTERM it stops accepting,\n" +
			"finishes the requests in flight and closes its SQLite file. docs/mock.md\n" +
			"shows every behaviour with curl.",
		Example: "  stormcheck mock --addr 127.0.0.1:8365 --design d365 --db mock.db\n" +
			"  stormcheck mock --auth --throttle 300/s --retry-after 2s --priority erp-app=Low\n" +
			"  stormcheck mock --auth --client integration-app:s3cret --token-lifetime 5m",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts, err := f.options(cmd.ErrOrStderr())
			if err != nil {
				return usage(err)
			}
			return serveMock(cmd.Context(), opts, cmd.OutOrStdout())
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.addr, "addr", "127.0.0.1:8365", "listen address")
	fl.StringVar(&f.design, "design", mockd365.DefaultDesign, "design preset: "+designNames())
	fl.StringVar(&f.db, "db", "", "SQLite file, kept after exit (default: a temporary file, "+
		"removed on exit)")
	fl.StringVar(&f.company, "company", mockd365.DefaultCompany, "default legal entity "+
		"(dataAreaId)")
	fl.IntVar(&f.pageSize, "page-size", mockd365.DefaultPageSize, "rows per page before "+
		"@odata.nextLink")
	fl.DurationVar(&f.latency, "latency", 0, "base latency added to every /data request")
	fl.DurationVar(&f.jitter, "jitter", 0, "uniform jitter added on top of --latency")
	fl.DurationVar(&f.coldStart, "cold-start", 0, "extra wait of the first /data request "+
		"after start (and of those arriving meanwhile)")
	fl.Uint64Var(&f.seed, "seed", 0, "seed of the latency jitter")
	fl.StringVar(&f.capacity, "throttle", "", "throttle capacity such as 300/s: beyond it "+
		"requests get 429 with Retry-After (default: off)")
	fl.DurationVar(&f.retryAfter, "retry-after", mockd365.DefaultRetryAfter, "first "+
		"Retry-After of a throttled client")
	fl.DurationVar(&f.maxRetryAfter, "max-retry-after", mockd365.DefaultMaxRetryAfter,
		"largest Retry-After a client that keeps sending is told")
	fl.StringArrayVar(&f.priorities, "priority", nil, "CLIENT_ID=Low|Medium|High "+
		"throttling priority of an app (repeatable; needs --auth, which gives requests "+
		"their client id)")
	fl.StringVar(&f.defaultPriority, "default-priority", "High", "priority of apps not "+
		"given with --priority")
	fl.BoolVar(&f.auth, "auth", false, "require a bearer token from the token endpoint on "+
		"/data")
	fl.DurationVar(&f.tokenLifetime, "token-lifetime", mockd365.DefaultTokenLifetime,
		"lifetime of issued tokens")
	fl.StringArrayVar(&f.clients, "client", nil, "CLIENT_ID:SECRET the token endpoint "+
		"accepts (repeatable; default: any client id with a non-empty secret)")
	fl.StringVar(&f.audience, "audience", "", "environment URL tokens must be issued for "+
		"(default: the mock's own URL)")
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "log lifecycle events to stderr")
	return cmd
}

// options turns the flags into mock options. A value the mock cannot use is an error that
// names its flag, so that the command ends as a usage error before anything starts.
func (f *mockFlags) options(stderr io.Writer) (mockd365.Options, error) {
	if err := f.check(); err != nil {
		return mockd365.Options{}, err
	}
	opts := mockd365.Options{
		Design: f.design, DBPath: f.db, Addr: f.addr, DefaultCompany: f.company,
		PageSize: f.pageSize, Seed: f.seed,
		Latency: mockd365.Latency{Base: f.latency, Jitter: f.jitter, ColdStart: f.coldStart},
		Auth: mockd365.Auth{Enabled: f.auth, TokenLifetime: f.tokenLifetime,
			Audience: strings.TrimSpace(f.audience)},
		Logger: slog.New(slog.DiscardHandler),
	}
	if f.verbose {
		opts.Logger = slog.New(slog.NewTextHandler(stderr, nil))
	}
	if err := f.throttle(&opts.Throttle); err != nil {
		return opts, err
	}
	for _, kv := range f.clients {
		id, secret, ok := strings.Cut(kv, ":")
		if !ok || id == "" || secret == "" {
			return opts, fmt.Errorf("--client %q: want CLIENT_ID:SECRET", kv)
		}
		if _, dup := opts.Auth.Clients[id]; dup {
			return opts, fmt.Errorf("--client %q: client id %s is given twice", kv, id)
		}
		if opts.Auth.Clients == nil {
			opts.Auth.Clients = map[string]string{}
		}
		opts.Auth.Clients[id] = secret
	}
	return opts, nil
}

// check reports the first flag whose value the mock cannot use.
func (f *mockFlags) check() error {
	if _, err := mockd365.LookupDesign(f.design); err != nil {
		return fmt.Errorf("--design %s: %w", f.design, err)
	}
	if err := checkAddr(f.addr); err != nil {
		return fmt.Errorf("--addr %s: %w", f.addr, err)
	}
	if err := checkDBPath(f.db); err != nil {
		return fmt.Errorf("--db %s: %w", f.db, err)
	}
	if c := f.company; c == "" || len(c) > 4 || strings.ContainsAny(c, " \t'\"") {
		return fmt.Errorf("--company %q: want a legal entity id of 1 to 4 characters, such as "+
			"usmf", c)
	}
	if f.pageSize < 1 {
		return fmt.Errorf("--page-size %d: must be at least 1", f.pageSize)
	}
	for _, d := range []struct {
		flag  string
		value time.Duration
		least time.Duration
	}{
		{"--latency", f.latency, 0}, {"--jitter", f.jitter, 0}, {"--cold-start", f.coldStart, 0},
		{"--retry-after", f.retryAfter, time.Second},
		{"--max-retry-after", f.maxRetryAfter, f.retryAfter},
		{"--token-lifetime", f.tokenLifetime, time.Second},
	} {
		if d.value < d.least {
			return fmt.Errorf("%s %v: must be at least %v", d.flag, d.value, d.least)
		}
	}
	if f.retryAfter%time.Second != 0 {
		return fmt.Errorf("--retry-after %v: Retry-After is given in whole seconds, such as 2s",
			f.retryAfter)
	}
	return nil
}

// throttle sets t from the throttling flags. Priorities need --auth: without it every
// request has the client id "", so they would silently do nothing.
func (f *mockFlags) throttle(t *mockd365.Throttle) error {
	if f.capacity != "" {
		rate, err := scenarios.ParseRate(f.capacity)
		if err != nil {
			return fmt.Errorf("--throttle: %w", err)
		}
		t.Capacity = rate.PerSecond()
	}
	t.RetryAfter, t.MaxRetryAfter = f.retryAfter, f.maxRetryAfter
	p, err := mockd365.ParsePriority(f.defaultPriority)
	if err != nil {
		return fmt.Errorf("--default-priority: %w", err)
	}
	t.DefaultPriority = p
	for _, kv := range f.priorities {
		id, level, ok := strings.Cut(kv, "=")
		p, err := mockd365.ParsePriority(level)
		if !ok || err != nil {
			return fmt.Errorf("--priority %q: want CLIENT_ID=Low|Medium|High", kv)
		}
		if t.Priorities == nil {
			t.Priorities = map[string]mockd365.Priority{}
		}
		t.Priorities[id] = p
	}
	if len(f.priorities) > 0 && !f.auth {
		return fmt.Errorf("--priority %s: needs --auth: a priority applies to the client id "+
			"of a request's bearer token, and without --auth no request has one", f.priorities[0])
	}
	return nil
}

// checkAddr reports a listen address that is not host:port with a valid port.
func checkAddr(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("want HOST:PORT, such as 127.0.0.1:8365: %w", err)
	}
	if _, err := net.LookupPort("tcp", port); err != nil {
		return fmt.Errorf("port %q is not a port number: %w", port, err)
	}
	return nil
}

// checkDBPath reports a database path whose folder does not exist, or that is a folder.
func checkDBPath(path string) error {
	if path == "" {
		return nil
	}
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return errors.New("is a folder; name a file in it, such as mock.db")
	}
	dir := filepath.Dir(path)
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return fmt.Errorf("folder %s does not exist", dir)
	}
	return nil
}

// serveMock runs the mock until ctx ends, then drains it. A --db file the mock cannot open,
// or an --addr it cannot listen on, is a usage error: nothing was served.
func serveMock(ctx context.Context, opts mockd365.Options, out io.Writer) error {
	s, err := mockd365.NewServer(opts)
	var dbErr *mockd365.DBError
	if errors.As(err, &dbErr) && opts.DBPath != "" {
		return usage(fmt.Errorf("--db %s: cannot open the SQLite file: %w", opts.DBPath,
			dbErr.Err))
	}
	var listenErr *net.OpError
	if errors.As(err, &listenErr) && listenErr.Op == "listen" {
		return usage(fmt.Errorf("--addr %s: cannot listen there: %w", opts.Addr, listenErr.Err))
	}
	if err != nil {
		return &exitError{code: 4, err: err}
	}
	fmt.Fprintf(out, "mockd365 serving %s/data (design %s, database %s)\n", s.URL,
		s.Design().Name, s.DBPath())
	if opts.Auth.Enabled {
		fmt.Fprintf(out, "tokens: POST %s/common/oauth2/v2.0/token (scope %s/.default) or "+
			"%s/common/oauth2/token (resource %s)\n", s.URL, audience(opts, s), s.URL,
			audience(opts, s))
	}
	fmt.Fprintln(out, "press Ctrl-C to stop")
	<-ctx.Done()
	fmt.Fprintln(out, "mockd365 stopping: finishing requests in flight")
	if err := s.Close(); err != nil {
		return &exitError{code: 4, err: err}
	}
	fmt.Fprintln(out, "mockd365 stopped")
	return nil
}

func audience(opts mockd365.Options, s *mockd365.Server) string {
	if opts.Auth.Audience != "" {
		return opts.Auth.Audience
	}
	return s.URL
}

func designNames() string {
	names := make([]string, len(mockd365.Designs))
	for i, d := range mockd365.Designs {
		names[i] = d.Name
	}
	return strings.Join(names, ", ")
}
