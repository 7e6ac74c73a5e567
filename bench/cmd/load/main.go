// Command load measures federation routers with the benchmark's deep query: it serves the
// four subgraphs, starts each router in turn, warms it up, runs 50 closed-loop connections
// (or, with -rate, a constant arrival rate) against it for a fixed time, checks every
// response, and prints requests/s, latency percentiles next to the subgraphs' own time per
// call, CPU time per request and peak memory of the router process. With -subgraph-delay,
// every subgraph call waits that long before it is answered, as a subgraph with its own
// latency would. See docs/performance.md.
//
//	load [-targets ergo,hive,apollo] [-duration 20s] [-warmup 5s] [-rounds 1] [-rate 300,600]
//	     [-subgraph-delay 0,5ms,20ms]
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"ergo/bench/load"
)

func main() {
	load.ReexecPinned()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := load.Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
