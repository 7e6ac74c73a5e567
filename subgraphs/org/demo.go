package org

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"ergo/schema/demo"
	"ergo/subgraphs/org/postgres"
)

// LoadDemo copies the demo organisation tree and memberships (package demo) into an empty
// units table.
func LoadDemo(ctx context.Context, pool *pgxpool.Pool, size demo.Size, log *slog.Logger) error {
	n, err := postgres.New(pool).CountUnits(ctx)
	if err != nil || n > 0 {
		return err
	}
	d := demo.Generate(size)

	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		units := make([][]any, len(d.Units))
		for i, u := range d.Units {
			units[i] = []any{u.ID, u.ParentID, u.Kind, u.Name}
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"units"},
			[]string{"id", "parent_id", "kind", "name"}, pgx.CopyFromRows(units)); err != nil {
			return fmt.Errorf("copy demo units: %w", err)
		}

		people := append(append([]demo.User{d.Admin}, d.Teachers...), d.Students...)
		members := make([][]any, len(people))
		for i, u := range people {
			members[i] = []any{u.UnitID, u.ID, u.UnitRole}
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"memberships"},
			[]string{"unit_id", "user_id", "role"}, pgx.CopyFromRows(members)); err != nil {
			return fmt.Errorf("copy demo memberships: %w", err)
		}
		log.Info("demo data loaded", "units", len(units), "memberships", len(members))
		return nil
	})
}
