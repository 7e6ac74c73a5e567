package org

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"ergo/platform/errcode"
	"ergo/platform/server"
	"ergo/subgraphs/org/postgres"
)

// PlatformAdmin is the platform-wide role (from identity) that may change any unit.
const PlatformAdmin = "admin"

// MaxSubtreeDepth bounds how deep Subtree walks; deeper trees are cut there.
const MaxSubtreeDepth = 64

// Service holds the org module's operations.
type Service struct {
	pool *pgxpool.Pool
	q    *postgres.Queries
}

// NewService returns a Service on pool (search path: the org schema).
func NewService(pool *pgxpool.Pool) *Service {
	return &Service{pool: pool, q: postgres.New(pool)}
}

// Unit returns the unit with id, or NOT_FOUND.
func (s *Service) Unit(ctx context.Context, id uuid.UUID) (*Unit, error) {
	units, err := s.Units(ctx, []uuid.UUID{id})
	if err != nil {
		return nil, err
	}
	u, ok := units[id]
	if !ok {
		return nil, errUnitNotFound("id", id)
	}
	return u, nil
}

// Units returns the units among ids keyed by id; unknown ids are absent.
func (s *Service) Units(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]*Unit, error) {
	rows, err := s.q.UnitsByIDs(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("load units: %w", err)
	}
	out := make(map[uuid.UUID]*Unit, len(rows))
	for _, r := range rows {
		out[r.ID] = fromRow(r)
	}
	return out, nil
}

// Roots returns the units without a parent, by name.
func (s *Service) Roots(ctx context.Context) ([]*Unit, error) {
	rows, err := s.q.Roots(ctx)
	if err != nil {
		return nil, fmt.Errorf("load roots: %w", err)
	}
	return fromRows(rows), nil
}

// Children returns the units directly below id, by name.
func (s *Service) Children(ctx context.Context, id uuid.UUID) ([]*Unit, error) {
	rows, err := s.q.Children(ctx, &id)
	if err != nil {
		return nil, fmt.Errorf("load children of %s: %w", id, err)
	}
	return fromRows(rows), nil
}

// Ancestors returns the units above id, from the root down to its parent.
func (s *Service) Ancestors(ctx context.Context, id uuid.UUID) ([]*Unit, error) {
	rows, err := s.q.Ancestors(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("load ancestors of %s: %w", id, err)
	}
	out := make([]*Unit, len(rows))
	for i, r := range rows {
		out[i] = &Unit{ID: r.ID, ParentID: r.ParentID, Kind: Kind(r.Kind), Name: r.Name}
	}
	return out, nil
}

// Subtree returns id and every unit below it down to maxDepth levels, depth-first by name.
// Errors: INVALID_ARGUMENT for a negative maxDepth; depths above MaxSubtreeDepth are capped.
func (s *Service) Subtree(ctx context.Context, id uuid.UUID, maxDepth int) ([]*Unit, error) {
	if maxDepth < 0 {
		return nil, errcode.Invalid("maxDepth", "maxDepth must not be negative")
	}
	rows, err := s.q.Subtree(ctx, postgres.SubtreeParams{
		ID:       id,
		MaxDepth: int32(min(maxDepth, MaxSubtreeDepth)),
	})
	if err != nil {
		return nil, fmt.Errorf("load subtree of %s: %w", id, err)
	}
	out := make([]*Unit, len(rows))
	for i, r := range rows {
		out[i] = &Unit{ID: r.ID, ParentID: r.ParentID, Kind: Kind(r.Kind), Name: r.Name}
	}
	return out, nil
}

// NewUnit is the input of CreateUnit.
type NewUnit struct {
	Name     string
	Kind     Kind
	ParentID *uuid.UUID
}

// CreateUnit creates a unit. Platform admins may create any unit, unit admins units below
// theirs. Errors: UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT (name), NOT_FOUND (parent).
func (s *Service) CreateUnit(ctx context.Context, in NewUnit) (*Unit, error) {
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" || len(in.Name) > 200 {
		return nil, errcode.Invalid("name", "name must have 1 to 200 characters")
	}
	// Authorise first, so that callers without rights learn nothing about which ids exist.
	if err := s.authorize(ctx, s.q, in.ParentID); err != nil {
		return nil, err
	}
	if in.ParentID != nil {
		if _, err := s.Unit(ctx, *in.ParentID); err != nil {
			return nil, withField(err, "parentId")
		}
	}

	row, err := s.q.CreateUnit(ctx, postgres.CreateUnitParams{
		ID:       uuid.New(),
		ParentID: in.ParentID, Kind: string(in.Kind), Name: in.Name,
	})
	if isForeignKeyViolation(err) {
		return nil, errUnitNotFound("parentId", *in.ParentID) // deleted meanwhile
	}
	if err != nil {
		return nil, fmt.Errorf("create unit: %w", err)
	}
	return fromRow(row), nil
}

// MoveUnit puts unit id under parentID (nil makes it a root). The caller must administer
// both the unit's current place and the new parent. Errors: UNAUTHENTICATED, FORBIDDEN,
// NOT_FOUND, CONFLICT when parentID is the unit itself or one of its descendants.
func (s *Service) MoveUnit(ctx context.Context, id uuid.UUID, parentID *uuid.UUID) (*Unit, error) {
	var moved *Unit
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		q := s.q.WithTx(tx)
		if err := q.LockTree(ctx); err != nil {
			return fmt.Errorf("lock tree: %w", err)
		}
		u, err := s.checkMove(ctx, q, id, parentID)
		if err != nil {
			return err
		}
		if _, err := q.MoveUnit(ctx, postgres.MoveUnitParams{ID: id, ParentID: parentID}); err != nil {
			return fmt.Errorf("move unit: %w", err)
		}
		u.ParentID = parentID
		moved = u
		return nil
	})
	return moved, err
}

// checkMove loads the unit and refuses moves that are not allowed or would make a cycle.
func (s *Service) checkMove(ctx context.Context, q *postgres.Queries, id uuid.UUID,
	parentID *uuid.UUID,
) (*Unit, error) {
	rows, err := q.UnitsByIDs(ctx, []uuid.UUID{id})
	if err != nil {
		return nil, fmt.Errorf("load unit: %w", err)
	}
	if len(rows) == 0 {
		return nil, errUnitNotFound("id", id)
	}
	u := fromRow(rows[0])
	if err := s.authorize(ctx, q, &id); err != nil {
		return nil, err
	}
	if parentID == nil {
		return u, s.authorize(ctx, q, nil)
	}

	parents, err := q.UnitsByIDs(ctx, []uuid.UUID{*parentID})
	if err != nil {
		return nil, fmt.Errorf("load parent: %w", err)
	}
	if len(parents) == 0 {
		return nil, errUnitNotFound("parentId", *parentID)
	}
	if err := s.authorize(ctx, q, parentID); err != nil {
		return nil, err
	}
	below, err := q.IsInSubtree(ctx, postgres.IsInSubtreeParams{Root: id, Candidate: *parentID})
	if err != nil {
		return nil, fmt.Errorf("check cycle: %w", err)
	}
	if below {
		return nil, &errcode.Error{Code: errcode.Conflict, Field: "parentId", Message: fmt.Sprintf(
			"cannot move %q under %q: the new parent is the unit itself or lies below it",
			u.Name, parents[0].Name)}
	}
	return u, nil
}

// authorize checks that the caller may change unit (or create a root when unit is nil):
// platform admins may change anything, unit admins their unit and everything below it.
func (s *Service) authorize(ctx context.Context, q *postgres.Queries, unit *uuid.UUID) error {
	p := server.PrincipalFrom(ctx)
	if p.Anonymous() {
		return errcode.New(errcode.Unauthenticated, "sign in to change the organisation")
	}
	if p.HasRole(PlatformAdmin) {
		return nil
	}
	user, err := uuid.Parse(p.UserID)
	if unit == nil || err != nil {
		return errcode.New(errcode.Forbidden, "only platform admins may change the top of the tree")
	}
	ok, err := q.HoldsRoleAbove(ctx, postgres.HoldsRoleAboveParams{
		UnitID: *unit, UserID: user,
		Role: string(RoleAdmin),
	})
	if err != nil {
		return fmt.Errorf("check admin role: %w", err)
	}
	if !ok {
		return errcode.New(errcode.Forbidden, "only admins of this unit or a unit above it may change it")
	}
	return nil
}

func fromRow(r postgres.Unit) *Unit {
	return &Unit{ID: r.ID, ParentID: r.ParentID, Kind: Kind(r.Kind), Name: r.Name}
}

func fromRows(rows []postgres.Unit) []*Unit {
	out := make([]*Unit, len(rows))
	for i, r := range rows {
		out[i] = fromRow(r)
	}
	return out
}

// withField sets the input field on a coded error.
func withField(err error, field string) error {
	var e *errcode.Error
	if errors.As(err, &e) {
		c := *e
		c.Field = field
		return &c
	}
	return err
}

func isForeignKeyViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23503"
}
