package graph_test

import (
	"context"
	"testing"

	"ergo/platform/logging"
	"ergo/platform/postgres"
	"ergo/platform/postgres/pgtest"
	"ergo/platform/subgraph"
	schema "ergo/schema/lms"
	"ergo/subgraphs/lms/graph"
)

// TestNoDemoDataByDefault starts the module without ERGO_DEMO_DATA: only `ergo run` asks for
// the demo courses and attempts.
func TestNoDemoDataByDefault(t *testing.T) {
	pool := pgtest.Pool(t, "lms")
	if _, err := postgres.Migrate(context.Background(), pool, "lms", schema.Migrations); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	m, err := graph.NewModule([]string{"ERGO_ROOT=../../.."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := subgraph.Handler(m, subgraph.Deps{Pool: pool, Log: logging.Discard()}, ""); err != nil {
		t.Fatalf("handler: %v", err)
	}
	var n int
	if err := pool.QueryRow(context.Background(), "SELECT count(*) FROM courses").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d courses after a start without ERGO_DEMO_DATA, want none", n)
	}
}
