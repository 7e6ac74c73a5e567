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

func TestParseShapes(t *testing.T) {
	tests := []struct {
		name, body string
		want       []string
	}{
		{"empty file", "", nil},
		{"comments only", "# nothing yet\n", nil},
		{"empty list", "modules: []\n", nil},
		{
			"aliases",
			"modules:\n  - {name: lms, dir: &dir subgraphs/lms, port: 4003}\n  - {name: bi, dir: *dir, port: 4004}\n",
			[]string{
				"lms subgraphs/lms http://localhost:4003/query",
				"bi subgraphs/lms http://localhost:4004/query",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := modules.Parse("ergo.yaml", []byte(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range cfg.Enabled() {
				got = append(got, m.Name+" "+m.Dir+" "+m.URL)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("enabled modules (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	const known = "(known keys: name, dir, port, url, disabled)"
	tests := []struct {
		name, body string
		want       []string
	}{
		{
			"unknown key",
			"# The platform's modules.\nmodules:\n  - {name: identity, dir: subgraphs/identity, port: 4001}\n" +
				"  - {name: org, dir: subgraphs/org, port: 4002}\n  - name: lms\n    dir: subgraphs/lms\n    prot: 4003\n",
			[]string{`ergo.yaml:7: unknown key "prot" in module "lms" ` + known},
		},
		{
			"bad name and missing address", "modules:\n  - name: Bad-Name\n    port: 1\n  - name: lms\n",
			[]string{
				`ergo.yaml:2: name "Bad-Name": want 2 to 31 lower-case letters and digits, starting with a letter`,
				`ergo.yaml:4: module "lms": set dir and port (a module in this repository) or url`,
			},
		},
		{
			"duplicate name", "modules:\n  - {name: lms, url: http://x}\n  - {name: lms, url: http://y}\n",
			[]string{`ergo.yaml:3: module "lms" is listed twice (first at line 2)`},
		},
		{
			"duplicate port",
			"modules:\n  - {name: lms, dir: subgraphs/lms, port: 4003}\n" +
				"  - name: bi\n    dir: subgraphs/bi\n    port: 4003\n    disabled: true\n",
			[]string{`ergo.yaml:5: port 4003 of module "bi" is already the port of module "lms" (line 2): ` +
				"give each module a port of its own"},
		},
		{
			"values of the wrong kind",
			"modules:\n  - name: [lms]\n    dir: subgraphs/lms\n    port: four\n    disabled: maybe\n",
			[]string{
				"ergo.yaml:2: name of module 1 of the list (no name): want a single value, not a list",
				`ergo.yaml:4: port "four" of module 1 of the list (no name): want a whole number from 1 to 65535`,
				`ergo.yaml:5: disabled "maybe" of module 1 of the list (no name): want true or false`,
			},
		},
		{
			"key twice", "modules:\n  - name: lms\n    url: http://x\n    url: http://y\n",
			[]string{`ergo.yaml:4: key "url" given twice in module "lms" (first at line 3)`},
		},
		{"not a mapping", "- lms\n", []string{`ergo.yaml:1: want a mapping with one key, modules`}},
		{
			"unknown top-level key", "module:\n  - {name: lms, url: http://x}\n",
			[]string{`ergo.yaml:1: unknown key "module" (the file has one key, modules)`},
		},
		{"modules not a list", "modules:\n  name: lms\n", []string{`ergo.yaml:2: modules: want a list`}},
		{
			"entry not a mapping",
			"modules: [lms]\n",
			[]string{`ergo.yaml:1: modules: want each entry to be a mapping`},
		},
		{"syntax", "modules: [lms\n", []string{"ergo.yaml:1: did not find expected ',' or ']'"}},
		{
			"no port", "modules:\n  - {name: lms, dir: subgraphs/lms}\n",
			[]string{`ergo.yaml:2: module "lms": set port, the local port ergo starts it on`},
		},
		{
			"escape", "modules:\n  - {name: lms, dir: ../x, port: 1}\n",
			[]string{`ergo.yaml:2: module "lms": dir "../x": want a path inside the repository`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := modules.Parse("ergo.yaml", []byte(tt.body))
			if err == nil {
				t.Fatal("Parse accepted a bad config")
			}
			got := strings.Split(err.Error(), "\n")
			if len(got) != len(tt.want) {
				t.Fatalf("Parse = %d problems, want %d:\n%v", len(got), len(tt.want), err)
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(got[i], w) {
					t.Errorf("problem %d = %q, want prefix %q", i, got[i], w)
				}
				if strings.Contains(got[i], "modules.") {
					t.Errorf("problem %d names a Go type: %q", i, got[i])
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
	_, err = modules.LoadList(root, "nope", "-modules")
	if err == nil || !strings.HasPrefix(err.Error(), `-modules="nope": unknown module "nope"`) {
		t.Errorf("LoadList from the flag with unknown module = %v", err)
	}
}

// TestLoadKeepsCore checks that a module list names the modules to run beside the core
// ones: core modules (core: true in module.yaml) run whether the list names them or not.
func TestLoadKeepsCore(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		modules.FileName: "modules:\n" +
			"  - {name: identity, dir: subgraphs/identity, port: 4001}\n" +
			"  - {name: registry, dir: subgraphs/registry, port: 4005}\n" +
			"  - {name: lms, dir: subgraphs/lms, port: 4003}\n" +
			"  - {name: bi, dir: subgraphs/bi, port: 4004}\n",
		"subgraphs/identity/module.yaml": "name: identity\ncore: true\n",
		"subgraphs/registry/module.yaml": "name: registry\ncore: true\n",
		"subgraphs/lms/module.yaml":      "name: lms\ncore: false\n",
		"subgraphs/bi/module.yaml":       "name: bi\n",
	}
	for name, body := range files {
		path := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	tests := []struct {
		name, list         string
		enabled, addedCore []string
	}{
		{"no list", "", []string{"identity", "registry", "lms", "bi"}, nil},
		{"non-core only", "bi", []string{"identity", "registry", "bi"}, []string{"identity", "registry"}},
		{"one core named", "identity,lms", []string{"identity", "registry", "lms"}, []string{"registry"}},
		{"every core named", "registry,identity", []string{"identity", "registry"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := modules.LoadList(root, tt.list, "-modules")
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, m := range cfg.Enabled() {
				names = append(names, m.Name)
			}
			if diff := cmp.Diff(tt.enabled, names); diff != "" {
				t.Errorf("enabled (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.addedCore, cfg.AddedCore); diff != "" {
				t.Errorf("AddedCore (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLoadExact checks that Load, for processes told what runs, enables exactly the list.
func TestLoadExact(t *testing.T) {
	root := t.TempDir()
	for name, body := range map[string]string{
		modules.FileName:                 sample,
		"subgraphs/identity/module.yaml": "name: identity\ncore: true\n",
	} {
		path := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := modules.Load(root, "lms")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range cfg.Enabled() {
		names = append(names, m.Name)
	}
	if diff := cmp.Diff([]string{"lms"}, names); diff != "" {
		t.Errorf("enabled (-want +got):\n%s", diff)
	}
	if !cfg.Module("identity").Core || cfg.AddedCore != nil {
		t.Errorf(
			"identity core = %v, AddedCore = %v; want true, nil",
			cfg.Module("identity").Core,
			cfg.AddedCore,
		)
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
