package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"ergo/platform/logging"
	"ergo/platform/postgres"
	"ergo/platform/postgres/pgtest"
	"ergo/platform/server"
	"ergo/platform/subgraph"
	schema "ergo/schema/identity"
	"ergo/subgraphs/identity/graph"
)

const (
	routerSecret = "test-router-secret"
	jwtSecret    = "test-jwt-secret-of-at-least-32-bytes!"
	adminEmail   = "admin@example.org"
	adminPass    = "admin-password"
)

// env is a running identity subgraph on a fresh database.
type env struct {
	srv  *httptest.Server
	pool *pgxpool.Pool
}

func start(t testing.TB) *env {
	t.Helper()
	pool := pgtest.Pool(t, "identity")
	if _, err := postgres.Migrate(context.Background(), pool, "identity", schema.Migrations); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	m := graph.NewModule([]string{
		"ERGO_JWT_SECRET=" + jwtSecret,
		"ERGO_ADMIN_EMAIL=" + adminEmail, "ERGO_ADMIN_PASSWORD=" + adminPass, "ERGO_DEMO_DATA=false",
	})
	h, err := subgraph.Handler(m, subgraph.Deps{Pool: pool, Log: logging.Discard()}, routerSecret)
	if err != nil {
		t.Fatalf("handler: %v", err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &env{srv: srv, pool: pool}
}

// gqlError is one entry of a GraphQL response's errors.
type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// response is a GraphQL response with data left raw.
type response struct {
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
}

// code returns the first error's extensions.code, or "" when there is no error.
func (r response) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

// do posts a GraphQL request as the router would for principal p.
func (e *env) do(t testing.TB, p server.Principal, query string, vars map[string]any) response {
	t.Helper()
	return e.doFrom(t, "", p, query, vars)
}

// doFrom is do for a client at addr ("" when the router names none).
func (e *env) doFrom(t testing.TB, addr string, p server.Principal, query string,
	vars map[string]any,
) response {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/query", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(server.HeaderRouterSecret, routerSecret)
	if addr != "" {
		req.Header.Set(server.HeaderClientAddr, addr)
	}
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
		t.Fatalf("decode response (status %d): %v", res.StatusCode, err)
	}
	return out
}

// decode unmarshals r's data into v, failing on any error.
func (r response) decode(t testing.TB, v any) {
	t.Helper()
	if len(r.Errors) > 0 {
		t.Fatalf("unexpected errors: %+v", r.Errors)
	}
	if err := json.Unmarshal(r.Data, v); err != nil {
		t.Fatalf("decode data %s: %v", r.Data, err)
	}
}

func (e *env) count(t testing.TB, table string) int {
	t.Helper()
	var n int
	if err := e.pool.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}
