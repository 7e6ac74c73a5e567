package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// composeRoot builds a repository root with ergo.yaml and two modules with schema files.
func composeRoot(tb testing.TB, courses string) string {
	tb.Helper()
	root := tb.TempDir()
	files := map[string]string{
		"ergo.yaml": "modules:\n" +
			"  - name: lms\n    dir: subgraphs/lms\n    port: 4003\n" +
			"  - name: org\n    dir: subgraphs/org\n    port: 4002\n",
		"subgraphs/lms/graph/schema.graphqls": courses,
		"subgraphs/lms/module.yaml":           "name: lms\nversion: 0.1.0\ntitle: Learning\ninteracts: [org]\n",
		"subgraphs/org/module.yaml":           "name: org\nversion: 0.1.0\ntitle: Organisation\n",
		"subgraphs/org/graph/schema.graphqls": `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Faculty @key(fields: "id") {
  id: ID!
  name: String!
}
type Query {
  faculties: [Faculty!]!
}
`,
	}
	for name, body := range files {
		writeFile(tb, filepath.Join(root, name), body)
	}
	return root
}

// writeFile writes body to path, creating directories.
func writeFile(tb testing.TB, path, body string) {
	tb.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		tb.Fatal(err)
	}
}

const lmsSchema = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Course @key(fields: "id") {
  id: ID!
  title: String!
  faculty: Faculty
}
type Faculty @key(fields: "id") {
  id: ID!
}
type Query {
  courses: [Course!]!
}
`

// compose runs `ergo compose args...` in root and returns the exit code and output.
func compose(tb testing.TB, root string, args ...string) (int, string, string) {
	tb.Helper()
	var stdout, stderr bytes.Buffer
	env := &Env{Args: args, Stdout: &stdout, Stderr: &stderr, Root: root}
	code := runCompose(context.Background(), env)
	return code, stdout.String(), stderr.String()
}

func TestComposeWritesAndChecks(t *testing.T) {
	root := composeRoot(t, lmsSchema)

	code, out, errOut := compose(t, root)
	if code != 0 {
		t.Fatalf("compose: exit %d\n%s", code, errOut)
	}
	if !strings.Contains(out, "wrote supergraph/supergraph.graphql") {
		t.Errorf("compose output = %q", out)
	}
	body, err := os.ReadFile(filepath.Join(root, "supergraph", "supergraph.graphql"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		supergraphHeader, `LMS @join__graph(name: "lms", url: "http://localhost:4003/query")`,
		`type Course @join__type(graph: LMS, key: "id")`, `faculties: [Faculty!]! @join__field(graph: ORG)`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("supergraph lacks %q:\n%s", want, body)
		}
	}

	if code, out, errOut := compose(t, root, "--check"); code != 0 || !strings.Contains(out, "up to date") {
		t.Errorf("check after compose: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestComposeCheckStale(t *testing.T) {
	root := composeRoot(t, lmsSchema)
	if code, _, errOut := compose(t, root); code != 0 {
		t.Fatalf("compose: %s", errOut)
	}
	writeFile(t, filepath.Join(root, "subgraphs/lms/graph/schema.graphqls"),
		strings.Replace(lmsSchema, "title: String!", "title: String!\n  credits: Int", 1))

	code, _, errOut := compose(t, root, "--check")
	if code != 1 || !strings.Contains(errOut, "supergraph/supergraph.graphql is stale") {
		t.Errorf("check on stale file: exit %d, stderr %q", code, errOut)
	}
	if strings.Contains(errOut, "breaking change") {
		t.Errorf("an added field was reported as breaking: %q", errOut)
	}
}

func TestComposeBreakingChanges(t *testing.T) {
	root := composeRoot(t, lmsSchema)
	if code, _, errOut := compose(t, root); code != 0 {
		t.Fatalf("compose: %s", errOut)
	}
	committed := filepath.Join(root, "supergraph", "supergraph.graphql")
	base := filepath.Join(t.TempDir(), "base.graphql")
	body, err := os.ReadFile(committed)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, base, string(body))
	writeFile(t, filepath.Join(root, "subgraphs/lms/graph/schema.graphqls"),
		strings.Replace(lmsSchema, "  title: String!\n", "", 1))

	code, _, errOut := compose(t, root, "--check")
	if code != 1 || !strings.Contains(errOut, "error: breaking change: Course.title: field was removed") {
		t.Errorf("check with a removed field: exit %d, stderr %q", code, errOut)
	}

	code, _, errOut = compose(t, root)
	if code != 0 || !strings.Contains(errOut, "warning: breaking change: Course.title: field was removed") {
		t.Errorf("compose with a removed field: exit %d, stderr %q", code, errOut)
	}

	code, _, errOut = compose(t, root, "--check", "--base", base)
	if code != 1 || !strings.Contains(errOut, "breaking changes (pass --allow-breaking") {
		t.Errorf("check against base: exit %d, stderr %q", code, errOut)
	}
	if code, out, errOut := compose(t, root, "--check", "--base", base, "--allow-breaking"); code != 0 {
		t.Errorf("check with --allow-breaking: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestComposeReportsProblems(t *testing.T) {
	root := composeRoot(t, strings.Replace(lmsSchema, `@key(fields: "id") {
  id: ID!
  title`, `@key(fields: "code") {
  id: ID!
  title`, 1)+"type Faculty2 {\n  name: String!\n}\n")
	writeFile(t, filepath.Join(root, "subgraphs/org/graph/extra.graphqls"), "type Broken {\n")

	code, _, errOut := compose(t, root, "--check")
	if code != 1 {
		t.Fatalf("check on invalid subgraphs: exit %d", code)
	}
	for _, want := range []string{
		"subgraphs/lms/graph/schema.graphqls:2:14: [lms] KEY_INVALID_FIELDS:",
		"subgraphs/org/graph/extra.graphqls:2:1: [org] INVALID_GRAPHQL:",
		"composition failed with 2 problem(s)",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
}

func TestComposeNoModules(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "ergo.yaml"), "modules: []\n")
	if code, out, errOut := compose(t, root, "--check"); code != 0 || !strings.Contains(out, "nothing to compose") {
		t.Errorf("check without modules: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if code, _, _ := compose(t, root, "extra"); code != 2 {
		t.Errorf("compose with an argument: exit %d, want 2", code)
	}
	if code, out, _ := compose(t, root); code != 0 || !strings.Contains(out, "nothing to compose") {
		t.Errorf("compose without modules: exit %d, stdout %q", code, out)
	}
}
