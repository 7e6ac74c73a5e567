package gqltest

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"ergo/platform/logging"
	"ergo/platform/postgres"
	"ergo/platform/postgres/pgtest"
	"ergo/platform/server"
	"ergo/platform/subgraph"
)

// Secret is the router secret test subgraphs require.
const Secret = "test-router-secret"

// Subscribers has lms deliver its events to bi, as the repository's manifests say.
var Subscribers = map[string][]string{
	"attempt.submitted": {"bi"}, "course.teachers.changed": {"bi"},
}

// Principals used by the fixtures. Teacher creates (and so teaches) the fixtures' courses;
// OtherTeacher has the teacher role but teaches none of them.
var (
	Teacher = server.Principal{
		UserID: "7d0e3f1a-0000-4000-8000-000000000001",
		Roles:  []string{"teacher"},
	}
	Student      = server.Principal{UserID: "7d0e3f1a-0000-4000-8000-000000000002"}
	Other        = server.Principal{UserID: "7d0e3f1a-0000-4000-8000-000000000003"}
	Admin        = server.Principal{UserID: "7d0e3f1a-0000-4000-8000-000000000004", Roles: []string{"admin"}}
	OtherTeacher = server.Principal{
		UserID: "7d0e3f1a-0000-4000-8000-000000000005",
		Roles:  []string{"teacher"},
	}
)

// Start migrates a fresh database for m and serves subgraph.Handler(m) on real HTTP until t
// ends.
func Start(t testing.TB, m subgraph.Module) (*httptest.Server, *pgxpool.Pool) {
	t.Helper()
	pool := Pool(t, m)
	deps := subgraph.Deps{Pool: pool, Log: logging.Discard()}
	h, err := subgraph.Handler(m, deps, Secret)
	if err != nil {
		t.Fatalf("handler: %v", err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, pool
}

// Pool returns a pool on a fresh database with m's migrations applied, on m's schema.
func Pool(t testing.TB, m subgraph.Module) *pgxpool.Pool {
	t.Helper()
	pool := pgtest.Pool(t, m.Name)
	if _, err := postgres.Migrate(context.Background(), pool, m.Name, m.Migrations); err != nil {
		t.Fatalf("migrate %s: %v", m.Name, err)
	}
	return pool
}

// Course is a course with a question bank, a quiz over the whole bank and an enrollment of
// Student, built through the GraphQL API.
type Course struct {
	ID, QuizID, EnrollmentID string
	// Questions maps "topic/difficulty" to the question's id; the right option is always 1.
	Questions map[string]string
	// Order is the question ids in quiz order.
	Order []string
}

// NewCourse creates a course with one question per topic and difficulty 1..levels.
func NewCourse(t testing.TB, c Client, code string, topics []string, levels int) Course {
	t.Helper()
	var cr struct{ CreateCourse struct{ ID string } }
	c.Do(t, Teacher, `mutation($in: CreateCourseInput!) { createCourse(input: $in) { id } }`,
		map[string]any{"in": map[string]any{
			"orgUnitId": "7d0e3f1a-0000-4000-8000-00000000aaaa",
			"code":      code, "title": "Course " + code,
		}}).Decode(t, &cr)
	course := Course{ID: cr.CreateCourse.ID, Questions: map[string]string{}}

	for _, topic := range topics {
		for d := 1; d <= levels; d++ {
			var q struct{ AddQuestion struct{ ID string } }
			c.Do(t, Teacher, `mutation($in: AddQuestionInput!) { addQuestion(input: $in) { id } }`,
				map[string]any{"in": map[string]any{
					"courseId": course.ID,
					"text":     fmt.Sprintf("%s at level %d?", topic, d), "topics": []string{topic},
					"difficulty": d, "options": []string{"no", "yes", "maybe"}, "correctOption": 1,
				}}).Decode(t, &q)
			course.Questions[fmt.Sprintf("%s/%d", topic, d)] = q.AddQuestion.ID
			course.Order = append(course.Order, q.AddQuestion.ID)
		}
	}

	var qz struct{ CreateQuiz struct{ ID string } }
	c.Do(t, Teacher, `mutation($in: CreateQuizInput!) { createQuiz(input: $in) { id } }`,
		map[string]any{"in": map[string]any{
			"courseId": course.ID, "title": "All of " + code,
			"questionIds": course.Order,
		}}).Decode(t, &qz)
	course.QuizID = qz.CreateQuiz.ID

	var en struct{ Enroll struct{ ID string } }
	c.Do(t, Student, `mutation($c: ID!, $u: ID!) { enroll(courseId: $c, userId: $u) { id } }`,
		map[string]any{"c": course.ID, "u": Student.UserID}).Decode(t, &en)
	course.EnrollmentID = en.Enroll.ID
	return course
}

// StartAttempt starts an attempt of Student at the course's quiz and returns its id.
func (co Course) StartAttempt(t testing.TB, c Client) string {
	t.Helper()
	var a struct{ StartAttempt struct{ ID string } }
	c.Do(t, Student, `mutation($q: ID!, $e: ID!) { startAttempt(quizId: $q, enrollmentId: $e) { id } }`,
		map[string]any{"q": co.QuizID, "e": co.EnrollmentID}).Decode(t, &a)
	return a.StartAttempt.ID
}

// Submit submits answers (question id -> option) for attempt as Student.
func Submit(t testing.TB, c Client, p server.Principal, attempt string, answers map[string]int) Response {
	t.Helper()
	in := []map[string]any{}
	for q, opt := range answers {
		in = append(in, map[string]any{"questionId": q, "option": opt})
	}
	return c.Do(t, p, `mutation($a: ID!, $in: [AnswerInput!]!) {
	  submitAttempt(attemptId: $a, answers: $in) { id score correct total passed submittedAt } }`,
		map[string]any{"a": attempt, "in": in})
}
