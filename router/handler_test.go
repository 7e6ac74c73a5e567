package router

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ergo/router/engine"
)

// TestWriteResponse: the data is copied as the executor encoded it, and the body is the same
// JSON that marshalling the whole response gives.
func TestWriteResponse(t *testing.T) {
	errs := []*engine.GraphQLError{{
		Message: "a <b> & c", Path: []any{"user", 0, "name"},
		Extensions: map[string]any{"code": "SUBGRAPH_ERROR"},
	}}
	ext := map[string]any{"queryPlan": "Fetch(accounts)"}
	cases := []struct {
		name string
		resp *execResponse
		want string
	}{
		{"data only", &execResponse{Data: json.RawMessage(`{"a":"<x>"}`)}, `{"data":{"a":"<x>"}}`},
		{"null data", &execResponse{Data: json.RawMessage(`null`)}, `{"data":null}`},
		{
			"data and errors", &execResponse{Data: json.RawMessage(`{"user":null}`), Errors: errs},
			`{"data":{"user":null},"errors":[{"message":"a \u003cb\u003e \u0026 c",` +
				`"path":["user",0,"name"],"extensions":{"code":"SUBGRAPH_ERROR"}}]}`,
		},
		{
			"data and extensions, empty errors",
			&execResponse{Data: json.RawMessage(`{}`), Errors: errs[:0], Extensions: ext},
			`{"data":{},"extensions":{"queryPlan":"Fetch(accounts)"}}`,
		},
		{
			"errors without data", &execResponse{Errors: errs},
			`{"errors":[{"message":"a \u003cb\u003e \u0026 c",` +
				`"path":["user",0,"name"],"extensions":{"code":"SUBGRAPH_ERROR"}}]}`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			writeResponse(rec, http.StatusOK, mediaJSON, tc.resp)

			got := rec.Body.String()
			if got != tc.want {
				t.Errorf("body = %s, want %s", got, tc.want)
			}
			if n := rec.Header().Get("Content-Length"); n != strconv.Itoa(len(got)) {
				t.Errorf("Content-Length = %s, body has %d bytes", n, len(got))
			}
			var gotV, wantV any
			marshalled, _ := json.Marshal(tc.resp)
			if err := json.Unmarshal([]byte(got), &gotV); err != nil {
				t.Fatalf("body is not JSON: %v", err)
			}
			_ = json.Unmarshal(marshalled, &wantV)
			if diff := cmp.Diff(wantV, gotV); diff != "" {
				t.Errorf("body differs from json.Marshal of the response (-want +got):\n%s", diff)
			}
		})
	}
}
