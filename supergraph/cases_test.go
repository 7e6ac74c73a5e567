package supergraph

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the expected files of testdata/cases")

// testCase is one directory of testdata/cases: each *.graphql file other than
// supergraph.graphql is a subgraph named after the file, and each subdirectory a subgraph
// made of the *.graphql files in it; supergraph.graphql holds the expected output of a
// successful composition, errors.txt the expected problems.
type testCase struct {
	name      string
	dir       string
	subgraphs []Subgraph
}

// loadCases reads every case under testdata/cases.
func loadCases(tb testing.TB) []testCase {
	tb.Helper()
	dirs, err := filepath.Glob(filepath.Join("testdata", "cases", "*"))
	if err != nil {
		tb.Fatal(err)
	}
	sort.Strings(dirs)
	var cases []testCase
	for _, dir := range dirs {
		cases = append(cases, testCase{name: filepath.Base(dir), dir: dir, subgraphs: readSubgraphs(tb, dir)})
	}
	if len(cases) == 0 {
		tb.Fatal("no cases in testdata/cases")
	}
	return cases
}

// readSubgraphs reads the subgraphs of one case directory.
func readSubgraphs(tb testing.TB, dir string) []Subgraph {
	tb.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	var out []Subgraph
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".graphql")
		path := filepath.Join(dir, e.Name())
		files := []string{path}
		switch {
		case e.IsDir():
			files, err = filepath.Glob(filepath.Join(path, "*.graphql"))
			if err != nil {
				tb.Fatal(err)
			}
		case name == e.Name() || name == "supergraph":
			continue
		}
		out = append(out, Subgraph{
			Name: name, URL: "http://" + name + ":4000/query",
			Sources: readSources(tb, files),
		})
	}
	return out
}

// readSources reads schema files.
func readSources(tb testing.TB, files []string) []Source {
	tb.Helper()
	var out []Source
	for _, file := range files {
		body, err := os.ReadFile(file)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, Source{Name: filepath.ToSlash(file), Body: string(body)})
	}
	return out
}

// TestCompose composes every case and compares with its expected supergraph or problems.
func TestCompose(t *testing.T) {
	for _, c := range loadCases(t) {
		t.Run(c.name, func(t *testing.T) {
			sg, err := Compose(c.subgraphs)
			var errs Errors
			if err != nil && !errors.As(err, &errs) {
				t.Fatalf("Compose returned %T, want Errors: %v", err, err)
			}
			if err != nil {
				checkGolden(t, c.dir, "errors.txt", []byte(errs.Error()+"\n"), "supergraph.graphql")
				return
			}
			checkGolden(t, c.dir, "supergraph.graphql", sg.SDL(), "errors.txt")
		})
	}
}

// TestComposeOrderIndependent checks that the order of the subgraphs does not change the
// output.
func TestComposeOrderIndependent(t *testing.T) {
	for _, c := range loadCases(t) {
		t.Run(c.name, func(t *testing.T) {
			reversed := append([]Subgraph(nil), c.subgraphs...)
			for i, j := 0, len(reversed)-1; i < j; i, j = i+1, j-1 {
				reversed[i], reversed[j] = reversed[j], reversed[i]
			}
			a, errA := Compose(c.subgraphs)
			b, errB := Compose(reversed)
			if errA != nil || errB != nil {
				if diff := cmp.Diff(errString(errA), errString(errB)); diff != "" {
					t.Errorf("errors depend on subgraph order (-given +reversed):\n%s", diff)
				}
				return
			}
			if diff := cmp.Diff(string(a.SDL()), string(b.SDL())); diff != "" {
				t.Errorf("output depends on subgraph order (-given +reversed):\n%s", diff)
			}
		})
	}
}

// errString returns err's text, or "" for nil.
func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// checkGolden compares got with dir/name, rewriting it (and removing the other expected
// file) under -update.
func checkGolden(tb testing.TB, dir, name string, got []byte, other string) {
	tb.Helper()
	path := filepath.Join(dir, name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		if err := os.Remove(filepath.Join(dir, other)); err != nil && !errors.Is(err, os.ErrNotExist) {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		otherWant, _ := os.ReadFile(filepath.Join(dir, other))
		tb.Fatalf("got %s but the case expects %s:\n%s\n\ngot:\n%s", name, other, otherWant, got)
	}
	if err != nil {
		tb.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		tb.Errorf("%s differs (-want +got), run go test -update to accept:\n%s", path, diff)
	}
}
