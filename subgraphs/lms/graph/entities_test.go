package graph_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	gt "ergo/subgraphs/lms/internal/gqltest"
)

const recommend = `query($r: [_Any!]!, $n: Int) { _entities(representations: $r) {
  ... on Enrollment { recommendedQuiz(size: $n) { id kind title questions { topics difficulty } } } } }`

type recommended struct {
	Entities []struct {
		RecommendedQuiz *struct {
			ID, Kind, Title string
			Questions       []struct {
				Topics     []string
				Difficulty int
			}
		}
	} `json:"_entities"`
}

func TestRecommendedQuiz(t *testing.T) {
	c, pool := start(t)
	co := gt.NewCourse(t, c, "CS101", []string{"graphs", "recursion", "sorting"}, 5)
	rep := func(topics ...string) map[string]any {
		if topics == nil {
			topics = []string{} // bi found no weak topic
		}
		return map[string]any{"r": []map[string]any{{
			"__typename": "Enrollment",
			"id":         co.EnrollmentID, "weakTopics": topics,
		}}, "n": 4}
	}

	var first, again recommended
	c.Do(t, gt.Student, recommend, rep("recursion", "graphs")).Decode(t, &first)
	c.Do(t, gt.Student, recommend, rep("recursion", "graphs")).Decode(t, &again)
	q := first.Entities[0].RecommendedQuiz
	if q == nil {
		t.Fatal("no quiz recommended")
	}
	if diff := cmp.Diff(first, again); diff != "" {
		t.Errorf("same input, different quiz (-first +again):\n%s", diff)
	}
	// The weak topics take turns, weakest first, with balanced difficulty.
	var picked []string
	for _, question := range q.Questions {
		picked = append(picked, fmt.Sprintf("%s/%d", question.Topics[0], question.Difficulty))
	}
	want := []string{"recursion/3", "graphs/2", "recursion/4", "graphs/1"}
	if diff := cmp.Diff(want, picked); diff != "" || q.Kind != "RECOMMENDED" {
		t.Errorf("kind %s, questions (-want +got):\n%s", q.Kind, diff)
	}
	// Stored once, so it can be attempted.
	if n := gt.Count(t, pool, "quizzes WHERE kind = 'recommended'"); n != 1 {
		t.Errorf("recommended quizzes stored = %d, want 1", n)
	}
	// But not listed with the quizzes teachers made.
	var listed struct {
		Course struct{ Quizzes []struct{ Kind string } }
	}
	c.Do(t, gt.Teacher, `query($id: ID!) { course(id: $id) { quizzes { kind } } }`,
		map[string]any{"id": co.ID}).Decode(t, &listed)
	var kinds []string
	for _, quiz := range listed.Course.Quizzes {
		kinds = append(kinds, quiz.Kind)
	}
	if diff := cmp.Diff([]string{"MANUAL"}, kinds); diff != "" {
		t.Errorf("kinds of the course's quizzes (-want +got):\n%s", diff)
	}

	t.Run("no weak topics", func(t *testing.T) {
		var d recommended
		c.Do(t, gt.Student, recommend, rep()).Decode(t, &d)
		if d.Entities[0].RecommendedQuiz != nil {
			t.Errorf("quiz recommended without weak topics")
		}
	})
	tests := []struct {
		name string
		vars map[string]any
		code string
	}{
		{"no questions on topics", rep("topology"), "FAILED_PRECONDITION"},
		{"size zero", map[string]any{"r": rep("graphs")["r"], "n": 0}, "INVALID_ARGUMENT"},
		{"negative size", map[string]any{"r": rep("graphs")["r"], "n": -3}, "INVALID_ARGUMENT"},
		{"huge size", map[string]any{"r": rep("graphs")["r"], "n": 100000}, "INVALID_ARGUMENT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := c.Do(t, gt.Student, recommend, tt.vars); r.Code() != tt.code {
				t.Errorf("code = %q (%+v), want %s", r.Code(), r.Errors, tt.code)
			}
		})
	}
}

func TestEntities(t *testing.T) {
	c, _ := start(t)
	co := gt.NewCourse(t, c, "CS101", []string{"graphs"}, 1)
	query := `query($r: [_Any!]!) { _entities(representations: $r) {
	  ... on Course { code }
	  ... on Enrollment { course { code } user { id } }
	  ... on OrgUnit { courses { code } }
	  ... on User { enrollments { id } } } }`
	tests := []struct {
		name string
		rep  map[string]any
		want string
	}{
		{"course", map[string]any{"__typename": "Course", "id": co.ID}, `{"_entities":[{"code":"CS101"}]}`},
		{
			"enrollment",
			map[string]any{"__typename": "Enrollment", "id": co.EnrollmentID},
			`{"_entities":[{"course":{"code":"CS101"},"user":{"id":"` + gt.Student.UserID + `"}}]}`,
		},
		{
			"org unit",
			map[string]any{"__typename": "OrgUnit", "id": "7d0e3f1a-0000-4000-8000-00000000aaaa"},
			`{"_entities":[{"courses":[{"code":"CS101"}]}]}`,
		},
		{
			"user",
			map[string]any{"__typename": "User", "id": gt.Student.UserID},
			`{"_entities":[{"enrollments":[{"id":"` + co.EnrollmentID + `"}]}]}`,
		},
		{
			"unknown course",
			map[string]any{"__typename": "Course", "id": "00000000-0000-4000-8000-000000000001"},
			`{"_entities":[null]}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.Do(t, gt.Student, query, map[string]any{"r": []map[string]any{tt.rep}})
			if string(r.Data) != tt.want {
				t.Errorf("data = %s %+v, want %s", r.Data, r.Errors, tt.want)
			}
		})
	}
}
