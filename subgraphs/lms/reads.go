package lms

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/google/uuid"

	"ergo/platform/errcode"
	"ergo/subgraphs/lms/postgres"
)

// reads holds one request's loaders. Each fetch primes the loaders of the fields below the
// objects it returns, so every level of a nested query costs one query, whatever the number
// of objects on it: user{enrollments{attempts{answers}}} takes three, and so does
// orgUnit{courses{enrollments{attempts}}}.
type reads struct {
	courses     *loader[uuid.UUID, *Course]
	enrollments *loader[uuid.UUID, *Enrollment]
	quizzes     *loader[uuid.UUID, *Quiz]

	unitCourses       *loader[uuid.UUID, []*Course]     // by org unit
	courseEnrollments *loader[uuid.UUID, []*Enrollment] // by course
	userEnrollments   *loader[uuid.UUID, []*Enrollment] // by user
	courseQuizzes     *loader[uuid.UUID, []*Quiz]       // by course, manual ones only
	courseTeachers    *loader[uuid.UUID, []uuid.UUID]   // by course, user ids in order
	quizQuestions     *loader[uuid.UUID, []*Question]   // by quiz, in quiz order
	attempts          *loader[uuid.UUID, []*Attempt]    // by enrollment, newest first
	answers           *loader[uuid.UUID, []*Answer]     // by attempt

	referencesOnce sync.Once
}

type readsKey struct{}

// BatchReads returns ctx carrying loaders that batch and cache this service's reads until
// ctx ends. Use it for one read-only request (a GraphQL query): its values are not
// refreshed after a write.
func (s *Service) BatchReads(ctx context.Context) context.Context {
	return context.WithValue(ctx, readsKey{}, s.newReads())
}

// reads returns the loaders ctx carries, or fresh ones that batch nothing beyond one call.
func (s *Service) reads(ctx context.Context) *reads {
	if r, ok := ctx.Value(readsKey{}).(*reads); ok {
		return r
	}
	return s.newReads()
}

func (s *Service) newReads() *reads {
	r := &reads{}
	r.courses = newLoader(s.fetchCourses(r))
	r.enrollments = newLoader(s.fetchEnrollments(r))
	r.quizzes = newLoader(s.fetchQuizzes(r))
	r.unitCourses = newLoader(s.fetchUnitCourses(r))
	r.courseEnrollments = newLoader(s.fetchCourseEnrollments(r))
	r.userEnrollments = newLoader(s.fetchUserEnrollments(r))
	r.courseQuizzes = newLoader(s.fetchCourseQuizzes(r))
	r.courseTeachers = newLoader(s.fetchCourseTeachers)
	r.quizQuestions = newLoader(s.fetchQuizQuestions)
	r.attempts = newLoader(s.fetchAttempts(r))
	r.answers = newLoader(s.fetchAnswers)
	return r
}

// References are the ids of the entities one _entities request resolves, by type.
type References struct {
	Courses, Enrollments, Units, Users []uuid.UUID
}

// PrimeReferences announces the entities of the request's _entities batch, so that the
// reads of all of them (and of the fields below) are batched. Only the first call of a
// request calls refs; later ones return at once.
func (s *Service) PrimeReferences(ctx context.Context, refs func() References) {
	r := s.reads(ctx)
	r.referencesOnce.Do(func() {
		in := refs()
		r.courses.prime(in.Courses)
		r.enrollments.prime(in.Enrollments)
		r.unitCourses.prime(in.Units)
		r.userEnrollments.prime(in.Users)
	})
}

// primeCourses primes the loaders below courses.
func (r *reads) primeCourses(courses []*Course) {
	ids := make([]uuid.UUID, len(courses))
	for i, c := range courses {
		ids[i] = c.ID
	}
	r.courseEnrollments.prime(ids)
	r.courseQuizzes.prime(ids)
	r.courseTeachers.prime(ids)
}

// primeEnrollments primes the loaders below enrollments.
func (r *reads) primeEnrollments(enrollments []*Enrollment) {
	ids := make([]uuid.UUID, len(enrollments))
	courses := make([]uuid.UUID, len(enrollments))
	for i, e := range enrollments {
		ids[i], courses[i] = e.ID, e.CourseID
	}
	r.attempts.prime(ids)
	r.courses.prime(courses)
	// Reading a learner's data checks who teaches the course.
	r.courseTeachers.prime(courses)
}

// primeAttempts primes the loaders below attempts.
func (r *reads) primeAttempts(attempts []*Attempt) {
	ids := make([]uuid.UUID, len(attempts))
	quizzes := make([]uuid.UUID, len(attempts))
	enrollments := make([]uuid.UUID, len(attempts))
	for i, a := range attempts {
		ids[i], quizzes[i], enrollments[i] = a.ID, a.QuizID, a.EnrollmentID
	}
	r.answers.prime(ids)
	r.quizzes.prime(quizzes)
	r.enrollments.prime(enrollments)
}

// primeQuizzes primes the loaders below quizzes.
func (r *reads) primeQuizzes(quizzes []*Quiz) {
	ids := make([]uuid.UUID, len(quizzes))
	courses := make([]uuid.UUID, len(quizzes))
	for i, q := range quizzes {
		ids[i], courses[i] = q.ID, q.CourseID
	}
	r.quizQuestions.prime(ids)
	r.courses.prime(courses)
}

func (s *Service) fetchCourses(r *reads) fetch[*Course] {
	return func(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]*Course, error) {
		rows, err := s.q.CoursesByIDs(ctx, ids)
		if err != nil {
			return nil, dbError(ctx, "load courses", err)
		}
		all := make([]*Course, len(rows))
		for i, row := range rows {
			all[i] = courseFrom(row)
		}
		r.primeCourses(all)
		return byID(all, func(c *Course) uuid.UUID { return c.ID }), nil
	}
}

func (s *Service) fetchEnrollments(r *reads) fetch[*Enrollment] {
	return func(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]*Enrollment, error) {
		rows, err := s.q.EnrollmentsByIDs(ctx, ids)
		if err != nil {
			return nil, dbError(ctx, "load enrollments", err)
		}
		all := enrollmentsFrom(rows)
		r.primeEnrollments(all)
		return byID(all, func(e *Enrollment) uuid.UUID { return e.ID }), nil
	}
}

func (s *Service) fetchQuizzes(r *reads) fetch[*Quiz] {
	return func(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]*Quiz, error) {
		rows, err := s.q.QuizzesByIDs(ctx, ids)
		if err != nil {
			return nil, dbError(ctx, "load quizzes", err)
		}
		all := quizzesFrom(rows)
		r.primeQuizzes(all)
		return byID(all, func(q *Quiz) uuid.UUID { return q.ID }), nil
	}
}

func (s *Service) fetchUnitCourses(r *reads) fetch[[]*Course] {
	return func(ctx context.Context, units []uuid.UUID) (map[uuid.UUID][]*Course, error) {
		rows, err := s.q.CoursesOfUnits(ctx, units)
		if err != nil {
			return nil, dbError(ctx, "load courses of units", err)
		}
		all := make([]*Course, len(rows))
		for i, row := range rows {
			all[i] = courseFrom(row)
		}
		r.primeCourses(all)
		return groupBy(all, func(c *Course) uuid.UUID { return c.OrgUnitID }), nil
	}
}

func (s *Service) fetchCourseEnrollments(r *reads) fetch[[]*Enrollment] {
	return func(ctx context.Context, courses []uuid.UUID) (map[uuid.UUID][]*Enrollment, error) {
		rows, err := s.q.EnrollmentsOfCourses(ctx, courses)
		if err != nil {
			return nil, dbError(ctx, "load enrollments of courses", err)
		}
		all := enrollmentsFrom(rows)
		r.primeEnrollments(all)
		return groupBy(all, func(e *Enrollment) uuid.UUID { return e.CourseID }), nil
	}
}

func (s *Service) fetchUserEnrollments(r *reads) fetch[[]*Enrollment] {
	return func(ctx context.Context, users []uuid.UUID) (map[uuid.UUID][]*Enrollment, error) {
		rows, err := s.q.EnrollmentsOfUsers(ctx, users)
		if err != nil {
			return nil, dbError(ctx, "load enrollments of users", err)
		}
		all := enrollmentsFrom(rows)
		r.primeEnrollments(all)
		return groupBy(all, func(e *Enrollment) uuid.UUID { return e.UserID }), nil
	}
}

func (s *Service) fetchCourseQuizzes(r *reads) fetch[[]*Quiz] {
	return func(ctx context.Context, courses []uuid.UUID) (map[uuid.UUID][]*Quiz, error) {
		rows, err := s.q.QuizzesOfCourses(ctx, courses)
		if err != nil {
			return nil, dbError(ctx, "load quizzes of courses", err)
		}
		all := quizzesFrom(rows)
		r.primeQuizzes(all)
		return groupBy(all, func(q *Quiz) uuid.UUID { return q.CourseID }), nil
	}
}

func (s *Service) fetchCourseTeachers(ctx context.Context, courses []uuid.UUID,
) (map[uuid.UUID][]uuid.UUID, error) {
	rows, err := s.q.TeachersOfCourses(ctx, courses)
	if err != nil {
		return nil, dbError(ctx, "load teachers of courses", err)
	}
	out := map[uuid.UUID][]uuid.UUID{}
	for _, row := range rows {
		out[row.CourseID] = append(out[row.CourseID], row.UserID)
	}
	return out, nil
}

func (s *Service) fetchQuizQuestions(ctx context.Context, quizzes []uuid.UUID,
) (map[uuid.UUID][]*Question, error) {
	rows, err := s.q.QuestionsOfQuizzes(ctx, quizzes)
	if err != nil {
		return nil, dbError(ctx, "load questions of quizzes", err)
	}
	out := map[uuid.UUID][]*Question{}
	for _, row := range rows {
		out[row.QuizID] = append(out[row.QuizID], questionFrom(row.Question))
	}
	return out, nil
}

func (s *Service) fetchAttempts(r *reads) fetch[[]*Attempt] {
	return func(ctx context.Context, enrollments []uuid.UUID) (map[uuid.UUID][]*Attempt, error) {
		rows, err := s.q.AttemptsOfEnrollments(ctx, enrollments)
		if err != nil {
			return nil, dbError(ctx, "load attempts of enrollments", err)
		}
		all := make([]*Attempt, len(rows))
		for i, row := range rows {
			all[i] = attemptFrom(row)
		}
		r.primeAttempts(all)
		return groupBy(all, func(a *Attempt) uuid.UUID { return a.EnrollmentID }), nil
	}
}

// fetchAnswers loads the answers of attempts, grouped by attempt.
//
// TODO(#5): answers come ordered by question id (AnswersOfAttempts), not in the quiz's order
// of questions, which is the order a learner saw them in.
func (s *Service) fetchAnswers(ctx context.Context, attempts []uuid.UUID,
) (map[uuid.UUID][]*Answer, error) {
	rows, err := s.q.AnswersOfAttempts(ctx, attempts)
	if err != nil {
		return nil, dbError(ctx, "load answers of attempts", err)
	}
	out := map[uuid.UUID][]*Answer{}
	for _, row := range rows {
		out[row.AttemptID] = append(out[row.AttemptID], &Answer{
			QuestionID: row.QuestionID, ChosenOption: int(row.ChosenOption), Correct: row.Correct,
		})
	}
	return out, nil
}

// fetch loads the values of a batch of ids, keyed by id; ids without a value are absent.
type fetch[V any] func(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]V, error)

// byID indexes items by key.
func byID[T any](items []T, key func(T) uuid.UUID) map[uuid.UUID]T {
	out := make(map[uuid.UUID]T, len(items))
	for _, it := range items {
		out[key(it)] = it
	}
	return out
}

// groupBy groups items by key, keeping their order within each group.
func groupBy[T any](items []T, key func(T) uuid.UUID) map[uuid.UUID][]T {
	out := map[uuid.UUID][]T{}
	for _, it := range items {
		out[key(it)] = append(out[key(it)], it)
	}
	return out
}

// requestEnded is what the client of a request that ended early (it went away, or the
// router's deadline passed) would read, were it still listening.
const requestEnded = "the request ended before lms answered it"

// dbError wraps err, the failure of the database work what. When ctx ended first, the
// failure is the caller's doing, not lms's: it becomes UNAVAILABLE, which the subgraph's
// error presenter neither logs as an error nor turns into INTERNAL. Without it a client
// that cancels a large query would leave an ERROR line for every field still loading. (The
// subgraph runner's error presenter does the same for every module's uncoded errors; doing
// it here too keeps lms's message.)
func dbError(ctx context.Context, what string, err error) error {
	return ended(ctx, fmt.Errorf("%s: %w", what, err))
}

// ended returns err, or an UNAVAILABLE error wrapping it when ctx ended first (see dbError).
func ended(ctx context.Context, err error) error {
	if err != nil && (ctx.Err() != nil || errors.Is(err, context.Canceled)) {
		return &errcode.Error{Code: errcode.Unavailable, Message: requestEnded, Err: err}
	}
	return err
}

// orEmpty returns list, or an empty list for nil: a GraphQL list with nothing in it is [],
// not null.
func orEmpty[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}

func quizzesFrom(rows []postgres.Quiz) []*Quiz {
	out := make([]*Quiz, len(rows))
	for i, r := range rows {
		out[i] = quizFrom(r)
	}
	return out
}
