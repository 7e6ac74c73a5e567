package e2e_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// topics of the test course's bank; the student answers all but sorting wrong.
var (
	bankTopics = []string{"graphs", "limits", "circuits", "sorting"}
	weakTopics = []string{"circuits", "graphs", "limits"}
)

// world is what the test created through the router.
type world struct {
	admin, student client
	studentID      string
	studentEmail   string
	unitID         string
	courseID       string
	quizID         string
	enrollmentID   string
	questions      map[string]string // question id -> topic
}

// TestPlatform runs the whole platform behind the router and walks through it as the client
// does. The steps share one platform and build on each other.
func TestPlatform(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the whole platform")
	}
	p := startPlatform(t)
	w := &world{admin: login(t, p.router, adminEmail, adminPassword)}

	t.Run("modules lists every enabled module", func(t *testing.T) {
		checkModules(t, p, map[string]bool{})
	})
	t.Run("setup through the router", func(t *testing.T) {
		w.setup(t, p)
	})
	if t.Failed() {
		return
	}
	t.Run("quiz built from analytics", func(t *testing.T) {
		w.submit(t, false)
		w.submit(t, false)
		w.waitAnalytics(t, 2, 0.25)
		w.checkAnalyticsAndQuiz(t)
		w.checkStudentView(t)
	})
	t.Run("course staff", func(t *testing.T) {
		w.checkCourseStaff(t, p)
	})
	t.Run("directory for signed-in users", func(t *testing.T) {
		w.checkDirectory(t)
	})
	t.Run("one login per operation", func(t *testing.T) {
		w.checkOneLogin(t)
	})
	t.Run("bi down", func(t *testing.T) {
		w.biDown(t, p)
	})
	t.Run("three modules in one query", func(t *testing.T) {
		w.checkOrgTree(t)
	})
}

// checkModules checks that the modules query lists the enabled modules of ergo.yaml in its
// order, healthy except the ones in down.
func checkModules(t *testing.T, p *platform, down map[string]bool) {
	t.Helper()
	var d struct {
		Modules []struct {
			Name       string
			Healthy    bool
			Navigation []struct{ Route string }
		}
	}
	client{url: p.router}.do(t, `{ modules { name healthy navigation { route } } }`, nil).must(t, &d)
	var got, want []string
	for _, m := range p.modules {
		want = append(want, fmt.Sprintf("%s healthy=%t", m.Name, !down[m.Name]))
	}
	for _, m := range d.Modules {
		got = append(got, fmt.Sprintf("%s healthy=%t", m.Name, m.Healthy))
		if m.Name == "lms" && (len(m.Navigation) == 0 || m.Navigation[0].Route != "/courses") {
			t.Errorf("lms navigation = %+v, want its /courses tab", m.Navigation)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("modules (-want +got):\n%s", diff)
	}
}

// setup creates, as the admin, a student, a unit, a course with a bank of one question per
// topic and difficulty, a quiz of the whole bank, and the student's enrollment.
func (w *world) setup(t *testing.T, p *platform) {
	w.studentEmail = "student@e2e.ergo.test"
	var u struct{ CreateUser struct{ ID string } }
	w.admin.do(t, `mutation($e: String!) { createUser(input: {email: $e, displayName: "Ada Student",
	  password: "student-password"}) { id } }`, map[string]any{"e": w.studentEmail}).must(t, &u)
	w.studentID = u.CreateUser.ID
	w.student = login(t, p.router, w.studentEmail, "student-password")

	var unit struct{ CreateOrgUnit struct{ ID string } }
	w.admin.do(t, `mutation { createOrgUnit(input: {name: "E2E University", kind: UNIVERSITY}) { id } }`,
		nil).must(t, &unit)
	w.unitID = unit.CreateOrgUnit.ID

	var course struct{ CreateCourse struct{ ID string } }
	w.admin.do(t, `mutation($u: ID!) { createCourse(input: {orgUnitId: $u, code: "E2E101",
	  title: "End to end"}) { id } }`, map[string]any{"u": w.unitID}).must(t, &course)
	w.courseID = course.CreateCourse.ID

	w.questions = map[string]string{}
	var ids []string
	for _, topic := range bankTopics {
		for level := 1; level <= 5; level++ {
			var q struct{ AddQuestion struct{ ID string } }
			w.admin.do(t, `mutation($c: ID!, $t: String!, $d: Int!) { addQuestion(input: {courseId: $c,
			  text: "Which?", topics: [$t], difficulty: $d, options: ["right", "wrong"],
			  correctOption: 0}) { id } }`,
				map[string]any{"c": w.courseID, "t": topic, "d": level}).must(t, &q)
			w.questions[q.AddQuestion.ID] = topic
			ids = append(ids, q.AddQuestion.ID)
		}
	}
	var quiz struct{ CreateQuiz struct{ ID string } }
	w.admin.do(t, `mutation($c: ID!, $q: [ID!]!) { createQuiz(input: {courseId: $c, title: "All",
	  questionIds: $q}) { id } }`, map[string]any{"c": w.courseID, "q": ids}).must(t, &quiz)
	w.quizID = quiz.CreateQuiz.ID

	var e struct{ Enroll struct{ ID string } }
	w.admin.do(t, `mutation($c: ID!, $u: ID!) { enroll(courseId: $c, userId: $u) { id } }`,
		map[string]any{"c": w.courseID, "u": w.studentID}).must(t, &e)
	w.enrollmentID = e.Enroll.ID
}

// submit has the student take the whole quiz: sorting right, the other topics wrong, or
// everything right when allRight.
func (w *world) submit(t *testing.T, allRight bool) float64 {
	t.Helper()
	var a struct{ StartAttempt struct{ ID string } }
	w.student.do(t, `mutation($q: ID!, $e: ID!) { startAttempt(quizId: $q, enrollmentId: $e) { id } }`,
		map[string]any{"q": w.quizID, "e": w.enrollmentID}).must(t, &a)

	var answers []map[string]any
	for id, topic := range w.questions {
		option := 1
		if allRight || topic == "sorting" {
			option = 0
		}
		answers = append(answers, map[string]any{"questionId": id, "option": option})
	}
	var s struct{ SubmitAttempt struct{ Score float64 } }
	w.student.do(t, `mutation($a: ID!, $x: [AnswerInput!]!) { submitAttempt(attemptId: $a, answers: $x) {
	  score } }`, map[string]any{"a": a.StartAttempt.ID, "x": answers}).must(t, &s)
	return s.SubmitAttempt.Score
}

// waitAnalytics polls, as the admin, until bi counts attempts attempts with meanScore.
func (w *world) waitAnalytics(t *testing.T, attempts int, meanScore float64) {
	t.Helper()
	eventually(t, time.Minute, func() error {
		r, err := w.admin.try(`query($c: ID!) { course(id: $c) { analytics { attempts meanScore } } }`,
			map[string]any{"c": w.courseID})
		if err != nil {
			return err
		}
		var d struct {
			Course struct {
				Analytics *struct {
					Attempts  int
					MeanScore float64
				}
			}
		}
		r.decode(t, &d)
		a := d.Course.Analytics
		if a == nil || a.Attempts != attempts || a.MeanScore != meanScore {
			return fmt.Errorf("analytics %+v (errors %+v), want %d attempts with mean %v", a, r.Errors,
				attempts, meanScore)
		}
		return nil
	})
}

// quizQuestions are a quiz's questions with their topics.
type quizQuestions []struct{ Topics []string }

// perTopic counts the questions on each topic.
func (qs quizQuestions) perTopic() map[string]int {
	out := map[string]int{}
	for _, q := range qs {
		for _, topic := range q.Topics {
			out[topic]++
		}
	}
	return out
}

// checkAnalyticsAndQuiz reads, in one query as the admin, the course from lms, its analytics
// and the student's weak topics from bi, the student from identity, and the quiz lms builds
// from the weak topics (the router fetches them from bi first).
func (w *world) checkAnalyticsAndQuiz(t *testing.T) {
	var d struct {
		Course struct {
			Code      string
			Analytics struct {
				Attempts  int
				MeanScore float64
				PassRate  float64
			}
			Enrollments []struct {
				User            struct{ Email string }
				WeakTopics      []string
				RecommendedQuiz struct {
					Kind      string
					Questions quizQuestions
				}
			}
		}
	}
	w.admin.do(t, `query($c: ID!) { course(id: $c) { code analytics { attempts meanScore passRate }
	  enrollments { user { email } weakTopics recommendedQuiz(size: 6) { kind questions { topics } } } } }`,
		map[string]any{"c": w.courseID}).must(t, &d)

	c := d.Course
	if c.Code != "E2E101" || c.Analytics.Attempts != 2 || c.Analytics.MeanScore != 0.25 || c.Analytics.PassRate != 0 {
		t.Errorf("course %s, analytics %+v; want E2E101 with 2 attempts, mean 0.25, pass rate 0", c.Code, c.Analytics)
	}
	if len(c.Enrollments) != 1 {
		t.Fatalf("enrollments = %+v, want the student's", c.Enrollments)
	}
	e := c.Enrollments[0]
	if e.User.Email != w.studentEmail {
		t.Errorf("enrolled user %q, want %q", e.User.Email, w.studentEmail)
	}
	got := slices.Sorted(slices.Values(e.WeakTopics))
	if diff := cmp.Diff(weakTopics, got); diff != "" {
		t.Errorf("weak topics (-want +got):\n%s", diff)
	}
	// Six questions over three weak topics: two each, nothing on sorting.
	want := map[string]int{"circuits": 2, "graphs": 2, "limits": 2}
	if diff := cmp.Diff(want, e.RecommendedQuiz.Questions.perTopic()); diff != "" || e.RecommendedQuiz.Kind != "RECOMMENDED" {
		t.Errorf("recommended quiz %s, questions per topic (-want +got):\n%s", e.RecommendedQuiz.Kind, diff)
	}
}

// checkStudentView checks that the student, who may not see course analytics, gets null and
// an error there only: the rest of their enrollment, weak topics and quiz included, stays.
func (w *world) checkStudentView(t *testing.T) {
	r := w.student.do(t, `{ me { enrollments { course { code analytics { attempts } } weakTopics
	  recommendedQuiz(size: 3) { questions { topics } } } } }`, nil)
	if diff := cmp.Diff([]string{"me.enrollments.0.course.analytics FORBIDDEN"}, r.errorsAt()); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	var d struct {
		Me struct {
			Enrollments []struct {
				Course struct {
					Code      string
					Analytics *struct{ Attempts int }
				}
				WeakTopics      []string
				RecommendedQuiz struct{ Questions quizQuestions }
			}
		}
	}
	r.decode(t, &d)
	if len(d.Me.Enrollments) != 1 {
		t.Fatalf("me = %s, want one enrollment", r.Data)
	}
	e := d.Me.Enrollments[0]
	if e.Course.Code != "E2E101" || e.Course.Analytics != nil || len(e.WeakTopics) != 3 {
		t.Errorf("me = %s; want the course without analytics and three weak topics", r.Data)
	}
	want := map[string]int{"circuits": 1, "graphs": 1, "limits": 1}
	if diff := cmp.Diff(want, e.RecommendedQuiz.Questions.perTopic()); diff != "" {
		t.Errorf("quiz questions per topic (-want +got):\n%s", diff)
	}
}

// biDown stops bi: lms still grades attempts, queries touching bi's fields answer the rest
// with an error on those fields, and once bi is back the outbox delivers what it missed.
func (w *world) biDown(t *testing.T, p *platform) {
	p.stop("bi")
	checkModules(t, p, map[string]bool{"bi": true})

	if score := w.submit(t, true); score != 1 {
		t.Errorf("score %v, want 1", score)
	}
	r := w.admin.do(t, `query($c: ID!) { course(id: $c) { code analytics { attempts } } }`,
		map[string]any{"c": w.courseID})
	var d struct {
		Course *struct {
			Code      string
			Analytics *struct{ Attempts int }
		}
	}
	r.decode(t, &d)
	if d.Course == nil || d.Course.Code != "E2E101" || d.Course.Analytics != nil {
		t.Errorf("data %s; want the course from lms with analytics null", r.Data)
	}
	// One error, naming bi, at the field the failed fetch was for.
	if len(r.Errors) != 1 {
		t.Fatalf("errors %+v, want one for the analytics bi could not give", r.Errors)
	}
	e := r.Errors[0]
	if e.Extensions["code"] != "DOWNSTREAM_SERVICE_ERROR" || e.Extensions["serviceName"] != "bi" ||
		fmt.Sprint(e.Path) != "[course analytics]" {
		t.Errorf("error %+v; want DOWNSTREAM_SERVICE_ERROR from bi at course.analytics", e)
	}

	p.start("bi")
	// Mean of 0.25, 0.25 and 1.
	w.waitAnalytics(t, 3, 0.5)
	checkModules(t, p, map[string]bool{})
}

// checkOrgTree reads the unit from org, its courses, enrollments and attempts from lms and
// the enrolled users from identity, and compares the whole answer with what was created.
func (w *world) checkOrgTree(t *testing.T) {
	var got any
	w.admin.do(t, `query($u: ID!) { orgUnit(id: $u) { id name kind courses { id code title
	  enrollments { id user { id email displayName } attempts { score passed } } } } }`,
		map[string]any{"u": w.unitID}).must(t, &got)
	want := map[string]any{"orgUnit": map[string]any{
		"id": w.unitID, "name": "E2E University", "kind": "UNIVERSITY",
		"courses": []any{map[string]any{
			"id": w.courseID, "code": "E2E101", "title": "End to end",
			"enrollments": []any{map[string]any{
				"id":   w.enrollmentID,
				"user": map[string]any{"id": w.studentID, "email": w.studentEmail, "displayName": "Ada Student"},
				// Newest first.
				"attempts": []any{
					map[string]any{"score": 1.0, "passed": true},
					map[string]any{"score": 0.25, "passed": false},
					map[string]any{"score": 0.25, "passed": false},
				},
			}},
		}},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("orgUnit (-want +got):\n%s", diff)
	}
}
