package lms

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"ergo/platform/errcode"
	"ergo/subgraphs/lms/postgres"
)

// Question is a single-choice question of a course's bank.
type Question struct {
	ID         uuid.UUID
	CourseID   uuid.UUID
	Text       string
	Topics     []string
	Difficulty int
	Options    []string
	// CorrectOption is the index in Options of the right answer; never shown to students.
	CorrectOption int
}

// QuizKind says how a quiz came to be.
type QuizKind string

// The quiz kinds.
const (
	QuizManual      QuizKind = "manual"
	QuizRecommended QuizKind = "recommended"
)

// Quiz is an ordered set of questions of one course.
type Quiz struct {
	ID       uuid.UUID
	CourseID uuid.UUID
	Title    string
	Kind     QuizKind
	// EnrollmentID is the learner's enrollment a recommended quiz was built for; uuid.Nil for
	// manual quizzes (and recommended ones stored before lms recorded it).
	EnrollmentID uuid.UUID
	// Topics and Size are the weak topics (weakest first) and the size a recommended quiz
	// was asked with; empty for manual quizzes.
	Topics []string
	Size   int
}

// AddQuestion adds a question to a course's bank (the course's teachers and admins). Topics are trimmed,
// lower-cased and deduplicated. Errors: UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT,
// NOT_FOUND (course).
//
// TODO(#5): options are not checked for being empty or repeated, nor topics for a format
// (a topic may hold a space); each should be INVALID_ARGUMENT naming options[i] or topics[i].
func (s *Service) AddQuestion(ctx context.Context, in Question) (*Question, error) {
	if _, err := s.staffedCourse(ctx, in.CourseID); err != nil {
		return nil, err
	}
	in, err := validateQuestion(in)
	if err != nil {
		return nil, err
	}

	row, err := s.q.CreateQuestion(ctx, postgres.CreateQuestionParams{
		ID:       uuid.New(),
		CourseID: in.CourseID, Text: in.Text, Topics: in.Topics, Difficulty: int32(in.Difficulty),
		Options: in.Options, CorrectOption: int32(in.CorrectOption),
	})
	if err != nil {
		return nil, dbError(ctx, "create question", err)
	}
	return questionFrom(row), nil
}

func validateQuestion(in Question) (Question, error) {
	in.Text = strings.TrimSpace(in.Text)
	if in.Text == "" || len(in.Text) > 4000 {
		return in, errcode.Invalid("text", "text must have 1 to 4000 characters")
	}
	topics, err := NormalizeTopics(in.Topics)
	if err != nil {
		return in, err
	}
	in.Topics = topics
	if in.Difficulty < 1 || in.Difficulty > 5 {
		return in, errcode.Invalid("difficulty", "difficulty must be from 1 to 5")
	}
	if len(in.Options) < 2 || len(in.Options) > 10 {
		return in, errcode.Invalid("options", "a question needs 2 to 10 options")
	}
	if in.CorrectOption < 0 || in.CorrectOption >= len(in.Options) {
		return in, errcode.Invalid("correctOption", "correctOption must index one of the options")
	}
	return in, nil
}

// NormalizeTopics trims, lower-cases, sorts and deduplicates topics; it needs 1 to 10 topics
// of 1 to 60 characters each.
func NormalizeTopics(topics []string) ([]string, error) {
	out := make([]string, 0, len(topics))
	for _, t := range topics {
		t = strings.ToLower(strings.TrimSpace(t))
		if t == "" || len(t) > 60 {
			return nil, errcode.Invalid("topics", "each topic must have 1 to 60 characters")
		}
		out = append(out, t)
	}
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) == 0 || len(out) > 10 {
		return nil, errcode.Invalid("topics", "a question needs 1 to 10 topics")
	}
	return out, nil
}

// Questions returns the questions among ids keyed by id; unknown ids are absent.
func (s *Service) Questions(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]*Question, error) {
	rows, err := s.q.QuestionsByIDs(ctx, ids)
	if err != nil {
		return nil, dbError(ctx, "load questions", err)
	}
	out := make(map[uuid.UUID]*Question, len(rows))
	for _, r := range rows {
		out[r.ID] = questionFrom(r)
	}
	return out, nil
}

// CreateQuiz creates a manual quiz of a course from questions of its bank, in the given
// order (the course's teachers and admins). Errors: UNAUTHENTICATED, FORBIDDEN,
// INVALID_ARGUMENT (a question of another course, a repeated question, none at all),
// NOT_FOUND (course).
func (s *Service) CreateQuiz(ctx context.Context, course uuid.UUID, title string,
	questions []uuid.UUID,
) (*Quiz, error) {
	if _, err := s.staffedCourse(ctx, course); err != nil {
		return nil, err
	}
	title = strings.TrimSpace(title)
	if title == "" || len(title) > 200 {
		return nil, errcode.Invalid("title", "title must have 1 to 200 characters")
	}
	if err := s.checkQuizQuestions(ctx, course, questions); err != nil {
		return nil, err
	}
	quiz := &Quiz{ID: uuid.New(), CourseID: course, Title: title, Kind: QuizManual}
	return quiz, s.storeQuiz(ctx, quiz, questions)
}

func (s *Service) checkQuizQuestions(ctx context.Context, course uuid.UUID, ids []uuid.UUID) error {
	if len(ids) == 0 || len(ids) > MaxQuizSize {
		return errcode.Invalid("questionIds", "a quiz needs 1 to %d questions", MaxQuizSize)
	}
	found, err := s.Questions(ctx, ids)
	if err != nil {
		return err
	}
	seen := map[uuid.UUID]bool{}
	for _, id := range ids {
		q, ok := found[id]
		if !ok || q.CourseID != course {
			return errcode.Invalid("questionIds", "question %s is not in this course's bank", id)
		}
		if seen[id] {
			return errcode.Invalid("questionIds", "question %s is listed twice", id)
		}
		seen[id] = true
	}
	return nil
}

// storeQuiz writes quiz and its questions in one transaction; a quiz already stored under
// the same id is kept as it is, except that a recommended one stored without its learner
// gets it (see adopt).
func (s *Service) storeQuiz(ctx context.Context, quiz *Quiz, questions []uuid.UUID) error {
	return ended(ctx, pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		q := s.q.WithTx(tx)
		p := quizParams(quiz)
		n, err := q.CreateQuiz(ctx, p)
		if err != nil {
			return err
		}
		if n == 0 {
			return adopt(ctx, q, p)
		}
		for i, id := range questions {
			err := q.AddQuizQuestion(ctx, postgres.AddQuizQuestionParams{
				QuizID:     quiz.ID,
				QuestionID: id, Position: int32(i),
			})
			if err != nil {
				return dbError(ctx, fmt.Sprintf("add question %d to quiz", i), err)
			}
		}
		return nil
	}))
}

// adopt gives a recommended quiz stored before lms recorded its learner the learner it was
// built for: its id derives from the enrollment, so the quiz found under that id is theirs.
func adopt(ctx context.Context, q *postgres.Queries, p postgres.CreateQuizParams) error {
	if p.EnrollmentID == nil {
		return nil
	}
	return q.AdoptRecommendedQuiz(ctx, postgres.AdoptRecommendedQuizParams{
		ID: p.ID, EnrollmentID: p.EnrollmentID, Topics: p.Topics, Size: p.Size,
	})
}

// quizParams are the columns of quiz; a manual quiz leaves the recommendation's empty.
func quizParams(quiz *Quiz) postgres.CreateQuizParams {
	p := postgres.CreateQuizParams{
		ID: quiz.ID, CourseID: quiz.CourseID,
		Title: quiz.Title, Kind: string(quiz.Kind),
	}
	if quiz.EnrollmentID != uuid.Nil {
		size := int32(quiz.Size)
		p.EnrollmentID, p.Topics, p.Size = &quiz.EnrollmentID, quiz.Topics, &size
	}
	return p
}

// Quiz returns the quiz with id, or NOT_FOUND. It checks no access: see VisibleQuiz.
func (s *Service) Quiz(ctx context.Context, id uuid.UUID) (*Quiz, error) {
	q, err := s.reads(ctx).quizzes.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if q == nil {
		return nil, notFound("id", "quiz", id)
	}
	return q, nil
}

// VisibleQuiz returns the quiz with id when the caller may read it: anyone a manual quiz,
// and a recommended one only its learner, the teachers of its course and admins. Errors:
// NOT_FOUND, UNAUTHENTICATED, FORBIDDEN.
func (s *Service) VisibleQuiz(ctx context.Context, id uuid.UUID) (*Quiz, error) {
	q, err := s.Quiz(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.authorizeQuiz(ctx, q); err != nil {
		return nil, err
	}
	return q, nil
}

// authorizeQuiz lets everyone read a manual quiz, and a recommended one only its learner, the
// teachers of its course and admins (only the latter when its learner is not recorded).
func (s *Service) authorizeQuiz(ctx context.Context, q *Quiz) error {
	if q.Kind != QuizRecommended {
		return nil
	}
	if q.EnrollmentID == uuid.Nil {
		return s.requireCourseStaff(ctx, q.CourseID)
	}
	e, err := s.Enrollment(ctx, q.EnrollmentID)
	if err != nil {
		return err
	}
	return s.AuthorizeEnrollment(ctx, e)
}

// QuizzesOfCourse returns the quizzes teachers made for a course (kind manual), oldest
// first. Recommended quizzes are stored so that they can be attempted, but they belong to
// one learner, so the course does not list them.
func (s *Service) QuizzesOfCourse(ctx context.Context, course uuid.UUID) ([]*Quiz, error) {
	quizzes, err := s.reads(ctx).courseQuizzes.load(ctx, course)
	return orEmpty(quizzes), err
}

// QuizQuestions returns a quiz's questions in order.
func (s *Service) QuizQuestions(ctx context.Context, quiz uuid.UUID) ([]*Question, error) {
	questions, err := s.reads(ctx).quizQuestions.load(ctx, quiz)
	return orEmpty(questions), err
}

func questionFrom(r postgres.Question) *Question {
	return &Question{
		ID: r.ID, CourseID: r.CourseID, Text: r.Text, Topics: r.Topics,
		Difficulty: int(r.Difficulty), Options: r.Options, CorrectOption: int(r.CorrectOption),
	}
}

func quizFrom(r postgres.Quiz) *Quiz {
	q := &Quiz{
		ID: r.ID, CourseID: r.CourseID, Title: r.Title, Kind: QuizKind(r.Kind),
		Topics: r.Topics,
	}
	if r.EnrollmentID != nil {
		q.EnrollmentID = *r.EnrollmentID
	}
	if r.Size != nil {
		q.Size = int(*r.Size)
	}
	return q
}

// MarshalGQL writes the kind as a GraphQL enum value (MANUAL, RECOMMENDED).
func (k QuizKind) MarshalGQL(w io.Writer) {
	_, _ = io.WriteString(w, strconv.Quote(strings.ToUpper(string(k))))
}

// UnmarshalGQL reads a GraphQL enum value; unknown values are INVALID_ARGUMENT.
func (k *QuizKind) UnmarshalGQL(v any) error {
	s, _ := v.(string)
	switch QuizKind(strings.ToLower(s)) {
	case QuizManual, QuizRecommended:
		*k = QuizKind(strings.ToLower(s))
		return nil
	}
	return errcode.Invalid("kind", "kind must be MANUAL or RECOMMENDED")
}
