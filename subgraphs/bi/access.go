package bi

import (
	"context"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"ergo/platform/errcode"
	"ergo/platform/server"
)

// Platform-wide roles (issued by identity) that may read every learner's analytics.
var staffRoles = []string{"admin", "teacher"}

// isStaff reports whether the caller is a teacher or an admin.
func isStaff(ctx context.Context) bool {
	p := server.PrincipalFrom(ctx)
	return slices.ContainsFunc(staffRoles, p.HasRole)
}

// AuthorizeCourse lets teachers and admins read a course's analytics.
// TODO(#5): every teacher sees every course; narrowing it to their own courses needs the
// course-teacher link, which bi does not receive yet.
// Errors: UNAUTHENTICATED, FORBIDDEN.
func AuthorizeCourse(ctx context.Context) error {
	if server.PrincipalFrom(ctx).Anonymous() {
		return errcode.New(errcode.Unauthenticated, "sign in first")
	}
	if !isStaff(ctx) {
		return errcode.New(errcode.Forbidden, "only teachers and admins see course analytics")
	}
	return nil
}

// AuthorizeEnrollment lets the enrollment's learner, teachers and admins read its analytics.
// The learner is known from the attempts BI has seen; before any, there is nothing to hide.
// Errors: UNAUTHENTICATED, FORBIDDEN.
func (s *Service) AuthorizeEnrollment(ctx context.Context, enrollment uuid.UUID) error {
	p := server.PrincipalFrom(ctx)
	caller, err := uuid.Parse(p.UserID)
	if p.Anonymous() || err != nil {
		return errcode.New(errcode.Unauthenticated, "sign in first")
	}
	if isStaff(ctx) {
		return nil
	}
	users, err := s.q.EnrollmentUser(ctx, enrollment)
	if err != nil {
		return fmt.Errorf("load learner of %s: %w", enrollment, err)
	}
	if len(users) == 0 || slices.Contains(users, caller) {
		return nil
	}
	return errcode.New(errcode.Forbidden, "these analytics belong to another learner")
}
