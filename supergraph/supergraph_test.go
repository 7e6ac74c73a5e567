package supergraph

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestErrorFormat(t *testing.T) {
	tests := []struct {
		name string
		err  *Error
		want string
	}{
		{
			"full", &Error{Code: CodeKeyInvalidFields, Subgraph: "lms", Pos: Position{"lms.graphql", 4, 14}, Message: "bad key"},
			"lms.graphql:4:14: [lms] KEY_INVALID_FIELDS: bad key",
		},
		{
			"file only", &Error{Code: CodeInvalidGraphQL, Subgraph: "lms", Pos: Position{File: "lms.graphql"}, Message: "m"},
			"lms.graphql: [lms] INVALID_GRAPHQL: m",
		},
		{"no position", &Error{Code: CodeInvalidSubgraphName, Subgraph: "a", Message: "m"}, "[a] INVALID_SUBGRAPH_NAME: m"},
		{"supergraph-wide", &Error{Code: CodeNoQueries, Message: "m"}, "NO_QUERIES: m"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestErrorsSortedAndCodes(t *testing.T) {
	a := &Error{Code: "B", Pos: Position{"b.graphql", 1, 1}, Message: "x"}
	b := &Error{Code: "A", Pos: Position{"a.graphql", 9, 1}, Message: "y"}
	c := &Error{Code: "A", Pos: Position{"a.graphql", 2, 5}, Message: "z"}
	dup := *c
	got := Errors{a, b, c, &dup}.sorted()
	if diff := cmp.Diff(Errors{c, b, a}, got); diff != "" {
		t.Errorf("sorted (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"A", "B"}, got.Codes()); diff != "" {
		t.Errorf("Codes (-want +got):\n%s", diff)
	}
}

func TestComposeRejectsEmptyInput(t *testing.T) {
	tests := []struct {
		name      string
		subgraphs []Subgraph
		want      []string
	}{
		{"no subgraphs", nil, []string{CodeNoSubgraphs}},
		{
			"no name",
			[]Subgraph{{URL: "http://a", Sources: []Source{{Name: "a", Body: "type Query { a: Int }"}}}},
			[]string{CodeInvalidSubgraphName},
		},
		{"no files", []Subgraph{{Name: "a", URL: "http://a"}}, []string{CodeInvalidGraphQL}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compose(tt.subgraphs)
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("Compose error = %v, want Errors", err)
			}
			if diff := cmp.Diff(tt.want, errs.Codes()); diff != "" {
				t.Errorf("codes (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSDLReturnsACopy(t *testing.T) {
	sg, err := Compose([]Subgraph{{
		Name: "a", URL: "http://a",
		Sources: []Source{{Name: "a.graphql", Body: "type Query { a: Int }"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	first := sg.SDL()
	first[0] = 'X'
	if sg.SDL()[0] == 'X' {
		t.Error("SDL returned the supergraph's own buffer")
	}
}

func TestGraphEnum(t *testing.T) {
	for in, want := range map[string]string{"lms": "LMS", "lms-v2": "LMS_V2", "2fa": "_2FA", "bi": "BI"} {
		if got := graphEnum(in); got != want {
			t.Errorf("graphEnum(%q) = %q, want %q", in, got, want)
		}
	}
}
