package subgraphs

import (
	"context"
	"flag"
	"fmt"
	"io"
)

// Main is the subgraphs command: it serves the four subgraphs on 127.0.0.1 at -port and the
// three ports after it until ctx ends, each GraphQL request answered after -delay, and
// returns the exit code (2 for bad flags).
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("subgraphs", flag.ContinueOnError)
	fs.SetOutput(stderr)
	port := fs.Int("port", 4201, "first of four consecutive loopback ports (0 picks free ones)")
	delay := fs.Duration("delay", 0, "how long every GraphQL request waits before it is answered")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *delay < 0 {
		_, _ = fmt.Fprintf(stderr, "subgraphs: -delay %s: want zero or more\n", *delay)
		return 2
	}
	lns, err := Listen(*port)
	if err != nil {
		_, _ = fmt.Fprintln(stderr, "subgraphs:", err)
		return 1
	}
	set, err := Start(lns)
	if err != nil {
		_, _ = fmt.Fprintln(stderr, "subgraphs:", err)
		return 1
	}
	set.SetDelay(*delay)
	for _, name := range Names {
		_, _ = fmt.Fprintf(stdout, "%s %s\n", name, set.URLs[name])
	}
	<-ctx.Done()
	if err := set.Close(); err != nil {
		_, _ = fmt.Fprintln(stderr, "subgraphs:", err)
		return 1
	}
	return 0
}
