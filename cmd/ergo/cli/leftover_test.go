package cli

import (
	"context"
	"testing"

	"ergo/platform/postgres"
	"ergo/platform/postgres/pgtest"
)

// TestLeftoverSchema checks that ergo finds a schema a removed module left in the database,
// which `ergo module new` warns about, and the command it gives to drop it.
func TestLeftoverSchema(t *testing.T) {
	dsn := pgtest.URL(t)
	ctx := context.Background()
	pool, err := postgres.Open(ctx, dsn, "")
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if _, err := pool.Exec(ctx, "CREATE SCHEMA notes"); err != nil {
		t.Fatal(err)
	}
	env := &Env{Root: t.TempDir()}

	t.Setenv("ERGO_DATABASE_URL", "")
	if leftoverSchema(ctx, env, "notes") {
		t.Error("found a schema with no database configured and no local cluster")
	}

	t.Setenv("ERGO_DATABASE_URL", dsn)
	tests := []struct {
		name string
		want bool
	}{
		{"notes", true},
		{"tasks", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := leftoverSchema(ctx, env, tt.name); got != tt.want {
				t.Errorf("leftoverSchema(%q) = %v, want %v", tt.name, got, tt.want)
			}
		})
	}
	want := `psql "$ERGO_DATABASE_URL" -c 'DROP SCHEMA notes CASCADE'`
	if got := dropSchemaCommand("notes"); got != want {
		t.Errorf("dropSchemaCommand = %q, want %q", got, want)
	}
}
