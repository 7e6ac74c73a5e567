package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ergo/platform/postgres/pgtest"
)

// repo writes a minimal repository with the given ergo.yaml into a temporary directory and
// points ergo at it.
func repo(t *testing.T, ergoYAML string, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	files["ergo.yaml"] = ergoYAML
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("ERGO_ROOT", root)
	return root
}

func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Run(context.Background(), args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestBadConfigurationIsOneLine checks that every kind of bad configuration stops ergo with
// exactly one line that names what is wrong, and no stack trace.
func TestBadConfigurationIsOneLine(t *testing.T) {
	tests := []struct {
		name     string
		env      map[string]string
		ergoYAML string
		args     []string
		wantCode int
		want     string
	}{
		{
			"bad log format",
			map[string]string{"ERGO_LOG_FORMAT": "xml"},
			"modules: []\n",
			[]string{"migrate"},
			1, `ergo migrate: ERGO_LOG_FORMAT="xml" is invalid: want text or json`,
		},
		{
			"bad database url",
			map[string]string{"ERGO_DATABASE_URL": "mysql://x"},
			"modules: []\n",
			[]string{"migrate"},
			1, `ergo migrate: ERGO_DATABASE_URL="mysql://x" is invalid: want postgres://`,
		},
		{
			"bad boolean",
			map[string]string{"ERGO_DEMO_DATA": "maybe"},
			"modules: []\n",
			[]string{"run"},
			1, `ergo run: ERGO_DEMO_DATA="maybe" is invalid: want true or false`,
		},
		{
			"unknown module",
			map[string]string{"ERGO_MODULES": "nope"},
			"modules: []\n",
			[]string{"migrate"},
			1, `ergo migrate: ERGO_MODULES="nope": unknown module "nope"`,
		},
		{
			"unknown module in the flag", nil,
			"modules:\n  - {name: notes, dir: subgraphs/notes, port: 4100}\n",
			[]string{"run", "-check", "-modules", "notes,bogus"},
			1, `ergo run: -modules="notes,bogus": unknown module "bogus"`,
		},
		{
			"unknown module in the flag, a good variable",
			map[string]string{"ERGO_MODULES": "notes"},
			"modules:\n  - {name: notes, dir: subgraphs/notes, port: 4100}\n",
			[]string{"run", "-check", "-modules", "bogus"},
			1, `ergo run: -modules="bogus": unknown module "bogus"`,
		},
		{
			"unknown module in the variable under run",
			map[string]string{"ERGO_MODULES": "bogus"},
			"modules:\n  - {name: notes, dir: subgraphs/notes, port: 4100}\n",
			[]string{"run", "-check"},
			1, `ergo run: ERGO_MODULES="bogus": unknown module "bogus"`,
		},
		{
			"bad ergo.yaml", nil, "modules:\n  - name: lms\n    colour: red\n",
			[]string{"migrate"},
			1, `ergo migrate: ergo.yaml:3: unknown key "colour" in module "lms"`,
		},
		{
			"bad router address", nil, "modules: []\n",
			[]string{"run", "-router-addr", "4000"},
			1, `ergo run: router address "4000": want host:port`,
		},
		{"unknown command", nil, "modules: []\n", []string{"fly"}, 2, `ergo: unknown command "fly"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			repo(t, tt.ergoYAML, map[string]string{})
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			code, _, stderr := run(t, tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit code = %d, want %d", code, tt.wantCode)
			}
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			if len(lines) != 1 || !strings.HasPrefix(lines[0], tt.want) {
				t.Errorf("stderr = %q, want one line starting with %q", stderr, tt.want)
			}
		})
	}
}

func TestMigrate(t *testing.T) {
	repo(t, "modules:\n  - {name: notes, dir: subgraphs/notes, port: 4100}\n", map[string]string{
		"schema/notes/0001_create_notes.sql": "CREATE TABLE notes (id int PRIMARY KEY, body text);",
	})
	t.Setenv("ERGO_DATABASE_URL", pgtest.URL(t))

	code, stdout, stderr := run(t, "migrate")
	if code != 0 || !strings.Contains(stdout, "notes      1 migration(s) applied") {
		t.Fatalf("first migrate: code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	code, stdout, _ = run(t, "migrate")
	if code != 0 || !strings.Contains(stdout, "notes      0 migration(s) applied") {
		t.Fatalf("second migrate: code %d, stdout %q", code, stdout)
	}
}
