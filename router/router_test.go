package router

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// reply is a decoded HTTP response.
type reply struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

// call sends one request to the router; header values are set as given.
func (env *testEnv) call(tb testing.TB, method, target string, header map[string]string,
	body string,
) reply {
	tb.Helper()
	req, err := http.NewRequest(method, env.srv.URL+target, strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := env.srv.Client().Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	out := reply{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	_ = json.Unmarshal(raw, &out.body)
	return out
}

// post sends a GraphQL POST with the given Accept header (none when empty).
func (env *testEnv) post(tb testing.TB, accept, body string, extra map[string]string) reply {
	tb.Helper()
	h := map[string]string{"Content-Type": "application/json"}
	if accept != "" {
		h["Accept"] = accept
	}
	for k, v := range extra {
		h[k] = v
	}
	return env.call(tb, http.MethodPost, "/", h, body)
}

func gqlBody(tb testing.TB, query string, vars map[string]any, opName string) string {
	tb.Helper()
	b, err := json.Marshal(map[string]any{"query": query, "variables": vars, "operationName": opName})
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// codes lists extensions.code of each error in a response body.
func codes(body map[string]any) []string {
	var out []string
	errs, _ := body["errors"].([]any)
	for _, e := range errs {
		ext, _ := e.(map[string]any)["extensions"].(map[string]any)
		code, _ := ext["code"].(string)
		out = append(out, code)
	}
	return out
}

func TestGraphQLOverHTTP(t *testing.T) {
	env := newTestEnv(t, func(c *Config) { c.MaxDepth, c.MaxCost, c.MaxRequestBytes = 5, 500, 2048 })
	const gr, js = mediaGraphQLResponse, mediaJSON
	deep := `{ course(id: "c1") { sections { course { sections { course { sections { name } } } } } } }`
	tests := []struct {
		name       string
		method     string
		target     string // for GET
		accept     string
		body       string // for POST
		wantStatus int
		wantType   string
		wantCodes  []string
		wantData   any // compared when not nil
	}{
		{
			name: "post query", accept: gr,
			body:       gqlBody(t, `{ courses(first: 2) { id title } }`, nil, ""),
			wantStatus: 200, wantType: gr,
			wantData: map[string]any{"courses": []any{
				map[string]any{"id": "c1", "title": "Algebra"},
				map[string]any{"id": "c2", "title": "Poetry"},
			}},
		},
		{
			name: "post query json", accept: js,
			body:       gqlBody(t, `query One($id: ID!) { course(id: $id) { title } }`, map[string]any{"id": "c2"}, ""),
			wantStatus: 200, wantType: js,
			wantData: map[string]any{"course": map[string]any{"title": "Poetry"}},
		},
		{
			name: "int variable", accept: gr,
			body:       `{"query":"query($n: Int) { courses(first: $n) { id } }","variables":{"n":1}}`,
			wantStatus: 200, wantType: gr,
			wantData: map[string]any{"courses": []any{
				map[string]any{"id": "c1"}, map[string]any{"id": "c2"},
			}},
		},
		{
			name: "int variable of wrong type", accept: gr,
			body:       `{"query":"query($n: Int) { courses(first: $n) { id } }","variables":{"n":"x"}}`,
			wantStatus: 400, wantType: gr, wantCodes: []string{"BAD_USER_INPUT"},
		},
		{
			name: "no accept means graphql-response", body: gqlBody(t, `{ course(id: "c1") { id } }`, nil, ""),
			wantStatus: 200, wantType: gr, wantData: map[string]any{"course": map[string]any{"id": "c1"}},
		},
		{
			name: "operation name selects", accept: gr,
			body:       gqlBody(t, `query A { slowless: course(id: "c1") { id } } query B { course(id: "c2") { id } }`, nil, "B"),
			wantStatus: 200, wantType: gr, wantData: map[string]any{"course": map[string]any{"id": "c2"}},
		},
		{
			name: "get query", method: "GET", accept: gr,
			target:     "/?query=" + url.QueryEscape(`{ course(id: "c1") { tags } }`),
			wantStatus: 200, wantType: gr,
			wantData: map[string]any{"course": map[string]any{"tags": []any{"math"}}},
		},
		{
			name: "graphql path", method: "GET", accept: gr,
			target:     "/graphql?query=" + url.QueryEscape(`{ course(id: "c1") { id } }`),
			wantStatus: 200, wantType: gr, wantData: map[string]any{"course": map[string]any{"id": "c1"}},
		},
		{
			name: "post mutation", accept: gr, body: gqlBody(t, `mutation { enroll(courseID: "c1") }`, nil, ""),
			wantStatus: 200, wantType: gr, wantData: map[string]any{"enroll": true},
		},
		{
			name: "get mutation", method: "GET", accept: gr,
			target:     "/?query=" + url.QueryEscape(`mutation { enroll(courseID: "c1") }`),
			wantStatus: 405, wantType: gr, wantCodes: []string{CodeMethodNotAllowed},
		},
		{
			name: "get mutation json", method: "GET", accept: js,
			target:     "/?query=" + url.QueryEscape(`mutation M { enroll(courseID: "c1") } query Q { slow }`) + "&operationName=M",
			wantStatus: 405, wantType: js, wantCodes: []string{CodeMethodNotAllowed},
		},
		{
			name: "parse error", accept: gr, body: gqlBody(t, `{ course(`, nil, ""),
			wantStatus: 400, wantType: gr, wantCodes: []string{CodeParseFailed},
		},
		{
			name: "parse error json", accept: js, body: gqlBody(t, `{ course(`, nil, ""),
			wantStatus: 200, wantType: js, wantCodes: []string{CodeParseFailed},
		},
		{
			name: "validation error", accept: gr, body: gqlBody(t, `{ nope }`, nil, ""),
			wantStatus: 400, wantType: gr, wantCodes: []string{"GRAPHQL_VALIDATION_FAILED"},
		},
		{
			name: "validation error json", accept: js, body: gqlBody(t, `{ nope }`, nil, ""),
			wantStatus: 200, wantType: js, wantCodes: []string{"GRAPHQL_VALIDATION_FAILED"},
		},
		{
			name: "unknown operation", accept: gr, body: gqlBody(t, `query A { slow }`, nil, "B"),
			wantStatus: 400, wantType: gr, wantCodes: []string{CodeOperationNotFound},
		},
		{
			name: "body not json", accept: js, body: `{"query": `,
			wantStatus: 400, wantType: js, wantCodes: []string{CodeBadRequest},
		},
		{
			name: "variables not an object", accept: js, body: `{"query":"{ slow }","variables":[1]}`,
			wantStatus: 400, wantType: js, wantCodes: []string{CodeBadRequest},
		},
		{
			name: "missing query", accept: gr, body: `{"operationName":"A"}`,
			wantStatus: 400, wantType: gr, wantCodes: []string{CodeBadRequest},
		},
		{
			name: "body too large", accept: gr, body: gqlBody(t, "{ slow }"+strings.Repeat(" ", 3000), nil, ""),
			wantStatus: 413, wantType: gr, wantCodes: []string{CodePayloadTooLarge},
		},
		{
			name: "not acceptable", accept: "text/plain", body: gqlBody(t, `{ slow }`, nil, ""),
			wantStatus: 406, wantType: js, wantCodes: []string{CodeNotAcceptable},
		},
		{
			name: "too deep", accept: gr, body: gqlBody(t, deep, nil, ""),
			wantStatus: 400, wantType: gr, wantCodes: []string{CodeQueryTooDeep},
		},
		{
			name: "too deep json", accept: js, body: gqlBody(t, deep, nil, ""),
			wantStatus: 200, wantType: js, wantCodes: []string{CodeQueryTooDeep},
		},
		{
			name: "too complex", accept: gr,
			body:       gqlBody(t, `{ courses(first: 200) { id title tags } }`, nil, ""),
			wantStatus: 400, wantType: gr, wantCodes: []string{CodeQueryTooComplex},
		},
		{
			name: "put", method: "PUT", accept: gr, body: "{}",
			wantStatus: 405, wantType: gr, wantCodes: []string{CodeMethodNotAllowed},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got reply
			switch tt.method {
			case "GET", "PUT":
				target := tt.target
				if target == "" {
					target = "/"
				}
				got = env.call(t, tt.method, target, map[string]string{"Accept": tt.accept}, tt.body)
			default:
				got = env.post(t, tt.accept, tt.body, nil)
			}
			if got.status != tt.wantStatus {
				t.Errorf("status = %d, want %d; body %s", got.status, tt.wantStatus, got.raw)
			}
			if ct := got.header.Get("Content-Type"); ct != tt.wantType+"; charset=utf-8" {
				t.Errorf("Content-Type = %q, want %s", ct, tt.wantType)
			}
			if diff := cmp.Diff(tt.wantCodes, codes(got.body)); diff != "" {
				t.Errorf("error codes (-want +got):\n%s\nbody %s", diff, got.raw)
			}
			if tt.wantData != nil {
				if diff := cmp.Diff(tt.wantData, got.body["data"]); diff != "" {
					t.Errorf("data (-want +got):\n%s", diff)
				}
			}
			if tt.wantStatus == 405 && got.header.Get("Allow") == "" {
				t.Error("405 without an Allow header")
			}
		})
	}
}

func TestQueryPlanHeader(t *testing.T) {
	env := newTestEnv(t, nil)
	body := gqlBody(t, `{ course(id: "c1") { id } }`, nil, "")
	tests := []struct {
		name     string
		header   map[string]string
		wantPlan bool
	}{
		{"absent", nil, false},
		{"include", map[string]string{HeaderQueryPlan: "include"}, true},
		{"other value", map[string]string{HeaderQueryPlan: "yes"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := env.post(t, mediaGraphQLResponse, body, tt.header)
			ext, _ := got.body["extensions"].(map[string]any)
			plan, _ := ext["queryPlan"].(string)
			if (plan != "") != tt.wantPlan {
				t.Errorf("queryPlan = %q, want present %v", plan, tt.wantPlan)
			}
			if tt.wantPlan && !strings.Contains(plan, "courses") {
				t.Errorf("plan does not name the courses subgraph: %q", plan)
			}
		})
	}
}

func TestCORS(t *testing.T) {
	env := newTestEnv(t, nil)
	tests := []struct {
		name       string
		origin     string
		wantOrigin string
	}{
		{"vue dev server", "http://localhost:5173", "http://localhost:5173"},
		{"vue dev server by ip", "http://127.0.0.1:5173", "http://127.0.0.1:5173"},
		{"other site", "http://evil.test", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pre := env.call(t, http.MethodOptions, "/", map[string]string{
				"Origin": tt.origin, "Access-Control-Request-Method": "POST",
				"Access-Control-Request-Headers": "authorization,content-type,x-ergo-query-plan",
			}, "")
			got := []string{
				pre.header.Get("Access-Control-Allow-Origin"),
				pre.header.Get("Access-Control-Allow-Credentials"),
				pre.header.Get("Access-Control-Max-Age"),
				strings.ToLower(pre.header.Get("Access-Control-Allow-Headers")),
			}
			want := []string{"", "", "", ""}
			if tt.wantOrigin != "" {
				want = []string{
					tt.wantOrigin, "true", "600",
					"authorization,content-type,x-ergo-query-plan",
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("preflight headers (-want +got):\n%s", diff)
			}

			res := env.post(t, "", gqlBody(t, `{ course(id: "c1") { id } }`, nil, ""),
				map[string]string{"Origin": tt.origin})
			if got := res.header.Get("Access-Control-Allow-Origin"); got != tt.wantOrigin {
				t.Errorf("Access-Control-Allow-Origin = %q, want %q", got, tt.wantOrigin)
			}
		})
	}
}

func TestRequestLog(t *testing.T) {
	env := newTestEnv(t, nil)
	token := signToken(t, testSecret, "u-7", []string{"student"}, env.rt.now().Add(time.Hour))
	body := gqlBody(t, `query Mine($id: ID!) { me { id } course(id: $id) { title } }`,
		map[string]any{"id": "c-secret-value"}, "Mine")
	got := env.post(t, mediaGraphQLResponse, body, map[string]string{
		"Authorization": "Bearer " + token, HeaderRequestID: "req-42",
	})
	if got.header.Get(HeaderRequestID) != "req-42" {
		t.Errorf("X-Request-ID = %q, want req-42", got.header.Get(HeaderRequestID))
	}

	lines := env.logs.lines(t, "request")
	if len(lines) != 1 {
		t.Fatalf("got %d request log lines, want 1: %s", len(lines), env.logs)
	}
	line := lines[0]
	for _, k := range []string{"time", "level", "msg", "duration", "subgraph_time"} {
		if _, ok := line[k]; !ok {
			t.Errorf("log line has no %s", k)
		}
		delete(line, k)
	}
	want := map[string]any{
		"request_id": "req-42", "method": "POST", "path": "/", "status": float64(200),
		"operation": "Mine", "operation_type": "query", "errors": float64(0),
		"subgraph_calls": float64(2), "subgraph_failures": float64(0), "subgraphs": []any{"courses×1", "people×1"},
	}
	if diff := cmp.Diff(want, line); diff != "" {
		t.Errorf("log line (-want +got):\n%s", diff)
	}
	for _, secret := range []string{token, "c-secret-value", "router-secret", testSecret} {
		if strings.Contains(env.logs.String(), secret) {
			t.Errorf("log holds %q", secret)
		}
	}
	// The subgraphs saw the request ID.
	for _, h := range env.courses.calls() {
		if h.Get(HeaderRequestID) != "req-42" {
			t.Errorf("subgraph got X-Request-ID %q", h.Get(HeaderRequestID))
		}
	}
}

func TestRequestIDGenerated(t *testing.T) {
	env := newTestEnv(t, nil)
	for _, in := range []string{"", "has space", strings.Repeat("x", 200)} {
		got := env.call(t, http.MethodGet, "/healthz", map[string]string{HeaderRequestID: in}, "")
		id := got.header.Get(HeaderRequestID)
		if id == "" || id == in {
			t.Errorf("X-Request-ID for input %q = %q, want a new ID", in, id)
		}
	}
}

// panicExecutor stands for an executor with a bug.
type panicExecutor struct{}

func (panicExecutor) Execute(context.Context, *execRequest) *execResponse { panic("boom") }

func TestPanicRecovered(t *testing.T) {
	env := newTestEnv(t, nil)
	g := *env.rt.graph.Load()
	g.exec = panicExecutor{}
	env.rt.graph.Store(&g)

	got := env.post(t, mediaGraphQLResponse, gqlBody(t, `{ slow }`, nil, ""), nil)
	if got.status != http.StatusInternalServerError {
		t.Errorf("status = %d, want 500", got.status)
	}
	errs, _ := got.body["errors"].([]any)
	if len(errs) != 1 {
		t.Fatalf("errors = %v", got.body)
	}
	ext := errs[0].(map[string]any)["extensions"].(map[string]any)
	id, _ := ext["errorId"].(string)
	if ext["code"] != CodeInternal || id == "" {
		t.Errorf("extensions = %v, want INTERNAL with an errorId", ext)
	}
	panics := env.logs.lines(t, "panic serving request")
	if len(panics) != 1 || panics[0]["error_id"] != id {
		t.Errorf("panic log lines = %v, want one with error_id %s", panics, id)
	}
	if strings.Contains(got.raw, "boom") {
		t.Error("the panic value reached the client")
	}
}

func TestPlaygroundServed(t *testing.T) {
	env := newTestEnv(t, nil)
	browser := "text/html,application/xhtml+xml,*/*;q=0.8"
	tests := []struct {
		name, target, accept, wantType string
	}{
		{"browser gets the page", "/", browser, "text/html; charset=utf-8"},
		{
			"browser with a query gets JSON", "/?query=%7B__typename%7D", browser,
			mediaGraphQLResponse + "; charset=utf-8",
		},
		{"client without html gets GraphQL", "/", mediaJSON, mediaJSON + "; charset=utf-8"},
		{"script", "/playground/playground.js", "*/*", "text/javascript; charset=utf-8"},
		{"styles", "/playground/playground.css", "*/*", "text/css; charset=utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := env.call(t, http.MethodGet, tt.target, map[string]string{"Accept": tt.accept}, "")
			if ct := got.header.Get("Content-Type"); ct != tt.wantType {
				t.Errorf("Content-Type = %q, want %q (status %d)", ct, tt.wantType, got.status)
			}
		})
	}
	page := env.call(t, http.MethodGet, "/", map[string]string{"Accept": browser}, "")
	if !bytes.Contains([]byte(page.raw), []byte(`src="/playground/playground.js"`)) {
		t.Errorf("page does not load the bundle:\n%s", page.raw)
	}
}

func TestPlaygroundAssetsCompressed(t *testing.T) {
	env := newTestEnv(t, nil)
	plain, err := playgroundFiles.ReadFile("playground/dist/playground.js")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, acceptEncoding, wantEncoding string
	}{
		{"gzip", "gzip, deflate, br", "gzip"},
		{"gzip refused", "gzip;q=0, br", ""},
		{"none", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := env.call(t, http.MethodGet, "/playground/playground.js",
				map[string]string{"Accept-Encoding": tt.acceptEncoding}, "")
			if enc := got.header.Get("Content-Encoding"); enc != tt.wantEncoding {
				t.Fatalf("Content-Encoding = %q, want %q", enc, tt.wantEncoding)
			}
			body := []byte(got.raw)
			if tt.wantEncoding == "gzip" {
				zr, err := gzip.NewReader(bytes.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				if body, err = io.ReadAll(zr); err != nil {
					t.Fatal(err)
				}
			}
			if !bytes.Equal(body, plain) {
				t.Errorf("body differs from the embedded file (%d vs %d bytes)", len(body), len(plain))
			}
		})
	}
	if got := env.call(t, http.MethodGet, "/playground/nope.js", nil, ""); got.status != 404 {
		t.Errorf("unknown asset: status %d, want 404", got.status)
	}
}

func TestRequestLogSubgraphFailure(t *testing.T) {
	env := newTestEnv(t, nil)
	env.courses.srv.Close()
	got := env.post(t, mediaGraphQLResponse, gqlBody(t, `{ course(id: "c1") { id } }`, nil, ""), nil)
	if got.status != 200 {
		t.Errorf("status %d, want 200 (an execution result)", got.status)
	}
	lines := env.logs.lines(t, "request")
	if len(lines) != 1 {
		t.Fatalf("got %d request log lines, want 1", len(lines))
	}
	want := []any{float64(1), float64(1), float64(1), []any{"courses×1"}}
	l := lines[0]
	if diff := cmp.Diff(want, []any{
		l["errors"], l["subgraph_calls"], l["subgraph_failures"],
		l["subgraphs"],
	}); diff != "" {
		t.Errorf("errors, calls, failures, subgraphs (-want +got):\n%s", diff)
	}
}
