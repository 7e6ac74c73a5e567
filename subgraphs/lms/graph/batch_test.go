package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"ergo/platform/server"
	"ergo/platform/subgraph"
	"ergo/subgraphs/lms/graph"
	gt "ergo/subgraphs/lms/internal/gqltest"
)

// queryCounter counts the SQL statements sent through a pool.
type queryCounter struct{ n atomic.Int64 }

func (c *queryCounter) TraceQueryStart(
	ctx context.Context,
	_ *pgx.Conn,
	_ pgx.TraceQueryStartData,
) context.Context {
	c.n.Add(1)
	return ctx
}

func (c *queryCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// startCounted serves lms on a pool that counts its SQL statements.
func startCounted(t testing.TB) (gt.Client, *queryCounter) {
	t.Helper()
	m := graph.Module(gt.Subscribers)
	cfg := gt.Pool(t, m).Config()
	counter := &queryCounter{}
	cfg.ConnConfig.Tracer = counter
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	h, err := subgraph.Handler(m, subgraph.Deps{Pool: pool, Log: slog.New(slog.DiscardHandler)}, gt.Secret)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return gt.Client{URL: srv.URL, Secret: gt.Secret}, counter
}

// addCourse creates a course with Student's and Other's enrollments and a graded attempt of
// Student's.
func addCourse(t testing.TB, c gt.Client, code string) {
	t.Helper()
	co := gt.NewCourse(t, c, code, []string{"graphs", "sorting"}, 2)
	c.Do(t, gt.Admin, `mutation($c: ID!, $u: ID!) { enroll(courseId: $c, userId: $u) { id } }`,
		map[string]any{"c": co.ID, "u": gt.Other.UserID}).Decode(t, &struct{}{})
	attempt := co.StartAttempt(t, c)
	gt.Submit(t, c, gt.Student, attempt, map[string]int{co.Questions["graphs/1"]: 1}).Decode(t, &struct{}{})
}

// TestNestedListsTakeOneQueryPerLevel checks that a field under a list costs one SQL query
// for the whole list: the same queries over 1 and over 4 courses send as many statements.
func TestNestedListsTakeOneQueryPerLevel(t *testing.T) {
	c, counter := startCounted(t)
	queries := []struct {
		name, query string
		vars        map[string]any
		// perCourse is what the answer must hold per course, to show that it is complete.
		perCourse string
	}{
		{
			"orgUnit courses enrollments attempts",
			`query($r: [_Any!]!) { _entities(representations: $r) { ... on OrgUnit { courses {
			  code quizzes { kind questions { id } }
			  enrollments { user { id } attempts { score quiz { title questions { id } }
			    enrollment { id } answers { correct } } } } } } }`,
			map[string]any{"r": []map[string]any{
				{"__typename": "OrgUnit", "id": "7d0e3f1a-0000-4000-8000-00000000aaaa"},
				{"__typename": "OrgUnit", "id": "7d0e3f1a-0000-4000-8000-00000000bbbb"},
			}},
			`"answers":[{"correct":true}]`,
		},
		{
			"users enrollments attempts",
			`query($r: [_Any!]!) { _entities(representations: $r) { ... on User {
			  enrollments { course { code quizzes { id } } attempts { answers { correct } } } } } }`,
			map[string]any{"r": []map[string]any{
				{"__typename": "User", "id": gt.Student.UserID},
				{"__typename": "User", "id": gt.Other.UserID},
			}},
			`"attempts":[{"answers":[{"correct":true}]}]`,
		},
	}

	count := func(t *testing.T, query string, vars map[string]any) (int64, string) {
		t.Helper()
		before := counter.n.Load()
		r := c.Do(t, gt.Admin, query, vars)
		if len(r.Errors) > 0 {
			t.Fatalf("errors: %+v", r.Errors)
		}
		return counter.n.Load() - before, string(r.Data)
	}

	addCourse(t, c, "CS101")
	few := make([]int64, len(queries))
	for i, q := range queries {
		few[i], _ = count(t, q.query, q.vars)
	}
	for _, code := range []string{"CS102", "CS103", "CS104"} {
		addCourse(t, c, code)
	}
	for i, q := range queries {
		t.Run(q.name, func(t *testing.T) {
			many, data := count(t, q.query, q.vars)
			if got := strings.Count(data, q.perCourse); got != 4 {
				t.Fatalf("answer holds %q %d times, want once per course (4): %s", q.perCourse, got, data)
			}
			if many != few[i] {
				t.Errorf("%d SQL statements over 4 courses, %d over 1: want as many", many, few[i])
			}
			if many > 10 {
				t.Errorf("%d SQL statements, want one per level (at most 10)", many)
			}
		})
	}
}

// cancelOnQuery cancels a request as its first SQL statement starts, as a client that goes
// away while lms is reading.
type cancelOnQuery struct{ cancel context.CancelFunc }

func (c cancelOnQuery) TraceQueryStart(
	ctx context.Context,
	_ *pgx.Conn,
	_ pgx.TraceQueryStartData,
) context.Context {
	c.cancel()
	return ctx
}

func (cancelOnQuery) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// TestCancelledRequestIsNoError runs a query whose client goes away while lms reads: the
// reads fail on the ended context, and that is neither logged as an error nor reported as
// INTERNAL.
func TestCancelledRequestIsNoError(t *testing.T) {
	m := graph.Module(gt.Subscribers)
	cfg := gt.Pool(t, m).Config()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg.ConnConfig.Tracer = cancelOnQuery{cancel: cancel}
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h, err := subgraph.Handler(m, subgraph.Deps{Pool: pool, Log: log}, gt.Secret)
	if err != nil {
		t.Fatal(err)
	}

	body, _ := json.Marshal(map[string]any{
		"query": `query($r: [_Any!]!) { _entities(representations: $r) {
		  ... on OrgUnit { courses { code } } ... on User { enrollments { id } } } }`,
		"variables": map[string]any{"r": []map[string]any{
			{"__typename": "OrgUnit", "id": "7d0e3f1a-0000-4000-8000-00000000aaaa"},
			{"__typename": "User", "id": gt.Student.UserID},
		}},
	})
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/query", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(server.HeaderRouterSecret, gt.Secret)
	req.Header.Set(server.HeaderUserID, gt.Admin.UserID)
	req.Header.Set(server.HeaderUserRoles, "admin")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)

	var res gt.Response
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
		t.Fatalf("decode %q: %v", rec.Body.String(), err)
	}
	var codes []string
	for _, e := range res.Errors {
		codes = append(codes, fmt.Sprint(e.Extensions["code"]))
	}
	if len(codes) == 0 || strings.Contains(strings.Join(codes, ","), "INTERNAL") {
		t.Errorf("error codes %v, want the failed reads reported, none as INTERNAL", codes)
	}
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("a cancelled request logged errors:\n%s", logs.String())
	}
}
