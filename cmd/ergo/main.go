// Command ergo runs, migrates, composes and extends the ERGO platform.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"ergo/cmd/ergo/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
