package graph_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ergo/platform/server"
	gt "ergo/subgraphs/lms/internal/gqltest"
)

// recommendFor asks, as p, for the quiz recommended to enrollment on weak topics.
func recommendFor(t testing.TB, c gt.Client, p server.Principal, enrollment string, size int,
	weak ...string,
) (id, title string) {
	t.Helper()
	var d recommended
	c.Do(t, p, recommend, map[string]any{"r": []map[string]any{{
		"__typename": "Enrollment", "id": enrollment, "weakTopics": weak,
	}}, "n": size}).Decode(t, &d)
	q := d.Entities[0].RecommendedQuiz
	if q == nil {
		t.Fatal("no quiz recommended")
	}
	return q.ID, q.Title
}

// TestRecommendedQuizBelongsToLearner checks that a recommended quiz is read and attempted
// only by its learner (read also by teachers and admins), that its title names every weak
// topic it practises, and that reading it again reuses it while it is unattempted.
func TestRecommendedQuizBelongsToLearner(t *testing.T) {
	c, pool := start(t)
	co := gt.NewCourse(t, c, "CS101", []string{"vectors", "recursion", "circuits", "limits"}, 2)
	var other struct{ Enroll struct{ ID string } }
	c.Do(t, gt.Other, `mutation($c: ID!, $u: ID!) { enroll(courseId: $c, userId: $u) { id } }`,
		map[string]any{"c": co.ID, "u": gt.Other.UserID}).Decode(t, &other)

	quiz, title := recommendFor(t, c, gt.Student, co.EnrollmentID, 8,
		"vectors", "recursion", "circuits", "limits")
	if want := "Practice: vectors, recursion, circuits, limits"; title != want {
		t.Errorf("title = %q, want %q", title, want)
	}

	t.Run("read again", func(t *testing.T) {
		before := gt.Count(t, pool, "quizzes")
		c.Do(t, gt.Teacher, `mutation($in: AddQuestionInput!) { addQuestion(input: $in) { id } }`,
			map[string]any{"in": map[string]any{
				"courseId": co.ID, "text": "vectors again?", "topics": []string{"vectors"},
				"difficulty": 3, "options": []string{"no", "yes"}, "correctOption": 1,
			}}).Decode(t, &struct{}{})
		again, _ := recommendFor(t, c, gt.Student, co.EnrollmentID, 8,
			"vectors", "recursion", "circuits", "limits")
		if again != quiz {
			t.Errorf("quiz = %s, want the unattempted %s again", again, quiz)
		}
		if n := gt.Count(t, pool, "quizzes"); n != before {
			t.Errorf("quizzes = %d after reading again, want %d", n, before)
		}
	})

	const byID = `query($id: ID!) { quiz(id: $id) { id title } }`
	const attempt = `mutation($q: ID!, $e: ID!) { startAttempt(quizId: $q, enrollmentId: $e) { id } }`
	tests := []struct {
		name      string
		principal server.Principal
		query     string
		vars      map[string]any
		code      string // "" when allowed
	}{
		{"anonymous reads", server.Principal{}, byID, map[string]any{"id": quiz}, "UNAUTHENTICATED"},
		{"another learner reads", gt.Other, byID, map[string]any{"id": quiz}, "FORBIDDEN"},
		{"learner reads", gt.Student, byID, map[string]any{"id": quiz}, ""},
		{"teacher reads", gt.Teacher, byID, map[string]any{"id": quiz}, ""},
		{"admin reads", gt.Admin, byID, map[string]any{"id": quiz}, ""},
		{
			"another learner attempts", gt.Other, attempt,
			map[string]any{"q": quiz, "e": other.Enroll.ID},
			"FORBIDDEN",
		},
		{
			"admin attempts through another enrollment", gt.Admin, attempt,
			map[string]any{"q": quiz, "e": other.Enroll.ID},
			"FORBIDDEN",
		},
		{"learner attempts", gt.Student, attempt, map[string]any{"q": quiz, "e": co.EnrollmentID}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := gt.Count(t, pool, "attempts")
			r := c.Do(t, tt.principal, tt.query, tt.vars)
			if r.Code() != tt.code {
				t.Fatalf("code = %q (%+v), want %q", r.Code(), r.Errors, tt.code)
			}
			if tt.code == "" {
				return
			}
			if diff := cmp.Diff(`{"quiz":null}`, string(r.Data)); tt.query == byID && diff != "" {
				t.Errorf("data (-want +got):\n%s", diff)
			}
			if n := gt.Count(t, pool, "attempts"); n != before {
				t.Errorf("attempts = %d after a refusal, want %d", n, before)
			}
		})
	}

	t.Run("read after an attempt", func(t *testing.T) {
		// The bank gained a vectors question at difficulty 3, which the new quiz picks.
		next, _ := recommendFor(t, c, gt.Student, co.EnrollmentID, 8,
			"vectors", "recursion", "circuits", "limits")
		if next == quiz {
			t.Errorf("quiz = %s, the attempted one; want a new quiz from the current bank", next)
		}
	})
}

// TestRecommendedQuizStoredWithoutLearner checks that a recommended quiz stored before lms
// recorded its learner is left to teachers and admins until its learner asks for it again,
// which gives it back to them.
func TestRecommendedQuizStoredWithoutLearner(t *testing.T) {
	c, pool := start(t)
	co := gt.NewCourse(t, c, "CS101", []string{"graphs"}, 2)
	quiz, _ := recommendFor(t, c, gt.Student, co.EnrollmentID, 2, "graphs")
	_, err := pool.Exec(context.Background(),
		`UPDATE quizzes SET enrollment_id = NULL, topics = NULL, size = NULL WHERE id = $1`, quiz)
	if err != nil {
		t.Fatal(err)
	}
	const attempt = `mutation($q: ID!, $e: ID!) { startAttempt(quizId: $q, enrollmentId: $e) { id } }`
	vars := map[string]any{"q": quiz, "e": co.EnrollmentID}

	if r := c.Do(t, gt.Student, attempt, vars); r.Code() != "FORBIDDEN" {
		t.Errorf("attempt before asking again: code = %q, want FORBIDDEN", r.Code())
	}
	if r := c.Do(t, gt.Teacher, `query($id: ID!) { quiz(id: $id) { id } }`,
		map[string]any{"id": quiz}); r.Code() != "" {
		t.Errorf("teacher reads: %+v", r.Errors)
	}
	if again, _ := recommendFor(t, c, gt.Student, co.EnrollmentID, 2, "graphs"); again != quiz {
		t.Fatalf("quiz = %s, want %s", again, quiz)
	}
	if r := c.Do(t, gt.Student, attempt, vars); r.Code() != "" {
		t.Errorf("attempt after asking again: %+v", r.Errors)
	}
}
