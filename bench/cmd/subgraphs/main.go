// Command subgraphs serves the benchmark's four subgraphs (accounts, products, inventory,
// reviews) on consecutive loopback ports until interrupted; with -delay, every GraphQL
// request waits that long before it is answered.
//
//	subgraphs [-port 4201] [-delay 5ms]
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"ergo/bench/subgraphs"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := subgraphs.Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
