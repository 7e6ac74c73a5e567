// Command router serves ERGO's GraphQL API. Configuration comes from ERGO_* environment
// variables; docs/router.md lists them.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"ergo/router"
)

// gcPercent is the collector's target when GOGC is not set. Each request allocates a few
// hundred kilobytes that die with it, while the heap that survives is small, so Go's default
// of 100 collects very often; 200 spends less CPU on collection for about 10 MB more at peak
// (docs/performance.md has the measurement).
const gcPercent = 200

func main() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(gcPercent)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := router.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
