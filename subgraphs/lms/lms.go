// Package lms is ERGO's learning module: courses owned by organisation units, enrollments, a
// question bank, quizzes, graded attempts, and quizzes recommended from the weak topics that
// the bi module finds. Submitted attempts are published as events through a transactional
// outbox (see package outbox). Its GraphQL adapter is in graph/, database access in postgres/.
package lms

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"ergo/platform/errcode"
	"ergo/platform/server"
	"ergo/subgraphs/lms/postgres"
)

// Platform-wide roles (issued by identity) that lms checks.
const (
	RoleAdmin   = "admin"
	RoleTeacher = "teacher"
)

// Course is a course owned by an organisation unit.
type Course struct {
	ID        uuid.UUID
	OrgUnitID uuid.UUID
	Code      string
	Title     string
	CreatedAt time.Time
}

// Enrollment is a user's place in a course.
type Enrollment struct {
	ID        uuid.UUID
	CourseID  uuid.UUID
	UserID    uuid.UUID
	CreatedAt time.Time
	// WeakTopics is provided by the bi module through federation (@requires); it is set only
	// when the router supplies it for a field that needs it.
	WeakTopics []string
}

// OrgUnit is the org module's unit as lms sees it: only its id.
type OrgUnit struct {
	ID uuid.UUID
}

// User is the identity module's user as lms sees it: only its id.
type User struct {
	ID uuid.UUID
}

// Service holds the lms module's operations.
type Service struct {
	pool *pgxpool.Pool
	q    *postgres.Queries
	now  func() time.Time
	// subscribers are the modules every event type is delivered to.
	subscribers map[string][]string
}

// NewService returns a Service on pool (search path: the lms schema) with clock now,
// delivering events of each type to the modules subscribers lists.
func NewService(pool *pgxpool.Pool, now func() time.Time, subscribers map[string][]string) *Service {
	return &Service{pool: pool, q: postgres.New(pool), now: now, subscribers: subscribers}
}

// ParseID parses an id given by a client; a malformed one, or the nil UUID, which no object
// has, is INVALID_ARGUMENT on field.
func ParseID(field, s string) (uuid.UUID, error) {
	id, err := uuid.Parse(s)
	if err != nil || id == uuid.Nil {
		return uuid.Nil, errcode.Invalid(field, "%s must be a UUID", field)
	}
	return id, nil
}

// caller returns the signed-in user's id, or UNAUTHENTICATED.
func caller(ctx context.Context) (uuid.UUID, server.Principal, error) {
	p := server.PrincipalFrom(ctx)
	id, err := uuid.Parse(p.UserID)
	if p.Anonymous() || err != nil {
		return uuid.Nil, p, errcode.New(errcode.Unauthenticated, "sign in first")
	}
	return id, p, nil
}

// requireTeacherRole allows callers with the platform-wide teacher or admin role: those who
// may create courses.
func requireTeacherRole(ctx context.Context) error {
	_, p, err := caller(ctx)
	if err != nil {
		return err
	}
	if !p.HasRole(RoleTeacher) && !p.HasRole(RoleAdmin) {
		return errcode.New(errcode.Forbidden, "only teachers and admins may do this")
	}
	return nil
}

// requireCourseStaff allows admins and the teachers of course (see Course.teacherIds): a
// teacher manages only the courses they teach. Errors: UNAUTHENTICATED, FORBIDDEN.
func (s *Service) requireCourseStaff(ctx context.Context, course uuid.UUID) error {
	id, p, err := caller(ctx)
	if err != nil {
		return err
	}
	if p.HasRole(RoleAdmin) {
		return nil
	}
	ok, err := s.teaches(ctx, id, course)
	if err != nil {
		return err
	}
	if !ok {
		return errcode.New(errcode.Forbidden, "only the course's teachers and admins may do this")
	}
	return nil
}

// teaches reports whether user is a teacher of course.
func (s *Service) teaches(ctx context.Context, user, course uuid.UUID) (bool, error) {
	teachers, err := s.reads(ctx).courseTeachers.load(ctx, course)
	return slices.Contains(teachers, user), err
}

// requireSelfOrAdmin allows user themselves and admins.
func requireSelfOrAdmin(ctx context.Context, user uuid.UUID) error {
	id, p, err := caller(ctx)
	if err != nil {
		return err
	}
	if id != user && !p.HasRole(RoleAdmin) {
		return errcode.New(errcode.Forbidden, "this belongs to another user")
	}
	return nil
}

// AuthorizeEnrollment lets the enrollment's learner, the teachers of its course and admins
// read the learner's data in that course (attempts, answers, recommended quizzes).
// Errors: UNAUTHENTICATED, FORBIDDEN.
func (s *Service) AuthorizeEnrollment(ctx context.Context, e *Enrollment) error {
	id, p, err := caller(ctx)
	if err != nil {
		return err
	}
	if id == e.UserID || p.HasRole(RoleAdmin) {
		return nil
	}
	ok, err := s.teaches(ctx, id, e.CourseID)
	if err != nil {
		return err
	}
	if !ok {
		return errcode.New(errcode.Forbidden, "this belongs to a learner of a course you do not teach")
	}
	return nil
}

func notFound(field, what string, id uuid.UUID) error {
	return &errcode.Error{
		Code: errcode.NotFound, Field: field,
		Message: fmt.Sprintf("no %s with id %s", what, id),
	}
}

func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505"
}

// IsEntity marks Course as a federation entity (gqlgen's fedruntime.Entity).
func (Course) IsEntity() {}

// IsEntity marks Enrollment as a federation entity (gqlgen's fedruntime.Entity).
func (Enrollment) IsEntity() {}

// IsEntity marks OrgUnit as a federation entity (gqlgen's fedruntime.Entity).
func (OrgUnit) IsEntity() {}

// IsEntity marks User as a federation entity (gqlgen's fedruntime.Entity).
func (User) IsEntity() {}
