package engine

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// TestIntRange: Int is a 32-bit signed integer (GraphQL spec, "Int"); a literal outside that
// range fails validation and a variable outside it is a bad user input.
func TestIntRange(t *testing.T) {
	cases := []struct {
		name  string
		query string
		vars  map[string]any
		code  string // empty when the request must succeed
		msg   string
	}{
		{name: "largest literal", query: `{ courses(first: 2147483647) { id } }`},
		{
			name: "literal above the range", query: `{ courses(first: 2147483648) { id } }`,
			code: CodeValidationFailed, msg: "Int cannot represent non 32-bit signed integer value: 2147483648",
		},
		{
			name: "literal below the range", query: `{ courses(first: -2147483649) { id } }`,
			code: CodeValidationFailed, msg: "Int cannot represent non 32-bit signed integer value: -2147483649",
		},
		{
			name: "literal beyond 64 bits reported once", query: `{ courses(first: 99999999999999999999) { id } }`,
			code: CodeValidationFailed, msg: "Int cannot represent non 32-bit signed integer value: 99999999999999999999",
		},
		{
			name: "default value above the range", query: `query($n: Int = 4000000000) { courses(first: $n) { id } }`,
			code: CodeValidationFailed, msg: "Int cannot represent non 32-bit signed integer value: 4000000000",
		},
		{
			name: "variable at the limit", query: `query($n: Int) { courses(first: $n) { id } }`,
			vars: map[string]any{"n": json.Number("2147483647")},
		},
		{
			name: "variable above the range", query: `query($n: Int) { courses(first: $n) { id } }`,
			vars: map[string]any{"n": json.Number("2147483648")},
			code: CodeBadUserInput, msg: "variable.n: Int cannot represent non 32-bit signed integer value: 2147483648",
		},
		{
			name: "variable decoded as a float", query: `query($n: Int) { courses(first: $n) { id } }`,
			vars: map[string]any{"n": float64(-3e9)},
			code: CodeBadUserInput, msg: "variable.n: Int cannot represent non 32-bit signed integer value: -3000000000",
		},
		{
			name: "variable as a Go int", query: `query($n: Int!) { courses(first: $n) { id } }`,
			vars: map[string]any{"n": 1 << 40},
			code: CodeBadUserInput, msg: "variable.n: Int cannot represent non 32-bit signed integer value: 1099511627776",
		},
	}
	c := newCampus(t, nil)
	t.Run("smallest literal", func(t *testing.T) {
		// Validation only: the fixture cannot take a negative count.
		if d := c.engine.parse(`{ courses(first: -2147483648) { id } }`); d.errs != nil {
			t.Errorf("errors = %v", summarize(d.errs))
		}
	})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := c.execute(t, tc.query, tc.vars)
			if tc.code == "" {
				if len(resp.Errors) > 0 || resp.Data == nil {
					t.Fatalf("errors = %v, want data", summarize(resp.Errors))
				}
				return
			}
			if len(resp.Errors) != 1 || resp.Errors[0].Extensions["code"] != tc.code {
				t.Fatalf("errors = %v, want one %s", summarize(resp.Errors), tc.code)
			}
			if resp.Errors[0].Message != tc.msg || !resp.IsRequestError() || resp.Data != nil {
				t.Errorf("error %q (request error %v, data %s), want %q as a request error",
					resp.Errors[0].Message, resp.IsRequestError(), resp.Data, tc.msg)
			}
		})
	}
}

// TestCheckScalarsIntRange follows Int values into lists and input objects.
func TestCheckScalarsIntRange(t *testing.T) {
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: `
		type Query { f(in: In): Int }
		input In { n: Int, ns: [Int!], nested: In, f: Float }`})
	cases := []struct {
		name string
		typ  string
		val  any
		want string // the error message, empty for none
	}{
		{"in range", "In", map[string]any{"n": int64(-5), "ns": []any{1, 2}}, ""},
		{"float field may be large", "In", map[string]any{"f": 1e12}, ""},
		{
			"list item", "In",
			map[string]any{"ns": []any{1, json.Number("3000000000")}},
			"variable.v.ns.1: Int cannot represent non 32-bit signed integer value: 3000000000",
		},
		{
			"single value for a list", "In",
			map[string]any{"ns": int64(1) << 33},
			"variable.v.ns: Int cannot represent non 32-bit signed integer value: 8589934592",
		},
		{
			"nested input object", "In",
			map[string]any{"nested": map[string]any{"n": json.Number("2147483648")}},
			"variable.v.nested.n: Int cannot represent non 32-bit signed integer value: 2147483648",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := ast.Path{ast.PathName("variable"), ast.PathName("v")}
			err := checkScalars(schema, ast.NamedType(tc.typ, nil), tc.val, path)
			got := ""
			if err != nil {
				got = convertError(err, CodeBadUserInput).Message
			}
			if got != tc.want {
				t.Errorf("error = %q, want %q", got, tc.want)
			}
			if tc.want != "" && !strings.Contains(got, "32-bit") {
				t.Errorf("error %q does not say why", got)
			}
		})
	}
}
