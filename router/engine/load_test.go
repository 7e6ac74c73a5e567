package engine

import (
	"os"
	"strings"
	"testing"
)

func TestLoadCampus(t *testing.T) {
	s := loadCampus(t)
	if s.APISchema().Types["join__Graph"] != nil {
		t.Error("join__Graph is in the API schema")
	}
	if s.APISchema().Types["User"].Fields.ForName("ssn") != nil {
		t.Error("inaccessible User.ssn is in the API schema")
	}
	var names []string
	for _, g := range s.Subgraphs() {
		names = append(names, g.Name+"="+g.URL)
	}
	want := "identity=http://identity.invalid/graphql org=http://org.invalid/graphql " +
		"lms=http://lms.invalid/graphql bi=http://bi.invalid/graphql"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("subgraphs = %s, want %s", got, want)
	}
}

func TestLoadErrors(t *testing.T) {
	base, err := os.ReadFile("testdata/campus.graphql")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, from, to, want string
	}{
		{"syntax", "type Term", "type Term {", "supergraph.graphql:"},
		{"bad key", `key: "code term { year season }")
  @join__type(graph: LMS`, `key: "code term { year")
  @join__type(graph: LMS`, "@key on Course"},
		{"no graphs", "enum join__Graph", "enum join__Graphs", "join__Graph"},
		{"graph without url", `@join__graph(name: "bi", url: "http://bi.invalid/graphql")`, "", "join__Graph.BI"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sdl := strings.Replace(string(base), tc.from, tc.to, 1)
			if sdl == string(base) {
				t.Fatalf("replacement %q not found", tc.from)
			}
			_, err := Load([]byte(sdl))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

// FuzzLoad checks that no supergraph text makes Load panic.
func FuzzLoad(f *testing.F) {
	base, err := os.ReadFile("testdata/campus.graphql")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(base)
	f.Add([]byte(`enum join__Graph { A @join__graph(name: "a", url: "u") } type Query @join__type(graph: A, key: "{") { a: Int }`))
	f.Add([]byte(`type Query { a: Int @join__field(graph: B, requires: "x {") }`))
	f.Fuzz(func(t *testing.T, sdl []byte) {
		s, err := Load(sdl)
		if err == nil && s.APISchema() == nil {
			t.Fatal("no API schema without error")
		}
	})
}
