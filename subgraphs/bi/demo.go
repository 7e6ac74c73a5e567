package bi

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"ergo/schema/demo"
	"ergo/subgraphs/bi/postgres"
)

// LoadDemo feeds the demo attempts (package demo) to empty fact tables in bulk, as if their
// attempt.submitted events had been delivered: the same event ids, the same facts. It stores
// the demo courses' teachers as their course.teachers.changed events would have. lms loads
// the same attempts and teachers from the same generator without publishing them.
func LoadDemo(ctx context.Context, pool *pgxpool.Pool, size demo.Size, log *slog.Logger) error {
	n, err := postgres.New(pool).CountAttemptFacts(ctx)
	if err != nil || n > 0 {
		return err
	}
	d := demo.Generate(size)
	var events, attempts, answers [][]any
	for a := range d.Attempts() {
		events = append(events, []any{a.EventID, EventAttemptSubmitted})
		attempts = append(attempts, []any{
			a.EventID, a.ID, a.CourseID, a.EnrollmentID, a.UserID,
			a.Score, a.Passed(), a.SubmittedAt,
		})
		for i, ans := range a.Answers {
			for _, topic := range ans.Topics {
				answers = append(answers, []any{
					a.EventID, int32(i), topic, a.EnrollmentID,
					a.CourseID, ans.QuestionID, int32(ans.Difficulty), ans.Correct, a.SubmittedAt,
				})
			}
		}
	}

	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if err := copyRows(ctx, tx, "processed_events", []string{"id", "type"}, events); err != nil {
			return err
		}
		if err := copyRows(ctx, tx, "attempt_facts", []string{
			"event_id", "attempt_id", "course_id",
			"enrollment_id", "user_id", "score", "passed", "occurred_at",
		}, attempts); err != nil {
			return err
		}
		if err := copyRows(ctx, tx, "answer_facts", []string{
			"event_id", "position", "topic",
			"enrollment_id", "course_id", "question_id", "difficulty", "correct", "occurred_at",
		},
			answers); err != nil {
			return err
		}
		if err := copyRows(ctx, tx, "course_teachers", []string{"course_id", "teacher_ids", "as_of"},
			demoTeachers(d)); err != nil {
			return err
		}
		log.Info("demo data loaded", "attempts", len(attempts), "answers", len(answers))
		return nil
	})
}

// demoTeachers are the demo courses' teachers, as of the demo's start.
func demoTeachers(d *demo.Data) [][]any {
	rows := make([][]any, len(d.Courses))
	for i, c := range d.Courses {
		rows[i] = []any{c.ID, c.TeacherIDs, demo.Start}
	}
	return rows
}

func copyRows(ctx context.Context, tx pgx.Tx, table string, columns []string, rows [][]any) error {
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{table}, columns, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("copy demo %s: %w", table, err)
	}
	return nil
}
