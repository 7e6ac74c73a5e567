// Command router serves ERGO's GraphQL API. Configuration comes from ERGO_* environment
// variables; docs/router.md lists them.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"syscall"

	"ergo/router"
)

// gcPercent is the collector's target when GOGC is not set. Each request allocates a few
// hundred kilobytes that die with it, while the heap that survives is small, so Go's default
// of 100 collects very often; 200 spends less CPU on collection for about 10 MB more at peak
// (docs/performance.md has the measurement).
const gcPercent = 200

func main() {
	if err := setGC(os.Getenv("GOGC")); err != nil {
		_, _ = fmt.Fprintln(os.Stderr, "router:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := router.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// setGC applies the router's collector target when GOGC is empty, and checks a value that is
// set: Go's runtime quietly falls back to 100 for a value it cannot read and turns the
// collector off for a negative one.
func setGC(gogc string) error {
	if gogc == "" {
		debug.SetGCPercent(gcPercent)
		return nil
	}
	if n, err := strconv.Atoi(gogc); gogc != "off" && (err != nil || n < 0) {
		return fmt.Errorf("GOGC=%q is invalid: want a whole number of 0 or more, or off", gogc)
	}
	return nil
}
