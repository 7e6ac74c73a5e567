package graph_test

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/google/uuid"

	"ergo/platform/server"
	"ergo/subgraphs/bi"
)

var (
	course     = uuid.MustParse("5e0d7b0a-0000-4000-8000-0000000000c1")
	enrollment = uuid.MustParse("5e0d7b0a-0000-4000-8000-0000000000e1")
	t0         = time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)
)

func TestEventsEndpoint(t *testing.T) {
	e := start(t)
	good := event(uuid.New(), course, enrollment, learner.UserID, t0,
		answer{"graphs", true}, answer{"recursion", false})
	tests := []struct {
		name        string
		method      string
		secret      string
		body        []byte
		status      int
		wantAttemps int
	}{
		{"new event", http.MethodPost, secret, good, http.StatusNoContent, 1},
		{"same event again", http.MethodPost, secret, good, http.StatusNoContent, 1},
		{"no secret", http.MethodPost, "", good, http.StatusForbidden, 1},
		{"not JSON", http.MethodPost, secret, []byte("{"), http.StatusBadRequest, 1},
		{
			"no id", http.MethodPost, secret, []byte(`{"type":"x","occurredAt":"2026-09-01T08:00:00Z","payload":{}}`),
			http.StatusBadRequest, 1,
		},
		{
			"score out of range", http.MethodPost, secret, []byte(`{"id":"` + uuid.NewString() +
				`","type":"attempt.submitted","occurredAt":"2026-09-01T08:00:00Z","payload":{"attemptId":"` +
				uuid.NewString() + `","courseId":"` + course.String() + `","enrollmentId":"` +
				enrollment.String() + `","score":7,"submittedAt":"2026-09-01T08:00:00Z"}}`),
			http.StatusBadRequest, 1,
		},
		{"GET", http.MethodGet, secret, nil, http.StatusMethodNotAllowed, 1},
		{
			"teachers without a course", http.MethodPost, secret, []byte(`{"id":"` + uuid.NewString() +
				`","type":"course.teachers.changed","occurredAt":"2026-09-01T08:00:00Z",` +
				`"payload":{"teacherIds":[]}}`),
			http.StatusBadRequest, 1,
		},
		{
			"unknown type is recorded and ignored", http.MethodPost, secret, []byte(`{"id":"` +
				uuid.NewString() + `","type":"course.renamed","occurredAt":"2026-09-01T08:00:00Z","payload":{}}`),
			http.StatusNoContent, 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := e.post(t, tt.method, tt.secret, tt.body); got != tt.status {
				t.Errorf("status = %d, want %d", got, tt.status)
			}
			if n := e.count(t, "attempt_facts"); n != tt.wantAttemps {
				t.Errorf("attempt facts = %d, want %d", n, tt.wantAttemps)
			}
			if n := e.count(t, "answer_facts"); n != 2 {
				t.Errorf("answer facts = %d, want 2", n)
			}
		})
	}
}

// ewma is the mastery formula written out independently of the SQL.
func ewma(newestFirst ...bool) float64 {
	m, weight := 0.0, 1.0
	for _, c := range newestFirst {
		if c {
			m += bi.Alpha * weight
		}
		weight *= 1 - bi.Alpha
	}
	return m + weight*bi.Prior
}

func TestAnalytics(t *testing.T) {
	e := start(t)
	second := uuid.MustParse("5e0d7b0a-0000-4000-8000-0000000000e2")
	events := [][]byte{
		event(uuid.New(), course, enrollment, learner.UserID, t0,
			answer{"graphs", true}, answer{"recursion", false}, answer{"sorting", true}),
		event(uuid.New(), course, enrollment, learner.UserID, t0.Add(time.Hour),
			answer{"graphs", true}, answer{"recursion", false}, answer{"sorting", false}),
		event(uuid.New(), course, second, other.UserID, t0.Add(2*time.Hour),
			answer{"graphs", false}, answer{"recursion", false}, answer{"sorting", false}),
	}
	for _, ev := range events {
		if status := e.post(t, http.MethodPost, secret, ev); status != http.StatusNoContent {
			t.Fatalf("post event: status %d", status)
		}
	}
	e.teach(t)

	query := `query($r: [_Any!]!) { _entities(representations: $r) {
	  ... on Course { analytics { attempts meanScore medianScore passRate atRisk { enrollment { id } meanScore attempts } } }
	  ... on Enrollment { weakTopics mastery { topic mastery answers } } } }`
	reps := []map[string]any{
		{"__typename": "Course", "id": course},
		{"__typename": "Enrollment", "id": enrollment},
	}
	r := e.do(t, teacher, query, map[string]any{"r": reps})
	var d struct {
		Entities []json.RawMessage `json:"_entities"`
	}
	if len(r.Errors) > 0 || json.Unmarshal(r.Data, &d) != nil {
		t.Fatalf("query: %s %+v", r.Data, r.Errors)
	}

	var c struct{ Analytics map[string]any }
	_ = json.Unmarshal(d.Entities[0], &c)
	// Scores 2/3, 1/3 and 0: mean 1/3, median 1/3, one pass in three; the second enrollment
	// (mean 0) and the first (mean 0.5) are below 0.5 only for the second.
	wantCourse := map[string]any{
		"attempts": 3.0, "meanScore": 1.0 / 3, "medianScore": 1.0 / 3,
		"passRate": 1.0 / 3, "atRisk": []any{map[string]any{"enrollment": map[string]any{
			"id": second.String(),
		}, "meanScore": 0.0, "attempts": 1.0}},
	}
	approx := cmpopts.EquateApprox(0, 1e-9)
	if diff := cmp.Diff(wantCourse, c.Analytics, approx); diff != "" {
		t.Errorf("course analytics (-want +got):\n%s", diff)
	}

	var en struct {
		WeakTopics []string
		Mastery    []bi.TopicMastery
	}
	_ = json.Unmarshal(d.Entities[1], &en)
	wantMastery := []bi.TopicMastery{
		{Topic: "graphs", Mastery: ewma(true, true), Answers: 2},
		{Topic: "recursion", Mastery: ewma(false, false), Answers: 2},
		{Topic: "sorting", Mastery: ewma(false, true), Answers: 2},
	}
	if diff := cmp.Diff(wantMastery, en.Mastery, approx); diff != "" {
		t.Errorf("mastery (-want +got):\n%s", diff)
	}
	// recursion 0.245 < sorting 0.455 < 0.6 <= graphs 0.755.
	if diff := cmp.Diff([]string{"recursion", "sorting"}, en.WeakTopics); diff != "" {
		t.Errorf("weak topics (-want +got):\n%s", diff)
	}
	if math.Abs(ewma(false, true)-0.455) > 1e-9 {
		t.Errorf("formula check: ewma(false, true) = %v, want 0.455", ewma(false, true))
	}
}

func TestAccess(t *testing.T) {
	e := start(t)
	e.post(t, http.MethodPost, secret, event(uuid.New(), course, enrollment, learner.UserID, t0,
		answer{"graphs", false}))
	e.teach(t)
	weak := `query($r: [_Any!]!) { _entities(representations: $r) { ... on Enrollment { weakTopics } } }`
	analytics := `query($c: ID!) { courseAnalytics(courseId: $c) { attempts } }`
	tests := []struct {
		name      string
		principal server.Principal
		query     string
		vars      map[string]any
		code      string
	}{
		{"learner sees own weak topics", learner, weak, map[string]any{"r": []map[string]any{
			{"__typename": "Enrollment", "id": enrollment},
		}}, ""},
		{"another learner may not", other, weak, map[string]any{"r": []map[string]any{
			{"__typename": "Enrollment", "id": enrollment},
		}}, "FORBIDDEN"},
		{"anonymous", server.Principal{}, weak, map[string]any{"r": []map[string]any{
			{"__typename": "Enrollment", "id": enrollment},
		}}, "UNAUTHENTICATED"},
		{"the course's teacher sees the learner's weak topics", teacher, weak, map[string]any{
			"r": []map[string]any{{"__typename": "Enrollment", "id": enrollment}},
		}, ""},
		{"a teacher of another course may not", otherTeacher, weak, map[string]any{
			"r": []map[string]any{{"__typename": "Enrollment", "id": enrollment}},
		}, "FORBIDDEN"},
		{"the course's teacher sees course analytics", teacher, analytics, map[string]any{"c": course}, ""},
		{
			"a teacher of another course may not",
			otherTeacher,
			analytics,
			map[string]any{"c": course},
			"FORBIDDEN",
		},
		{"an admin sees course analytics", admin, analytics, map[string]any{"c": course}, ""},
		{"learner may not", learner, analytics, map[string]any{"c": course}, "FORBIDDEN"},
		{"malformed course id", teacher, analytics, map[string]any{"c": "c1"}, "INVALID_ARGUMENT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := e.do(t, tt.principal, tt.query, tt.vars); r.code() != tt.code {
				t.Errorf("code = %q (%+v), want %q", r.code(), r.Errors, tt.code)
			}
		})
	}
}

// TestCourseTeachersFromEvents checks that bi keeps the teacher list of the latest
// course.teachers.changed event, whatever order the events arrive in, and shows the course's
// analytics by it.
func TestCourseTeachersFromEvents(t *testing.T) {
	e := start(t)
	analytics := `query($c: ID!) { courseAnalytics(courseId: $c) { attempts } }`
	steps := []struct {
		name      string
		event     []byte
		principal server.Principal
		code      string
	}{
		{"before any event", nil, teacher, "FORBIDDEN"},
		{"added", teachersEvent(course, t0, teacher), teacher, ""},
		{
			"another teacher added",
			teachersEvent(course, t0.Add(2*time.Hour), teacher, otherTeacher),
			otherTeacher,
			"",
		},
		{"an older list arrives late", teachersEvent(course, t0.Add(time.Hour), teacher), otherTeacher, ""},
		{"removed", teachersEvent(course, t0.Add(3*time.Hour), otherTeacher), teacher, "FORBIDDEN"},
		{"the remaining teacher", nil, otherTeacher, ""},
		{"no teachers left", teachersEvent(course, t0.Add(4*time.Hour)), otherTeacher, "FORBIDDEN"},
		{"still an admin", nil, admin, ""},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if st.event != nil {
				if status := e.post(t, http.MethodPost, secret, st.event); status != http.StatusNoContent {
					t.Fatalf("post event: status %d", status)
				}
			}
			r := e.do(t, st.principal, analytics, map[string]any{"c": course})
			if r.code() != st.code {
				t.Errorf("code = %q (%+v), want %q", r.code(), r.Errors, st.code)
			}
		})
	}
}

// TestForbiddenFieldIsNullOnly checks that a refused field is null with its error while its
// entity and the entity's other fields stay: the fields are nullable, so a learner asking for
// a course's analytics next to their own weak topics loses only the analytics.
func TestForbiddenFieldIsNullOnly(t *testing.T) {
	e := start(t)
	e.post(t, http.MethodPost, secret, event(uuid.New(), course, enrollment, learner.UserID, t0,
		answer{"graphs", false}))
	query := `query($r: [_Any!]!) { _entities(representations: $r) {
	  ... on Course { id analytics { attempts } }
	  ... on Enrollment { id weakTopics mastery { topic } } } }`
	vars := map[string]any{"r": []map[string]any{
		{"__typename": "Course", "id": course},
		{"__typename": "Enrollment", "id": enrollment},
	}}
	tests := []struct {
		name      string
		principal server.Principal
		want      string
		paths     []string
	}{
		{
			"learner: analytics refused", learner,
			`{"_entities":[{"id":"` + course.String() + `","analytics":null},` +
				`{"id":"` + enrollment.String() + `","weakTopics":["graphs"],"mastery":[{"topic":"graphs"}]}]}`,
			[]string{"_entities.0.analytics FORBIDDEN"},
		},
		{
			"another learner: the enrollment's fields refused", other,
			`{"_entities":[{"id":"` + course.String() + `","analytics":null},` +
				`{"id":"` + enrollment.String() + `","weakTopics":null,"mastery":null}]}`,
			[]string{
				"_entities.0.analytics FORBIDDEN", "_entities.1.mastery FORBIDDEN",
				"_entities.1.weakTopics FORBIDDEN",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(t, tt.principal, query, vars)
			var got, want any
			if err := json.Unmarshal(r.Data, &got); err != nil {
				t.Fatalf("data %s: %v", r.Data, err)
			}
			_ = json.Unmarshal([]byte(tt.want), &want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("data (-want +got):\n%s", diff)
			}
			var paths []string
			for _, e := range r.Errors {
				paths = append(paths, fmt.Sprintf("%s %s", e.path(), e.Extensions["code"]))
			}
			slices.Sort(paths)
			if diff := cmp.Diff(tt.paths, paths); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}
