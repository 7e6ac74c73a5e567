package org

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"ergo/platform/errcode"
	"ergo/platform/server"
	"ergo/subgraphs/org/postgres"
)

// SetMembership gives user the role in unit, replacing any role there. The caller must
// administer the unit. Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND (unit).
func (s *Service) SetMembership(ctx context.Context, m Membership) (*Membership, error) {
	if err := s.authorize(ctx, s.q, &m.UnitID); err != nil {
		return nil, err
	}
	if _, err := s.Unit(ctx, m.UnitID); err != nil {
		return nil, withField(err, "unitId")
	}
	_, err := s.q.SetMembership(ctx, postgres.SetMembershipParams{
		UnitID: m.UnitID,
		UserID: m.UserID, Role: string(m.Role),
	})
	if isForeignKeyViolation(err) {
		return nil, errUnitNotFound("unitId", m.UnitID)
	}
	if err != nil {
		return nil, fmt.Errorf("set membership: %w", err)
	}
	return &m, nil
}

// RemoveMembership takes user out of unit and reports whether it was a member. The caller
// must administer the unit. Errors: UNAUTHENTICATED, FORBIDDEN.
func (s *Service) RemoveMembership(ctx context.Context, unit, user uuid.UUID) (bool, error) {
	if err := s.authorize(ctx, s.q, &unit); err != nil {
		return false, err
	}
	n, err := s.q.RemoveMembership(ctx, postgres.RemoveMembershipParams{UnitID: unit, UserID: user})
	if err != nil {
		return false, fmt.Errorf("remove membership: %w", err)
	}
	return n > 0, nil
}

// Members returns the memberships of unit itself, to signed-in callers. Errors:
// UNAUTHENTICATED.
func (s *Service) Members(ctx context.Context, unit uuid.UUID) ([]*Membership, error) {
	if err := requireSignedIn(ctx); err != nil {
		return nil, err
	}
	rows, err := s.q.MembersOfUnit(ctx, unit)
	if err != nil {
		return nil, fmt.Errorf("load members of %s: %w", unit, err)
	}
	out := make([]*Membership, len(rows))
	for i, r := range rows {
		out[i] = &Membership{UnitID: r.UnitID, UserID: r.UserID, Role: Role(r.Role)}
	}
	return out, nil
}

// MembershipsOf returns user's memberships, to signed-in callers. Errors: UNAUTHENTICATED.
func (s *Service) MembershipsOf(ctx context.Context, user uuid.UUID) ([]*Membership, error) {
	if err := requireSignedIn(ctx); err != nil {
		return nil, err
	}
	rows, err := s.q.MembershipsOfUsers(ctx, []uuid.UUID{user})
	if err != nil {
		return nil, fmt.Errorf("load memberships of %s: %w", user, err)
	}
	out := make([]*Membership, len(rows))
	for i, r := range rows {
		out[i] = &Membership{UnitID: r.UnitID, UserID: r.UserID, Role: Role(r.Role)}
	}
	return out, nil
}

// requireSignedIn refuses anonymous callers: who belongs where is personal data, shown to
// signed-in users as a university's intranet directory would. The tree itself is public.
func requireSignedIn(ctx context.Context) error {
	if server.PrincipalFrom(ctx).Anonymous() {
		return errcode.New(errcode.Unauthenticated, "sign in to see who belongs to a unit")
	}
	return nil
}
