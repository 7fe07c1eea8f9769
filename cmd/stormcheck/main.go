// Command stormcheck is a load and chaos testing harness for integration endpoints around
// Dynamics 365 Finance & Operations. See the README for the commands.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
)

// runDir is the directory of the run in progress, if any, for the messages of a Ctrl-C.
var runDir atomic.Value // string

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-signals
		fmt.Fprintln(os.Stderr, "stormcheck: stopping (press Ctrl-C again to quit at once)")
		cancel()
		<-signals
		if dir, _ := runDir.Load().(string); dir != "" {
			fmt.Fprintf(os.Stderr, "stormcheck: quit at once: %s keeps the ledger as "+
				"recorded so far, without a report\n", dir)
		}
		os.Exit(130)
	}()
	os.Exit(Main(ctx, os.Args[1:], os.Stdout, os.Stderr))
}
