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
// upper-cased (see NormalizeCode). A teacher who creates a course becomes its teacher, in the
// same transaction; a course an admin creates has no teacher until AddCourseTeacher. Errors:
// UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT, CONFLICT when the code is taken, in any case.
//
// TODO(#5): whether the unit exists is not checked: units belong to org, whose tables lms
// may not read, and asking org through the router is not built yet. A course of an unknown
// unit reads with orgUnit null and org's NOT_FOUND at that field (docs/interaction.md).
func (s *Service) CreateCourse(ctx context.Context, in NewCourse) (*Course, error) {
	if err := requireTeacherRole(ctx); err != nil {
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

	var out *Course
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		out, err = s.insertCourse(ctx, s.q.WithTx(tx), in)
		return err
	})
	return out, ended(ctx, err)
}

// insertCourse writes the course with q and, when the caller is a teacher, makes them its
// teacher.
func (s *Service) insertCourse(ctx context.Context, q *postgres.Queries, in NewCourse) (*Course, error) {
	row, err := q.CreateCourse(ctx, postgres.CreateCourseParams{
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

	id, p, _ := caller(ctx)
	if p.HasRole(RoleTeacher) {
		err := q.AddCourseTeacher(ctx, postgres.AddCourseTeacherParams{CourseID: row.ID, UserID: id})
		if err != nil {
			return nil, dbError(ctx, "add the creator as teacher", err)
		}
		if err := s.publishTeachers(ctx, q, row.ID); err != nil {
			return nil, err
		}
	}
	return courseFrom(row), nil
}

// CourseTeachers returns the user ids of course's teachers, in id order.
func (s *Service) CourseTeachers(ctx context.Context, course uuid.UUID) ([]uuid.UUID, error) {
	teachers, err := s.reads(ctx).courseTeachers.load(ctx, course)
	return orEmpty(teachers), err
}

// AddCourseTeacher makes user a teacher of course (the course's teachers and admins); adding
// a teacher twice changes nothing. The change and its course.teachers.changed event are one
// transaction. Errors: UNAUTHENTICATED, NOT_FOUND (course), FORBIDDEN.
//
// Whether user exists, or has identity's teacher role, is not checked (as for Enroll): users
// belong to identity, whose tables lms may not read.
func (s *Service) AddCourseTeacher(ctx context.Context, course, user uuid.UUID) (*Course, error) {
	return s.changeTeachers(ctx, course, func(q *postgres.Queries) error {
		return q.AddCourseTeacher(ctx, postgres.AddCourseTeacherParams{CourseID: course, UserID: user})
	})
}

// RemoveCourseTeacher removes user from course's teachers (the course's teachers and
// admins); removing someone who does not teach it changes nothing. A course left without
// teachers is managed by admins. The change and its course.teachers.changed event are one
// transaction. Errors: UNAUTHENTICATED, NOT_FOUND (course), FORBIDDEN.
func (s *Service) RemoveCourseTeacher(ctx context.Context, course, user uuid.UUID) (*Course, error) {
	return s.changeTeachers(ctx, course, func(q *postgres.Queries) error {
		return q.RemoveCourseTeacher(ctx, postgres.RemoveCourseTeacherParams{CourseID: course, UserID: user})
	})
}

// changeTeachers checks that the caller may manage course, then, in one transaction that
// holds the course's teacher list, applies change and publishes the resulting list.
func (s *Service) changeTeachers(ctx context.Context, course uuid.UUID,
	change func(*postgres.Queries) error,
) (*Course, error) {
	c, err := s.staffedCourse(ctx, course)
	if err != nil {
		return nil, err
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		q := s.q.WithTx(tx)
		if _, err := q.LockCourseStaff(ctx, course); err != nil {
			return dbError(ctx, "lock course", err)
		}
		if err := change(q); err != nil {
			return dbError(ctx, "change course teachers", err)
		}
		return s.publishTeachers(ctx, q, course)
	})
	if err != nil {
		return nil, ended(ctx, err)
	}
	return c, nil
}

// staffedCourse returns the course with id when the caller may manage it.
func (s *Service) staffedCourse(ctx context.Context, id uuid.UUID) (*Course, error) {
	if _, _, err := caller(ctx); err != nil {
		return nil, err
	}
	c, err := s.Course(ctx, id)
	if err != nil {
		return nil, withField(err, "courseId")
	}
	if err := s.requireCourseStaff(ctx, id); err != nil {
		return nil, err
	}
	return c, nil
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

// EnrollmentsOfUser returns user's enrollments, oldest first: all of them to the user and
// admins, and to a teacher those in the courses they teach. Errors: UNAUTHENTICATED,
// FORBIDDEN when the caller is someone else who teaches none of them.
func (s *Service) EnrollmentsOfUser(ctx context.Context, user uuid.UUID) ([]*Enrollment, error) {
	id, p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	all, err := s.reads(ctx).userEnrollments.load(ctx, user)
	if err != nil {
		return nil, err
	}
	if id == user || p.HasRole(RoleAdmin) {
		return orEmpty(all), nil
	}
	taught, err := s.taught(ctx, id, all)
	if err != nil {
		return nil, err
	}
	if len(taught) == 0 {
		return nil, errcode.New(errcode.Forbidden, "this belongs to another learner")
	}
	return taught, nil
}

// taught returns the enrollments among all in courses that teacher teaches, in order.
func (s *Service) taught(ctx context.Context, teacher uuid.UUID, all []*Enrollment) ([]*Enrollment, error) {
	var out []*Enrollment
	for _, e := range all {
		ok, err := s.teaches(ctx, teacher, e.CourseID)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, e)
		}
	}
	return out, nil
}

// EnrollmentsOfCourse returns course's enrollments, oldest first: all of them to the course's
// teachers and admins, only the caller's own to other users. Errors: UNAUTHENTICATED.
func (s *Service) EnrollmentsOfCourse(ctx context.Context, course uuid.UUID) ([]*Enrollment, error) {
	id, _, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	all, err := s.reads(ctx).courseEnrollments.load(ctx, course)
	if err != nil {
		return nil, err
	}
	err = s.requireCourseStaff(ctx, course)
	if err == nil {
		return orEmpty(all), nil
	}
	if errcode.Of(err) != errcode.Forbidden {
		return nil, err
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
