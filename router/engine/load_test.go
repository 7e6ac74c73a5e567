package engine

import (
	"os"
	"testing"
)

func TestLoadCampus(t *testing.T) {
	sdl, err := os.ReadFile("testdata/campus.graphql")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Load(sdl)
	if err != nil {
		t.Fatal(err)
	}
	if s.APISchema().Types["join__Graph"] != nil {
		t.Error("join__Graph is in the API schema")
	}
	if s.APISchema().Types["User"].Fields.ForName("ssn") != nil {
		t.Error("inaccessible User.ssn is in the API schema")
	}
	if got := len(s.Subgraphs()); got != 4 {
		t.Errorf("subgraphs = %d, want 4", got)
	}
}
