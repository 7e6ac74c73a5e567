package identity_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"ergo/platform/logging"
	"ergo/platform/postgres"
	"ergo/platform/postgres/pgtest"
	"ergo/schema/demo"
	schema "ergo/schema/identity"
	"ergo/subgraphs/identity"
)

func TestLoadDemo(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Pool(t, "identity")
	if _, err := postgres.Migrate(ctx, pool, "identity", schema.Migrations); err != nil {
		t.Fatal(err)
	}
	size := demo.Size{
		Faculties: 1, Departments: 2, Students: 10, Attempts: 1,
		CoursesPerDepartment: 1, TopicsPerCourse: 1, QuestionsPerTopic: 1, EnrollmentsPerStudent: 1, QuizSize: 1,
	}
	for range 2 { // the second load finds users and does nothing
		if err := identity.LoadDemo(ctx, pool, fast, size, logging.Discard()); err != nil {
			t.Fatal(err)
		}
	}

	svc := identity.NewService(pool, identity.NewTokens([]byte("0123456789abcdef0123456789abcdef"),
		time.Hour, time.Now), fast)
	s, err := svc.Login(ctx, "student0001@demo.ergo.test", identity.DemoPassword)
	if err != nil {
		t.Fatalf("demo student cannot sign in: %v", err)
	}
	if s.User.ID != demo.ID("user", "student0001") {
		t.Errorf("demo student id = %s, want the generator's %s", s.User.ID, demo.ID("user", "student0001"))
	}
	users, err := svc.Users(ctx, []uuid.UUID{demo.ID("user", "admin")})
	if err != nil || len(users) != 1 {
		t.Fatalf("demo admin missing (%v)", err)
	}
}
