package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"ergo/platform/modules"
	"ergo/supergraph"

	"github.com/google/go-cmp/cmp"
)

const moduleTestManifest = "name: %s\nversion: 0.2.0\ntitle: T\n"

// moduleRepo writes a small repository for the scaffolding tests: identity (whose Resolver
// has no Pool), library (a module with an app) and broken (an invalid manifest), and a
// directory subgraphs/lms that ergo.yaml does not list.
func moduleRepo(t *testing.T) string {
	t.Helper()
	return repo(t, "# Modules.\nmodules:\n"+
		"  - {name: identity, dir: subgraphs/identity, port: 4001}\n"+
		"  - {name: library, dir: subgraphs/library, port: 4005}\n"+
		"  - {name: broken, dir: subgraphs/broken, port: 4006}\n",
		map[string]string{
			"go.work":                              "go 1.26.0\n\nuse ./platform\n",
			"sqlc.yaml":                            "version: \"2\"\nsql: []\n",
			"subgraphs/identity/module.yaml":       strings.ReplaceAll(moduleTestManifest, "%s", "identity") + "core: true\n",
			"subgraphs/identity/graph/resolver.go": "package graph\n\ntype Resolver struct{ Users any }\n",
			"subgraphs/library/module.yaml": strings.ReplaceAll(moduleTestManifest, "%s", "library") +
				"apps:\n  - {name: quizzes, title: Quizzes}\n",
			"subgraphs/library/graph/resolver.go":     "package graph\n\ntype Resolver struct{ Pool any }\n",
			"subgraphs/library/graph/schema.graphqls": "type Query { a: Int }\n",
			"schema/library/0001_init.sql":            "CREATE TABLE a ();\n",
			"subgraphs/broken/module.yaml":            "name: broken\nversion: one\ntitle: B\n",
			"subgraphs/broken/graph/resolver.go":      "package graph\n\ntype Resolver struct{ Pool any }\n",
			"subgraphs/lms/README":                    "not registered\n",
		})
}

// snapshot returns path -> SHA-256 of every file under root.
func snapshot(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := os.ReadFile(p)
		sum := sha256.Sum256(body)
		out[p] = hex.EncodeToString(sum[:])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestModuleNewRefuses checks that bad, reserved and existing names, unknown modules and
// unusable modules are refused with a clear message and nothing written.
func TestModuleNewRefuses(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"new", "Bad-Name"}, 1, `module name "Bad-Name": want 2 to 31 lower-case letters and digits`},
		{[]string{"new", "x"}, 1, `module name "x": want 2 to 31`},
		{[]string{"new", "router"}, 1, `module name "router" is reserved (reserved: app, apps, cmd`},
		{[]string{"new", "query"}, 1, `module name "query" is reserved`},
		{[]string{"new", "identity"}, 1, `module "identity" already exists in ergo.yaml`},
		{[]string{"new", "lms"}, 1, `module "lms": subgraphs/lms already exists`},
		{[]string{"new", "notes", "--depends", "identity,ghost"}, 1, "--depends ghost: no such module in ergo.yaml"},
		{[]string{"new", "notes", "--interacts", "ghost"}, 1, "--interacts ghost: no such module in ergo.yaml"},
		{[]string{"new", "--interacts", "ghost", "notes"}, 1, "--interacts ghost: no such module in ergo.yaml"},
		{[]string{"new", "library/quizzes"}, 1, `app "quizzes" already exists in module library`},
		{[]string{"new", "library/library"}, 1, `app "library" already exists in module library`},
		{[]string{"new", "library/Quiz"}, 1, `app name "Quiz": want 2 to 31`},
		{[]string{"new", "library/schema"}, 1, `app name "schema" is reserved`},
		{[]string{"new", "ghost/notes"}, 1, `module "ghost" is not a module of this repository`},
		{[]string{"new", "identity/notes"}, 1, "subgraphs/identity/graph: the Resolver struct has no Pool field"},
		{[]string{"new", "broken/notes"}, 1, "fix the module's manifest first:\nsubgraphs/broken/module.yaml:2: version \"one\""},
		{[]string{"new", "library/notes", "--depends", "identity"}, 2, "--depends and --interacts are for modules"},
		{[]string{"new"}, 2, "Usage: ergo module new"},
		{[]string{"add", "notes"}, 2, "ergo module new <name>|<module>/<app>"},
		{[]string{"new", "notes", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"new", "--depends"}, 2, "flag needs an argument"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			root := moduleRepo(t)
			before := snapshot(t, root)
			code, _, stderr := run(t, append([]string{"module"}, tt.args...)...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit %d and %q", code, stderr, tt.code, tt.want)
			}
			if diff := cmp.Diff(before, snapshot(t, root)); diff != "" {
				t.Errorf("files changed (-before +after):\n%s", diff)
			}
		})
	}
}

func TestEditYAML(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{
			"empty flow list", "# Modules.\nmodules: [] # none yet\n",
			"# Modules.\nmodules: # none yet\n  - name: notes\n    dir: subgraphs/notes\n    port: 4009\n",
		},
		{
			"block list", "modules:\n  # identity first\n  - name: identity\n    url: http://x\n",
			"modules:\n  # identity first\n  - name: identity\n    url: http://x\n  - name: notes\n    dir: subgraphs/notes\n    port: 4009\n",
		},
		{
			"flow entries", "modules:\n  - {name: identity, dir: subgraphs/identity, port: 4001}\n",
			"modules:\n  - {name: identity, dir: subgraphs/identity, port: 4001}\n  - {name: notes, dir: subgraphs/notes, port: 4009}\n",
		},
		{"missing key", "other: 1\n", "other: 1\nmodules:\n  - name: notes\n    dir: subgraphs/notes\n    port: 4009\n"},
		{"null", "modules:\n", "modules:\n  - name: notes\n    dir: subgraphs/notes\n    port: 4009\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			writeFile(t, filepath.Join(root, "ergo.yaml"), tt.body)
			s := &scaffold{edits: map[string][]byte{}}
			if err := s.editYAML(root, "ergo.yaml", "modules", moduleEntry("notes", 4009)); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(s.edits["ergo.yaml"])); diff != "" {
				t.Errorf("edited (-want +got):\n%s", diff)
			}
		})
	}

	root := t.TempDir()
	writeFile(t, filepath.Join(root, "ergo.yaml"), "modules: lots\n")
	s := &scaffold{edits: map[string][]byte{}}
	if err := s.editYAML(root, "ergo.yaml", "modules", moduleEntry("notes", 4009)); err == nil ||
		!strings.Contains(err.Error(), "ergo.yaml: modules is not a list") {
		t.Errorf("editYAML on a scalar = %v", err)
	}
}

// TestScaffoldUndo checks that undoing a write leaves the repository as it was.
func TestScaffoldUndo(t *testing.T) {
	root := moduleRepo(t)
	before := snapshot(t, root)
	s := &scaffold{
		files: map[string][]byte{
			"subgraphs/notes/module.yaml":     []byte("name: notes\n"),
			"subgraphs/library/graph/a.go":    []byte("package graph\n"),
			"schema/notes/0001_init.sql":      []byte("CREATE TABLE n ();\n"),
			"queries/library/notes/notes.sql": []byte("SELECT 1;\n"),
		},
		edits: map[string][]byte{"ergo.yaml": []byte("modules: []\n")},
	}
	undo, err := s.write(root)
	if err != nil {
		t.Fatal(err)
	}
	for p := range s.files {
		if _, err := os.Stat(filepath.Join(root, p)); err != nil {
			t.Errorf("after write: %v", err)
		}
	}
	writeFile(t, filepath.Join(root, "go.work"), "go 1.26.0\n\nuse ./platform ./subgraphs/notes\n")
	if err := undo(); err != nil {
		t.Fatal(err)
	}
	after := snapshot(t, root)
	for p := range after {
		if strings.Contains(p, string(filepath.Separator)+".ergo"+string(filepath.Separator)) {
			delete(after, p)
		}
	}
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("files after undo (-before +after):\n%s", diff)
	}
	for _, dir := range []string{"subgraphs/notes", "schema/notes", "queries/library"} {
		if _, err := os.Stat(filepath.Join(root, dir)); err == nil {
			t.Errorf("%s still exists after undo", dir)
		}
	}
}

func TestCheckManifests(t *testing.T) {
	const identitySDL = "type User @key(fields: \"id\") { id: ID! email: String }\ntype Query { me: User }\n"
	tests := []struct {
		name     string
		lms, sdl string // lms's manifest and schema
		only     []string
		want     []string // nil: no problem
	}{
		{
			"declared", "interacts: [identity]\ndepends: {identity: '^0.2.0'}\n",
			"type User @key(fields: \"id\") { id: ID! courses: [String!]! }", nil, nil,
		},
		{
			"undeclared", "", "type User @key(fields: \"id\") { id: ID! courses: [String!]! }", nil,
			[]string{"subgraphs/lms/graph/schema.graphqls:1:6: UNDECLARED_INTERACTION: module lms defines a stub of type User of module identity"},
		},
		{
			"sealed", "interacts: [identity]\n", "type User @key(fields: \"id\") { id: ID! email: String }", nil,
			[]string{"subgraphs/lms/graph/schema.graphqls:1:40: CORE_FIELD_SEALED: module lms redefines User.email of core module identity"},
		},
		{
			"bad manifest and dependency left out", "depends: {identity: '^0.2.0'}\nevents: {consumes: [x]}\n",
			"type Query { a: Int }",
			[]string{"lms"},
			[]string{"subgraphs/lms/module.yaml:5: events.consumes: \"x\""},
		},
		{
			"dependency left out", "depends: {identity: '^0.2.0'}\n", "type Query { a: Int }",
			[]string{"lms"},
			[]string{"subgraphs/lms/module.yaml:4: depends on identity, which is disabled"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := repo(t, "modules:\n"+
				"  - {name: identity, dir: subgraphs/identity, port: 4001}\n"+
				"  - {name: lms, dir: subgraphs/lms, port: 4003}\n",
				map[string]string{
					"subgraphs/identity/module.yaml":           "name: identity\nversion: 0.2.0\ntitle: I\ncore: true\n",
					"subgraphs/identity/graph/schema.graphqls": identitySDL,
					"subgraphs/lms/module.yaml":                "name: lms\nversion: 0.1.0\ntitle: L\n" + tt.lms,
					"subgraphs/lms/graph/schema.graphqls":      tt.sdl,
				})
			cfg, err := modules.Load(root, "")
			if err != nil {
				t.Fatal(err)
			}
			// Switched off as by disabled: true in ergo.yaml: a module list cannot leave out
			// the core identity.
			for i, m := range cfg.Modules {
				cfg.Modules[i].Disabled = tt.only != nil && !slices.Contains(tt.only, m.Name)
			}
			var subgraphs []supergraph.Subgraph
			for _, m := range cfg.Enabled() {
				s, err := moduleSubgraph(root, m)
				if err != nil {
					t.Fatal(err)
				}
				subgraphs = append(subgraphs, s)
			}
			err = checkManifests(root, cfg.Enabled(), subgraphs)
			if tt.want == nil {
				if err != nil {
					t.Errorf("checkManifests: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("checkManifests found nothing")
			}
			got := strings.Split(err.Error(), "\n")
			if len(got) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(got), len(tt.want), err)
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(got[i], w) {
					t.Errorf("problem %d:\ngot  %s\nwant %s...", i, got[i], w)
				}
			}
		})
	}
}

// TestRepositoryModules checks this repository's enabled modules as composition does: their
// manifests, and their schema slices against the interactions the manifests declare.
func TestRepositoryModules(t *testing.T) {
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := modules.Load(root, "")
	if err != nil {
		t.Fatal(err)
	}
	var subgraphs []supergraph.Subgraph
	for _, m := range cfg.Enabled() {
		if m.Dir == "" {
			continue // its schema is served by the module, not in the repository
		}
		s, err := moduleSubgraph(root, m)
		if err != nil {
			t.Fatal(err)
		}
		subgraphs = append(subgraphs, s)
	}
	if err := checkManifests(root, cfg.Enabled(), subgraphs); err != nil {
		t.Errorf("the modules of ergo.yaml:\n%v", err)
	}
}
