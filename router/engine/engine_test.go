package engine

import (
	"context"
	"encoding/json"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// execute runs query with variables and returns the response.
func (c *campus) execute(tb testing.TB, query string, vars map[string]any) *Response {
	tb.Helper()
	return c.engine.Execute(context.Background(), &Request{Query: query, Variables: vars})
}

// decode parses a JSON text into generic values for comparison.
func decode(tb testing.TB, data []byte) any {
	tb.Helper()
	if data == nil {
		return nil
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		tb.Fatalf("decode %s: %v", data, err)
	}
	return v
}

// wantData compares a response's data with the JSON want and fails on errors.
func wantData(tb testing.TB, resp *Response, want string) {
	tb.Helper()
	for _, e := range resp.Errors {
		tb.Errorf("unexpected error: %s %v %v", e.Message, e.Path, e.Extensions)
	}
	if diff := cmp.Diff(decode(tb, []byte(want)), decode(tb, resp.Data)); diff != "" {
		tb.Errorf("data mismatch (-want +got):\n%s", diff)
	}
}

func TestRootFields(t *testing.T) {
	c := newCampus(t, nil)
	resp := c.execute(t, `{ me { id name role } courses(first: 2) { id title code term { year season } } }`, nil)
	wantData(t, resp, `{"me":{"id":"u1","name":"Ada","role":"ADMIN"},
		"courses":[{"id":"c1","title":"Programming","code":"CS101","term":{"year":2025,"season":"FALL"}},
		           {"id":"c2","title":"Databases","code":"CS102","term":{"year":2026,"season":"SPRING"}}]}`)
	var called []string
	for _, call := range resp.Calls {
		if call.Err != nil {
			t.Errorf("call to %s failed: %v", call.Subgraph, call.Err)
		}
		called = append(called, call.Subgraph)
	}
	sort.Strings(called)
	if diff := cmp.Diff([]string{"identity", "org"}, called); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
}

// TestConcurrentExecute also releases each response once read: the buffers Release gives back
// are reused by the next requests, which must not change a response already read.
func TestConcurrentExecute(t *testing.T) {
	c := newCampus(t, nil)
	want := c.execute(t, deepQuery, nil)
	if len(want.Errors) > 0 {
		t.Fatalf("errors: %v", want.Errors[0].Message)
	}
	results := make(chan string, 40)
	for range 8 {
		go func() {
			for range 5 {
				resp := c.execute(t, deepQuery, nil)
				results <- string(resp.Data)
				resp.Release()
				if resp.Data != nil {
					t.Error("Data kept after Release")
				}
			}
		}()
	}
	for range 40 {
		if got := <-results; got != string(want.Data) {
			t.Fatalf("concurrent result differs:\n%s\nwant\n%s", got, want.Data)
		}
	}
}
