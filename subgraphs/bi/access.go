package bi

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"ergo/platform/errcode"
	"ergo/platform/server"
)

// RoleAdmin is the platform-wide role (issued by identity) that reads every analytics.
const RoleAdmin = "admin"

// caller returns the signed-in user's id and whether they are an admin, or UNAUTHENTICATED.
func caller(ctx context.Context) (uuid.UUID, bool, error) {
	p := server.PrincipalFrom(ctx)
	id, err := uuid.Parse(p.UserID)
	if p.Anonymous() || err != nil {
		return uuid.Nil, false, errcode.New(errcode.Unauthenticated, "sign in first")
	}
	return id, p.HasRole(RoleAdmin), nil
}

// AuthorizeCourse lets course's teachers and admins read its analytics. bi knows the
// teachers from lms's course.teachers.changed events, so a teacher just added sees the
// analytics once the event is delivered. Errors: UNAUTHENTICATED, FORBIDDEN.
func (s *Service) AuthorizeCourse(ctx context.Context, course uuid.UUID) error {
	id, admin, err := caller(ctx)
	if err != nil || admin {
		return err
	}
	ok, err := s.teaches(ctx, id, course)
	if err != nil {
		return err
	}
	if !ok {
		return errcode.New(errcode.Forbidden, "only the course's teachers and admins see its analytics")
	}
	return nil
}

// teaches reports whether user teaches course, as the latest course.teachers.changed event
// said.
func (s *Service) teaches(ctx context.Context, user, course uuid.UUID) (bool, error) {
	teachers, err := s.q.CourseTeachers(ctx, course)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("load teachers of %s: %w", course, err)
	}
	return slices.Contains(teachers, user), nil
}

// AuthorizeEnrollment lets the enrollment's learner, the teachers of its course and admins
// read its analytics. The learner and course are known from the attempts BI has seen;
// before any, there is nothing to hide. Errors: UNAUTHENTICATED, FORBIDDEN.
func (s *Service) AuthorizeEnrollment(ctx context.Context, enrollment uuid.UUID) error {
	id, admin, err := caller(ctx)
	if err != nil || admin {
		return err
	}
	owners, err := s.q.EnrollmentUser(ctx, enrollment)
	if err != nil {
		return fmt.Errorf("load learner of %s: %w", enrollment, err)
	}
	if len(owners) == 0 {
		return nil
	}
	for _, o := range owners {
		if o.UserID == id {
			return nil
		}
		if ok, err := s.teaches(ctx, id, o.CourseID); ok || err != nil {
			return err
		}
	}
	return errcode.New(errcode.Forbidden, "these analytics belong to a learner of a course you do not teach")
}
