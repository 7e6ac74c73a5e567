package router

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// fixtureSubgraph is a small GraphQL server over real HTTP. It resolves operations by walking
// their selections over Go maps, records the headers of each call, and serves /readyz.
type fixtureSubgraph struct {
	srv  *httptest.Server
	root map[string]func(args map[string]any, h http.Header) any

	mu      sync.Mutex
	headers []http.Header
	ready   string // body of /readyz
	readyOK bool
}

func newFixtureSubgraph(tb testing.TB, root map[string]func(map[string]any, http.Header) any) *fixtureSubgraph {
	tb.Helper()
	f := &fixtureSubgraph{
		root: root, ready: `{"status":"ok","checks":{"database":"ok"}}`,
		readyOK: true,
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /query", f.serveQuery)
	mux.HandleFunc("GET /readyz", f.serveReady)
	f.srv = httptest.NewServer(mux)
	tb.Cleanup(f.srv.Close)
	return f
}

func (f *fixtureSubgraph) url() string { return f.srv.URL + "/query" }

func (f *fixtureSubgraph) setReady(ok bool, body string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.readyOK, f.ready = ok, body
}

func (f *fixtureSubgraph) calls() []http.Header {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]http.Header(nil), f.headers...)
}

func (f *fixtureSubgraph) serveReady(w http.ResponseWriter, _ *http.Request) {
	f.mu.Lock()
	ok, body := f.readyOK, f.ready
	f.mu.Unlock()
	if !ok {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	_, _ = io.WriteString(w, body)
}

func (f *fixtureSubgraph) serveQuery(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.headers = append(f.headers, r.Header.Clone())
	f.mu.Unlock()

	var req struct {
		Query         string         `json:"query"`
		OperationName string         `json:"operationName"`
		Variables     map[string]any `json:"variables"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	doc, err := parser.ParseQuery(&ast.Source{Input: req.Query})
	if err != nil {
		writeFixtureJSON(w, map[string]any{"errors": []any{map[string]any{"message": err.Error()}}})
		return
	}
	op := doc.Operations.ForName(req.OperationName)
	if op == nil {
		op = doc.Operations[0]
	}
	data := map[string]any{}
	for _, fld := range flatten(doc, op.SelectionSet) {
		args := map[string]any{}
		for _, a := range fld.Arguments {
			args[a.Name], _ = a.Value.Value(req.Variables)
		}
		var v any = "Query"
		if fld.Name != "__typename" {
			v = f.root[fld.Name](args, r.Header)
		}
		data[fld.Alias] = project(doc, v, fld.SelectionSet)
	}
	writeFixtureJSON(w, map[string]any{"data": data})
}

func writeFixtureJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// flatten lists the fields of set with fragments expanded; the fixture's types never need
// type conditions to be checked.
func flatten(doc *ast.QueryDocument, set ast.SelectionSet) []*ast.Field {
	var out []*ast.Field
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			out = append(out, s)
		case *ast.InlineFragment:
			out = append(out, flatten(doc, s.SelectionSet)...)
		case *ast.FragmentSpread:
			out = append(out, flatten(doc, doc.Fragments.ForName(s.Name).SelectionSet)...)
		}
	}
	return out
}

// project keeps the selected fields of v, following lists and nested objects.
func project(doc *ast.QueryDocument, v any, set ast.SelectionSet) any {
	switch x := v.(type) {
	case []map[string]any:
		out := make([]any, len(x))
		for i, item := range x {
			out[i] = project(doc, item, set)
		}
		return out
	case map[string]any:
		out := map[string]any{}
		for _, fld := range flatten(doc, set) {
			out[fld.Alias] = project(doc, x[fld.Name], fld.SelectionSet)
		}
		return out
	}
	return v
}

// coursesFixture serves the courses subgraph of testdata/supergraph.graphql. slow blocks
// until release is closed.
func coursesFixture(tb testing.TB, release <-chan struct{}) *fixtureSubgraph {
	tb.Helper()
	algebra := map[string]any{
		"__typename": "Course", "id": "c1", "title": "Algebra",
		"tags": []any{"math"},
	}
	algebra["sections"] = []map[string]any{{
		"__typename": "Section", "name": "Groups",
		"course": algebra,
	}}
	courses := []map[string]any{
		algebra,
		{
			"__typename": "Course", "id": "c2", "title": "Poetry", "tags": []any{},
			"sections": []map[string]any{},
		},
	}
	return newFixtureSubgraph(tb, map[string]func(map[string]any, http.Header) any{
		"courses": func(map[string]any, http.Header) any { return courses },
		"course": func(args map[string]any, _ http.Header) any {
			for _, c := range courses {
				if c["id"] == args["id"] {
					return c
				}
			}
			return nil
		},
		"enroll": func(map[string]any, http.Header) any { return true },
		"slow": func(map[string]any, http.Header) any {
			<-release
			return "done"
		},
	})
}

// peopleFixture serves the people subgraph: me is the user the router named in its headers.
func peopleFixture(tb testing.TB) *fixtureSubgraph {
	tb.Helper()
	return newFixtureSubgraph(tb, map[string]func(map[string]any, http.Header) any{
		"me": func(_ map[string]any, h http.Header) any {
			id := h.Get(HeaderUserID)
			if id == "" {
				return nil
			}
			roles := []any{}
			for _, r := range strings.Split(h.Get(HeaderUserRoles), ",") {
				if r != "" {
					roles = append(roles, r)
				}
			}
			return map[string]any{"__typename": "User", "id": id, "roles": roles}
		},
	})
}

// writeSupergraph writes testdata/supergraph.graphql into dir with the fixture URLs.
func writeSupergraph(tb testing.TB, dir string, courses, people *fixtureSubgraph) string {
	tb.Helper()
	sdl, err := os.ReadFile(filepath.Join("testdata", "supergraph.graphql"))
	if err != nil {
		tb.Fatal(err)
	}
	text := strings.NewReplacer("http://courses.test/query", courses.url(),
		"http://people.test/query", people.url()).Replace(string(sdl))
	path := filepath.Join(dir, "supergraph.graphql")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

// testEnv is a router in front of the two fixture subgraphs, with its log captured.
type testEnv struct {
	rt      *Router
	srv     *httptest.Server
	courses *fixtureSubgraph
	people  *fixtureSubgraph
	logs    *syncBuffer
	path    string
	release chan struct{}
}

// newTestEnv starts fixtures and a router; edit adjusts the configuration before start.
func newTestEnv(tb testing.TB, edit func(*Config)) *testEnv {
	tb.Helper()
	env := &testEnv{release: make(chan struct{}), logs: &syncBuffer{}}
	env.courses = coursesFixture(tb, env.release)
	env.people = peopleFixture(tb)
	tb.Cleanup(func() {
		select {
		case <-env.release:
		default:
			close(env.release)
		}
	})
	env.path = writeSupergraph(tb, tb.TempDir(), env.courses, env.people)

	cfg, err := LoadConfig([]string{
		"ERGO_SUPERGRAPH=" + env.path,
		"ERGO_JWT_SECRET=" + testSecret, "ERGO_ROUTER_SECRET=router-secret",
	})
	if err != nil {
		tb.Fatal(err)
	}
	if edit != nil {
		edit(&cfg)
	}
	env.rt, err = New(cfg, slog.New(slog.NewJSONHandler(env.logs, nil)))
	if err != nil {
		tb.Fatal(err)
	}
	env.srv = httptest.NewServer(env.rt.Handler())
	tb.Cleanup(env.srv.Close)
	return env
}

const testSecret = "test-secret-of-at-least-32-bytes-long"

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// lines decodes the JSON log lines whose msg is msg.
func (b *syncBuffer) lines(tb testing.TB, msg string) []map[string]any {
	tb.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		var m map[string]any
		if line == "" {
			continue
		}
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			tb.Fatalf("log line %q: %v", line, err)
		}
		if m["msg"] == msg {
			out = append(out, m)
		}
	}
	return out
}
