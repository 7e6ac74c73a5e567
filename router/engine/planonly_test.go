package engine

import (
	"context"
	"testing"
)

// TestPlan checks that Plan answers what Execute would answer for requests that fail before
// execution, and that it never calls a subgraph.
func TestPlan(t *testing.T) {
	c := newCampus(t, func(o *Options) { o.PlanCacheSize = -1 })
	cases := []struct {
		name     string
		query    string
		vars     map[string]any
		wantCode string // "" for a plannable request
	}{
		{
			"plannable across subgraphs",
			`{ me { id name } courses(first: 2) { id title term { year } } }`,
			nil,
			"",
		},
		{"parse error", `{ me { id `, nil, CodeParseFailed},
		{"unknown field", `{ me { shoeSize } }`, nil, CodeValidationFailed},
		{
			"bad variable",
			`query ($n: Int) { courses(first: $n) { id } }`,
			map[string]any{"n": "two"},
			CodeBadUserInput,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := &Request{Query: tc.query, Variables: tc.vars}
			errs := c.engine.Plan(context.Background(), req)
			if tc.wantCode == "" {
				for _, e := range errs {
					t.Errorf("unexpected error: %s %v", e.Message, e.Extensions)
				}
				return
			}
			if len(errs) == 0 || errs[0].Extensions["code"] != tc.wantCode {
				t.Fatalf("errors %v, want code %s", errs, tc.wantCode)
			}
			resp := c.engine.Execute(context.Background(), req)
			if len(resp.Errors) == 0 || resp.Errors[0].Message != errs[0].Message {
				t.Errorf("Execute answered %v, Plan %v", resp.Errors, errs)
			}
		})
	}
	if n := c.totalRequests(); n != 0 {
		t.Errorf("subgraphs received %d requests, want none", n)
	}
}
