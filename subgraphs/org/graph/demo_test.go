package graph_test

import (
	"context"
	"testing"

	"ergo/platform/logging"
	"ergo/platform/postgres"
	"ergo/platform/postgres/pgtest"
	"ergo/platform/subgraph"
	schema "ergo/schema/org"
	"ergo/subgraphs/org/graph"
)

// TestNoDemoDataByDefault starts the module without ERGO_DEMO_DATA: only `ergo run` asks for
// the demo organisation tree.
func TestNoDemoDataByDefault(t *testing.T) {
	pool := pgtest.Pool(t, "org")
	if _, err := postgres.Migrate(context.Background(), pool, "org", schema.Migrations); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	if _, err := subgraph.Handler(graph.NewModule(nil), subgraph.Deps{Pool: pool, Log: logging.Discard()}, ""); err != nil {
		t.Fatalf("handler: %v", err)
	}
	var n int
	if err := pool.QueryRow(context.Background(), "SELECT count(*) FROM units").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d units after a start without ERGO_DEMO_DATA, want none", n)
	}
}
