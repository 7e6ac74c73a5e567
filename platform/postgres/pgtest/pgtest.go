// Package pgtest gives integration tests a fresh PostgreSQL database of their own.
//
// Tests use the server at ERGO_DATABASE_URL when it is set; otherwise they start (or reuse)
// the repository's private cluster in .ergo/postgres, the same one `ergo run` uses. Either way
// each call creates a new, empty database and drops it when the test ends.
package pgtest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"ergo/platform/logging"
	"ergo/platform/postgres"
)

var (
	serverOnce sync.Once
	serverURL  string
	serverErr  error
)

// URL returns a URL for a new, empty database that is dropped when t ends.
func URL(t testing.TB) string {
	t.Helper()
	base := server(t)

	name := "test_" + logging.NewID()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("pgtest: connect: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}

	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Errorf("pgtest: connect to drop %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: drop %s: %v", name, err)
		}
	})
	return withDatabase(t, base, name)
}

// Pool returns a pool on a new, empty database; pool and database go when t ends.
func Pool(t testing.TB, schema string) *pgxpool.Pool {
	t.Helper()
	pool, err := postgres.Open(context.Background(), URL(t), schema)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// server returns the base URL of the test server, starting the local cluster once per
// process when no ERGO_DATABASE_URL is set.
func server(t testing.TB) string {
	t.Helper()
	serverOnce.Do(func() {
		if u := os.Getenv("ERGO_DATABASE_URL"); u != "" {
			serverURL = u
			return
		}
		serverURL, serverErr = startLocal()
	})
	if serverErr != nil {
		t.Fatalf("pgtest: no database: %v", serverErr)
	}
	return serverURL
}

func startLocal() (string, error) {
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	unlock, err := lock(filepath.Join(root, ".ergo", "postgres.lock"))
	if err != nil {
		return "", err
	}
	defer unlock()

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	c := &postgres.Cluster{Dir: filepath.Join(root, ".ergo", "postgres")}
	return c.Start(ctx)
}

// repoRoot is the nearest directory upwards holding go.work.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.work")); err == nil {
			return dir, nil
		}
		if filepath.Dir(dir) == dir {
			return "", fmt.Errorf("no go.work above the test; set ERGO_DATABASE_URL")
		}
		dir = filepath.Dir(dir)
	}
}

func withDatabase(t testing.TB, base, name string) string {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("pgtest: ERGO_DATABASE_URL must be a postgres:// URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}
