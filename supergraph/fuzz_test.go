package supergraph

import (
	"errors"
	"testing"
)

// FuzzCompose composes two arbitrary subgraph SDLs: composition must never panic, a
// failure must be Errors with a code on every entry, and a success must print a
// supergraph that parses back.
func FuzzCompose(f *testing.F) {
	for _, c := range loadCases(f) {
		bodies := []string{"", ""}
		for i, s := range c.subgraphs {
			if i < 2 {
				bodies[i] = s.Sources[0].Body
			}
		}
		f.Add(bodies[0], bodies[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		sg, err := Compose([]Subgraph{
			{Name: "a", URL: "http://a", Sources: []Source{{Name: "a.graphql", Body: a}}},
			{Name: "b", URL: "http://b", Sources: []Source{{Name: "b.graphql", Body: b}}},
		})
		if err != nil {
			var errs Errors
			if !errors.As(err, &errs) || len(errs) == 0 {
				t.Fatalf("Compose returned %T %v, want non-empty Errors", err, err)
			}
			for _, e := range errs {
				if e == nil || e.Code == "" {
					t.Fatalf("problem without code in %v", errs)
				}
			}
			return
		}
		if _, err := BreakingChanges(sg.SDL(), sg.SDL()); err != nil {
			t.Fatalf("composed supergraph does not parse: %v\n%s", err, sg.SDL())
		}
	})
}

// FuzzBreakingChanges compares arbitrary SDL texts: no panic, only errors.
func FuzzBreakingChanges(f *testing.F) {
	f.Add("type Query { a: Int }", "type Query { a: Int! b(x: Int!): [String] }")
	f.Add("enum E { A B } input I { a: Int }", "enum E { A } input I { a: Int! b: Int! }")
	f.Fuzz(func(t *testing.T, a, b string) {
		_, _ = BreakingChanges([]byte(a), []byte(b))
	})
}
