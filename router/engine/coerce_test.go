package engine

import (
	"encoding/json"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// TestCheckScalars checks the input coercion of built-in scalars in variables (GraphQL spec,
// "Scalars"): a string is no Int, Float or Boolean, an ID is a string or an integer, and the
// message shows the value as the client sent it, in lists and input objects too.
func TestCheckScalars(t *testing.T) {
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: `
		scalar DateTime
		enum Color { RED }
		type Query { f(in: In): Int }
		input In { n: Int, ns: [Int!], f: Float, b: Boolean, s: String, id: ID, ids: [ID!],
			at: DateTime, c: Color, nested: In, list: [In!] }`})
	cases := []struct {
		name string
		typ  *ast.Type
		val  any
		want string // the error message, empty for none
	}{
		{"Int from JSON", ast.NamedType("Int", nil), json.Number("3"), ""},
		{"Int written as a whole float", ast.NamedType("Int", nil), json.Number("3.0"), ""},
		{"Int from Go", ast.NamedType("Int", nil), 3, ""},
		{
			"Int from a string", ast.NamedType("Int", nil), "3",
			`variable.v: Int cannot represent a non-integer value: "3"`,
		},
		{
			"Int with a fraction", ast.NamedType("Int", nil), json.Number("1.5"),
			"variable.v: Int cannot represent a non-integer value: 1.5",
		},
		{
			"Int beyond 32 bits with an exponent", ast.NamedType("Int", nil), json.Number("1e20"),
			"variable.v: Int cannot represent non 32-bit signed integer value: 1e20",
		},
		{
			"Int from a Boolean", ast.NamedType("Int", nil), true,
			"variable.v: Int cannot represent a non-integer value: true",
		},
		{
			"Int from an object", ast.NamedType("Int", nil),
			map[string]any{"a": 1},
			`variable.v: Int cannot represent a non-integer value: {"a":1}`,
		},
		{"Float from JSON", ast.NamedType("Float", nil), json.Number("1.5e3"), ""},
		{"Float from an integer", ast.NamedType("Float", nil), json.Number("2"), ""},
		{
			"Float from a string", ast.NamedType("Float", nil), "1.5",
			`variable.v: Float cannot represent a non-numeric value: "1.5"`,
		},
		{
			"Float beyond 64 bits", ast.NamedType("Float", nil), json.Number("1e400"),
			"variable.v: Float cannot represent a non-numeric value: 1e400",
		},
		{"Boolean", ast.NamedType("Boolean", nil), false, ""},
		{
			"Boolean from a string", ast.NamedType("Boolean", nil), "true",
			`variable.v: Boolean cannot represent a non-boolean value: "true"`,
		},
		{
			"Boolean from a number", ast.NamedType("Boolean", nil), json.Number("1"),
			"variable.v: Boolean cannot represent a non-boolean value: 1",
		},
		{
			"String from a number", ast.NamedType("String", nil), json.Number("3"),
			"variable.v: String cannot represent a non-string value: 3",
		},
		{"ID from a string", ast.NamedType("ID", nil), "c-1", ""},
		{"ID from an integer", ast.NamedType("ID", nil), json.Number("12345678901234"), ""},
		{
			"ID with a fraction", ast.NamedType("ID", nil), json.Number("1.5"),
			"variable.v: ID cannot represent a value that is not a string or an integer: 1.5",
		},
		{
			"ID from a Boolean", ast.NamedType("ID", nil), true,
			"variable.v: ID cannot represent a value that is not a string or an integer: true",
		},
		{"custom scalar takes anything", ast.NamedType("DateTime", nil), json.Number("3"), ""},
		{"enum left to gqlparser", ast.NamedType("Color", nil), json.Number("3"), ""},
		{"null", ast.NamedType("Int", nil), nil, ""},
		{"list of Int", ast.ListType(ast.NonNullNamedType("Int", nil), nil), []any{json.Number("1"), 2}, ""},
		{
			"list item from a string", ast.ListType(ast.NonNullNamedType("Int", nil), nil),
			[]any{json.Number("1"), "2"},
			`variable.v.1: Int cannot represent a non-integer value: "2"`,
		},
		{
			"single value for a list", ast.ListType(ast.NamedType("Boolean", nil), nil), "yes",
			`variable.v: Boolean cannot represent a non-boolean value: "yes"`,
		},
		{
			"input object", ast.NamedType("In", nil),
			map[string]any{
				"n":  json.Number("1"),
				"f":  json.Number("2.5"),
				"b":  true,
				"s":  "x",
				"id": json.Number("7"),
			},
			"",
		},
		{
			"input object field", ast.NamedType("In", nil),
			map[string]any{"f": "2.5"},
			`variable.v.f: Float cannot represent a non-numeric value: "2.5"`,
		},
		{
			"list in an input object", ast.NamedType("In", nil),
			map[string]any{"ids": []any{"a", false}},
			"variable.v.ids.1: ID cannot represent a value that is not a string or an integer: false",
		},
		{
			"nested input objects in a list", ast.NamedType("In", nil),
			map[string]any{"list": []any{map[string]any{"nested": map[string]any{"n": json.Number("1.5")}}}},
			"variable.v.list.0.nested.n: Int cannot represent a non-integer value: 1.5",
		},
		{"unknown field left to gqlparser", ast.NamedType("In", nil), map[string]any{"zzz": "1"}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := ast.Path{ast.PathName("variable"), ast.PathName("v")}
			got := ""
			if err := checkScalars(schema, tc.typ, tc.val, path); err != nil {
				got = convertError(err, CodeBadUserInput).Message
			}
			if got != tc.want {
				t.Errorf("error = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestVariableCoercion sends variables through the engine: a value a variable's type refuses
// is a request error with BAD_USER_INPUT and no data.
func TestVariableCoercion(t *testing.T) {
	cases := []struct {
		name  string
		query string
		vars  map[string]any
		msg   string // empty when the request must succeed
	}{
		{
			name: "Int", query: `query($s: Int) { courses(first: $s) { id } }`,
			vars: map[string]any{"s": json.Number("3")},
		},
		{
			name: "Int from a string", query: `query($s: Int) { courses(first: $s) { id } }`,
			vars: map[string]any{"s": "3"},
			msg:  `variable.s: Int cannot represent a non-integer value: "3"`,
		},
		{
			name: "Int with a fraction", query: `query($s: Int) { courses(first: $s) { id } }`,
			vars: map[string]any{"s": json.Number("1.5")},
			msg:  "variable.s: Int cannot represent a non-integer value: 1.5",
		},
		{
			name: "Int beyond 64 bits", query: `query($s: Int) { courses(first: $s) { id } }`,
			vars: map[string]any{"s": json.Number("1e20")},
			msg:  "variable.s: Int cannot represent non 32-bit signed integer value: 1e20",
		},
		{
			name: "ID from an integer", query: `query($id: ID!) { course(id: $id) { id } }`,
			vars: map[string]any{"id": json.Number("42")},
		},
		{
			name: "ID from a Boolean", query: `query($id: ID!) { course(id: $id) { id } }`,
			vars: map[string]any{"id": true},
			msg:  "variable.id: ID cannot represent a value that is not a string or an integer: true",
		},
	}
	c := newCampus(t, nil)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := c.execute(t, tc.query, tc.vars)
			if tc.msg == "" {
				if len(resp.Errors) > 0 || resp.Data == nil {
					t.Fatalf("errors = %v, want data", summarize(resp.Errors))
				}
				return
			}
			if len(resp.Errors) != 1 || resp.Errors[0].Extensions["code"] != CodeBadUserInput {
				t.Fatalf("errors = %v, want one %s", summarize(resp.Errors), CodeBadUserInput)
			}
			if resp.Errors[0].Message != tc.msg || !resp.IsRequestError() || resp.Data != nil {
				t.Errorf("error %q (request error %v, data %s), want %q as a request error",
					resp.Errors[0].Message, resp.IsRequestError(), resp.Data, tc.msg)
			}
		})
	}
}
