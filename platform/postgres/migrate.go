package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Migration is one versioned SQL file of a module.
type Migration struct {
	Version int
	Name    string
	SQL     string
	// Sum is the SHA-256 of SQL; an applied migration whose file later changes is refused.
	Sum string
}

var migrationName = regexp.MustCompile(`^(\d{4})_([a-z0-9_]+)\.sql$`)

// ReadMigrations returns the migrations in the root of fsys, ordered by version. Files must be
// named NNNN_snake_case.sql with versions 1, 2, 3, ... and no gaps.
func ReadMigrations(fsys fs.FS) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}

	var out []Migration
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".sql" {
			continue
		}
		m := migrationName.FindStringSubmatch(e.Name())
		if m == nil {
			return nil, fmt.Errorf("migration %s: name must look like 0001_create_users.sql", e.Name())
		}
		body, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", e.Name(), err)
		}
		version, _ := strconv.Atoi(m[1])
		sum := sha256.Sum256(body)
		out = append(out, Migration{
			Version: version, Name: m[2], SQL: string(body),
			Sum: hex.EncodeToString(sum[:]),
		})
	}

	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i, m := range out {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migration %04d_%s: expected version %04d (no gaps or repeats)",
				m.Version, m.Name, i+1)
		}
	}
	return out, nil
}

// Migrate applies the migrations in fsys that the module's schema does not have yet, each in
// its own transaction, and returns how many it applied. The module's schema and its
// schema_migrations table are created on first use. Concurrent callers are serialised by an
// advisory lock, so running Migrate twice, or from two processes, is safe.
func Migrate(ctx context.Context, pool *pgxpool.Pool, module string, fsys fs.FS) (int, error) {
	migrations, err := ReadMigrations(fsys)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", module, err)
	}

	conn, err := pool.Acquire(ctx)
	if err != nil {
		return 0, fmt.Errorf("%s: migrate: %w", module, err)
	}
	defer conn.Release()

	// A session-level lock held across the transactions below.
	key := "ergo.migrate." + module
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock(hashtext($1))", key); err != nil {
		return 0, fmt.Errorf("%s: lock migrations: %w", module, err)
	}
	defer func() {
		// A lock left on a pooled connection would block the next migration: when it cannot be
		// released, close the connection so that the pool drops it and the server frees it.
		unlock := "SELECT pg_advisory_unlock(hashtext($1))"
		if _, err := conn.Exec(context.WithoutCancel(ctx), unlock, key); err != nil {
			_ = conn.Conn().Close(context.WithoutCancel(ctx))
		}
	}()

	applied, err := appliedSums(ctx, conn.Conn(), module)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", module, err)
	}
	if err := checkKnown(module, applied, migrations); err != nil {
		return 0, err
	}
	n := 0
	for _, m := range migrations {
		if sum, ok := applied[m.Version]; ok {
			if sum != m.Sum {
				return n, fmt.Errorf("%s: migration %04d_%s was changed after it was applied; "+
					"add a new migration instead", module, m.Version, m.Name)
			}
			continue
		}
		if err := apply(ctx, conn.Conn(), module, m); err != nil {
			return n, fmt.Errorf("%s: migration %04d_%s: %w", module, m.Version, m.Name, err)
		}
		n++
	}
	return n, nil
}

// checkKnown refuses a schema holding an applied migration this binary has no file for: it
// belongs to a removed module of the same name or to a newer build, and running on it would
// serve that data as this module's own.
func checkKnown(module string, applied map[int]string, migrations []Migration) error {
	known := make(map[int]bool, len(migrations))
	for _, m := range migrations {
		known[m.Version] = true
	}
	var unknown []int
	for v := range applied {
		if !known[v] {
			unknown = append(unknown, v)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Ints(unknown)
	return fmt.Errorf("%s: schema %s holds applied migration %04d, which this module has no file "+
		"for: it is left from a removed module of that name or from a newer build; drop the "+
		"schema (DROP SCHEMA %s CASCADE, which deletes its data) or restore the migration",
		module, module, unknown[0], pgx.Identifier{module}.Sanitize())
}

// appliedSums creates the module's schema and bookkeeping table when missing and returns the
// checksum of each applied version.
func appliedSums(ctx context.Context, conn *pgx.Conn, module string) (map[int]string, error) {
	schema := pgx.Identifier{module}.Sanitize()
	setup := "CREATE SCHEMA IF NOT EXISTS " + schema + ";" +
		"CREATE TABLE IF NOT EXISTS " + schema + ".schema_migrations (" +
		" version integer PRIMARY KEY, name text NOT NULL, sum text NOT NULL," +
		" applied_at timestamptz NOT NULL DEFAULT now())"
	if _, err := conn.Exec(ctx, setup); err != nil {
		return nil, fmt.Errorf("create schema: %w", err)
	}

	rows, err := conn.Query(ctx, "SELECT version, sum FROM "+schema+".schema_migrations")
	if err != nil {
		return nil, fmt.Errorf("read applied migrations: %w", err)
	}
	out := map[int]string{}
	var version int
	var sum string
	_, err = pgx.ForEachRow(rows, []any{&version, &sum}, func() error {
		out[version] = sum
		return nil
	})
	return out, err
}

// apply runs one migration and records it in the same transaction, with the module's schema
// first on the search path so unqualified names land in it.
func apply(ctx context.Context, conn *pgx.Conn, module string, m Migration) error {
	return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		schema := pgx.Identifier{module}.Sanitize()
		if _, err := tx.Exec(ctx, "SET LOCAL search_path TO "+schema+", public"); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, m.SQL); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "INSERT INTO "+schema+".schema_migrations (version, name, sum) "+
			"VALUES ($1, $2, $3)", m.Version, m.Name, m.Sum)
		return err
	})
}
