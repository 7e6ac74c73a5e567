package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"ergo/platform/postgres"
)

func init() {
	register("db", "start, stop or print the URL of the local PostgreSQL cluster", runDB)
}

// runDB manages the private cluster in .ergo/postgres: `start` starts it and prints its URL,
// `url` is the same (a running cluster is reused), `stop` stops it.
func runDB(ctx context.Context, env *Env) int {
	fs := newFlags(env, "db", "start|url|stop")
	if err := fs.Parse(env.Args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	if os.Getenv("ERGO_DATABASE_URL") != "" {
		fmt.Fprintln(env.Stderr, "ergo db: ERGO_DATABASE_URL is set; the local cluster is not used")
		return 1
	}

	c := &postgres.Cluster{Dir: filepath.Join(stateDir(env.Root), "postgres"), Progress: env.Stderr}
	switch fs.Arg(0) {
	case "start", "url":
		dsn, err := c.Start(ctx)
		if err != nil {
			fmt.Fprintf(env.Stderr, "ergo db: %v\n", err)
			return 1
		}
		fmt.Fprintln(env.Stdout, dsn)
	case "stop":
		if err := c.Stop(ctx); err != nil {
			fmt.Fprintf(env.Stderr, "ergo db: %v\n", err)
			return 1
		}
	default:
		fs.Usage()
		return 2
	}
	return 0
}
