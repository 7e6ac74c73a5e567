// Command router serves ERGO's GraphQL API. Configuration comes from ERGO_* environment
// variables; docs/router.md lists them.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"ergo/router"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := router.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
