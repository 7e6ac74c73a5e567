package identity

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"ergo/schema/demo"
	"ergo/subgraphs/identity/postgres"
)

// DemoPassword is the password of every demo user. Demo data is for local development only:
// it loads when ERGO_DEMO_DATA=true, which `ergo run` sets unless its -demo flag is false.
const DemoPassword = "demo-password"

// LoadDemo copies the demo admin, teachers and students (package demo) into an empty users table.
// All demo users share one hash of DemoPassword, computed once, so loading stays fast.
func LoadDemo(ctx context.Context, pool *pgxpool.Pool, hasher Hasher, size demo.Size,
	log *slog.Logger,
) error {
	n, err := postgres.New(pool).CountUsers(ctx)
	if err != nil || n > 0 {
		return err
	}
	hash, err := hasher.Hash(DemoPassword)
	if err != nil {
		return err
	}

	d := demo.Generate(size)
	users := append(append([]demo.User{d.Admin}, d.Teachers...), d.Students...)
	now := time.Now()
	rows := make([][]any, len(users))
	for i, u := range users {
		rows[i] = []any{u.ID, u.Email, u.DisplayName, u.Roles, hash, now}
	}
	copied, err := pool.CopyFrom(ctx, pgx.Identifier{"users"},
		[]string{"id", "email", "display_name", "roles", "password_hash", "created_at"},
		pgx.CopyFromRows(rows))
	if err != nil {
		return fmt.Errorf("copy demo users: %w", err)
	}
	log.Info("demo data loaded", "users", copied)
	return nil
}
