package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const removeIdentitySDL = "type User @key(fields: \"id\") { id: ID! }\ntype Query { me: User }\n"

// removeRepo writes a repository with identity (core), lms (which bi depends on), bi and
// notes (which nothing declares), registered in ergo.yaml, sqlc.yaml and go.work.
func removeRepo(t *testing.T, notesSDL string) string {
	t.Helper()
	files := map[string]string{
		"go.work": "go 1.26.0\n\nuse (\n\t./cmd/ergo\n\t./subgraphs/notes\n)\n",
		"sqlc.yaml": "version: \"2\"\nsql:\n  # one block per module\n" +
			"  - {engine: postgresql, schema: schema/lms, queries: queries/lms}\n" +
			"  - {engine: postgresql, schema: schema/notes, queries: queries/notes}\n",
		"cmd/ergo/go.mod":                          "module ergo/cmd/ergo\n\ngo 1.26.0\n",
		"subgraphs/notes/go.mod":                   "module ergo/subgraphs/notes\n\ngo 1.26.0\n",
		"subgraphs/identity/module.yaml":           "name: identity\nversion: 0.1.0\ntitle: I\ncore: true\n",
		"subgraphs/identity/graph/schema.graphqls": removeIdentitySDL,
		"subgraphs/lms/module.yaml":                "name: lms\nversion: 0.1.0\ntitle: L\napps: [{name: quizzes, title: Q}]\n",
		"subgraphs/lms/graph/schema.graphqls":      "type Course { id: ID! }\ntype Query { courses: [Course!]! }\n",
		"subgraphs/lms/graph/quizzes.graphqls":     "type Quiz { id: ID! }\nextend type Query { quizzes: [Quiz!]! }\n",
		"subgraphs/bi/module.yaml":                 "name: bi\nversion: 0.1.0\ntitle: B\ndepends: {lms: '^0.1.0'}\ninteracts: [lms]\n",
		"subgraphs/bi/graph/schema.graphqls":       "type Query { stats: Int }\n",
		"subgraphs/notes/module.yaml":              "name: notes\nversion: 0.1.0\ntitle: N\n",
		"subgraphs/notes/graph/schema.graphqls":    notesSDL,
		"schema/notes/0001_init.sql":               "CREATE TABLE items ();\n",
		"queries/notes/items.sql":                  "SELECT 1;\n",
	}
	return repo(t, "# Modules.\nmodules:\n"+
		"  - {name: identity, dir: subgraphs/identity, port: 4001}\n"+
		"  - {name: lms, dir: subgraphs/lms, port: 4003}\n"+
		"  - {name: bi, dir: subgraphs/bi, port: 4004}\n"+
		"  - {name: notes, dir: subgraphs/notes, port: 4005}\n"+
		"  - {name: search, url: http://127.0.0.1:4010/graphql, disabled: true}\n", files)
}

func TestModuleRemove(t *testing.T) {
	root := removeRepo(t, "type Note { id: ID! }\ntype Query { notes: [Note!]! }\n")
	code, stdout, stderr := run(t, "module", "remove", "notes")
	if code != 0 {
		t.Fatalf("remove = %d:\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(
		stdout,
		"its PostgreSQL schema notes was kept, with its data and its applied migrations",
	) ||
		!strings.Contains(stdout, "-c 'DROP SCHEMA notes CASCADE'") {
		t.Errorf("stdout lacks the kept schema and how to drop it:\n%s", stdout)
	}
	for _, dir := range []string{"subgraphs/notes", "schema/notes", "queries/notes"} {
		if _, err := os.Stat(filepath.Join(root, dir)); err == nil {
			t.Errorf("%s still exists", dir)
		}
	}
	want := map[string]string{
		"ergo.yaml": "# Modules.\nmodules:\n" +
			"  - {name: identity, dir: subgraphs/identity, port: 4001}\n" +
			"  - {name: lms, dir: subgraphs/lms, port: 4003}\n" +
			"  - {name: bi, dir: subgraphs/bi, port: 4004}\n" +
			"  - {name: search, url: 'http://127.0.0.1:4010/graphql', disabled: true}\n",
		"sqlc.yaml": "version: \"2\"\nsql:\n  # one block per module\n" +
			"  - {engine: postgresql, schema: schema/lms, queries: queries/lms}\n",
	}
	for file, body := range want {
		got, err := os.ReadFile(filepath.Join(root, file))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(body, string(got)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", file, diff)
		}
	}
	work, _ := os.ReadFile(filepath.Join(root, "go.work"))
	if strings.Contains(string(work), "notes") {
		t.Errorf("go.work still uses notes:\n%s", work)
	}
	sg, _ := os.ReadFile(filepath.Join(root, "supergraph", "supergraph.graphql"))
	if !strings.Contains(string(sg), "courses") || strings.Contains(string(sg), "Note") {
		t.Errorf("supergraph not recomposed without notes:\n%s", sg)
	}
}

// TestModuleRemoveRefuses checks that refusals and a failed recomposition leave every file
// as it was.
func TestModuleRemoveRefuses(t *testing.T) {
	tests := []struct {
		name, module, notesSDL string
		code                   int
		want                   string
	}{
		{
			"core",
			"identity",
			"type Query { n: Int }\n",
			1,
			"module identity is core (core: true in its module.yaml)",
		},
		{
			"declared by another", "lms", "type Query { n: Int }\n", 1,
			"other modules still declare lms; remove it from their module.yaml first:\n" +
				"  subgraphs/bi/module.yaml: depends on lms\n  subgraphs/bi/module.yaml: interacts with lms",
		},
		{"unknown", "ghost", "type Query { n: Int }\n", 1, `no module "ghost" in ergo.yaml`},
		// bi's schema uses nothing of notes, but lms's does without declaring it: composition
		// fails once notes is gone, and everything comes back.
		{"recomposition fails", "bi", "type Query { n: Int }\n", 1, "the remaining modules do not compose"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := removeRepo(t, tt.notesSDL)
			if tt.name == "recomposition fails" {
				writeFile(
					t,
					filepath.Join(root, "subgraphs/lms/module.yaml"),
					"name: lms\nversion: 0.1.0\ntitle: L\n",
				)
				writeFile(t, filepath.Join(root, "subgraphs/lms/graph/schema.graphqls"),
					"type Course { id: ID! stats: Stats }\ntype Query { courses: [Course!]! }\n")
				writeFile(t, filepath.Join(root, "subgraphs/bi/graph/schema.graphqls"),
					"type Stats { n: Int }\ntype Query { stats: Stats }\n")
			}
			before := snapshot(t, root)
			code, _, stderr := run(t, "module", "remove", tt.module)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit %d and %q", code, stderr, tt.code, tt.want)
			}
			after := snapshot(t, root)
			for p := range after {
				if strings.Contains(filepath.ToSlash(p), "/.ergo/") {
					delete(after, p)
				}
			}
			if diff := cmp.Diff(before, after); diff != "" {
				t.Errorf("files changed (-before +after):\n%s", diff)
			}
		})
	}
}

func TestModuleList(t *testing.T) {
	removeRepo(t, "type Query { n: Int }\n")
	code, stdout, stderr := run(t, "module", "list")
	if code != 0 {
		t.Fatalf("list = %d: %s", code, stderr)
	}
	want := []string{
		"NAME      VERSION  CORE  ENABLED  AT                            DEPENDS     INTERACTS  APPS",
		"identity  0.1.0    yes   yes      subgraphs/identity :4001      -           -          -",
		"lms       0.1.0    no    yes      subgraphs/lms :4003           -           -          quizzes",
		"bi        0.1.0    no    yes      subgraphs/bi :4004            lms ^0.1.0  lms        -",
		"notes     0.1.0    no    yes      subgraphs/notes :4005         -           -          -",
		"search    -        -     no       http://127.0.0.1:4010/graphql  -           -          -",
	}
	var wantRows, gotRows [][]string
	for _, line := range want {
		wantRows = append(wantRows, strings.Fields(line))
	}
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		gotRows = append(gotRows, strings.Fields(line))
	}
	if diff := cmp.Diff(wantRows, gotRows); diff != "" {
		t.Errorf("list (-want +got):\n%s", diff)
	}

	// A module list names the modules beside the core ones: identity stays enabled.
	t.Setenv("ERGO_MODULES", "notes")
	code, stdout, stderr = run(t, "module", "list")
	wantNote := "ergo module list: adding core module identity: core modules always run, " +
		"the module list names the others\n"
	if code != 0 || stderr != wantNote || !strings.Contains(stdout, "\nidentity  0.1.0    yes   yes") ||
		!strings.Contains(stdout, "\nlms       0.1.0    no    no") {
		t.Errorf(
			"ERGO_MODULES=notes ergo module list = %d, stderr %q, want 0, %q:\n%s",
			code,
			stderr,
			wantNote,
			stdout,
		)
	}
	t.Setenv("ERGO_MODULES", "")

	writeFile(
		t,
		filepath.Join(os.Getenv("ERGO_ROOT"), "subgraphs/notes/module.yaml"),
		"name: notes\nversion: x\ntitle: N\n",
	)
	code, stdout, stderr = run(t, "module", "list")
	if code != 1 || !strings.Contains(stdout, "(invalid)") ||
		!strings.Contains(stderr, `subgraphs/notes/module.yaml:2: version "x" is not a semantic version`) {
		t.Errorf("list with a bad manifest = %d:\n%s%s", code, stdout, stderr)
	}
}
