package lms

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"ergo/platform/errcode"
	"ergo/subgraphs/lms/postgres"
)

// Course codes have MinCodeLength to MaxCodeLength characters: letters, digits and '-',
// starting and ending with a letter or digit. lms stores them upper-cased, so codes that
// differ only in case are the same code.
const (
	MinCodeLength = 2
	MaxCodeLength = 20
)

// NormalizeCode returns code trimmed and upper-cased. Errors: INVALID_ARGUMENT on field
// code when it does not have the course code format.
func NormalizeCode(code string) (string, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if !validCode(code) {
		return "", errcode.Invalid("code", "code must have %d to %d letters, digits or '-', "+
			"starting and ending with a letter or digit", MinCodeLength, MaxCodeLength)
	}
	return code, nil
}

// validCode reports whether an upper-cased code has the course code format.
func validCode(code string) bool {
	if len(code) < MinCodeLength || len(code) > MaxCodeLength {
		return false
	}
	for i, r := range code {
		edge := i == 0 || i == len(code)-1
		switch {
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case r == '-' && !edge:
		default:
			return false
		}
	}
	return true
}

// NewCourse is the input of CreateCourse.
type NewCourse struct {
	OrgUnitID uuid.UUID
	Code      string
	Title     string
}

// CreateCourse creates a course owned by an org unit (teachers and admins), its code
// upper-cased (see NormalizeCode). Errors: UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT,
// CONFLICT when the code is taken, in any case.
//
// TODO(#5): whether the unit exists is not checked: units belong to org, whose tables lms
// may not read, and asking org through the router is not built yet. A course of an unknown
// unit reads with orgUnit null and org's NOT_FOUND at that field (docs/interaction.md).
func (s *Service) CreateCourse(ctx context.Context, in NewCourse) (*Course, error) {
	if err := requireStaff(ctx); err != nil {
		return nil, err
	}
	code, err := NormalizeCode(in.Code)
	if err != nil {
		return nil, err
	}
	in.Code, in.Title = code, strings.TrimSpace(in.Title)
	if in.Title == "" || len(in.Title) > 200 {
		return nil, errcode.Invalid("title", "title must have 1 to 200 characters")
	}

	row, err := s.q.CreateCourse(ctx, postgres.CreateCourseParams{
		ID:        uuid.New(),
		OrgUnitID: in.OrgUnitID, Code: in.Code, Title: in.Title,
	})
	if isUniqueViolation(err) {
		return nil, &errcode.Error{
			Code: errcode.Conflict, Field: "code",
			Message: fmt.Sprintf("a course with code %q already exists", in.Code),
		}
	}
	if err != nil {
		return nil, dbError(ctx, "create course", err)
	}
	return courseFrom(row), nil
}

// Course returns the course with id, or NOT_FOUND.
func (s *Service) Course(ctx context.Context, id uuid.UUID) (*Course, error) {
	c, err := s.reads(ctx).courses.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if c == nil {
		return nil, notFound("id", "course", id)
	}
	return c, nil
}

// CoursesOfUnit returns the courses an org unit owns, by code.
func (s *Service) CoursesOfUnit(ctx context.Context, unit uuid.UUID) ([]*Course, error) {
	courses, err := s.reads(ctx).unitCourses.load(ctx, unit)
	return orEmpty(courses), err
}

// Enroll enrolls user in course; users enroll themselves, admins anyone. Enrolling twice
// returns the existing enrollment. The check of the course and the write are one
// transaction: on any error nothing is written. Errors: UNAUTHENTICATED, FORBIDDEN,
// NOT_FOUND (course).
//
// TODO(#5): whether the user exists is not checked: users belong to identity, whose tables
// lms may not read, and asking identity through the router is not built yet. An enrollment
// of an unknown user reads with user null and identity's NOT_FOUND at that field.
func (s *Service) Enroll(ctx context.Context, course, user uuid.UUID) (*Enrollment, error) {
	if err := requireSelfOrAdmin(ctx, user); err != nil {
		return nil, err
	}
	var out *Enrollment
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		q := s.q.WithTx(tx)
		if _, err := q.LockCourse(ctx, course); errors.Is(err, pgx.ErrNoRows) {
			return notFound("courseId", "course", course)
		} else if err != nil {
			return dbError(ctx, "lock course", err)
		}
		row, err := q.Enroll(ctx, postgres.EnrollParams{ID: uuid.New(), CourseID: course, UserID: user})
		if err != nil {
			return dbError(ctx, "enroll", err)
		}
		out = enrollmentFrom(row)
		return nil
	})
	return out, ended(ctx, err)
}

// Enrollment returns the enrollment with id, or NOT_FOUND.
func (s *Service) Enrollment(ctx context.Context, id uuid.UUID) (*Enrollment, error) {
	e, err := s.reads(ctx).enrollments.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if e == nil {
		return nil, notFound("id", "enrollment", id)
	}
	return e, nil
}

// EnrollmentsOfUser returns user's enrollments, oldest first, to the user, teachers and
// admins. Errors: UNAUTHENTICATED, FORBIDDEN.
func (s *Service) EnrollmentsOfUser(ctx context.Context, user uuid.UUID) ([]*Enrollment, error) {
	if err := AuthorizeLearner(ctx, user); err != nil {
		return nil, err
	}
	enrollments, err := s.reads(ctx).userEnrollments.load(ctx, user)
	return orEmpty(enrollments), err
}

// EnrollmentsOfCourse returns course's enrollments, oldest first: all of them to teachers
// and admins, only the caller's own to other users. Errors: UNAUTHENTICATED.
func (s *Service) EnrollmentsOfCourse(ctx context.Context, course uuid.UUID) ([]*Enrollment, error) {
	id, _, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	all, err := s.reads(ctx).courseEnrollments.load(ctx, course)
	if err != nil {
		return nil, err
	}
	if requireStaff(ctx) == nil {
		return orEmpty(all), nil
	}
	// The loaded list is shared with the rest of the request: filter a copy.
	own := slices.DeleteFunc(slices.Clone(all), func(e *Enrollment) bool { return e.UserID != id })
	return orEmpty(own), nil
}

func courseFrom(r postgres.Course) *Course {
	return &Course{
		ID: r.ID, OrgUnitID: r.OrgUnitID, Code: r.Code, Title: r.Title,
		CreatedAt: r.CreatedAt,
	}
}

func enrollmentFrom(r postgres.Enrollment) *Enrollment {
	return &Enrollment{ID: r.ID, CourseID: r.CourseID, UserID: r.UserID, CreatedAt: r.CreatedAt}
}

func enrollmentsFrom(rows []postgres.Enrollment) []*Enrollment {
	out := make([]*Enrollment, len(rows))
	for i, r := range rows {
		out[i] = enrollmentFrom(r)
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
