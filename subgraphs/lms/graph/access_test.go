package graph_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"ergo/platform/server"
	gt "ergo/subgraphs/lms/internal/gqltest"
)

// TestLearnerDataAccess checks that a learner's enrollments, attempts and answers reach only
// the learner, the course's teachers and admins, and that a refusal nulls that field alone.
func TestLearnerDataAccess(t *testing.T) {
	c, pool := start(t)
	co := gt.NewCourse(t, c, "CS101", []string{"graphs"}, 2)
	attempt := co.StartAttempt(t, c)
	gt.Submit(t, c, gt.Student, attempt, map[string]int{co.Questions["graphs/1"]: 1}).Decode(t, &struct{}{})
	attempts := gt.Count(t, pool, "attempts")

	const byUser = `query($r: [_Any!]!) { _entities(representations: $r) { ... on User {
	  id enrollments { id attempts { score answers { questionId chosenOption correct } } } } } }`
	const byUnit = `query($r: [_Any!]!) { _entities(representations: $r) { ... on OrgUnit {
	  id courses { code enrollments { user { id } attempts { score } } } } } }`
	const byEnrollment = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Enrollment {
	  id attempts { score answers { correct } } } } }`
	user := map[string]any{"r": []map[string]any{{"__typename": "User", "id": gt.Student.UserID}}}
	unit := map[string]any{
		"r": []map[string]any{{"__typename": "OrgUnit", "id": "7d0e3f1a-0000-4000-8000-00000000aaaa"}},
	}
	enrollment := map[string]any{"r": []map[string]any{{"__typename": "Enrollment", "id": co.EnrollmentID}}}

	tests := []struct {
		name      string
		principal server.Principal
		query     string
		vars      map[string]any
		code      string // "" when the data is given
		path      string // where the refusal is
		want      string // the data, as JSON
	}{
		{
			"anonymous user's enrollments",
			server.Principal{},
			byUser, user, "UNAUTHENTICATED",
			"_entities.0.enrollments",
			`{"_entities":[{"id":"` + gt.Student.UserID + `","enrollments":null}]}`,
		},
		{
			"another user's enrollments", gt.Other, byUser, user, "FORBIDDEN",
			"_entities.0.enrollments",
			`{"_entities":[{"id":"` + gt.Student.UserID + `","enrollments":null}]}`,
		},
		{
			"anonymous unit's enrollments",
			server.Principal{},
			byUnit, unit, "UNAUTHENTICATED",
			"_entities.0.courses.0.enrollments",
			`{"_entities":[{"id":"7d0e3f1a-0000-4000-8000-00000000aaaa",` +
				`"courses":[{"code":"CS101","enrollments":null}]}]}`,
		},
		{
			"another user sees no one else in a course", gt.Other, byUnit, unit, "", "",
			`{"_entities":[{"id":"7d0e3f1a-0000-4000-8000-00000000aaaa",` +
				`"courses":[{"code":"CS101","enrollments":[]}]}]}`,
		},
		{
			"anonymous enrollment's attempts",
			server.Principal{},
			byEnrollment, enrollment, "UNAUTHENTICATED",
			"_entities.0.attempts", `{"_entities":[{"id":"` + co.EnrollmentID + `","attempts":null}]}`,
		},
		{
			"another user's attempts", gt.Other, byEnrollment, enrollment, "FORBIDDEN",
			"_entities.0.attempts", `{"_entities":[{"id":"` + co.EnrollmentID + `","attempts":null}]}`,
		},
		{
			"the learner", gt.Student, byEnrollment, enrollment, "", "",
			`{"_entities":[{"id":"` + co.EnrollmentID + `","attempts":[{"score":0.5,` +
				`"answers":[{"correct":true}]}]}]}`,
		},
		{
			"a teacher", gt.Teacher, byUnit, unit, "", "",
			`{"_entities":[{"id":"7d0e3f1a-0000-4000-8000-00000000aaaa","courses":[{"code":"CS101","enrollments":[{"user":{"id":"` +
				gt.Student.UserID + `"},"attempts":[{"score":0.5}]}]}]}]}`,
		},
		{
			"a teacher of another course: the enrollment's attempts", gt.OtherTeacher, byEnrollment,
			enrollment, "FORBIDDEN",
			"_entities.0.attempts", `{"_entities":[{"id":"` + co.EnrollmentID + `","attempts":null}]}`,
		},
		{
			"a teacher of another course: the learner's enrollments", gt.OtherTeacher, byUser, user,
			"FORBIDDEN",
			"_entities.0.enrollments",
			`{"_entities":[{"id":"` + gt.Student.UserID + `","enrollments":null}]}`,
		},
		{
			"a teacher of another course sees no one in it", gt.OtherTeacher, byUnit, unit, "", "",
			`{"_entities":[{"id":"7d0e3f1a-0000-4000-8000-00000000aaaa",` +
				`"courses":[{"code":"CS101","enrollments":[]}]}]}`,
		},
		{
			"the course's teacher: the learner's enrollments", gt.Teacher, byUser, user, "", "",
			`{"_entities":[{"id":"` + gt.Student.UserID + `","enrollments":[{"id":"` + co.EnrollmentID +
				`","attempts":[{"score":0.5,"answers":[{"questionId":"` + co.Questions["graphs/1"] +
				`","chosenOption":1,"correct":true}]}]}]}]}`,
		},
		{
			"an admin", gt.Admin, byEnrollment, enrollment, "", "",
			`{"_entities":[{"id":"` + co.EnrollmentID + `","attempts":[{"score":0.5,` +
				`"answers":[{"correct":true}]}]}]}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.Do(t, tt.principal, tt.query, tt.vars)
			if r.Code() != tt.code {
				t.Fatalf("code = %q (%+v), want %q", r.Code(), r.Errors, tt.code)
			}
			if tt.code != "" && (len(r.Errors) != 1 || pathOf(r.Errors[0]) != tt.path) {
				t.Errorf("errors = %+v, want one at %s", r.Errors, tt.path)
			}
			if !sameJSON(t, r.Data, tt.want) {
				t.Errorf("data = %s, want %s", r.Data, tt.want)
			}
			// Reads write nothing.
			if got := gt.Count(t, pool, "attempts"); got != attempts {
				t.Errorf("attempts = %d, want %d", got, attempts)
			}
		})
	}
}

// pathOf joins an error's path with dots.
func pathOf(e gt.Error) string {
	parts := make([]string, len(e.Path))
	for i, p := range e.Path {
		parts[i] = fmt.Sprint(p)
	}
	return strings.Join(parts, ".")
}

func sameJSON(t testing.TB, got json.RawMessage, want string) bool {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("data %s: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("want %s: %v", want, err)
	}
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	return string(gb) == string(wb)
}
