package modules_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ergo/platform/modules"
)

const sample = `
modules:
  - name: identity
    dir: subgraphs/identity
    port: 4001
  - name: lms
    dir: subgraphs/lms
    port: 4003
  - name: legacy
    url: http://127.0.0.1:4010/graphql
    disabled: true
`

func TestParse(t *testing.T) {
	cfg, err := modules.Parse("ergo.yaml", []byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	want := []modules.Module{
		{Name: "identity", Dir: "subgraphs/identity", Port: 4001, URL: "http://localhost:4001/query"},
		{Name: "lms", Dir: "subgraphs/lms", Port: 4003, URL: "http://localhost:4003/query"},
	}
	if diff := cmp.Diff(want, cfg.Enabled()); diff != "" {
		t.Errorf("Enabled mismatch (-want +got):\n%s", diff)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, body string
		want       []string
	}{
		{"unknown key", "modules:\n  - name: lms\n    prot: 1\n", []string{"ergo.yaml:3: field prot not found in type modules.Module"}},
		{
			"bad name and missing address", "modules:\n  - name: Bad-Name\n    port: 1\n  - name: lms\n",
			[]string{`modules[0]: name "Bad-Name"`, `modules[1]: module "lms": set dir and port`},
		},
		{
			"duplicate", "modules:\n  - {name: lms, url: http://x}\n  - {name: lms, url: http://y}\n",
			[]string{`module "lms" is listed twice`},
		},
		{"escape", "modules:\n  - {name: lms, dir: ../x, port: 1}\n", []string{"want a path inside"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := modules.Parse("ergo.yaml", []byte(tt.body))
			if err == nil {
				t.Fatal("Parse accepted a bad config")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestLoadOverride(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, modules.FileName), []byte(sample), 0o644); err != nil {
		t.Fatal(err)
	}

	cfg, err := modules.Load(root, "legacy, lms")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range cfg.Enabled() {
		names = append(names, m.Name)
	}
	if diff := cmp.Diff([]string{"lms", "legacy"}, names); diff != "" {
		t.Errorf("enabled (-want +got):\n%s", diff)
	}

	_, err = modules.Load(root, "lms,nope")
	if err == nil || !strings.Contains(err.Error(), `unknown module "nope" (known: identity, lms, legacy)`) {
		t.Errorf("Load with unknown module = %v", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte("modules: [{name: x}]"))
	f.Add([]byte("modules:\n  - name: &a x\n    dir: *a\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		cfg, err := modules.Parse("ergo.yaml", body)
		if err == nil {
			for _, m := range cfg.Enabled() {
				if m.URL == "" {
					t.Fatalf("accepted module %q without an address", m.Name)
				}
			}
		}
	})
}
