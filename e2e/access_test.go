package e2e_test

import (
	"fmt"
	"testing"
	"time"

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

// checkCourseStaff checks through the router that a teacher manages, and reads the learners
// and analytics of, only the courses they teach: the admin makes one new teacher a teacher of
// the course (bi learns it from lms's course.teachers.changed event), and the other, who
// teaches nothing, sees no one in it, no analytics, and may not add to its bank.
func (w *world) checkCourseStaff(t *testing.T, p *platform) {
	teach := w.newTeacher(t, p, "teach@e2e.ergo.test")
	outsider := w.newTeacher(t, p, "outsider@e2e.ergo.test")
	var added struct{ AddCourseTeacher struct{ TeacherIDs []string } }
	w.admin.do(t, `mutation($c: ID!, $u: ID!) { addCourseTeacher(courseId: $c, userId: $u) {
	  teacherIds } }`, map[string]any{"c": w.courseID, "u": teach.id}).must(t, &added)
	if diff := cmp.Diff([]string{teach.id}, added.AddCourseTeacher.TeacherIDs); diff != "" {
		t.Errorf("teacherIds (-want +got):\n%s", diff)
	}

	const read = `query($c: ID!) { course(id: $c) { enrollments { user { id } attempts { score } } } }`
	const add = `mutation($c: ID!) { addQuestion(input: {courseId: $c, text: "New?", topics: ["graphs"],
	  difficulty: 1, options: ["a", "b"], correctOption: 0}) { id } }`
	vars := map[string]any{"c": w.courseID}
	t.Run("the course's teacher", func(t *testing.T) {
		var d struct {
			Course struct {
				Enrollments []struct {
					User     struct{ ID string }
					Attempts []struct{ Score float64 }
				}
			}
		}
		teach.do(t, read, vars).must(t, &d)
		es := d.Course.Enrollments
		if len(es) != 1 || es[0].User.ID != w.studentID || len(es[0].Attempts) == 0 {
			t.Errorf("enrollments = %+v, want the student's with their attempts", es)
		}
		teach.do(t, add, vars).must(t, &struct{}{})
	})
	t.Run("the course's teacher sees its analytics once bi has the event", func(t *testing.T) {
		eventually(t, time.Minute, func() error {
			r, err := teach.try(`query($c: ID!) { course(id: $c) { analytics { attempts } } }`, vars)
			if err != nil {
				return err
			}
			var d struct {
				Course struct{ Analytics *struct{ Attempts int } }
			}
			r.decode(t, &d)
			if a := d.Course.Analytics; a == nil || a.Attempts == 0 || len(r.Errors) != 0 {
				return fmt.Errorf("analytics %+v, errors %+v; want the attempts", a, r.Errors)
			}
			return nil
		})
	})
	t.Run("a teacher of no course", func(t *testing.T) {
		r := outsider.do(t, `query($c: ID!) { course(id: $c) { code analytics { attempts } } }`, vars)
		if diff := cmp.Diff([]string{"course.analytics FORBIDDEN"}, r.errorsAt()); diff != "" {
			t.Errorf("analytics errors (-want +got):\n%s", diff)
		}
		r = outsider.do(t, read, vars)
		if string(r.Data) != `{"course":{"enrollments":[]}}` || len(r.Errors) != 0 {
			t.Errorf("data = %s, errors %+v; want no enrollments and no error", r.Data, r.Errors)
		}
		r = outsider.do(t, add, vars)
		if diff := cmp.Diff([]string{"addQuestion FORBIDDEN"}, r.errorsAt()); diff != "" {
			t.Errorf("errors (-want +got):\n%s", diff)
		}
	})
}

// teacher is a signed-in user with the platform-wide teacher role.
type teacher struct {
	client
	id string
}

// newTeacher creates, as the admin, a user with the teacher role and signs them in.
func (w *world) newTeacher(t *testing.T, p *platform, email string) teacher {
	t.Helper()
	var u struct{ CreateUser struct{ ID string } }
	w.admin.do(t, `mutation($e: String!) { createUser(input: {email: $e, displayName: "A Teacher",
	  password: "teacher-password", roles: ["teacher"]}) { id } }`, map[string]any{"e": email}).must(t, &u)
	return teacher{client: login(t, p.router, email, "teacher-password"), id: u.CreateUser.ID}
}
