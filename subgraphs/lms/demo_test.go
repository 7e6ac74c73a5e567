package lms_test

import (
	"context"
	"testing"

	"ergo/platform/logging"
	"ergo/schema/demo"
	"ergo/subgraphs/lms"
	"ergo/subgraphs/lms/graph"
	gt "ergo/subgraphs/lms/internal/gqltest"
)

var smallDemo = demo.Size{
	Faculties: 1, Departments: 2, Students: 20, Attempts: 300,
	CoursesPerDepartment: 2, TopicsPerCourse: 3, QuestionsPerTopic: 5, EnrollmentsPerStudent: 2,
	QuizSize: 6,
}

func TestLoadDemo(t *testing.T) {
	ctx := context.Background()
	pool := gt.Pool(t, graph.Module(gt.Subscribers))
	for range 2 { // the second load finds data and does nothing
		if err := lms.LoadDemo(ctx, pool, smallDemo, logging.Discard()); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]int{
		"courses": 4, "course_teachers": 4 + 2, "questions": 4 * 15, "quizzes": 8, "quiz_questions": 8 * 6,
		"enrollments": 40, "attempts": 300, "answers": 300 * 6, "outbox": 0,
	}
	for table, n := range want {
		if got := gt.Count(t, pool, table); got != n {
			t.Errorf("%s: %d rows, want %d", table, got, n)
		}
	}
	// Demo scores agree with lms's own grading of the stored answers.
	var mismatched int
	err := pool.QueryRow(ctx, `SELECT count(*) FROM attempts a WHERE a.correct <>
		(SELECT count(*) FROM answers x WHERE x.attempt_id = a.id AND x.correct)`).Scan(&mismatched)
	if err != nil || mismatched != 0 {
		t.Errorf("%d attempts whose grade disagrees with their answers (%v)", mismatched, err)
	}
}

func TestDemoCourseCodesAreValid(t *testing.T) {
	for _, size := range []demo.Size{smallDemo, demo.Default} {
		for _, c := range demo.Generate(size).Courses {
			if got, err := lms.NormalizeCode(c.Code); err != nil || got != c.Code {
				t.Errorf("demo course code %q: lms stores %q (%v), want it as it is", c.Code, got, err)
			}
		}
	}
}
