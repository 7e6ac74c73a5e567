package org_test

import (
	"context"
	"testing"

	"ergo/platform/logging"
	"ergo/platform/postgres"
	"ergo/platform/postgres/pgtest"
	"ergo/platform/server"
	"ergo/schema/demo"
	schema "ergo/schema/org"
	"ergo/subgraphs/org"
)

func TestLoadDemo(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Pool(t, "org")
	if _, err := postgres.Migrate(ctx, pool, "org", schema.Migrations); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second load finds data and does nothing
		if err := org.LoadDemo(ctx, pool, demo.Default, logging.Discard()); err != nil {
			t.Fatal(err)
		}
	}

	svc := org.NewService(pool)
	all, err := svc.Subtree(ctx, demo.ID("unit", "university"), org.MaxSubtreeDepth)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[org.Kind]int{}
	for _, u := range all {
		kinds[u.Kind]++
	}
	if kinds[org.KindFaculty] != 3 || kinds[org.KindDepartment] != 8 || kinds[org.KindGroup] != 16 {
		t.Errorf("demo tree kinds = %v, want 3 faculties, 8 departments, 16 groups", kinds)
	}
	// The demo admin administers the university, so may change any unit.
	admin := server.WithPrincipal(ctx, server.Principal{UserID: demo.ID("user", "admin").String()})
	parent := demo.ID("unit", "department-0")
	if _, err := svc.CreateUnit(admin, org.NewUnit{Name: "New group", Kind: org.KindGroup, ParentID: &parent}); err != nil {
		t.Errorf("demo admin cannot create a group: %v", err)
	}
}
