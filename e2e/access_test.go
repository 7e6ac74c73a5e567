package e2e_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// checkDirectory checks through the router that who is who (names, roles, memberships) is
// for signed-in callers while the organisation tree stays public, and that the README's demo
// query answers a signed-in student in full.
func (w *world) checkDirectory(t *testing.T) {
	w.admin.do(t, `mutation($u: ID!, $s: ID!) { setMembership(unitId: $u, userId: $s, role: STUDENT) {
	  role } }`, map[string]any{"u": w.unitID, "s": w.studentID}).must(t, &struct{}{})

	const q = `query($u: ID!, $s: ID!) { orgUnit(id: $u) { name members { role user { id displayName } } }
	  user(id: $s) { displayName roles memberships { role } } }`
	vars := map[string]any{"u": w.unitID, "s": w.studentID}
	member := `{"name":"E2E University","members":[{"role":"STUDENT","user":{"id":"` + w.studentID +
		`","displayName":"Ada Student"}}]}`
	user := `{"displayName":"Ada Student","roles":[],"memberships":[{"role":"STUDENT"}]}`
	tests := []struct {
		name   string
		as     client
		want   string
		errors []string
	}{
		{
			"anonymous",
			client{url: w.admin.url},
			`{"orgUnit":{"name":"E2E University","members":null},"user":null}`,
			[]string{"orgUnit.members UNAUTHENTICATED", "user UNAUTHENTICATED"},
		},
		{"student", w.student, `{"orgUnit":` + member + `,"user":` + user + `}`, nil},
		{"admin", w.admin, `{"orgUnit":` + member + `,"user":` + user + `}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.as.do(t, q, vars)
			if string(r.Data) != tt.want {
				t.Errorf("data = %s, want %s", r.Data, tt.want)
			}
			if diff := cmp.Diff(tt.errors, r.errorsAt()); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("readme query", func(t *testing.T) {
		r := w.student.do(t, `{ me { displayName memberships { unit { name } role }
		  enrollments { course { code title } weakTopics
		    recommendedQuiz(size: 5) { title questions { text topics difficulty } } } } }`, nil)
		var d struct {
			Me struct {
				DisplayName string
				Memberships []struct{ Role string }
				Enrollments []struct{ WeakTopics []string }
			}
		}
		r.must(t, &d)
		if d.Me.DisplayName != "Ada Student" || len(d.Me.Memberships) != 1 ||
			len(d.Me.Enrollments) != 1 || len(d.Me.Enrollments[0].WeakTopics) == 0 {
			t.Errorf("me = %s; want the student's name, membership, enrollment and weak topics", r.Data)
		}
	})
}

// checkOneLogin checks through the router that an operation signing in twice gives no token.
func (w *world) checkOneLogin(t *testing.T) {
	r := client{url: w.admin.url}.do(t, `mutation($e: String!, $p: String!) {
	  a: login(email: $e, password: $p) { accessToken } b: login(email: $e, password: $p) { accessToken } }`,
		map[string]any{"e": w.studentEmail, "p": "student-password"})
	if string(r.Data) != "null" {
		t.Errorf("data = %s, want null", r.Data)
	}
	if diff := cmp.Diff([]string{"a INVALID_ARGUMENT", "b INVALID_ARGUMENT"}, r.errorsAt()); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}
