package lms

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"ergo/platform/errcode"
	"ergo/subgraphs/lms/postgres"
)

// PassScore is the lowest score that passes a quiz.
const PassScore = 0.6

// Attempt is an enrolled user's attempt at a quiz. Score, Correct and Total are set once it
// is submitted.
type Attempt struct {
	ID           uuid.UUID
	QuizID       uuid.UUID
	EnrollmentID uuid.UUID
	StartedAt    time.Time
	SubmittedAt  *time.Time
	Correct      *int
	Total        *int
	Score        *float64
}

// Passed reports whether a submitted attempt reached PassScore; nil before submission.
func (a *Attempt) Passed() *bool {
	if a.Score == nil {
		return nil
	}
	p := *a.Score >= PassScore
	return &p
}

// AnswerInput is one answer of a submission: the chosen option of a question.
type AnswerInput struct {
	QuestionID uuid.UUID
	Option     int
}

// Answer is a graded answer.
type Answer struct {
	QuestionID   uuid.UUID
	ChosenOption int
	Correct      bool
}

// StartAttempt starts an attempt of an enrollment at a quiz of the same course; only the
// enrolled user (or an admin) may, and a recommended quiz only through the enrollment it was
// built for. Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, INVALID_ARGUMENT when the quiz
// belongs to another course.
func (s *Service) StartAttempt(ctx context.Context, quizID, enrollmentID uuid.UUID) (*Attempt, error) {
	e, err := s.Enrollment(ctx, enrollmentID)
	if err != nil {
		return nil, withField(err, "enrollmentId")
	}
	if err := requireSelfOrAdmin(ctx, e.UserID); err != nil {
		return nil, err
	}
	quiz, err := s.Quiz(ctx, quizID)
	if err != nil {
		return nil, withField(err, "quizId")
	}
	if quiz.CourseID != e.CourseID {
		return nil, errcode.Invalid("quizId", "the quiz belongs to another course than the enrollment")
	}
	if quiz.Kind == QuizRecommended && quiz.EnrollmentID != e.ID {
		return nil, &errcode.Error{
			Code: errcode.Forbidden, Field: "quizId",
			Message: "the quiz was recommended to another learner",
		}
	}

	row, err := s.q.CreateAttempt(ctx, postgres.CreateAttemptParams{
		ID: uuid.New(), QuizID: quizID,
		EnrollmentID: enrollmentID, StartedAt: s.now(),
	})
	if err != nil {
		return nil, dbError(ctx, "create attempt", err)
	}
	return attemptFrom(row), nil
}

// Attempt returns the attempt with id, or NOT_FOUND.
func (s *Service) Attempt(ctx context.Context, id uuid.UUID) (*Attempt, error) {
	rows, err := s.q.AttemptsByIDs(ctx, []uuid.UUID{id})
	if err != nil {
		return nil, dbError(ctx, "load attempt", err)
	}
	if len(rows) == 0 {
		return nil, notFound("id", "attempt", id)
	}
	return attemptFrom(rows[0]), nil
}

// VisibleAttempt returns the attempt with id when the caller is its learner, a teacher of its
// course or an admin. Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.
func (s *Service) VisibleAttempt(ctx context.Context, id uuid.UUID) (*Attempt, error) {
	a, err := s.Attempt(ctx, id)
	if err != nil {
		return nil, err
	}
	e, err := s.Enrollment(ctx, a.EnrollmentID)
	if err != nil {
		return nil, err
	}
	if err := s.AuthorizeEnrollment(ctx, e); err != nil {
		return nil, err
	}
	return a, nil
}

// AttemptsOfEnrollment returns an enrollment's attempts, newest first, to its learner, the
// teachers of its course and admins. Errors: UNAUTHENTICATED, FORBIDDEN.
func (s *Service) AttemptsOfEnrollment(ctx context.Context, e *Enrollment) ([]*Attempt, error) {
	if err := s.AuthorizeEnrollment(ctx, e); err != nil {
		return nil, err
	}
	attempts, err := s.reads(ctx).attempts.load(ctx, e.ID)
	return orEmpty(attempts), err
}

// Answers returns an attempt's graded answers to its learner, the teachers of its course and
// admins.
// Errors: UNAUTHENTICATED, FORBIDDEN.
func (s *Service) Answers(ctx context.Context, a *Attempt) ([]*Answer, error) {
	e, err := s.Enrollment(ctx, a.EnrollmentID)
	if err != nil {
		return nil, err
	}
	if err := s.AuthorizeEnrollment(ctx, e); err != nil {
		return nil, err
	}
	answers, err := s.reads(ctx).answers.load(ctx, a.ID)
	return orEmpty(answers), err
}

// SubmitAttempt grades and records the answers of an attempt and publishes an
// attempt.submitted event, all in one transaction: either everything is written or nothing.
// Questions left unanswered count as wrong. Only the enrolled user (or an admin) may submit.
// Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, CONFLICT when the attempt was submitted
// already, INVALID_ARGUMENT (field answers) for a question outside the quiz, a question
// answered twice or an option out of range.
func (s *Service) SubmitAttempt(ctx context.Context, id uuid.UUID, answers []AnswerInput) (*Attempt, error) {
	var out *Attempt
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		out, err = s.submit(ctx, s.q.WithTx(tx), id, answers)
		return err
	})
	return out, ended(ctx, err)
}

func (s *Service) submit(ctx context.Context, q *postgres.Queries, id uuid.UUID,
	inputs []AnswerInput,
) (*Attempt, error) {
	a, e, err := s.lockAttempt(ctx, q, id)
	if err != nil {
		return nil, err
	}
	rows, err := q.QuizQuestions(ctx, a.QuizID)
	if err != nil {
		return nil, dbError(ctx, "load quiz questions", err)
	}
	questions := make([]*Question, len(rows))
	for i, r := range rows {
		questions[i] = questionFrom(r)
	}
	graded, err := Grade(questions, inputs)
	if err != nil {
		return nil, err
	}

	if err := s.record(ctx, q, a, graded); err != nil {
		return nil, err
	}
	if err := s.publishSubmitted(ctx, q, a, e, questions, graded); err != nil {
		return nil, err
	}
	return a, nil
}

// lockAttempt loads and locks the attempt and checks that the caller may submit it now.
func (s *Service) lockAttempt(ctx context.Context, q *postgres.Queries, id uuid.UUID,
) (*Attempt, *Enrollment, error) {
	row, err := q.LockAttempt(ctx, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil, notFound("attemptId", "attempt", id)
	}
	if err != nil {
		return nil, nil, dbError(ctx, "lock attempt", err)
	}
	a := attemptFrom(row)
	enrollments, err := q.EnrollmentsByIDs(ctx, []uuid.UUID{a.EnrollmentID})
	if err != nil || len(enrollments) == 0 {
		return nil, nil, fmt.Errorf("load enrollment of attempt %s: %w", id, err)
	}
	e := enrollmentFrom(enrollments[0])
	if err := requireSelfOrAdmin(ctx, e.UserID); err != nil {
		return nil, nil, err
	}
	if a.SubmittedAt != nil {
		return nil, nil, &errcode.Error{
			Code: errcode.Conflict, Field: "attemptId",
			Message: "this attempt was already submitted; start a new attempt to try again",
		}
	}
	return a, e, nil
}

// Grade checks inputs against the quiz's questions and returns one graded answer per quiz
// question, in quiz order; unanswered questions get ChosenOption -1 and are wrong.
func Grade(questions []*Question, inputs []AnswerInput) ([]Answer, error) {
	index := make(map[uuid.UUID]int, len(questions))
	for i, q := range questions {
		index[q.ID] = i
	}
	chosen := map[uuid.UUID]int{}
	for i, in := range inputs {
		field := fmt.Sprintf("answers[%d]", i)
		qi, ok := index[in.QuestionID]
		if !ok {
			return nil, errcode.Invalid(field, "question %s is not part of this quiz", in.QuestionID)
		}
		if _, dup := chosen[in.QuestionID]; dup {
			return nil, errcode.Invalid(field, "question %s is answered twice", in.QuestionID)
		}
		if in.Option < 0 || in.Option >= len(questions[qi].Options) {
			return nil, errcode.Invalid(field, "option %d does not exist for question %s",
				in.Option, in.QuestionID)
		}
		chosen[in.QuestionID] = in.Option
	}

	out := make([]Answer, len(questions))
	for i, q := range questions {
		opt, ok := chosen[q.ID]
		if !ok {
			opt = -1
		}
		out[i] = Answer{QuestionID: q.ID, ChosenOption: opt, Correct: ok && opt == q.CorrectOption}
	}
	return out, nil
}

// record stores the answered questions and the attempt's grade.
func (s *Service) record(ctx context.Context, q *postgres.Queries, a *Attempt, graded []Answer) error {
	correct := 0
	for _, g := range graded {
		if g.Correct {
			correct++
		}
		if g.ChosenOption < 0 {
			continue
		}
		err := q.AddAnswer(ctx, postgres.AddAnswerParams{
			AttemptID: a.ID, QuestionID: g.QuestionID,
			ChosenOption: int32(g.ChosenOption), Correct: g.Correct,
		})
		if err != nil {
			return dbError(ctx, "add answer", err)
		}
	}

	now, total := s.now(), len(graded)
	score := 0.0
	if total > 0 {
		score = float64(correct) / float64(total)
	}
	n, err := q.FinishAttempt(ctx, postgres.FinishAttemptParams{
		ID: a.ID, SubmittedAt: &now,
		Correct: ptr(int32(correct)), Total: ptr(int32(total)), Score: &score,
	})
	if err != nil || n != 1 {
		return fmt.Errorf("finish attempt (%d rows): %w", n, err)
	}
	a.SubmittedAt, a.Correct, a.Total, a.Score = &now, &correct, &total, &score
	return nil
}

func attemptFrom(r postgres.Attempt) *Attempt {
	a := &Attempt{
		ID: r.ID, QuizID: r.QuizID, EnrollmentID: r.EnrollmentID, StartedAt: r.StartedAt,
		SubmittedAt: r.SubmittedAt, Score: r.Score,
	}
	if r.Correct != nil && r.Total != nil {
		c, t := int(*r.Correct), int(*r.Total)
		a.Correct, a.Total = &c, &t
	}
	return a
}

func ptr[T any](v T) *T { return &v }
