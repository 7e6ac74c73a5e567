package lms

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"ergo/schema/demo"
	"ergo/subgraphs/lms/postgres"
)

// LoadDemo copies the demo courses and their teachers, question banks, quizzes, enrollments
// and graded attempts (package demo) into empty tables, in one transaction. The attempts
// publish no events: bi loads the same attempts from the same generator as if it had
// received them.
func LoadDemo(ctx context.Context, pool *pgxpool.Pool, size demo.Size, log *slog.Logger) error {
	n, err := postgres.New(pool).CountCourses(ctx)
	if err != nil || n > 0 {
		return err
	}
	d := demo.Generate(size)
	attempts, answers := demoAttempts(d)
	tables := []copyTable{
		{"courses", []string{"id", "org_unit_id", "code", "title"}, demoCourses(d)},
		{"course_teachers", []string{"course_id", "user_id"}, demoCourseTeachers(d)},
		{"questions", []string{
			"id", "course_id", "text", "topics", "difficulty", "options",
			"correct_option",
		}, demoQuestions(d)},
		{"quizzes", []string{"id", "course_id", "title", "kind"}, demoQuizzes(d)},
		{"quiz_questions", []string{"quiz_id", "question_id", "position"}, demoQuizQuestions(d)},
		{"enrollments", []string{"id", "course_id", "user_id"}, demoEnrollments(d)},
		{"attempts", []string{
			"id", "quiz_id", "enrollment_id", "started_at", "submitted_at",
			"correct", "total", "score",
		}, attempts},
		{"answers", []string{"attempt_id", "question_id", "chosen_option", "correct"}, answers},
	}
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		for _, t := range tables {
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{t.name}, t.columns, pgx.CopyFromRows(t.rows)); err != nil {
				return fmt.Errorf("copy demo %s: %w", t.name, err)
			}
		}
		log.Info("demo data loaded", "courses", len(d.Courses), "enrollments", len(d.Enrollments),
			"attempts", len(attempts), "answers", len(answers))
		return nil
	})
}

// copyTable is one table's rows for COPY.
type copyTable struct {
	name    string
	columns []string
	rows    [][]any
}

func demoCourses(d *demo.Data) [][]any {
	var rows [][]any
	for _, c := range d.Courses {
		rows = append(rows, []any{c.ID, c.OrgUnitID, c.Code, c.Title})
	}
	return rows
}

func demoCourseTeachers(d *demo.Data) [][]any {
	var rows [][]any
	for _, c := range d.Courses {
		for _, t := range c.TeacherIDs {
			rows = append(rows, []any{c.ID, t})
		}
	}
	return rows
}

func demoQuestions(d *demo.Data) [][]any {
	var rows [][]any
	for _, c := range d.Courses {
		for _, q := range c.Questions {
			rows = append(rows, []any{
				q.ID, c.ID, q.Text, q.Topics, int32(q.Difficulty), q.Options,
				int32(q.CorrectOption),
			})
		}
	}
	return rows
}

func demoQuizzes(d *demo.Data) [][]any {
	var rows [][]any
	for _, c := range d.Courses {
		for _, q := range c.Quizzes {
			rows = append(rows, []any{q.ID, c.ID, q.Title, string(QuizManual)})
		}
	}
	return rows
}

func demoQuizQuestions(d *demo.Data) [][]any {
	var rows [][]any
	for _, c := range d.Courses {
		for _, q := range c.Quizzes {
			for pos, qi := range q.Questions {
				rows = append(rows, []any{q.ID, c.Questions[qi].ID, int32(pos)})
			}
		}
	}
	return rows
}

func demoEnrollments(d *demo.Data) [][]any {
	rows := make([][]any, len(d.Enrollments))
	for i, e := range d.Enrollments {
		rows[i] = []any{e.ID, e.CourseID, e.UserID}
	}
	return rows
}

func demoAttempts(d *demo.Data) (attempts, answers [][]any) {
	for a := range d.Attempts() {
		attempts = append(attempts, []any{
			a.ID, a.QuizID, a.EnrollmentID, a.StartedAt,
			a.SubmittedAt, int32(a.Correct), int32(a.Total), a.Score,
		})
		for _, ans := range a.Answers {
			answers = append(answers, []any{a.ID, ans.QuestionID, int32(ans.Chosen), ans.Correct})
		}
	}
	return attempts, answers
}
