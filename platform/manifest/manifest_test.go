package manifest

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/Masterminds/semver/v3"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"ergo/platform/modules"
)

func TestParse(t *testing.T) {
	body, err := os.ReadFile("testdata/agree/good/full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse("lms/module.yaml", body)
	if err != nil {
		t.Fatal(err)
	}
	want := &Manifest{
		Name: "lms", Version: "0.3.1-beta.2+build.7", Title: "Learning",
		Description: "Courses, quizzes and attempts.", Owner: "learning-team@example.edu",
		Depends:   map[string]string{"identity": ">=0.1.0 <1.0.0", "bi": "^0.2.0 || ~1.4.0"},
		Interacts: []string{"identity", "bi"},
		Events: Events{
			Publishes: []string{"attempt.finished", "course.published"},
			Consumes:  []string{"bi.insight_found"},
		},
		Apps: []App{
			{Name: "quizzes", Title: "Quizzes", Description: "Quizzes built from analytics."},
			{Name: "courses", Title: "Courses"},
		},
		Navigation: []NavEntry{
			{Title: "Courses", Icon: "book-open", Route: "/lms/courses", Order: 20},
			{Title: "Quizzes", Route: "/lms/quizzes/:id"},
		},
		File: "lms/module.yaml",
	}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreUnexported(Manifest{})); diff != "" {
		t.Errorf("Parse mismatch (-want +got):\n%s", diff)
	}
	if line := got.line("navigation[1].route"); line != 26 {
		t.Errorf("line of navigation[1].route = %d, want 26", line)
	}
}

// goType matches the Go type names the YAML library puts in its messages.
var goType = regexp.MustCompile(`\b(manifest\.|map\[|\[\]string|in type|into )`)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, body string
		want       []string
	}{
		{"empty", "", []string{"m.yaml:1: empty manifest"}},
		{"comments only", "# to do\n", []string{"m.yaml:1: empty manifest"}},
		{"syntax", "name: [lms\n", []string{"m.yaml:"}},
		{
			"unknown keys all at once",
			"name: lms\nversion: 0.1.0\ntitle: L\ndepend: {}\nnavigation:\n  - {title: T, route: /x, path: /y}\n",
			[]string{
				`m.yaml:4: unknown key "depend" (known keys: name, version, title, description, core, owner, ` +
					"depends, interacts, events, apps, navigation)",
				`m.yaml:6: unknown key "path" in navigation[0] (known keys: title, icon, route, order)`,
			},
		},
		{
			"every field problem at once",
			"name: lms\nversion: v1\ntitle: L\ndepends:\n  lms: '>=1.0.0'\n  org: 'soon'\ninteracts: [lms, bi, bi]\n",
			[]string{
				`m.yaml:2: version "v1" is not a semantic version`,
				"m.yaml:5: depends: a module cannot depend on itself",
				`m.yaml:6: depends: org: range "soon"`,
				`m.yaml:7: interacts: a module always interacts with itself; remove "lms"`,
				`m.yaml:7: interacts: "bi" is listed twice`,
			},
		},
		{
			"unknown keys with other problems",
			"name: lms\nversion: 1\ntitle: L\ncolour: red\n",
			[]string{`m.yaml:2: version "1" is not a semantic version`, `m.yaml:4: unknown key "colour"`},
		},
		{"missing fields", "core: true\n", []string{"m.yaml:1: name is missing", "m.yaml:1: version is missing", "m.yaml:1: title is missing"}},
		{
			"apps and navigation",
			"name: lms\nversion: 0.1.0\ntitle: L\napps:\n  - {name: quiz, title: Q}\n  - {name: quiz, title: Q}\n" +
				"navigation:\n  - title: T\n    route: x\n    icon: Big\n    order: -2\n",
			[]string{
				`m.yaml:6: apps: "quiz" is listed twice`,
				`m.yaml:9: navigation: route "x"`,
				`m.yaml:10: navigation: icon "Big"`,
				"m.yaml:11: navigation: order -2",
			},
		},
		{"events", "name: lms\nversion: 0.1.0\ntitle: L\nevents:\n  consumes: ['lms:x']\n", []string{`m.yaml:5: events.consumes: "lms:x": want module.event`}},
		{"core not a boolean", "name: lms\nversion: 0.1.0\ntitle: L\ncore: maybe\n", []string{`m.yaml:4: core: want true or false, not "maybe"`}},
		{"name a list", "name: [lms]\nversion: 0.1.0\ntitle: L\n", []string{"m.yaml:1: name: want a single value, not a list"}},
		{"depends a list", "name: lms\nversion: 0.1.0\ntitle: L\ndepends: [org]\n", []string{"m.yaml:4: depends: want a mapping, not a list"}},
		{
			"events a list", "name: lms\nversion: 0.1.0\ntitle: L\nevents:\n  - x\n",
			[]string{"m.yaml:5: events: want a mapping (keys publishes, consumes), not a list"},
		},
		{
			"publishes one value", "name: lms\nversion: 0.1.0\ntitle: L\nevents:\n  publishes: x\n  colour: red\n",
			[]string{`m.yaml:5: events.publishes: want a list, not "x"`, `m.yaml:6: unknown key "colour" in events`},
		},
		{
			"order not a number", "name: lms\nversion: 0.1.0\ntitle: L\nnavigation:\n  - {title: T, route: /x, order: first}\n",
			[]string{`m.yaml:5: navigation[0].order: want a whole number, not "first"`},
		},
		{"not a mapping", "- name: lms\n", []string{"m.yaml:1: want a mapping (keys name, version, title, "}},
		{"key twice", "name: lms\nversion: 0.1.0\ntitle: L\nname: org\n", []string{`m.yaml:4: key "name" given twice (first at line 1)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("m.yaml", []byte(tt.body))
			if err == nil {
				t.Fatal("Parse accepted a bad manifest")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q; got:\n%v", w, err)
				}
			}
			if goType.MatchString(err.Error()) {
				t.Errorf("error names a Go type:\n%v", err)
			}
		})
	}
}

// mustParse parses a manifest given as YAML, named dir/module.yaml.
func mustParse(t testing.TB, dir, body string) *Manifest {
	t.Helper()
	m, err := Parse(dir+"/"+FileName, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestCheck(t *testing.T) {
	identity := "name: identity\nversion: 0.4.0\ntitle: I\ncore: true\nevents:\n  publishes: [user.created]\n"
	platform := Set{
		Known:   []string{"identity", "org", "lms", "bi", "old", "legacy"},
		Enabled: []string{"identity", "org", "lms", "bi", "legacy"},
	}
	tests := []struct {
		name      string
		manifests []string
		want      []string
	}{
		{
			"valid",
			[]string{
				identity,
				"name: org\nversion: 0.1.0\ntitle: O\ndepends: {identity: '>=0.1.0 <1.0.0', legacy: '>=2.0.0'}\n" +
					"interacts: [identity, old]\nevents:\n  consumes: [identity.user.created]\n",
			},
			nil,
		},
		{
			"out of range",
			[]string{identity, "name: org\nversion: 0.1.0\ntitle: O\ndepends:\n  identity: '^1.0.0'\n"},
			[]string{"org/module.yaml:5: depends on identity ^1.0.0, but identity is version 0.4.0 (identity/module.yaml)"},
		},
		{
			"missing and disabled",
			[]string{"name: org\nversion: 0.1.0\ntitle: O\ndepends:\n  nope: '1.0.0'\n  old: '1.0.0'\n"},
			[]string{
				"org/module.yaml:5: depends on nope, which is not a module of this platform",
				"org/module.yaml:6: depends on old, which is disabled",
			},
		},
		{"cycle", []string{
			"name: bi\nversion: 0.1.0\ntitle: B\ndepends: {lms: '>=0.1.0'}\n",
			"name: lms\nversion: 0.1.0\ntitle: L\ndepends:\n  org: '>=0.1.0'\n",
			"name: org\nversion: 0.1.0\ntitle: O\ndepends:\n  lms: '>=0.1.0'\n",
		}, []string{"lms/module.yaml:5: dependency cycle: lms -> org -> lms"}},
		{
			"unknown interacts",
			[]string{"name: org\nversion: 0.1.0\ntitle: O\ninteracts:\n  - identity\n  - ghost\n"},
			[]string{"org/module.yaml:6: interacts with ghost, which is not a module of this platform"},
		},
		{
			"events",
			[]string{identity, "name: org\nversion: 0.1.0\ntitle: O\ninteracts: [identity]\nevents:\n" +
				"  consumes: [identity.user.deleted, lms.attempt.finished]\n"},
			[]string{
				`org/module.yaml:6: consumes identity.user.deleted, but identity does not publish "user.deleted"`,
				"org/module.yaml:6: consumes lms.attempt.finished from lms: declare lms in depends or interacts",
			},
		},
		{"duplicate", []string{identity, identity}, []string{`identity/module.yaml:1: module "identity" is also declared in identity/module.yaml`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ms []*Manifest
			for _, body := range tt.manifests {
				name, _, _ := strings.Cut(strings.TrimPrefix(body, "name: "), "\n")
				ms = append(ms, mustParse(t, name, body))
			}
			var got []string
			for _, d := range Check(ms, platform) {
				got = append(got, d.Error())
			}
			if len(got) != len(tt.want) {
				t.Fatalf("Check = %d problems, want %d:\n%s", len(got), len(tt.want), strings.Join(got, "\n"))
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(got[i], w) {
					t.Errorf("problem %d = %q, want prefix %q", i, got[i], w)
				}
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, file := range []string{"testdata/agree/good/full.yaml", "testdata/agree/bad/bad-range.yaml"} {
		body, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(body)
	}
	f.Add([]byte("name: &a ab\nversion: 0.1.0\ntitle: *a\ndepends: {x1: '<1.0.0 || >=2.0.0-rc.1'}\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		m, err := Parse("module.yaml", body)
		if err != nil {
			var ds Diagnostics
			if !errors.As(err, &ds) {
				t.Fatalf("error is %T, want Diagnostics", err)
			}
			return
		}
		// An accepted manifest must be usable without further checks.
		if _, err := semver.StrictNewVersion(m.Version); err != nil {
			t.Fatalf("accepted version %q: %v", m.Version, err)
		}
		for dep, r := range m.Depends {
			if _, err := semver.NewConstraint(r); err != nil || !namePattern.MatchString(dep) {
				t.Fatalf("accepted depends %q: %q", dep, r)
			}
		}
	})
}

func TestLoadEnabled(t *testing.T) {
	root := t.TempDir()
	write := func(p, body string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Join(root, filepath.Dir(p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, p), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("subgraphs/identity/module.yaml", "name: identity\nversion: 0.1.0\ntitle: I\n"+
		"apps:\n  - {name: tokens, title: Tokens}\n  - {name: profiles, title: Profiles}\n")
	write("subgraphs/identity/graph/tokens.graphqls", "type Query { a: Int }\n")
	write("subgraphs/lms/module.yaml", "name: learning\nversion: 0.1.0\ntitle: L\n")
	write("subgraphs/old/module.yaml", "this is not a manifest")
	cfg, err := modules.Parse("ergo.yaml", []byte("modules:\n"+
		"  - {name: identity, dir: subgraphs/identity, port: 4001}\n"+
		"  - {name: lms, dir: subgraphs/lms, port: 4003}\n"+
		"  - {name: bi, dir: subgraphs/bi, port: 4004}\n"+
		"  - {name: old, dir: subgraphs/old, port: 4005, disabled: true}\n"+
		"  - {name: search, url: http://127.0.0.1:4010/graphql}\n"))
	if err != nil {
		t.Fatal(err)
	}

	ms, err := LoadEnabled(root, cfg)
	var names []string
	for _, m := range ms {
		names = append(names, m.Name)
	}
	if diff := cmp.Diff([]string{"identity", "learning"}, names); diff != "" {
		t.Errorf("loaded (-want +got):\n%s", diff)
	}
	want := "subgraphs/bi/module.yaml: no manifest: every module of ergo.yaml with a dir needs a module.yaml " +
		"(see docs/modules.md; `ergo module new` writes one)\n" +
		"subgraphs/identity/module.yaml:6: app profiles: no graph/profiles.graphqls in subgraphs/identity " +
		"(`ergo module new identity/profiles` creates an app)\n" +
		`subgraphs/lms/module.yaml:1: name "learning": ergo.yaml calls this module "lms"; use the same name in both`
	if err == nil || err.Error() != want {
		t.Errorf("LoadEnabled error:\n%v\nwant:\n%s", err, want)
	}
}

func TestPeek(t *testing.T) {
	tests := []struct {
		name, body string
		want       Header
		wantErr    string
	}{
		{"header of a broken manifest", "name: lms\nversion: 0.2.0\ncore: true\ncolour: red\n", Header{Name: "lms", Version: "0.2.0", Core: true}, ""},
		{"core not a boolean", "name: lms\ncore: maybe\n", Header{Name: "lms"}, `subgraphs/lms/module.yaml:2: core: want true or false, not "maybe"`},
		{"not a mapping", "- lms\n", Header{}, "subgraphs/lms/module.yaml:1: want a mapping (keys name, version, core), not a list"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			dir := filepath.Join(root, "subgraphs", "lms")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, FileName), []byte(tt.body), 0o644); err != nil {
				t.Fatal(err)
			}
			h, err := Peek(root, "subgraphs/lms")
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if gotErr != tt.wantErr || h != tt.want {
				t.Errorf("Peek = %+v, %q; want %+v, %q", h, gotErr, tt.want, tt.wantErr)
			}
		})
	}
}
