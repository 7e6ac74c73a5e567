package postgres_test

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"ergo/platform/postgres"
	"ergo/platform/postgres/pgtest"
)

func TestMigrate(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Pool(t, "")
	fsys := fstest.MapFS{
		"0001_create_things.sql": {Data: []byte("CREATE TABLE things (id int PRIMARY KEY);")},
		"0002_add_name.sql":      {Data: []byte("ALTER TABLE things ADD COLUMN name text;")},
		"README.md":              {Data: []byte("not a migration")},
	}

	n, err := postgres.Migrate(ctx, pool, "demo", fsys)
	if err != nil || n != 2 {
		t.Fatalf("first Migrate = %d, %v; want 2, nil", n, err)
	}
	n, err = postgres.Migrate(ctx, pool, "demo", fsys)
	if err != nil || n != 0 {
		t.Fatalf("second Migrate = %d, %v; want 0, nil", n, err)
	}

	// The table landed in the module's own schema, not in public.
	var schema string
	err = pool.QueryRow(ctx, "SELECT table_schema FROM information_schema.tables "+
		"WHERE table_name = 'things'").Scan(&schema)
	if err != nil || schema != "demo" {
		t.Fatalf("things is in schema %q (%v), want demo", schema, err)
	}

	t.Run("changed applied file is refused", func(t *testing.T) {
		changed := fstest.MapFS{
			"0001_create_things.sql": {Data: []byte("CREATE TABLE things (id bigint);")},
			"0002_add_name.sql":      fsys["0002_add_name.sql"],
		}
		_, err := postgres.Migrate(ctx, pool, "demo", changed)
		if err == nil || !strings.Contains(err.Error(), "was changed after it was applied") {
			t.Fatalf("Migrate = %v, want refusal of a changed migration", err)
		}
	})

	t.Run("applied migration without a file is refused", func(t *testing.T) {
		// A new module that reuses a removed module's name finds the old schema.
		fewer := fstest.MapFS{"0001_create_things.sql": fsys["0001_create_things.sql"]}
		_, err := postgres.Migrate(ctx, pool, "demo", fewer)
		if err == nil || !strings.Contains(err.Error(), "holds applied migration 0002") ||
			!strings.Contains(err.Error(), `DROP SCHEMA "demo" CASCADE`) {
			t.Fatalf("Migrate = %v, want refusal naming migration 0002 and the way out", err)
		}
	})

	t.Run("failing migration leaves nothing half-applied", func(t *testing.T) {
		bad := fstest.MapFS{
			"0001_create_things.sql": fsys["0001_create_things.sql"],
			"0002_add_name.sql":      fsys["0002_add_name.sql"],
			"0003_broken.sql": {Data: []byte("CREATE TABLE half (id int); " +
				"ALTER TABLE nope ADD COLUMN x int;")},
		}
		if _, err := postgres.Migrate(ctx, pool, "demo", bad); err == nil {
			t.Fatal("Migrate succeeded on a broken migration")
		}
		var exists bool
		err := pool.QueryRow(ctx, "SELECT to_regclass('demo.half') IS NOT NULL").Scan(&exists)
		if err != nil || exists {
			t.Fatalf("table from the failed migration exists=%v (%v)", exists, err)
		}
	})
}

func TestReadMigrationsRejects(t *testing.T) {
	tests := []struct {
		name string
		fsys fstest.MapFS
		want string
	}{
		{"bad name", fstest.MapFS{"1_init.sql": {}}, "name must look like"},
		{"gap", fstest.MapFS{"0001_a.sql": {}, "0003_c.sql": {}}, "expected version 0002"},
		{"repeat", fstest.MapFS{"0001_a.sql": {}, "0001_b.sql": {}}, "expected version 0002"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := postgres.ReadMigrations(tt.fsys)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("ReadMigrations = %v, want error containing %q", err, tt.want)
			}
		})
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"postgres://ergo:s3cret@127.0.0.1:5432/ergo", "postgres://ergo:xxxxx@127.0.0.1:5432/ergo"},
		{"postgres://h/db?password=s3cret", "postgres://h/db?password=xxxxx"},
		{"host=h password=s3cret dbname=x", "host=h password=xxxxx dbname=x"},
	}
	for _, tt := range tests {
		if got := postgres.Redact(tt.in); got != tt.want || strings.Contains(got, "s3cret") {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestEnsureDatabaseConcurrent creates one database from several goroutines at once, as the
// modules do when `ergo run` starts them on an empty server.
func TestEnsureDatabaseConcurrent(t *testing.T) {
	base := pgtest.URL(t)
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + strings.TrimPrefix(u.Path, "/") + "_created"
	dsn := u.String()
	t.Cleanup(func() {
		pool := pgtest.Pool(t, "")
		_, _ = pool.Exec(context.Background(), "DROP DATABASE IF EXISTS "+
			strings.TrimPrefix(u.Path, "/")+" WITH (FORCE)")
	})

	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = postgres.EnsureDatabase(context.Background(), dsn)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("caller %d: %v", i, err)
		}
	}
}
