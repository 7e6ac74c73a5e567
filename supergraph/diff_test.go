package supergraph

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestBreakingChanges(t *testing.T) {
	const base = `
type Query { courses(first: Int, faculty: String): [Course!]! secret: String @inaccessible }
type Course { id: ID! title: String! credits: Int teacher: Teacher }
type Teacher { name: String }
interface Node { id: ID! }
union Result = Course | Teacher
enum Status { OPEN CLOSED HIDDEN @inaccessible }
input Filter { prefix: String limit: Int }
enum join__Graph { A @join__graph(name: "a", url: "http://a") }
scalar join__FieldSet
`
	tests := []struct {
		name string
		new  string
		want []Change
	}{
		{"identical", base, nil},
		{
			name: "only additions and safe changes",
			new: `
type Query { courses(first: Int, faculty: String, term: String, page: Int = 1): [Course!]! }
type Course { id: ID! title: String! credits: Int! teacher: Teacher room: String }
type Teacher { name: String }
interface Node { id: ID! }
union Result = Course | Teacher
enum Status { OPEN CLOSED ARCHIVED }
input Filter { prefix: String limit: Int size: Int }
`,
		},
		{
			name: "removals",
			new: `
type Query { courses(first: Int): [Course!]! }
type Course { id: ID! title: String! }
union Result = Course
enum Status { OPEN }
input Filter { prefix: String }
`,
			want: []Change{
				{"Course.credits", "field was removed"},
				{"Course.teacher", "field was removed"},
				{"Filter.limit", "input field was removed"},
				{"Node", "type was removed"},
				{"Query.courses(faculty:)", "argument was removed"},
				{"Result", "union member Teacher was removed"},
				{"Status.CLOSED", "enum value was removed"},
				{"Teacher", "type was removed"},
			},
		},
		{
			name: "type and nullability changes",
			new: `
type Query { courses(first: Int!, faculty: String): [Course]! }
type Course { id: ID! title: String credits: String teacher: Teacher }
type Teacher { name: String }
type Node { id: ID! }
union Result = Course | Teacher
enum Status { OPEN CLOSED }
input Filter { prefix: String! limit: Int }
`,
			want: []Change{
				{"Course.credits", "type changed from Int to String"},
				{"Course.title", "type changed from String! to String (clients may now receive null)"},
				{"Filter.prefix", "type changed from String to String! (clients that omit it or send null now fail)"},
				{"Node", "kind changed from INTERFACE to OBJECT"},
				{"Query.courses", "type changed from [Course!]! to [Course]!"},
				{"Query.courses(first:)", "type changed from Int to Int! (clients that omit it or send null now fail)"},
			},
		},
		{
			name: "new required inputs and hidden elements",
			new: `
type Query { courses(first: Int, faculty: String, term: String!): [Course!]! }
type Course { id: ID! title: String! credits: Int @inaccessible teacher: Teacher }
type Teacher { name: String }
interface Node { id: ID! }
union Result = Course | Teacher
enum Status { OPEN CLOSED }
input Filter { prefix: String limit: Int year: Int! }
`,
			want: []Change{
				{"Course.credits", "field was removed"},
				{"Filter.year", "new required input field"},
				{"Query.courses(term:)", "new required argument"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := BreakingChanges([]byte(base), []byte(tt.new))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("BreakingChanges (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBreakingChangesInvalidSDL(t *testing.T) {
	if _, err := BreakingChanges([]byte("type Query {"), []byte("type Query { a: Int }")); err == nil {
		t.Fatal("BreakingChanges accepted an SDL that does not parse")
	}
}

// TestBreakingChangesOnComposedCases diffs each composed case against itself, which must
// report nothing: the join machinery must not count as API.
func TestBreakingChangesOnComposedCases(t *testing.T) {
	for _, c := range loadCases(t) {
		sg, err := Compose(c.subgraphs)
		if err != nil {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			got, err := BreakingChanges(sg.SDL(), sg.SDL())
			if err != nil {
				t.Fatal(err)
			}
			if len(got) > 0 {
				t.Errorf("a supergraph differs from itself: %v", got)
			}
		})
	}
}
