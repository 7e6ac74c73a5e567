package graph_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"ergo/platform/server"
	"ergo/subgraphs/lms/graph"
	gt "ergo/subgraphs/lms/internal/gqltest"
)

func start(t testing.TB) (gt.Client, *pgxpool.Pool) {
	t.Helper()
	srv, pool := gt.Start(t, graph.Module(gt.Subscribers))
	return gt.Client{URL: srv.URL, Secret: gt.Secret}, pool
}

// The attempt.submitted events in the outbox, and their deliveries, as gt.Count tables.
const (
	submittedEvents     = "outbox WHERE type = 'attempt.submitted'"
	submittedDeliveries = "outbox_deliveries d WHERE EXISTS (SELECT FROM outbox o " +
		"WHERE o.id = d.event_id AND o.type = 'attempt.submitted')"
)

func TestSubmitAttemptGradesAndPublishes(t *testing.T) {
	c, pool := start(t)
	co := gt.NewCourse(t, c, "CS101", []string{"graphs", "recursion"}, 2)
	attempt := co.StartAttempt(t, c)

	// Three of four right; one left unanswered.
	answers := map[string]int{
		co.Questions["graphs/1"]: 1, co.Questions["graphs/2"]: 1,
		co.Questions["recursion/1"]: 1,
	}
	var d struct {
		SubmitAttempt struct {
			Score          float64
			Correct, Total int
			Passed         bool
		}
	}
	gt.Submit(t, c, gt.Student, attempt, answers).Decode(t, &d)
	if got := d.SubmitAttempt; got.Score != 0.75 || got.Correct != 3 || got.Total != 4 || !got.Passed {
		t.Errorf("grade = %+v, want 3/4 = 0.75, passed", got)
	}

	counts := map[string]int{"answers": 3, submittedEvents: 1, submittedDeliveries: 1}
	for table, want := range counts {
		if got := gt.Count(t, pool, table); got != want {
			t.Errorf("%s rows = %d, want %d", table, got, want)
		}
	}
	var typ, subscriber string
	err := pool.QueryRow(context.Background(), `SELECT o.type, d.subscriber FROM outbox o
		JOIN outbox_deliveries d ON d.event_id = o.id
		WHERE o.type <> 'course.teachers.changed'`).Scan(&typ, &subscriber)
	if err != nil || typ != "attempt.submitted" || subscriber != "bi" {
		t.Errorf("event = %q for %q (%v), want attempt.submitted for bi", typ, subscriber, err)
	}
}

func TestSubmitAttemptRefusesBadInput(t *testing.T) {
	c, pool := start(t)
	co := gt.NewCourse(t, c, "CS101", []string{"graphs"}, 2)
	other := gt.NewCourse(t, c, "CS102", []string{"sorting"}, 1)
	attempt := co.StartAttempt(t, c)
	done := co.StartAttempt(t, c)
	gt.Submit(t, c, gt.Student, done, map[string]int{co.Questions["graphs/1"]: 1}).Decode(t, &struct{}{})

	tests := []struct {
		name      string
		principal server.Principal
		attempt   string
		answers   map[string]int
		code      string
		field     string
	}{
		{"malformed attempt id", gt.Student, "attempt-1", nil, "INVALID_ARGUMENT", "attemptId"},
		{
			"unknown attempt",
			gt.Student,
			"00000000-0000-4000-8000-000000000001",
			nil,
			"NOT_FOUND",
			"attemptId",
		},
		{
			"malformed question id",
			gt.Student,
			attempt,
			map[string]int{"q1": 0},
			"INVALID_ARGUMENT",
			"answers[0].questionId",
		},
		{
			"question of another quiz", gt.Student, attempt,
			map[string]int{other.Questions["sorting/1"]: 1},
			"INVALID_ARGUMENT", "answers[0]",
		},
		{
			"option out of range", gt.Student, attempt,
			map[string]int{co.Questions["graphs/1"]: 3},
			"INVALID_ARGUMENT", "answers[0]",
		},
		{
			"someone else's attempt", gt.Other, attempt,
			map[string]int{co.Questions["graphs/1"]: 1},
			"FORBIDDEN", "",
		},
		{"anonymous", server.Principal{}, attempt, nil, "UNAUTHENTICATED", ""},
		{
			"second submission", gt.Student, done,
			map[string]int{co.Questions["graphs/2"]: 1},
			"CONFLICT", "attemptId",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := gt.Submit(t, c, tt.principal, tt.attempt, tt.answers)
			if r.Code() != tt.code {
				t.Fatalf("code = %q (%+v), want %s", r.Code(), r.Errors, tt.code)
			}
			if f, _ := r.Errors[0].Extensions["field"].(string); f != tt.field {
				t.Errorf("field = %q, want %q", f, tt.field)
			}
			if r.Errors[0].Message == "" {
				t.Errorf("no message")
			}
			// Only the earlier, valid submission is stored.
			want := map[string]int{
				"answers": 1, submittedEvents: 1, submittedDeliveries: 1,
				"attempts WHERE submitted_at IS NOT NULL": 1,
			}
			for table, n := range want {
				if got := gt.Count(t, pool, table); got != n {
					t.Errorf("%s: %d rows, want %d", table, got, n)
				}
			}
		})
	}

	t.Run("answered twice", func(t *testing.T) {
		r := c.Do(
			t,
			gt.Student,
			`mutation($a: ID!, $in: [AnswerInput!]!) { submitAttempt(attemptId: $a, answers: $in) { id } }`,
			map[string]any{"a": attempt, "in": []map[string]any{
				{"questionId": co.Questions["graphs/1"], "option": 1},
				{"questionId": co.Questions["graphs/1"], "option": 0},
			}},
		)
		if r.Code() != "INVALID_ARGUMENT" || gt.Count(t, pool, "answers") != 1 {
			t.Errorf("code = %q, answers = %d; want INVALID_ARGUMENT and nothing written",
				r.Code(), gt.Count(t, pool, "answers"))
		}
	})
}
