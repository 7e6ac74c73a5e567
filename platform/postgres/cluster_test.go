package postgres_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"ergo/platform/postgres"
	"ergo/platform/testenv"
)

// TestClusterReuse starts a private cluster, writes a row, stops it, starts it again and reads
// the row back: the second start must reuse the data, as a second `make run` does.
func TestClusterReuse(t *testing.T) {
	if testing.Short() {
		t.Skip("creates a PostgreSQL cluster (several seconds)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	dir := t.TempDir()
	// The server may run as another user (when tests run as root): let it reach the folder.
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	c := &postgres.Cluster{Dir: filepath.Join(dir, "pg"), Database: "reuse"}
	t.Cleanup(func() { _ = c.Stop(context.Background()) })

	dsn, err := c.Start(ctx)
	if errors.Is(err, postgres.ErrNoServer) {
		testenv.Missing(t, "no PostgreSQL binaries: "+err.Error())
	}
	if err != nil {
		t.Fatalf("first Start: %v", err)
	}
	if !c.Started {
		t.Fatal("Started is false after starting a new cluster")
	}
	exec(t, dsn, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')")

	if err := c.Stop(ctx); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if _, err := pgx.Connect(ctx, dsn); err == nil {
		t.Fatal("server still answers after Stop")
	}

	dsn2, err := c.Start(ctx)
	if err != nil {
		t.Fatalf("second Start: %v", err)
	}
	conn, err := pgx.Connect(ctx, dsn2)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var v string
	if err := conn.QueryRow(ctx, "SELECT v FROM kept").Scan(&v); err != nil || v != "still here" {
		t.Fatalf("after restart: %q, %v", v, err)
	}

	// Starting a running cluster is a no-op that returns the same URL.
	again := &postgres.Cluster{Dir: c.Dir, Database: c.Database}
	dsn3, err := again.Start(ctx)
	if err != nil || dsn3 != dsn2 {
		t.Fatalf("Start on a running cluster = %q, %v; want %q", dsn3, err, dsn2)
	}
	if again.Started {
		t.Error("Started is true for a cluster that was already running")
	}
}

func exec(t *testing.T, dsn, sql string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatal(err)
	}
}
