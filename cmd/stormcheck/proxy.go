package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/stormcheck/stormcheck/faults"
	"github.com/stormcheck/stormcheck/scenarios"
)

type proxyFlags struct {
	listen          string
	upstream        string
	faults          string
	seed            uint64
	allowProduction bool
}

func newProxyCmd() *cobra.Command {
	var f proxyFlags
	cmd := &cobra.Command{
		Use:   "proxy --upstream URL [flags]",
		Short: "Serve a chaos proxy between a gateway and its downstream",
		Long: "proxy forwards every request to the upstream (F&O, the mock, any HTTP service)\n" +
			"and applies transport faults on the way: injected error statuses with\n" +
			"Retry-After, reset connections, timeouts, lost answers after the upstream\n" +
			"committed, slow answers and latency. Point the gateway under test at the\n" +
			"proxy's address.\n\n" +
			"The faults file has a seed and a faults section with ack_loss and transport,\n" +
			"as in a scenario. While it runs, " + faults.AdminPrefix + "faults reads (GET) and\n" +
			"replaces (PUT) the faults, " + faults.AdminPrefix + "counters reads what was\n" +
			"injected, and POST " + faults.AdminPrefix + "reset zeroes the counters.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return serveProxy(cmd, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.listen, "listen", "127.0.0.1:0", "address to listen on")
	fl.StringVar(&f.upstream, "upstream", "", "URL requests are forwarded to (required)")
	fl.StringVar(&f.faults, "faults", "", "faults file (YAML); none forwards untouched")
	fl.Uint64Var(&f.seed, "seed", 0, "seed of the fault choices (overrides the file's)")
	fl.BoolVar(&f.allowProduction, "allow-production", false,
		"allow an upstream that looks like a production F&O environment")
	return cmd
}

func serveProxy(cmd *cobra.Command, f proxyFlags) error {
	pf, err := proxyFaults(cmd, f)
	if err != nil {
		return usage(err)
	}
	if host, prod := scenarios.LooksLikeProduction(f.upstream); prod && !f.allowProduction {
		return usage(fmt.Errorf("--upstream %s looks like a production F&O environment; the "+
			"proxy forwards there only with --allow-production", host))
	}
	log := logger(cmd.ErrOrStderr(), runFlags{verbose: true})
	p, err := faults.NewProxy(f.upstream, pf, log)
	if err != nil {
		return usage(err)
	}
	ln, err := net.Listen("tcp", f.listen)
	if err != nil {
		return usage(fmt.Errorf("listen on %s: %w", f.listen, err))
	}
	fmt.Fprintf(cmd.OutOrStdout(), "stormcheck proxy on http://%s -> %s (seed %d)\n",
		ln.Addr(), f.upstream, seedOf(pf))
	srv := &http.Server{Handler: p, ReadHeaderTimeout: 30 * time.Second}
	return serveUntilDone(cmd.Context(), srv, ln)
}

func proxyFaults(cmd *cobra.Command, f proxyFlags) (*scenarios.ProxyFaults, error) {
	if f.upstream == "" {
		return nil, errors.New("--upstream is required: the URL requests are forwarded to")
	}
	pf := &scenarios.ProxyFaults{}
	if f.faults != "" {
		data, err := os.ReadFile(f.faults)
		if err != nil {
			return nil, fmt.Errorf("read faults file: %w", err)
		}
		if pf, err = scenarios.ParseProxyFaults(data, f.faults); err != nil {
			return nil, err
		}
	}
	if cmd.Flags().Changed("seed") {
		pf.Seed = &f.seed
	}
	return pf, nil
}

func seedOf(pf *scenarios.ProxyFaults) uint64 {
	if pf.Seed == nil {
		return faults.DefaultProxySeed
	}
	return *pf.Seed
}

// serveUntilDone serves until ctx ends (Ctrl-C), then drains requests in flight for up to
// ten seconds.
func serveUntilDone(ctx context.Context, srv *http.Server, ln net.Listener) error {
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("stop: %w", err)
	}
	return nil
}
