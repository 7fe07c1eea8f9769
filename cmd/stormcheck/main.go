// Command stormcheck is a load and chaos testing harness for integration endpoints around
// Dynamics 365 Finance & Operations. See the README for the commands.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-signals
		fmt.Fprintln(os.Stderr, "stormcheck: stopping (press Ctrl-C again to quit at once)")
		cancel()
		<-signals
		os.Exit(130)
	}()
	os.Exit(Main(ctx, os.Args[1:], os.Stdout, os.Stderr))
}
