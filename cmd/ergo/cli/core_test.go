package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// coreRepo writes a small repository: a core module (identity), an ordinary one (lms) and
// files in and out of the core.
func coreRepo(t *testing.T) string {
	t.Helper()
	return repo(t, "modules:\n"+
		"  - {name: identity, dir: subgraphs/identity, port: 4001}\n"+
		"  - {name: lms, dir: subgraphs/lms, port: 4003}\n",
		map[string]string{
			"platform/config/config.go":                "package config\n",
			"router/router.go":                         "package router\n",
			"supergraph/merge.go":                      "package supergraph\n",
			"supergraph/supergraph.graphql":            "type Query { a: Int }\n",
			"cmd/ergo/main.go":                         "package main\n",
			"subgraphs/identity/module.yaml":           "name: identity\ncore: true\n",
			"subgraphs/identity/graph/schema.graphqls": "type Query { me: ID }\n",
			"schema/identity/0001_users.sql":           "create table users ();\n",
			"queries/identity/users.sql":               "select 1;\n",
			"subgraphs/lms/module.yaml":                "name: lms\n",
			"subgraphs/lms/graph/schema.graphqls":      "type Query { courses: ID }\n",
			"schema/lms/0001_courses.sql":              "create table courses ();\n",
			".ergo/postgres/PG_VERSION":                "18\n",
			"docs/modules.md":                          "# Modules\n",
		})
}

func TestCoreLockAndCheck(t *testing.T) {
	root := coreRepo(t)
	if code, _, stderr := run(t, "core", "check"); code != 1 || !strings.Contains(stderr, "no core.lock: run `ergo core lock`") {
		t.Fatalf("check without a lock = %d %q", code, stderr)
	}
	code, stdout, stderr := run(t, "core", "lock")
	if code != 0 || !strings.Contains(stdout, "core.lock: 8 core files locked") {
		t.Fatalf("lock = %d %q %q", code, stdout, stderr)
	}
	lock, err := os.ReadFile(filepath.Join(root, "core.lock"))
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, line := range strings.Split(strings.TrimSpace(string(lock)), "\n") {
		if !strings.HasPrefix(line, "#") {
			paths = append(paths, line[66:])
		}
	}
	want := "cmd/ergo/main.go platform/config/config.go queries/identity/users.sql router/router.go " +
		"schema/identity/0001_users.sql subgraphs/identity/graph/schema.graphqls " +
		"subgraphs/identity/module.yaml supergraph/merge.go"
	if got := strings.Join(paths, " "); got != want {
		t.Errorf("locked files:\ngot  %s\nwant %s", got, want)
	}
	if code, stdout, _ := run(t, "core", "check"); code != 0 || !strings.Contains(stdout, "8 core files unchanged") {
		t.Errorf("check after lock = %d %q", code, stdout)
	}
}

func TestCoreCheckNamesChanges(t *testing.T) {
	tests := []struct {
		name string
		edit func(t *testing.T, root string)
		want []string // lines of stderr; nil when check passes
	}{
		{"non-core edits pass", func(t *testing.T, root string) {
			writeFile(t, filepath.Join(root, "subgraphs/lms/graph/schema.graphqls"), "type Query { c: ID }\n")
			writeFile(t, filepath.Join(root, "supergraph/supergraph.graphql"), "type Query { b: Int }\n")
			writeFile(t, filepath.Join(root, ".ergo/postgres/postmaster.pid"), "1\n")
		}, nil},
		{"line endings do not count", func(t *testing.T, root string) {
			writeFile(t, filepath.Join(root, "router/router.go"), "package router\r\n")
		}, nil},
		{"changed, added and removed", func(t *testing.T, root string) {
			writeFile(t, filepath.Join(root, "platform/config/config.go"), "package config // edited\n")
			writeFile(t, filepath.Join(root, "queries/identity/more.sql"), "select 2;\n")
			if err := os.Remove(filepath.Join(root, "supergraph/merge.go")); err != nil {
				t.Fatal(err)
			}
		}, []string{
			"changed: platform/config/config.go",
			"added:   queries/identity/more.sql",
			"removed: supergraph/merge.go",
			"ergo core check: core files changed: review the change, then run `ergo core lock` and commit core.lock",
		}},
		{"a module made core", func(t *testing.T, root string) {
			writeFile(t, filepath.Join(root, "subgraphs/lms/module.yaml"), "name: lms\ncore: true\n")
		}, []string{
			"added:   schema/lms/0001_courses.sql",
			"added:   subgraphs/lms/graph/schema.graphqls",
			"added:   subgraphs/lms/module.yaml",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := coreRepo(t)
			if code, _, stderr := run(t, "core", "lock"); code != 0 {
				t.Fatal(stderr)
			}
			tt.edit(t, root)
			code, _, stderr := run(t, "core", "check")
			if tt.want == nil {
				if code != 0 {
					t.Errorf("check = %d, want 0; stderr:\n%s", code, stderr)
				}
				return
			}
			if code != 1 {
				t.Errorf("check = %d, want 1", code)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w+"\n") {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
		})
	}
}

// TestCoreCheckGit checks that in a git work tree ignored build outputs are not core files.
func TestCoreCheckGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	root := coreRepo(t)
	writeFile(t, filepath.Join(root, ".gitignore"), "*.test\n")
	if out, err := exec.Command("git", "-C", root, "init", "-q").CombinedOutput(); err != nil {
		t.Fatalf("git init: %v %s", err, out)
	}
	if code, _, stderr := run(t, "core", "lock"); code != 0 {
		t.Fatal(stderr)
	}
	writeFile(t, filepath.Join(root, "router/router.test"), "binary")
	if code, _, stderr := run(t, "core", "check"); code != 0 {
		t.Errorf("check with an ignored file = %d:\n%s", code, stderr)
	}
	writeFile(t, filepath.Join(root, "router/new.go"), "package router\n")
	if code, _, stderr := run(t, "core", "check"); code != 1 || !strings.Contains(stderr, "added:   router/new.go") {
		t.Errorf("check with an untracked core file = %d:\n%s", code, stderr)
	}
}

func TestParseCoreLock(t *testing.T) {
	sum := strings.Repeat("ab", 32)
	tests := []struct {
		name, body, want string // want: an error part, or "" for success
	}{
		{"ok with comments and CRLF", "# header\r\n\r\n" + sum + "  router/a.go\r\n", ""},
		{"one space", sum + " router/a.go\n", "core.lock:1: want"},
		{"short hash", "abc  router/a.go\n", "core.lock:1: want"},
		{"not hex", strings.Repeat("zz", 32) + "  router/a.go\n", "core.lock:1: want"},
		{"no path", sum + "  \n", "core.lock:1: want"},
		{"twice", sum + "  a\n" + sum + "  a\n", "core.lock:2: a is listed twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseCoreLock([]byte(tt.body))
			switch {
			case tt.want == "" && (err != nil || got["router/a.go"] != sum):
				t.Errorf("parseCoreLock = %v, %v", got, err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}

func FuzzParseCoreLock(f *testing.F) {
	f.Add([]byte("# c\n" + strings.Repeat("0f", 32) + "  platform/x.go\n"))
	f.Add([]byte(strings.Repeat("0f", 32) + "  a  b\n\n#\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := parseCoreLock(body)
		if err != nil {
			return
		}
		for p, sum := range got {
			if p == "" || len(sum) != 64 {
				t.Fatalf("accepted %q -> %q", p, sum)
			}
		}
	})
}
