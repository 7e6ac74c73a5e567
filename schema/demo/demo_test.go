package demo_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ergo/schema/demo"
)

var small = demo.Size{
	Faculties: 2, Departments: 3, Students: 30, Attempts: 200,
	CoursesPerDepartment: 2, TopicsPerCourse: 3, QuestionsPerTopic: 4, EnrollmentsPerStudent: 2,
	QuizSize: 5,
}

func collect(d *demo.Data) []demo.Attempt {
	var out []demo.Attempt
	for a := range d.Attempts() {
		out = append(out, a)
	}
	return out
}

func TestGenerateIsDeterministic(t *testing.T) {
	a, b := demo.Generate(small), demo.Generate(small)
	if diff := cmp.Diff(a, b, cmp.AllowUnexported(demo.Data{})); diff != "" {
		t.Errorf("two runs differ (-first +second):\n%s", diff)
	}
	if diff := cmp.Diff(collect(a), collect(b)); diff != "" {
		t.Errorf("attempts differ (-first +second):\n%s", diff)
	}
}

func TestDefaultSize(t *testing.T) {
	d := demo.Generate(demo.Default)
	kinds := map[string]int{}
	for _, u := range d.Units {
		kinds[u.Kind]++
	}
	want := map[string]int{"university": 1, "faculty": 3, "department": 8, "group": 16}
	if diff := cmp.Diff(want, kinds); diff != "" {
		t.Errorf("units (-want +got):\n%s", diff)
	}
	if len(d.Courses) != 40 || len(d.Students) != 2000 {
		t.Errorf("courses %d, students %d; want 40 and 2000", len(d.Courses), len(d.Students))
	}
	n, ids := 0, map[string]bool{}
	for a := range d.Attempts() {
		n++
		ids[a.ID.String()] = true
	}
	if n != 50000 || len(ids) != n {
		t.Errorf("attempts %d with %d distinct ids, want 50000 distinct", n, len(ids))
	}
}

func TestAttemptsAreConsistent(t *testing.T) {
	d := demo.Generate(small)
	enrolled := map[[2]string]bool{}
	for _, e := range d.Enrollments {
		enrolled[[2]string{e.ID.String(), e.CourseID.String()}] = true
	}
	for a := range d.Attempts() {
		if !enrolled[[2]string{a.EnrollmentID.String(), a.CourseID.String()}] {
			t.Fatalf("attempt %s: enrollment %s is not in course %s", a.ID, a.EnrollmentID, a.CourseID)
		}
		correct := 0
		for _, ans := range a.Answers {
			if ans.Correct {
				correct++
			}
		}
		if correct != a.Correct || len(a.Answers) != a.Total || a.Score != float64(correct)/float64(a.Total) {
			t.Fatalf("attempt %s: grade %d/%d score %v does not match its answers", a.ID, a.Correct, a.Total, a.Score)
		}
	}
}

func TestTopicsAreLowerCaseAndDistinct(t *testing.T) {
	for _, c := range demo.Generate(demo.Default).Courses {
		seen := map[string]bool{}
		for _, topic := range c.Topics {
			if topic != strings.ToLower(topic) || seen[topic] {
				t.Errorf("course %s: topic %q is not lower case or repeats (lms keeps topics lower case)", c.Code, topic)
			}
			seen[topic] = true
		}
	}
}

func TestDepartmentsBelongToTheirSubjectsFaculty(t *testing.T) {
	d := demo.Generate(demo.Default)
	names := map[string]string{} // unit ID -> name
	for _, u := range d.Units {
		names[u.ID.String()] = u.Name
	}
	got := map[string]string{} // department -> faculty
	for _, u := range d.Units {
		if u.Kind == "department" {
			got[u.Name] = names[u.ParentID.String()]
		}
	}
	want := map[string]string{
		"Department of Mathematics":      "Faculty of Science",
		"Department of Physics":          "Faculty of Science",
		"Department of Chemistry":        "Faculty of Science",
		"Department of Computer Science": "Faculty of Engineering",
		"Department of Mechanics":        "Faculty of Engineering",
		"Department of Electronics":      "Faculty of Engineering",
		"Department of History":          "Faculty of Humanities",
		"Department of Linguistics":      "Faculty of Humanities",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("department -> faculty (-want +got):\n%s", diff)
	}
}
