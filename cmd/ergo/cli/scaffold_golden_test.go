package cli

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files of the scaffolding tests")

// TestScaffoldGolden pins what `ergo module new` writes, before code generation, for a module
// and for an app: testdata/scaffold/<case>/ holds every new file and edited registry as
// <path>.golden. Run with -update after changing a template, and review the diff.
func TestScaffoldGolden(t *testing.T) {
	tests := []struct {
		name string
		plan func(root string) (*scaffold, error)
	}{
		{"module", func(root string) (*scaffold, error) {
			return planModule(root, "notes", []string{"identity"}, []string{"library"})
		}},
		{"app", func(root string) (*scaffold, error) { return planApp(root, "library", "tasks") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := moduleRepo(t)
			s, err := tt.plan(root)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string][]byte{}
			for p, body := range s.files {
				got[p] = body
			}
			for p, body := range s.edits {
				got[p] = body
			}
			compareGolden(t, filepath.Join("testdata", "scaffold", tt.name), got)
		})
	}
}

// compareGolden compares files (path -> content) with dir/<path>.golden, or rewrites dir
// with -update.
func compareGolden(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	if *update {
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		for p, body := range files {
			writeFile(t, filepath.Join(dir, filepath.FromSlash(p)+".golden"), string(body))
		}
		return
	}

	var want []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			want = append(want, strings.TrimSuffix(filepath.ToSlash(rel), ".golden"))
		}
		return err
	})
	if err != nil {
		t.Fatalf("%v (run with -update to create the golden files)", err)
	}
	var got []string
	for p := range files {
		got = append(got, p)
	}
	slices.Sort(want)
	slices.Sort(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("files (-golden +scaffold):\n%s", diff)
	}
	for _, p := range got {
		golden, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)+".golden"))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(string(golden), string(files[p])); diff != "" {
			t.Errorf("%s (-golden +scaffold):\n%s", p, diff)
		}
	}
}
