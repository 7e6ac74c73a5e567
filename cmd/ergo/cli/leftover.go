package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"ergo/platform/postgres"
)

// dropSchemaCommand returns the command that drops a module's PostgreSQL schema, with its
// data and its record of applied migrations, in the database ergo uses.
func dropSchemaCommand(name string) string {
	url := `"$(go run ./cmd/ergo db url)"`
	if os.Getenv("ERGO_DATABASE_URL") != "" {
		url = `"$ERGO_DATABASE_URL"`
	}
	return fmt.Sprintf("psql %s -c 'DROP SCHEMA %s CASCADE'", url, name)
}

// leftoverSchema reports whether the database ergo uses already has a schema called name,
// such as one that `ergo module remove` kept. It looks only when that is cheap (the database
// of ERGO_DATABASE_URL, or the local cluster when it runs) and reports false when it cannot
// tell: it is a warning, not a check.
func leftoverSchema(ctx context.Context, env *Env, name string) bool {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	dsn := os.Getenv("ERGO_DATABASE_URL")
	if dsn == "" {
		dsn = runningCluster(ctx, env)
	}
	if dsn == "" {
		return false
	}
	pool, err := postgres.Open(ctx, dsn, "")
	if err != nil {
		return false
	}
	defer pool.Close()
	var exists bool
	err = pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)", name).
		Scan(&exists)
	return err == nil && exists
}

// runningCluster returns the URL of the local cluster when it runs, or "". It never leaves
// a cluster running that was not: a stale server pid file can make Start start one, and
// then it is stopped again.
func runningCluster(ctx context.Context, env *Env) string {
	dir := filepath.Join(stateDir(env.Root), "postgres")
	if _, err := os.Stat(filepath.Join(dir, "data", "postmaster.pid")); err != nil {
		return ""
	}
	c := &postgres.Cluster{Dir: dir, Progress: env.Stderr}
	dsn, err := c.Start(ctx)
	if err != nil || c.Started {
		if c.Started {
			_ = c.Stop(context.WithoutCancel(ctx))
		}
		return ""
	}
	return dsn
}
