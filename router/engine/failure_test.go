package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"ergo/platform/logging"
)

func TestPartialFailure(t *testing.T) {
	cases := []struct {
		name  string
		fail  func(w http.ResponseWriter, r *http.Request) bool
		opts  func(*Options)
		query string
		want  string
		// msg is the error message the client sees.
		msg string
	}{
		{
			name: "subgraph answers 500",
			fail: func(w http.ResponseWriter, r *http.Request) bool {
				http.Error(w, "boom", http.StatusInternalServerError)
				return true
			},
			query: `{ courses(first: 1) { title rating } }`,
			want:  `{"courses":[{"title":"Programming","rating":null}]}`,
			msg:   `subgraph "bi" is unavailable`,
		},
		{
			name: "subgraph times out",
			fail: func(w http.ResponseWriter, r *http.Request) bool {
				<-r.Context().Done()
				return true
			},
			opts: func(o *Options) {
				// The hanging handler only returns once the engine gives up.
				o.SubgraphTimeouts = map[string]time.Duration{"bi": 20 * time.Millisecond}
			},
			query: `{ courses(first: 1) { title rating } }`,
			want:  `{"courses":[{"title":"Programming","rating":null}]}`,
			msg:   `subgraph "bi" timed out`,
		},
		{
			name: "subgraph answers garbage",
			fail: func(w http.ResponseWriter, r *http.Request) bool {
				_, _ = w.Write([]byte(`{"data": {"_entities": [`))
				return true
			},
			query: `{ courses(first: 1) { title rating } }`,
			want:  `{"courses":[{"title":"Programming","rating":null}]}`,
			msg:   `subgraph "bi" is unavailable`,
		},
		{
			name: "response over the size limit",
			fail: func(w http.ResponseWriter, r *http.Request) bool {
				_, _ = w.Write([]byte(`{"data":{"_entities":[{"rating":1.5,"pad":"` + strings.Repeat("x", 4096) + `"}]}}`))
				return true
			},
			opts:  func(o *Options) { o.MaxResponseBytes = 1024 },
			query: `{ courses(first: 1) { title rating } }`,
			want:  `{"courses":[{"title":"Programming","rating":null}]}`,
			msg:   `subgraph "bi" is unavailable`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newCampus(t, tc.opts)
			c.bi.fail = tc.fail
			resp := c.execute(t, tc.query, nil)
			if diff := summarize(resp.Errors); len(diff) != 1 || diff[0].Code != CodeDownstream {
				t.Fatalf("errors = %v, want one %s", diff, CodeDownstream)
			}
			if e := resp.Errors[0]; e.Message != tc.msg || e.Extensions["serviceName"] != "bi" {
				t.Errorf("error = %q %v, want %q with serviceName bi", e.Message, e.Extensions, tc.msg)
			}
			if resp.IsRequestError() {
				t.Error("partial result reported as request error")
			}
			if got := string(resp.Data); got != strings.Join(strings.Fields(tc.want), "") {
				t.Errorf("data = %s, want %s", got, tc.want)
			}
		})
	}
}

// TestUnreachableSubgraph: the transport error names the subgraph's address, which clients
// must not see; it is logged once, with the request ID, and the client gets a safe message.
func TestUnreachableSubgraph(t *testing.T) {
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	var logged bytes.Buffer
	c := newCampus(t, func(o *Options) {
		o.SubgraphURLs["bi"] = closed.URL + "/query"
		o.Logger = slog.New(slog.NewJSONHandler(&logged, nil))
	})
	ctx := logging.WithRequestID(context.Background(), "req-42")
	resp := c.engine.Execute(ctx, &Request{Query: `{ courses(first: 1) { title rating } }`})

	want := []*GraphQLError{{
		Message:    `subgraph "bi" is unavailable`,
		Path:       []any{"courses", 0, "rating"},
		Extensions: map[string]any{"code": CodeDownstream, "serviceName": "bi"},
	}}
	if diff := cmp.Diff(want, resp.Errors); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	lines := strings.Split(strings.TrimSpace(logged.String()), "\n")
	if len(lines) != 1 {
		t.Fatalf("want one log line, got %q", lines)
	}
	var line map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &line); err != nil {
		t.Fatal(err)
	}
	errText, _ := line["err"].(string)
	if line["msg"] != "subgraph request failed" || line["request_id"] != "req-42" ||
		line["subgraph"] != "bi" || !strings.Contains(errText, closed.URL) {
		t.Errorf("log line = %v", line)
	}
}

// TestEntityErrorPaths: errors of entity fetches reach the client at the paths of the objects
// the fetch was for, also when the subgraph's error names no entity or the call failed.
func TestEntityErrorPaths(t *testing.T) {
	answer := func(body string) func(w http.ResponseWriter, r *http.Request) bool {
		return func(w http.ResponseWriter, _ *http.Request) bool {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(body))
			return true
		}
	}
	down := func(w http.ResponseWriter, _ *http.Request) bool {
		http.Error(w, "down", http.StatusBadGateway)
		return true
	}
	cases := []struct {
		name  string
		fail  map[string]func(w http.ResponseWriter, r *http.Request) bool
		query string
		want  []errorSummary
	}{
		{
			name:  "error at an entity index goes to that object",
			fail:  map[string]func(http.ResponseWriter, *http.Request) bool{"bi": answer(`{"data":{"_entities":[null]},"errors":[{"message":"no","path":["_entities",0,"rating"]}]}`)},
			query: `{ course(id: "c1") { title rating } }`,
			want:  []errorSummary{{Path: "course.rating", Code: CodeSubgraphError}},
		},
		{
			name:  "error naming _entities without index goes to the one field fetched",
			fail:  map[string]func(http.ResponseWriter, *http.Request) bool{"bi": answer(`{"data":{"_entities":[null]},"errors":[{"message":"no","path":["_entities"]}]}`)},
			query: `{ course(id: "c1") { title rating } }`,
			want:  []errorSummary{{Path: "course.rating", Code: CodeSubgraphError}},
		},
		{
			name:  "error without path goes to the object when several fields were fetched",
			fail:  map[string]func(http.ResponseWriter, *http.Request) bool{"bi": answer(`{"data":{"_entities":[null]},"errors":[{"message":"no"}]}`)},
			query: `{ course(id: "c1") { title rating popularity } }`,
			want:  []errorSummary{{Path: "course", Code: CodeSubgraphError}},
		},
		{
			name:  "error with an unknown index goes to the path the objects share",
			fail:  map[string]func(http.ResponseWriter, *http.Request) bool{"bi": answer(`{"data":{"_entities":[]},"errors":[{"message":"no","path":["_entities",9]}]}`)},
			query: `{ courses { title rating } }`,
			want:  []errorSummary{{Path: "courses", Code: CodeSubgraphError}},
		},
		{
			name:  "failed call for one object goes to its field",
			fail:  map[string]func(http.ResponseWriter, *http.Request) bool{"bi": down},
			query: `{ course(id: "c2") { title rating } }`,
			want:  []errorSummary{{Path: "course.rating", Code: CodeDownstream}},
		},
		{
			name:  "failed call for a list goes to the list",
			fail:  map[string]func(http.ResponseWriter, *http.Request) bool{"bi": down},
			query: `{ courses { title rating } }`,
			want:  []errorSummary{{Path: "courses", Code: CodeDownstream}},
		},
		{
			name:  "failed call for a non-null field nulls the parent with one error",
			fail:  map[string]func(http.ResponseWriter, *http.Request) bool{"lms": down},
			query: `{ course(id: "c1") { title workload trend } }`,
			want:  []errorSummary{{Path: "course.workload", Code: CodeDownstream}},
		},
		{
			name:  "failed batched call is reported once per part",
			fail:  map[string]func(http.ResponseWriter, *http.Request) bool{"identity": down},
			query: `{ enrollments { student { role } } courses(first: 1) { teacher { email } } }`,
			want: []errorSummary{
				{Path: "enrollments", Code: CodeDownstream},
				{Path: "courses.0.teacher.email", Code: CodeDownstream},
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newCampus(t, nil)
			for name, fail := range tc.fail {
				c.fixtures()[name].fail = fail
			}
			resp := c.engine.Execute(context.Background(), &Request{Query: tc.query})
			got := summarize(resp.Errors)
			slices.SortFunc(got, func(a, b errorSummary) int { return strings.Compare(b.Path, a.Path) })
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCancelledContext(t *testing.T) {
	c := newCampus(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	resp := c.engine.Execute(ctx, &Request{Query: `{ me { id } }`})
	if string(resp.Data) != `{"me":null}` || len(resp.Errors) != 1 {
		t.Errorf("data = %s errors = %v", resp.Data, summarize(resp.Errors))
	}
}

func TestMiddleware(t *testing.T) {
	roles := []FieldMiddleware{{
		Directive: "requiresRole",
		Authorize: func(_ context.Context, fc *FieldContext) error {
			if fc.Request.Header.Get("X-Role") != fc.Args["role"] {
				return errors.New("missing role " + fc.Args["role"].(string))
			}
			return nil
		},
		Transform: func(_ context.Context, fc *FieldContext, v any) (any, error) {
			s, _ := v.(string)
			return strings.ToUpper(s), nil
		},
	}}
	cases := []struct {
		name     string
		role     string
		want     string
		errs     []errorSummary
		asked    bool
		requests int
	}{
		{
			"rejected without the role", "", `{"secret":null,"me":{"id":"u1"}}`,
			[]errorSummary{{Path: "secret", Code: CodeForbidden}},
			false, 1,
		},
		{"allowed and transformed with the role", "admin", `{"secret":"THE ANSWER","me":{"id":"u1"}}`, nil, true, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newCampus(t, func(o *Options) { o.Middleware = roles })
			resp := c.engine.Execute(context.Background(), &Request{
				Query: `{ secret me { id } }`, Header: http.Header{"X-Role": {tc.role}},
			})
			if got := summarize(resp.Errors); len(got) != len(tc.errs) || len(got) > 0 && got[0] != tc.errs[0] {
				t.Errorf("errors = %v, want %v", got, tc.errs)
			}
			if string(resp.Data) != tc.want {
				t.Errorf("data = %s, want %s", resp.Data, tc.want)
			}
			calls := c.identity.requests()
			if len(calls) != tc.requests {
				t.Fatalf("identity requests = %d, want %d", len(calls), tc.requests)
			}
			if asked := strings.Contains(calls[0].Query, "secret"); asked != tc.asked {
				t.Errorf("identity asked for secret = %v, want %v (%s)", asked, tc.asked, calls[0].Query)
			}
		})
	}
}

func TestPanicBecomesInternalError(t *testing.T) {
	c := newCampus(t, func(o *Options) {
		o.Middleware = []FieldMiddleware{{
			Directive: "requiresRole",
			Transform: func(context.Context, *FieldContext, any) (any, error) { panic("broken hook") },
		}}
	})
	resp := c.execute(t, `{ secret }`, nil)
	if len(resp.Errors) != 1 || resp.Errors[0].Extensions["code"] != CodeInternal {
		t.Fatalf("errors = %v", summarize(resp.Errors))
	}
	id, _ := resp.Errors[0].Extensions["errorId"].(string)
	if id == "" || !strings.Contains(resp.Errors[0].Message, id) || strings.Contains(resp.Errors[0].Message, "broken") {
		t.Errorf("error = %q %v", resp.Errors[0].Message, resp.Errors[0].Extensions)
	}
}
