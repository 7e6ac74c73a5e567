package org_test

import (
	"context"
	"sync"
	"testing"

	"ergo/platform/errcode"
	"ergo/platform/postgres"
	"ergo/platform/postgres/pgtest"
	"ergo/platform/server"
	schema "ergo/schema/org"
	"ergo/subgraphs/org"
)

// TestConcurrentMovesMakeNoCycle moves two sibling units under each other at the same time,
// many times over: the tree lock must let exactly one of each pair through.
func TestConcurrentMovesMakeNoCycle(t *testing.T) {
	ctx := server.WithPrincipal(context.Background(),
		server.Principal{UserID: "0b1d6a52-3c1e-4b1a-9a55-2d8c7a4b9e01", Roles: []string{"admin"}})
	pool := pgtest.Pool(t, "org")
	if _, err := postgres.Migrate(ctx, pool, "org", schema.Migrations); err != nil {
		t.Fatal(err)
	}
	svc := org.NewService(pool)
	root, err := svc.CreateUnit(ctx, org.NewUnit{Name: "Uni", Kind: org.KindUniversity})
	if err != nil {
		t.Fatal(err)
	}

	for round := range 10 {
		a, _ := svc.CreateUnit(ctx, org.NewUnit{Name: "A", Kind: org.KindFaculty, ParentID: &root.ID})
		b, _ := svc.CreateUnit(ctx, org.NewUnit{Name: "B", Kind: org.KindFaculty, ParentID: &root.ID})
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, pair := range [][2]*org.Unit{{a, b}, {b, a}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = svc.MoveUnit(ctx, pair[0].ID, &pair[1].ID)
			}()
		}
		wg.Wait()

		refused := 0
		for _, err := range errs {
			if errcode.Of(err) == errcode.Conflict {
				refused++
			} else if err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
		if refused != 1 {
			t.Fatalf("round %d: %d of two crossing moves refused, want exactly 1 (errors %v)", round, refused, errs)
		}
		// The root still reaches both units: no cycle cut them off.
		sub, err := svc.Subtree(ctx, root.ID, org.MaxSubtreeDepth)
		if err != nil || len(sub) != 1+2*(round+1) {
			t.Fatalf("round %d: subtree has %d units (%v), want %d", round, len(sub), err, 1+2*(round+1))
		}
	}
}
