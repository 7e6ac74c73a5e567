package router

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

const limitsSchema = `
type Query { courses(first: Int, limit: Int): [Course!]!  course(id: ID!): Course  grid: [[Int]] }
type Course { id: ID! title: String! sections: [Section!]! }
type Section { name: String! course: Course! }
`

func TestLimitsMeasure(t *testing.T) {
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: limitsSchema})
	tests := []struct {
		name      string
		query     string
		vars      map[string]any
		wantDepth int
		wantCost  float64
		wantAlias int
	}{
		{"scalar", `{ course(id: 1) { id } }`, nil, 2, 2, 0},
		{"list default size", `{ courses { id title } }`, nil, 2, 10 * (1 + 2), 0},
		{"list size literal", `{ courses(first: 3) { id } }`, nil, 2, 3 * 2, 0},
		{
			"list size variable", `query($n: Int) { courses(limit: $n) { id } }`,
			map[string]any{"n": json.Number("4")},
			2, 4 * 2, 0,
		},
		{
			"nested lists multiply", `{ courses(first: 2) { sections { name } } }`, nil, 3,
			2 * (1 + 10*(1+1)), 0,
		},
		{"list of scalars counts one", `{ grid }`, nil, 1, 1, 0},
		{
			"aliases count per spread", `{ a: course(id: 1) { ...T } b: course(id: 2) { ...T } }
			fragment T on Course { t1: title t2: title }`, nil, 2, 2 * (1 + 2), 2 + 2*2,
		},
		{"fragments and inline fragments", `
			{ course(id: 1) { ...C ... on Course { sections { name } } } }
			fragment C on Course { id title }`, nil, 3, 1 + 2 + 10*2, 0},
		{
			"introspection not counted", `{ __schema { types { fields { type { ofType { name } } } } } course(id: 1) { id } }`,
			nil, 2, 2, 0,
		},
		{
			"fragment cycle stops", `{ course(id: 1) { ...A } } fragment A on Course { sections { course { ...A } } }`,
			nil, 3, 1 + 10*(1+1), 0,
		},
		{"unknown field counts one", `{ nope { deeper } }`, nil, 2, 2, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, op, rerr := parseOperation(&params{Query: tt.query})
			if rerr != nil {
				t.Fatal(rerr)
			}
			m := measurer{schema: schema, doc: doc, vars: tt.vars, frags: map[string]measure{}}
			got := m.selectionSet(op.SelectionSet, schema.Query, nil)
			want := measure{depth: tt.wantDepth, cost: tt.wantCost, aliases: tt.wantAlias}
			if diff := cmp.Diff(want, got,
				cmp.AllowUnexported(measure{})); diff != "" {
				t.Errorf("measure (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLimitsCheck(t *testing.T) {
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: limitsSchema})
	deep := `{ course(id: 1) { sections { course { sections { course { id } } } } } }` // depth 6
	tests := []struct {
		name     string
		limits   Limits
		query    string
		wantCode string
		wantMsg  string
	}{
		{"within", Limits{MaxDepth: 6, MaxCost: 1000}, deep, "", ""},
		{
			"too deep",
			Limits{MaxDepth: 5},
			deep, CodeQueryTooDeep,
			"operation is 6 levels deep, more than the limit of 5",
		},
		{
			"too complex",
			Limits{MaxCost: 50},
			`{ courses(first: 100) { id } }`, CodeQueryTooComplex,
			"operation costs about 200, more than the limit of 50",
		},
		{
			"too many aliases",
			Limits{MaxAliases: 3},
			`mutation { a: login(e: 1) b: login(e: 2) c: login(e: 3) d: login(e: 4) }`, CodeTooManyAliases,
			"operation uses 4 aliases, more than the limit of 3",
		},
		{
			"off",
			Limits{},
			`{ courses(first: 1000000) { sections { course { sections { name } } } } }`,
			"", "",
		},
		{
			"huge cost",
			Limits{MaxCost: 1},
			`{ courses(first: 1000000000) { sections { course { sections { course { sections { name } } } } } } }`,
			CodeQueryTooComplex, "operation costs about 2221000000000, more than the limit of 1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, op, rerr := parseOperation(&params{Query: tt.query})
			if rerr != nil {
				t.Fatal(rerr)
			}
			var gotCode, gotMsg string
			if err := tt.limits.check(schema, doc, op, nil); err != nil {
				gotCode, gotMsg = err.code, err.message
			}
			if diff := cmp.Diff([]string{tt.wantCode, tt.wantMsg}, []string{gotCode, gotMsg}); diff != "" {
				t.Errorf("check (-want +got):\n%s", diff)
			}
		})
	}
}
