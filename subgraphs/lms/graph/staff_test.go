package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ergo/platform/server"
	"ergo/subgraphs/lms"
	gt "ergo/subgraphs/lms/internal/gqltest"
)

const (
	addQuestion = `mutation($in: AddQuestionInput!) { addQuestion(input: $in) { id } }`
	createQuiz  = `mutation($in: CreateQuizInput!) { createQuiz(input: $in) { id } }`
	addTeacher  = `mutation($c: ID!, $u: ID!) { addCourseTeacher(courseId: $c, userId: $u) { id ` +
		`teacherIds } }`
	dropTeacher = `mutation($c: ID!, $u: ID!) { removeCourseTeacher(courseId: $c, userId: $u) { ` +
		`id teacherIds } }`
	teacherIDs = `query($id: ID!) { course(id: $id) { teacherIds } }`
)

// TestCourseStaff checks that only a course's teachers and admins manage it, that its
// creator teaches it, and that teachers added and removed gain and lose that right.
func TestCourseStaff(t *testing.T) {
	c, pool := start(t)
	co := gt.NewCourse(t, c, "CS101", []string{"graphs"}, 1)
	question := func() map[string]any {
		return map[string]any{"in": map[string]any{
			"courseId": co.ID, "text": "Why?", "topics": []string{"graphs"},
			"difficulty": 3, "options": []string{"a", "b"}, "correctOption": 0,
		}}
	}
	quiz := map[string]any{"in": map[string]any{
		"courseId": co.ID, "title": "Again", "questionIds": co.Order,
	}}
	other := map[string]any{"c": co.ID, "u": gt.OtherTeacher.UserID}

	steps := []struct {
		name      string
		principal server.Principal
		query     string
		vars      map[string]any
		code      string // "" when allowed
	}{
		{
			"a teacher of another course adds a question",
			gt.OtherTeacher,
			addQuestion,
			question(),
			"FORBIDDEN",
		},
		{"a teacher of another course creates a quiz", gt.OtherTeacher, createQuiz, quiz, "FORBIDDEN"},
		{"a teacher of another course adds themself", gt.OtherTeacher, addTeacher, other, "FORBIDDEN"},
		{"a student adds a teacher", gt.Student, addTeacher, other, "FORBIDDEN"},
		{"anonymous adds a teacher", server.Principal{}, addTeacher, other, "UNAUTHENTICATED"},
		{"the course's teacher adds a question", gt.Teacher, addQuestion, question(), ""},
		{"an admin adds a question", gt.Admin, addQuestion, question(), ""},
		{"the course's teacher adds another", gt.Teacher, addTeacher, other, ""},
		{"the added teacher adds a question", gt.OtherTeacher, addQuestion, question(), ""},
		{"the added teacher creates a quiz", gt.OtherTeacher, createQuiz, quiz, ""},
		{"an admin removes the added teacher", gt.Admin, dropTeacher, other, ""},
		{"the removed teacher adds a question", gt.OtherTeacher, addQuestion, question(), "FORBIDDEN"},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			questions, quizzes := gt.Count(t, pool, "questions"), gt.Count(t, pool, "quizzes")
			r := c.Do(t, st.principal, st.query, st.vars)
			if r.Code() != st.code {
				t.Fatalf("code = %q (%+v), want %q", r.Code(), r.Errors, st.code)
			}
			if st.code != "" && (gt.Count(t, pool, "questions") != questions ||
				gt.Count(t, pool, "quizzes") != quizzes) {
				t.Errorf("a refused mutation wrote a question or a quiz")
			}
		})
	}
}

// TestCourseTeacherIDs checks Course.teacherIds as teachers are added and removed, and that
// a course an admin creates has no teacher.
func TestCourseTeacherIDs(t *testing.T) {
	c, _ := start(t)
	co := gt.NewCourse(t, c, "CS101", []string{"graphs"}, 1)
	var created struct{ CreateCourse struct{ TeacherIDs []string } }
	c.Do(t, gt.Admin, `mutation($in: CreateCourseInput!) { createCourse(input: $in) { teacherIds } }`,
		map[string]any{"in": map[string]any{
			"orgUnitId": "7d0e3f1a-0000-4000-8000-00000000aaaa", "code": "ADM1", "title": "By an admin",
		}}).Decode(t, &created)
	if len(created.CreateCourse.TeacherIDs) != 0 {
		t.Errorf("course created by an admin has teachers %v, want none", created.CreateCourse.TeacherIDs)
	}

	both := []string{gt.Teacher.UserID, gt.OtherTeacher.UserID}
	other := map[string]any{"c": co.ID, "u": gt.OtherTeacher.UserID}
	steps := []struct {
		name      string
		principal server.Principal
		query     string
		vars      map[string]any
		want      []string
	}{
		{
			"the creator",
			server.Principal{},
			teacherIDs,
			map[string]any{"id": co.ID},
			[]string{gt.Teacher.UserID},
		},
		{"added", gt.Teacher, addTeacher, other, both},
		{"added twice", gt.Admin, addTeacher, other, both},
		{"removed", gt.OtherTeacher, dropTeacher, other, []string{gt.Teacher.UserID}},
		{"removed twice", gt.Teacher, dropTeacher, other, []string{gt.Teacher.UserID}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			var got map[string]struct{ TeacherIDs []string }
			c.Do(t, st.principal, st.query, st.vars).Decode(t, &got)
			if len(got) != 1 {
				t.Fatalf("data = %+v, want one field", got)
			}
			for _, v := range got {
				if diff := cmp.Diff(st.want, v.TeacherIDs); diff != "" {
					t.Errorf("teacherIds (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// TestCourseTeacherRefusesBadInput checks the errors of addCourseTeacher before anything is
// written.
func TestCourseTeacherRefusesBadInput(t *testing.T) {
	c, pool := start(t)
	co := gt.NewCourse(t, c, "CS101", []string{"graphs"}, 1)
	tests := []struct {
		name, course, user, code string
	}{
		{"malformed course", "x", gt.OtherTeacher.UserID, "INVALID_ARGUMENT"},
		{"malformed user", co.ID, "x", "INVALID_ARGUMENT"},
		{"unknown course", "7d0e3f1a-0000-4000-8000-0000000000ff", gt.OtherTeacher.UserID, "NOT_FOUND"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.Do(t, gt.Admin, addTeacher, map[string]any{"c": tt.course, "u": tt.user})
			if r.Code() != tt.code {
				t.Errorf("code = %q (%+v), want %q", r.Code(), r.Errors, tt.code)
			}
			if n := gt.Count(t, pool, "course_teachers"); n != 1 {
				t.Errorf("course_teachers has %d rows, want the creator's only", n)
			}
		})
	}
}

// TestCourseTeachersArePublished checks that every change of a course's teachers publishes
// the whole new list to bi, and that a refused change publishes nothing.
func TestCourseTeachersArePublished(t *testing.T) {
	c, pool := start(t)
	co := gt.NewCourse(t, c, "CS101", []string{"graphs"}, 1)
	other := map[string]any{"c": co.ID, "u": gt.OtherTeacher.UserID}
	c.Do(t, gt.OtherTeacher, addTeacher, other) // refused
	c.Do(t, gt.Teacher, addTeacher, other).Decode(t, &struct{}{})
	c.Do(t, gt.Admin, dropTeacher, map[string]any{"c": co.ID, "u": gt.Teacher.UserID}).Decode(t, &struct{}{})

	rows, err := pool.Query(context.Background(), `SELECT o.payload, d.subscriber FROM outbox o
	  JOIN outbox_deliveries d ON d.event_id = o.id
	  WHERE o.type = 'course.teachers.changed' ORDER BY o.occurred_at`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var p lms.CourseTeachersChanged
		var payload []byte
		var subscriber string
		if err := rows.Scan(&payload, &subscriber); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(payload, &p); err != nil || p.CourseID.String() != co.ID {
			t.Fatalf("payload %s (%v), want one of course %s", payload, err, co.ID)
		}
		got = append(got, fmt.Sprintf("%s %v", subscriber, p.TeacherIDs))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"bi [" + gt.Teacher.UserID + "]",
		"bi [" + gt.Teacher.UserID + " " + gt.OtherTeacher.UserID + "]",
		"bi [" + gt.OtherTeacher.UserID + "]",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}
