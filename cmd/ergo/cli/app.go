package cli

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"

	"ergo/platform/manifest"
	"ergo/platform/modules"

	gqlast "github.com/vektah/gqlparser/v2/ast"
	gqlparser "github.com/vektah/gqlparser/v2/parser"
)

// migrationName is the name of a migration file: NNNN_name.sql.
var migrationName = regexp.MustCompile(`^(\d{4})_[a-z0-9_]+\.sql$`)

// planApp decides the files of a new app inside an existing module: a schema file, a Go
// package, a migration and a queries file, plus the app's entry in module.yaml.
func planApp(root, mod, app string) (*scaffold, error) {
	// Step 1: the module must exist, with a valid manifest and a Resolver the app can use.
	cfg, err := modules.Load(root, "")
	if err != nil {
		return nil, err
	}
	m := cfg.Module(mod)
	if m == nil || m.Dir == "" {
		return nil, fmt.Errorf("module %q is not a module of this repository (%s)", mod, modules.FileName)
	}
	man, err := manifest.Load(root, m.Dir)
	if err != nil {
		return nil, fmt.Errorf("fix the module's manifest first:\n%w", err)
	}
	if err := resolverHasPool(root, m.Dir); err != nil {
		return nil, err
	}

	// Step 2: the app name must be free in the module.
	if err := checkName("app", app); err != nil {
		return nil, err
	}
	if app == mod || slices.ContainsFunc(man.Apps, func(a manifest.App) bool { return a.Name == app }) {
		return nil, fmt.Errorf("app %q already exists in module %s", app, mod)
	}
	dir := filepath.ToSlash(m.Dir)
	for _, p := range []string{dir + "/" + app, dir + "/graph/" + app + ".graphqls", "queries/" + mod + "/" + app + ".sql"} {
		if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(p))); err == nil {
			return nil, fmt.Errorf("app %q: %s already exists", app, p)
		}
	}

	// Step 3: render the files and the manifest edit.
	d, err := appData(root, dir, mod, app)
	if err != nil {
		return nil, err
	}
	s := &scaffold{files: map[string][]byte{}, edits: map[string][]byte{}, module: mod, moduleDir: dir}
	err = s.renderAll("module/app/", d, map[string]string{
		"app.graphqls.tmpl":  dir + "/graph/" + app + ".graphqls",
		"resolvers.go.tmpl":  dir + "/graph/" + app + ".resolvers.go",
		"graph.go.tmpl":      dir + "/graph/" + app + ".go",
		"app.go.tmpl":        dir + "/" + app + "/" + app + ".go",
		"app_test.go.tmpl":   dir + "/" + app + "/" + app + "_test.go",
		"migration.sql.tmpl": "schema/" + mod + "/" + d.Migration,
		"queries.sql.tmpl":   "queries/" + mod + "/" + app + ".sql",
	})
	if err != nil {
		return nil, err
	}
	entry := mapping("name", app, "title", d.AppGo)
	if err := s.editYAML(root, dir+"/"+manifest.FileName, "apps", entry); err != nil {
		return nil, err
	}
	s.done = fmt.Sprintf("created app %s in module %s; restart `ergo run` (make run) to serve it\n", app, mod)
	return s, nil
}

// appData fills the template data of an app: names, the next migration number and which
// root types and scalars the module's schema already has.
func appData(root, dir, mod, app string) (templateData, error) {
	d := templateData{Name: mod, Title: title(mod), Go: title(mod), Lower: mod, App: app, AppGo: title(app)}
	d.Table = d.AppGo + "Entry"

	entries, err := os.ReadDir(filepath.Join(root, "schema", mod))
	if err != nil {
		return d, fmt.Errorf("module %s: migrations: %w", mod, err)
	}
	next := 1
	for _, e := range entries {
		if sm := migrationName.FindStringSubmatch(e.Name()); sm != nil {
			n, _ := strconv.Atoi(sm[1])
			next = max(next, n+1)
		}
	}
	d.Migration = fmt.Sprintf("%04d_%s.sql", next, app)

	files, err := filepath.Glob(filepath.Join(root, filepath.FromSlash(dir), "graph", "*.graphqls"))
	if err != nil {
		return d, err
	}
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			return d, err
		}
		doc, err := gqlparser.ParseSchema(&gqlast.Source{Name: f, Input: string(body)})
		if err != nil {
			return d, fmt.Errorf("module %s: %w", mod, err)
		}
		for _, def := range doc.Definitions {
			switch def.Name {
			case "Query":
				d.HasQuery = true
			case "Mutation":
				d.HasMut = true
			case "Time":
				d.HasTime = true
			case d.AppGo + "Entry":
				return d, fmt.Errorf("app %q: type %s already exists in module %s", app, def.Name, mod)
			}
		}
	}
	return d, nil
}

// resolverHasPool checks that the module's graph package declares a Resolver struct with a
// Pool field: the app's resolvers build its service on it.
func resolverHasPool(root, dir string) error {
	files, err := filepath.Glob(filepath.Join(root, filepath.FromSlash(dir), "graph", "*.go"))
	if err != nil {
		return err
	}
	fset := token.NewFileSet()
	for _, file := range files {
		f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
		if err != nil {
			return fmt.Errorf("read %s/graph: %w", dir, err)
		}
		if hasPoolField(f) {
			return nil
		}
	}
	return fmt.Errorf("%s/graph: the Resolver struct has no Pool field; add `Pool *pgxpool.Pool`, "+
		"set it where the Resolver is built, and run again", dir)
}

func hasPoolField(f *ast.File) bool {
	found := false
	ast.Inspect(f, func(n ast.Node) bool {
		ts, ok := n.(*ast.TypeSpec)
		if !ok || ts.Name.Name != "Resolver" {
			return !found
		}
		if st, ok := ts.Type.(*ast.StructType); ok {
			for _, field := range st.Fields.List {
				for _, name := range field.Names {
					found = found || name.Name == "Pool"
				}
			}
		}
		return false
	})
	return found
}
