package bi_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ergo/platform/logging"
	"ergo/platform/postgres"
	"ergo/platform/postgres/pgtest"
	schema "ergo/schema/bi"
	"ergo/schema/demo"
	"ergo/subgraphs/bi"
)

func TestWeak(t *testing.T) {
	in := []bi.TopicMastery{
		{Topic: "b", Mastery: 0.3},
		{Topic: "a", Mastery: 0.3},
		{Topic: "c", Mastery: 0.6},
		{Topic: "d", Mastery: 0.1},
		{Topic: "e", Mastery: 0.59},
	}
	if diff := cmp.Diff([]string{"d", "a", "b", "e"}, bi.Weak(in)); diff != "" {
		t.Errorf("weak topics (-want +got):\n%s", diff)
	}
	if got := bi.Weak(nil); len(got) != 0 {
		t.Errorf("Weak(nil) = %v", got)
	}
}

func FuzzParseEvent(f *testing.F) {
	f.Add([]byte(`{"id":"5e0d7b0a-0000-4000-8000-000000000001","type":"attempt.submitted",` +
		`"occurredAt":"2026-09-01T08:00:00Z","payload":{"attemptId":"5e0d7b0a-0000-4000-8000-000000000002",` +
		`"courseId":"5e0d7b0a-0000-4000-8000-000000000003","enrollmentId":"5e0d7b0a-0000-4000-8000-000000000004",` +
		`"score":0.5,"submittedAt":"2026-09-01T08:00:00Z","answers":[{"topics":["a","a"],"correct":true}]}}`))
	f.Add([]byte(`{"id":"5e0d7b0a-0000-4000-8000-000000000001","type":"course.teachers.changed",` +
		`"occurredAt":"2026-09-01T08:00:00Z","payload":{"courseId":"5e0d7b0a-0000-4000-8000-000000000003",` +
		`"teacherIds":["5e0d7b0a-0000-4000-8000-000000000005"]}}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"id":"x"}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := bi.ParseEvent(body)
		if err != nil {
			if !errors.Is(err, bi.ErrBadEvent) {
				t.Errorf("error %v does not wrap ErrBadEvent", err)
			}
			return
		}
		if ev.Type == "" || ev.OccurredAt.IsZero() {
			t.Errorf("accepted an event without type or time: %s", body)
		}
	})
}

func TestLoadDemo(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Pool(t, "bi")
	if _, err := postgres.Migrate(ctx, pool, "bi", schema.Migrations); err != nil {
		t.Fatal(err)
	}
	size := demo.Size{
		Faculties: 1, Departments: 2, Students: 20, Attempts: 300,
		CoursesPerDepartment: 2, TopicsPerCourse: 3, QuestionsPerTopic: 5, EnrollmentsPerStudent: 2, QuizSize: 6,
	}
	for range 2 { // the second load finds data and does nothing
		if err := bi.LoadDemo(ctx, pool, size, logging.Discard()); err != nil {
			t.Fatal(err)
		}
	}
	var attempts, answers int
	err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM attempt_facts), (SELECT count(*) FROM answer_facts)`).
		Scan(&attempts, &answers)
	if err != nil || attempts != 300 || answers != 300*6 {
		t.Errorf("facts = %d attempts, %d answers (%v); want 300 and 1800", attempts, answers, err)
	}
	// Four courses: each has its department's teacher, the first of each department also the
	// next department's.
	var teachers int
	err = pool.QueryRow(ctx, `SELECT coalesce(sum(cardinality(teacher_ids)), 0) FROM course_teachers`).
		Scan(&teachers)
	if err != nil || teachers != 4+2 {
		t.Errorf("course teachers = %d (%v), want 6", teachers, err)
	}

	// The generator's weak topics show up as weak for some enrollment.
	d := demo.Generate(size)
	svc := bi.NewService(pool)
	found := 0
	for _, e := range d.Enrollments {
		weak, err := svc.WeakTopics(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		found += len(weak)
	}
	if found == 0 {
		t.Errorf("no weak topic found in the demo data")
	}
}
