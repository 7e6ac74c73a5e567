package graph_test

import (
	"context"
	"testing"

	"ergo/platform/logging"
	"ergo/platform/postgres"
	"ergo/platform/postgres/pgtest"
	"ergo/platform/subgraph"
	schema "ergo/schema/identity"
	"ergo/subgraphs/identity/graph"
)

// TestNoDemoDataByDefault starts the module without ERGO_DEMO_DATA: a production start must
// not create the demo users, whose password is public.
func TestNoDemoDataByDefault(t *testing.T) {
	pool := pgtest.Pool(t, "identity")
	if _, err := postgres.Migrate(context.Background(), pool, "identity", schema.Migrations); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	m := graph.NewModule([]string{"ERGO_JWT_SECRET=" + jwtSecret})
	if _, err := subgraph.Handler(m, subgraph.Deps{Pool: pool, Log: logging.Discard()}, ""); err != nil {
		t.Fatalf("handler: %v", err)
	}
	var n int
	if err := pool.QueryRow(context.Background(), "SELECT count(*) FROM users").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d users after a start without ERGO_DEMO_DATA, want none", n)
	}
}
