package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"ergo/platform/logging"
	"ergo/platform/postgres"
	"ergo/platform/postgres/pgtest"
	"ergo/platform/server"
	"ergo/platform/subgraph"
	schema "ergo/schema/bi"
	"ergo/subgraphs/bi/graph"
)

const secret = "test-router-secret"

// Principals of the tests. teacher teaches course once teach has told bi so; otherTeacher
// teaches none of the tests' courses.
var (
	teacher = server.Principal{
		UserID: "5e0d7b0a-0000-4000-8000-000000000001",
		Roles:  []string{"teacher"},
	}
	learner      = server.Principal{UserID: "5e0d7b0a-0000-4000-8000-000000000002"}
	other        = server.Principal{UserID: "5e0d7b0a-0000-4000-8000-000000000003"}
	admin        = server.Principal{UserID: "5e0d7b0a-0000-4000-8000-000000000004", Roles: []string{"admin"}}
	otherTeacher = server.Principal{
		UserID: "5e0d7b0a-0000-4000-8000-000000000005",
		Roles:  []string{"teacher"},
	}
)

// teachersEvent returns a course.teachers.changed event body: course's teachers as of at.
func teachersEvent(course uuid.UUID, at time.Time, teachers ...server.Principal) []byte {
	ids := []string{}
	for _, p := range teachers {
		ids = append(ids, p.UserID)
	}
	body, _ := json.Marshal(map[string]any{
		"id": uuid.New(), "type": "course.teachers.changed", "occurredAt": at,
		"payload": map[string]any{"courseId": course, "teacherIds": ids},
	})
	return body
}

// teach posts a course.teachers.changed event that makes teacher the teacher of course.
func (e *env) teach(t testing.TB) {
	t.Helper()
	status := e.post(t, http.MethodPost, secret, teachersEvent(course, t0, teacher))
	if status != http.StatusNoContent {
		t.Fatalf("post teachers event: status %d", status)
	}
}

type env struct {
	srv  *httptest.Server
	pool *pgxpool.Pool
}

func start(t testing.TB) *env {
	t.Helper()
	pool := pgtest.Pool(t, "bi")
	if _, err := postgres.Migrate(context.Background(), pool, "bi", schema.Migrations); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	h, err := subgraph.Handler(graph.Module(), subgraph.Deps{Pool: pool, Log: logging.Discard()}, secret)
	if err != nil {
		t.Fatalf("handler: %v", err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &env{srv: srv, pool: pool}
}

// post sends body to /events with the given secret and returns the status code.
func (e *env) post(t testing.TB, method, secret string, body []byte) int {
	t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+"/events", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(server.HeaderRouterSecret, secret)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("post event: %v", err)
	}
	_ = res.Body.Close()
	return res.StatusCode
}

type answer struct {
	topic   string
	correct bool
}

// event returns an attempt.submitted event body for enrollment in course.
func event(id, course, enrollment uuid.UUID, user string, at time.Time, answers ...answer) []byte {
	var list []map[string]any
	correct := 0
	for i, a := range answers {
		list = append(list, map[string]any{
			"questionId": uuid.NewSHA1(uuid.NameSpaceOID,
				[]byte(fmt.Sprint(a.topic, i))), "topics": []string{a.topic}, "difficulty": 3,
			"correct": a.correct,
		})
		if a.correct {
			correct++
		}
	}
	score := float64(correct) / float64(len(answers))
	body, _ := json.Marshal(map[string]any{
		"id": id, "type": "attempt.submitted",
		"occurredAt": at, "payload": map[string]any{
			"attemptId": uuid.NewSHA1(id, []byte("attempt")), "quizId": uuid.New(),
			"courseId": course, "enrollmentId": enrollment, "userId": user, "score": score,
			"passed": score >= 0.6, "correct": correct, "total": len(answers),
			"submittedAt": at, "answers": list,
		},
	})
	return body
}

type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// path joins the error's path with dots, such as _entities.0.analytics.
func (e gqlError) path() string {
	parts := make([]string, len(e.Path))
	for i, p := range e.Path {
		parts[i] = fmt.Sprint(p)
	}
	return strings.Join(parts, ".")
}

type response struct {
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
}

func (r response) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

func (e *env) do(t testing.TB, p server.Principal, query string, vars map[string]any) response {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/query", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(server.HeaderRouterSecret, secret)
	if !p.Anonymous() {
		req.Header.Set(server.HeaderUserID, p.UserID)
		req.Header.Set(server.HeaderUserRoles, strings.Join(p.Roles, ","))
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("post: %v", err)
	}
	defer func() { _ = res.Body.Close() }()
	var out response
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		t.Fatalf("decode: %v", err)
	}
	return out
}

func (e *env) count(t testing.TB, table string) int {
	t.Helper()
	var n int
	if err := e.pool.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}
