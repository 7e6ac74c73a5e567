package router

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vektah/gqlparser/v2/ast"
)

func TestParseRequest(t *testing.T) {
	type result struct {
		Params *params
		Status int
		Code   string
	}
	post := func(ct, body string) *http.Request {
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		r.Header.Set("Content-Type", ct)
		return r
	}
	get := func(q string) *http.Request { return httptest.NewRequest(http.MethodGet, "/?"+q, nil) }
	tests := []struct {
		name string
		req  *http.Request
		want result
	}{
		{
			"post", post("application/json", `{"query":"{a}","operationName":"A",`+
				`"variables":{"id":12345678901234567890},"extensions":{"x":true}}`),
			result{Params: &params{
				Query: "{a}", OperationName: "A",
				Variables:  map[string]any{"id": json.Number("12345678901234567890")},
				Extensions: map[string]any{"x": true},
			}},
		},
		{
			"post nulls", post("application/json; charset=UTF-8",
				`{"query":"{a}","operationName":null,"variables":null,"unknown":1}`),
			result{Params: &params{Query: "{a}"}},
		},
		{
			"get", get("query=%7Ba%7D&operationName=A&variables=%7B%22n%22%3A1%7D"),
			result{Params: &params{
				Query: "{a}", OperationName: "A",
				Variables: map[string]any{"n": json.Number("1")},
			}},
		},
		{"not json", post("application/json", `{"query":`), result{Status: 400, Code: CodeBadRequest}},
		{
			"body not UTF-8", post("application/json", "{\"query\":\"{a(t: \\\"\xc3\x28\\\")}\"}"),
			result{Status: 400, Code: CodeBadRequest},
		},
		{
			"parameter not UTF-8",
			get("query=%7Ba%7D&operationName=%FF"),
			result{Status: 400, Code: CodeBadRequest},
		},
		{
			"array body", post("application/json", `[{"query":"{a}"}]`),
			result{Status: 400, Code: CodeBadRequest},
		},
		{
			"trailing data", post("application/json", `{"query":"{a}"} {}`),
			result{Status: 400, Code: CodeBadRequest},
		},
		{
			"missing query", post("application/json", `{"variables":{}}`),
			result{Status: 400, Code: CodeBadRequest},
		},
		{
			"query not string", post("application/json", `{"query":1}`),
			result{Status: 400, Code: CodeBadRequest},
		},
		{
			"variables not object", post("application/json", `{"query":"{a}","variables":"{}"}`),
			result{Status: 400, Code: CodeBadRequest},
		},
		{
			"operationName not string", post("application/json", `{"query":"{a}","operationName":1}`),
			result{Status: 400, Code: CodeBadRequest},
		},
		{
			"form post", post("application/x-www-form-urlencoded", "query={a}"),
			result{Status: 415, Code: CodeUnsupportedMediaType},
		},
		{
			"latin1", post("application/json; charset=latin1", `{"query":"{a}"}`),
			result{Status: 415, Code: CodeUnsupportedMediaType},
		},
		{
			"too large", post("application/json", `{"query":"`+strings.Repeat("a", 200)+`"}`),
			result{Status: 413, Code: CodePayloadTooLarge},
		},
		{"get without query", get("operationName=A"), result{Status: 400, Code: CodeBadRequest}},
		{
			"get bad variables", get("query=%7Ba%7D&variables=%5B%5D"),
			result{Status: 400, Code: CodeBadRequest},
		},
		{
			"put", httptest.NewRequest(http.MethodPut, "/", nil),
			result{Status: 405, Code: CodeMethodNotAllowed},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := parseRequest(httptest.NewRecorder(), tt.req, 100)
			got := result{Params: p}
			if err != nil {
				got.Status, got.Code = err.status, err.code
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(params{})); diff != "" {
				t.Errorf("parseRequest (-want +got):\n%s", diff)
			}
		})
	}
}

// TestParseBodyMessages checks that the messages of refused bodies say what to do.
func TestParseBodyMessages(t *testing.T) {
	tests := []struct{ name, body, want string }{
		{
			"batch", ` [{"query":"{a}"},{"query":"{b}"}]`,
			"batched requests (a JSON array of operations) are not supported: " +
				"send each operation as its own request with a JSON object body",
		},
		{"string", `"{a}"`, "the request body must be a JSON object: not an object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, rerr := parseBody(strings.NewReader(tt.body))
			if rerr == nil || rerr.code != CodeBadRequest || rerr.status != http.StatusBadRequest {
				t.Fatalf("parseBody = %+v, want BAD_REQUEST/400", rerr)
			}
			if rerr.message != tt.want {
				t.Errorf("message = %q, want %q", rerr.message, tt.want)
			}
		})
	}
}

func TestParseOperation(t *testing.T) {
	tests := []struct {
		name, query, opName string
		wantOp              string // name of the selected operation
		wantCode            string
		wantLoc             *location
	}{
		{"single", "query A { a }", "", "A", "", nil},
		{"by name", "query A { a } query B { b }", "B", "B", "", nil},
		{"ambiguous", "query A { a } query B { b }", "", "", CodeOperationNotFound, nil},
		{"unknown name", "query A { a }", "C", "", CodeOperationNotFound, nil},
		{"fragments only", "fragment F on Q { a }", "", "", CodeOperationNotFound, nil},
		{"syntax", "{\n  a(", "", "", CodeParseFailed, &location{Line: 2, Column: 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, op, err := parseOperation(&params{Query: tt.query, OperationName: tt.opName})
			var gotOp, gotCode string
			var gotLoc *location
			if op != nil {
				gotOp = op.Name
			}
			if err != nil {
				gotCode, gotLoc = err.code, err.loc
			}
			if diff := cmp.Diff([]any{tt.wantOp, tt.wantCode, tt.wantLoc},
				[]any{gotOp, gotCode, gotLoc}); diff != "" {
				t.Errorf("parseOperation (-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzParseRequest checks that no body or query string makes request parsing, operation
// selection or the limits check panic, and that every rejection carries a code and a 4xx status.
func FuzzParseRequest(f *testing.F) {
	seeds := []struct{ body, query string }{
		{`{"query":"{ a }"}`, ""},
		{`{"query":"query A($n: Int) { a(n: $n) }","variables":{"n":1},"operationName":"A"}`, ""},
		{`{"query":null}`, "query=%7Ba%7D"},
		{`[]`, "variables=%7B%7D"},
		{`{"query":"{","extensions":[]}`, "query=fragment+F+on+Q%7Ba%7D"},
		{"\xff\xfe", "query=%zz"},
	}
	for _, s := range seeds {
		f.Add(s.body, s.query)
	}
	f.Fuzz(func(t *testing.T, body, query string) {
		for _, r := range []*http.Request{
			httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body)),
			{Method: http.MethodGet, URL: &url.URL{Path: "/", RawQuery: query}, Header: http.Header{}},
		} {
			r.Header.Set("Content-Type", "application/json")
			p, err := parseRequest(httptest.NewRecorder(), r, 1<<16)
			if err == nil {
				var doc *ast.QueryDocument
				var op *ast.OperationDefinition
				if doc, op, err = parseOperation(p); err == nil {
					err = Limits{MaxDepth: 10, MaxCost: 1000}.check(nil, doc, op, p.Variables)
				}
			}
			if err != nil && (err.code == "" || err.status < 400 || err.status > 499) {
				t.Fatalf("error without code or 4xx status: %+v", err)
			}
		}
	})
}

// The playground page keeps the user's token in its headers editor; other sites may not
// frame it (clickjacking) and browsers may not guess its type.
func TestPlaygroundHeaders(t *testing.T) {
	w := httptest.NewRecorder()

	servePlayground(w, httptest.NewRequest(http.MethodGet, "/", nil))

	for name, want := range map[string]string{
		"Content-Type":            "text/html; charset=utf-8",
		"X-Frame-Options":         "DENY",
		"Content-Security-Policy": "frame-ancestors 'none'",
		"X-Content-Type-Options":  "nosniff",
	} {
		if got := w.Header().Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}
