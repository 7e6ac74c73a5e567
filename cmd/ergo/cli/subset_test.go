package cli

import (
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestRunCheckDepends checks that a run whose modules lack a dependency stops before it
// starts anything, naming who needs what and a module list that works.
func TestRunCheckDepends(t *testing.T) {
	const ergoYAML = "modules:\n" +
		"  - {name: people, dir: subgraphs/people, port: 4101}\n" +
		"  - {name: units, dir: subgraphs/units, port: 4102}\n" +
		"  - {name: courses, dir: subgraphs/courses, port: 4103}\n" +
		"  - {name: grades, dir: subgraphs/grades, port: 4104, disabled: true}\n"
	manifests := map[string]string{
		"subgraphs/people/module.yaml":  "name: people\nversion: 0.1.0\ntitle: P\n",
		"subgraphs/units/module.yaml":   "name: units\nversion: 0.1.0\ntitle: U\ndepends: {people: ^0.1.0}\n",
		"subgraphs/courses/module.yaml": "name: courses\nversion: 0.1.0\ntitle: C\ndepends: {units: ^0.1.0}\n",
		"subgraphs/grades/module.yaml":  "name: grades\nversion: 0.1.0\ntitle: G\ndepends: {courses: ^0.1.0}\n",
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{
			"one missing",
			[]string{"-modules", "units"},
			"ergo run: units depends on people, which is not enabled: run with -modules people,units " +
				"(make run MODULES=people,units), or enable it in ergo.yaml",
		},
		{
			"missing through another",
			[]string{"-modules", "courses,people"},
			"ergo run: courses depends on units, which is not enabled: run with -modules people,units,courses " +
				"(make run MODULES=people,units,courses), or enable it in ergo.yaml",
		},
		{
			"several",
			[]string{"-modules", "units,grades"},
			"ergo run: units depends on people; grades depends on courses, which are not enabled: " +
				"run with -modules people,units,courses,grades (make run MODULES=people,units,courses,grades), " +
				"or enable them in ergo.yaml",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := repo(t, ergoYAML, maps.Clone(manifests)) // repo adds ergo.yaml to its map
			for _, check := range []bool{true, false} {
				args := append([]string{"run", "-router-addr", freeAddr(t)}, tt.args...)
				if check {
					args = append(args, "-check")
				}
				code, _, stderr := run(t, args...)
				if code != 1 || strings.TrimSpace(stderr) != tt.want {
					t.Errorf(
						"ergo %s = %d, stderr %q; want 1, %q",
						strings.Join(args, " "),
						code,
						stderr,
						tt.want,
					)
				}
			}
			if _, err := os.Stat(filepath.Join(root, ".ergo", "bin")); err == nil {
				t.Error("ergo run built binaries before checking dependencies")
			}
		})
	}
}

// TestRunCheckHint checks the hint `ergo run` gives when composition fails because an
// enabled module extends the types of a module that is not enabled: bi extends lms's types
// without depending on it (lms depends on bi).
func TestRunCheckHint(t *testing.T) {
	setRepositoryRoot(t)
	code, _, stderr := run(t, "run", "-check", "-modules", "bi")
	want := "hint: bi interacts with lms, which is not enabled; if the problems above are about its types, " +
		"run with -modules lms,bi (make run MODULES=lms,bi)\n" +
		"ergo run: the enabled modules do not compose\n"
	if code != 1 || !strings.HasSuffix(stderr, want) {
		t.Errorf(
			"ergo run -check -modules bi = %d, stderr:\n%s\nwant 1, ending with:\n%s",
			code,
			stderr,
			want,
		)
	}
}

// TestRunAddsCore checks that a module list names the modules to run beside the core ones:
// `ergo run` adds identity, org and registry, saying so in one line.
func TestRunAddsCore(t *testing.T) {
	setRepositoryRoot(t)
	tests := []struct{ list, wantStderr string }{
		{"lms,bi", "ergo run: adding core modules identity, org and registry: core modules always run, " +
			"the module list names the others\n"},
		{"identity,org,lms,bi", "ergo run: adding core module registry: core modules always run, " +
			"the module list names the others\n"},
		{"identity,org,registry,lms,bi", ""},
	}
	for _, tt := range tests {
		t.Run(tt.list, func(t *testing.T) {
			code, stdout, stderr := run(t, "run", "-check", "-modules", tt.list)
			want := "modules identity,org,registry,lms,bi compose: ergo run can start them\n"
			if code != 0 || stdout != want || stderr != tt.wantStderr {
				t.Errorf("ergo run -check -modules %s = %d, stdout %q, stderr %q; want 0, %q, %q",
					tt.list, code, stdout, stderr, want, tt.wantStderr)
			}
		})
	}
}

// moduleList matches the module lists the documentation gives as examples: MODULES=a,b,
// ERGO_MODULES=a,b, -modules a,b and, in the flag's help, "modules to run, such as a,b".
var moduleList = regexp.MustCompile(`(?:MODULES=|-modules[ =]|modules to run, such as )` +
	`([a-z][a-z0-9]*(?:,[a-z][a-z0-9]*)*)`)

// TestDocumentedSubsets checks that every module list the README, the Makefile, the docs,
// ergo.yaml and ergo's own help give as an example has what its modules depend on and
// composes, as `ergo run -check -modules <list>` checks it, with every core module enabled
// whether the list names it or not.
func TestDocumentedSubsets(t *testing.T) {
	root := setRepositoryRoot(t)
	files := []string{"README.md", "Makefile", "ergo.yaml"}
	docs, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		files = append(files, filepath.Join("docs", filepath.Base(d)))
	}
	_, help, _ := run(t, "help")
	_, _, runHelp := run(t, "run", "-h")

	var lists []string
	for _, f := range files {
		body, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		for _, sm := range moduleList.FindAllStringSubmatch(string(body), -1) {
			lists = append(lists, sm[1])
		}
	}
	for _, sm := range moduleList.FindAllStringSubmatch(help+runHelp, -1) {
		if sm[1] != "string" { // the flag's placeholder in `ergo run -h`: "-modules string"
			lists = append(lists, sm[1])
		}
	}
	slices.Sort(lists)
	lists = slices.Compact(lists)
	if len(lists) == 0 {
		t.Fatal("found no module list in the docs: the pattern is out of date")
	}

	for _, list := range lists {
		t.Run(list, func(t *testing.T) {
			code, stdout, stderr := run(t, "run", "-check", "-modules", list)
			if code != 0 {
				t.Fatalf("ergo run -check -modules %s = %d:\n%s%s", list, code, stdout, stderr)
			}
			enabled := strings.Split(strings.Fields(stdout + " -")[1], ",")
			for _, core := range []string{"identity", "org", "registry"} {
				if !slices.Contains(enabled, core) {
					t.Errorf(
						"ergo run -check -modules %s enabled %v, without core module %s",
						list,
						enabled,
						core,
					)
				}
			}
		})
	}
}

// setRepositoryRoot points ergo at this repository and returns its root.
func setRepositoryRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("ERGO_ROOT", root)
	return root
}
