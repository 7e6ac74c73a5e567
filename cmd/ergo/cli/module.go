package cli

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/template"

	"ergo/platform/manifest"
	"ergo/platform/modules"
	"ergo/platform/server"
	"ergo/supergraph"

	"go.yaml.in/yaml/v3"
)

// errUndo marks a failure to put the files back after a failed command: the repository is
// then left half changed.
var errUndo = errors.New("putting the files back failed; restore them by hand (git status lists them)")

// templates are the files `ergo module new` renders, with text/template.
//
//go:embed templates
var templates embed.FS

// moduleName is the grammar of module and app names (the same as in ergo.yaml).
var moduleName = regexp.MustCompile(`^[a-z][a-z0-9]{1,30}$`)

// reservedNames cannot name a module or an app: they are the platform's own parts, GraphQL
// root types, Go's special package names and the directories of a module.
var reservedNames = []string{
	"app", "apps", "cmd", "core", "docs", "ergo", "frontend", "generated", "graph",
	"internal", "main", "model", "module", "modules", "mutation", "platform", "postgres", "queries",
	"query", "router", "schema", "subgraph", "subgraphs", "subscription", "supergraph", "test",
	"testdata", "tools", "vendor",
}

func init() {
	register("module", "create, list or remove modules and apps (ergo module new|list|remove)", runModule)
}

// moduleUsage lists the module subcommands.
const moduleUsage = `Usage:
  ergo module new <name>|<module>/<app> [--depends a,b] [--interacts c]
  ergo module list
  ergo module remove <name>
`

// runModule runs one of the module subcommands.
func runModule(ctx context.Context, env *Env) int {
	sub := ""
	if len(env.Args) > 0 {
		sub = env.Args[0]
	}
	switch sub {
	case "new":
		return runModuleNew(ctx, env)
	case "list":
		return runModuleList(env)
	case "remove":
		return runModuleRemove(ctx, env)
	}
	fmt.Fprint(env.Stderr, moduleUsage)
	return 2
}

// runModuleNew runs `ergo module new <name>|<module>/<app> [--depends a,b] [--interacts c]`.
func runModuleNew(ctx context.Context, env *Env) int {
	fs := newFlags(env, "module new", "<name>|<module>/<app> [--depends a,b] [--interacts c]")
	depends := fs.String("depends", "", "comma-separated modules the new module depends on")
	interacts := fs.String("interacts", "", "comma-separated modules whose types the new module may extend")
	// Flags may come before or after the name.
	if err := fs.Parse(env.Args[1:]); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	name := fs.Arg(0)
	if err := fs.Parse(fs.Args()[1:]); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "ergo module new: unexpected argument %q\n", fs.Arg(0))
		return 2
	}

	var s *scaffold
	var err error
	if mod, app, ok := strings.Cut(name, "/"); ok {
		if *depends != "" || *interacts != "" {
			fmt.Fprintln(env.Stderr, "ergo module new: --depends and --interacts are for modules, not apps")
			return 2
		}
		s, err = planApp(env.Root, mod, app)
	} else {
		s, err = planModule(env.Root, name, splitList(*depends), splitList(*interacts))
		if err == nil && leftoverSchema(ctx, env, name) {
			fmt.Fprintf(env.Stderr, "ergo module new: warning: the database already has a schema %s, "+
				"with the data and applied migrations of an earlier module of that name; the new "+
				"module's migrations will clash with them at start unless you drop it: %s\n",
				name, dropSchemaCommand(name))
		}
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "ergo module new: %v\n", err)
		return 1
	}
	if err := s.apply(ctx, env); err != nil {
		fmt.Fprintf(env.Stderr, "ergo module new: %v\n", err)
		if !errors.Is(err, errUndo) {
			fmt.Fprintln(env.Stderr, "ergo module new: nothing was kept: every file is as it was before")
		}
		return 1
	}
	fmt.Fprint(env.Stdout, s.done)
	return 0
}

func splitList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" && !slices.Contains(out, item) {
			out = append(out, item)
		}
	}
	return out
}

// checkName refuses a name that breaks the grammar or is reserved.
func checkName(kind, name string) error {
	switch {
	case !moduleName.MatchString(name):
		return fmt.Errorf("%s name %q: want 2 to 31 lower-case letters and digits, starting with a letter", kind, name)
	case slices.Contains(reservedNames, name):
		return fmt.Errorf("%s name %q is reserved (reserved: %s)", kind, name, strings.Join(reservedNames, ", "))
	}
	return nil
}

// scaffold is everything `ergo module new` will do, decided before anything is written.
type scaffold struct {
	// files are the new files, by path relative to the root; none exists yet.
	files map[string][]byte
	// edits are the new contents of existing files (registries, the manifest).
	edits map[string][]byte
	// module is the module to generate code for; moduleDir its Go module (slash path).
	module    string
	moduleDir string
	// workUse is a module directory to add to go.work, or "".
	workUse string
	// done is printed on success.
	done string
}

// templateData is what the templates see.
type templateData struct {
	Name      string // module name: library
	Title     string // Library
	Go        string // Go and GraphQL type prefix: Library
	Lower     string // GraphQL field prefix: library
	Extend    bool   // whether to extend identity's User
	Depends   []dependency
	Interacts []string
	Port      int
	App       string // app name, for app templates
	AppGo     string // App
	Table     string // sqlc's struct for the app's table
	Migration string // app migration file name
	HasQuery  bool   // the module already defines type Query
	HasMut    bool   // the module already defines type Mutation
	HasTime   bool   // the module already defines scalar Time
}

type dependency struct{ Name, Range string }

// planModule decides the files of a new module and the registry edits, refusing bad,
// reserved and existing names and unknown modules.
func planModule(root, name string, depends, interacts []string) (*scaffold, error) {
	// Step 1: the name must be free.
	cfg, err := modules.Load(root, "")
	if err != nil {
		return nil, err
	}
	if err := checkModuleFree(root, cfg, name); err != nil {
		return nil, err
	}

	// Step 2: dependencies and interactions must name known modules.
	d, err := moduleData(root, cfg, name, depends, interacts)
	if err != nil {
		return nil, err
	}

	// Step 3: render the files and the registry edits.
	dir := "subgraphs/" + name
	s := &scaffold{
		files: map[string][]byte{}, edits: map[string][]byte{},
		module: name, moduleDir: dir, workUse: "./" + dir,
	}
	err = s.renderAll("module/", d, map[string]string{
		"module.yaml.tmpl":         dir + "/module.yaml",
		"go.mod.tmpl":              dir + "/go.mod",
		"gqlgen.yml.tmpl":          dir + "/gqlgen.yml",
		"domain.go.tmpl":           dir + "/" + name + ".go",
		"schema.graphqls.tmpl":     dir + "/graph/schema.graphqls",
		"resolver.go.tmpl":         dir + "/graph/resolver.go",
		"module.go.tmpl":           dir + "/graph/module.go",
		"schema.resolvers.go.tmpl": dir + "/graph/schema.resolvers.go",
		"entity.resolvers.go.tmpl": dir + "/graph/entity.resolvers.go",
		"graph_test.go.tmpl":       dir + "/graph/graph_test.go",
		"main.go.tmpl":             dir + "/cmd/" + name + "/main.go",
		"embed.go.tmpl":            "schema/" + name + "/embed.go",
		"migration.sql.tmpl":       "schema/" + name + "/0001_init.sql",
		"queries.sql.tmpl":         "queries/" + name + "/items.sql",
	})
	if err != nil {
		return nil, err
	}
	if err := s.editYAML(root, modules.FileName, "modules", moduleEntry(name, d.Port)); err != nil {
		return nil, err
	}
	if err := s.editYAML(root, "sqlc.yaml", "sql", sqlcEntry(name)); err != nil {
		return nil, err
	}
	s.done = fmt.Sprintf("created module %s in %s (port %d); restart `ergo run` (make run) to serve it\n",
		name, dir, d.Port)
	return s, nil
}

// checkModuleFree refuses a module name that is invalid, reserved or taken.
func checkModuleFree(root string, cfg *modules.Config, name string) error {
	if err := checkName("module", name); err != nil {
		return err
	}
	if cfg.Module(name) != nil {
		return fmt.Errorf("module %q already exists in %s", name, modules.FileName)
	}
	for _, dir := range []string{"subgraphs/" + name, "schema/" + name, "queries/" + name} {
		if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(dir))); err == nil {
			return fmt.Errorf("module %q: %s already exists", name, dir)
		}
	}
	return nil
}

// moduleData fills the template data of a new module. The example extends identity's User
// when identity is an enabled module of this repository, so identity joins interacts.
func moduleData(root string, cfg *modules.Config, name string, depends, interacts []string) (templateData, error) {
	d := templateData{Name: name, Title: title(name), Go: title(name), Lower: name, Port: nextPort(cfg)}
	for _, dep := range depends {
		r, err := dependencyRange(root, cfg, dep)
		if err != nil {
			return d, err
		}
		d.Depends = append(d.Depends, dependency{Name: dep, Range: r})
	}
	for _, other := range interacts {
		if cfg.Module(other) == nil {
			return d, fmt.Errorf("--interacts %s: no such module in %s", other, modules.FileName)
		}
	}
	if identity := cfg.Module("identity"); identity != nil && identity.Dir != "" && !identity.Disabled {
		d.Extend = true
		interacts = append(interacts, "identity")
	}
	slices.Sort(interacts)
	d.Interacts = slices.Compact(interacts)
	return d, nil
}

// renderAll renders each template under templates/<prefix> into its file.
func (s *scaffold) renderAll(prefix string, d templateData, files map[string]string) error {
	for tmpl, out := range files {
		if err := s.render(prefix+tmpl, out, d); err != nil {
			return err
		}
	}
	return nil
}

// title returns name with its first letter upper case.
func title(name string) string {
	return strings.ToUpper(name[:1]) + name[1:]
}

// nextPort returns the port after the highest one ergo.yaml uses, above the router's 4000.
func nextPort(cfg *modules.Config) int {
	port := 4000
	for _, m := range cfg.Modules {
		port = max(port, m.Port)
	}
	return port + 1
}

// dependencyRange returns the range a new module asks of dep: its current major version.
func dependencyRange(root string, cfg *modules.Config, dep string) (string, error) {
	m := cfg.Module(dep)
	if m == nil {
		return "", fmt.Errorf("--depends %s: no such module in %s", dep, modules.FileName)
	}
	if m.Dir == "" {
		return ">=0.0.0", nil // a module reached by URL has no version here
	}
	h, err := manifest.Peek(root, m.Dir)
	if err != nil || h.Version == "" {
		return ">=0.0.0", nil // a module without a readable version: any version
	}
	major, _, _ := strings.Cut(strings.TrimPrefix(h.Version, "v"), ".")
	n, err := strconv.Atoi(major)
	if err != nil {
		return ">=0.0.0", nil
	}
	return fmt.Sprintf(">=%s <%d.0.0", strings.SplitN(h.Version, "+", 2)[0], n+1), nil
}

// render executes a template into a new file.
func (s *scaffold) render(tmpl, out string, d templateData) error {
	t, err := template.New(path.Base(tmpl)).Funcs(template.FuncMap{"join": strings.Join}).
		ParseFS(templates, "templates/"+tmpl)
	if err != nil {
		return fmt.Errorf("template %s: %w", tmpl, err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, d); err != nil {
		return fmt.Errorf("template %s: %w", tmpl, err)
	}
	s.files[out] = b.Bytes()
	return nil
}

func moduleEntry(name string, port int) *yaml.Node {
	return mapping("name", name, "dir", "subgraphs/"+name, "port", strconv.Itoa(port))
}

func sqlcEntry(name string) *yaml.Node {
	goGen := mapping("package", "postgres", "out", "subgraphs/"+name+"/postgres",
		"sql_package", "pgx/v5", "emit_pointers_for_null_types", "true")
	gen := mapping()
	gen.Content = append(gen.Content, scalar("go"), goGen)
	n := mapping("engine", "postgresql", "schema", "schema/"+name, "queries", "queries/"+name)
	n.Content = append(n.Content, scalar("gen"), gen)
	return n
}

// mapping returns a block mapping node of the given key, value pairs.
func mapping(kv ...string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	for i := 0; i+1 < len(kv); i += 2 {
		n.Content = append(n.Content, scalar(kv[i]), scalar(kv[i+1]))
	}
	return n
}

func scalar(v string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Value: v, Tag: "!!str"}
	if _, err := strconv.Atoi(v); err == nil {
		n.Tag = "!!int"
	} else if v == "true" || v == "false" {
		n.Tag = "!!bool"
	}
	return n
}

// editYAML plans appending item to the top-level sequence key of file, keeping comments.
func (s *scaffold) editYAML(root, file, key string, item *yaml.Node) error {
	body, err := s.current(root, file)
	if err != nil {
		return err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(body, &doc); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return fmt.Errorf("%s: want a mapping at the top", file)
	}
	top := doc.Content[0]
	var keyNode, seq *yaml.Node
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value == key {
			keyNode, seq = top.Content[i], top.Content[i+1]
		}
	}
	switch {
	case seq == nil:
		seq = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		top.Content = append(top.Content, scalar(key), seq)
	case seq.Kind == yaml.ScalarNode && seq.Tag == "!!null":
		*seq = yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	case seq.Kind != yaml.SequenceNode:
		return fmt.Errorf("%s: %s is not a list", file, key)
	}
	if seq.Style == yaml.FlowStyle && keyNode != nil && seq.LineComment != "" {
		// A block list cannot carry the comment after "[]": keep it on the key's line.
		keyNode.LineComment, seq.LineComment = seq.LineComment, ""
	}
	seq.Style = 0 // block style, also for an empty flow list ([])
	if n := len(seq.Content); n > 0 && seq.Content[n-1].Style == yaml.FlowStyle {
		item.Style = yaml.FlowStyle // one entry a line, like the others
	}
	seq.Content = append(seq.Content, item)

	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	s.edits[file] = out.Bytes()
	return nil
}

// current returns the planned content of an existing file, else the file on disk.
func (s *scaffold) current(root, file string) ([]byte, error) {
	if body, ok := s.edits[file]; ok {
		return body, nil
	}
	return os.ReadFile(filepath.Join(root, filepath.FromSlash(file)))
}

// apply writes the plan, then generates code and composes; on any failure it removes the
// new files and restores the edited ones.
func (s *scaffold) apply(ctx context.Context, env *Env) (err error) {
	root := env.Root
	undo, err := s.write(root)
	defer func() {
		if err != nil {
			if uerr := undo(); uerr != nil {
				err = fmt.Errorf("%w\n%w: %w", err, errUndo, uerr)
			}
		}
	}()
	if err != nil {
		return err
	}

	// sqlc runs on the module's block of sqlc.yaml alone, so that other modules' queries
	// cannot stop it.
	sqlcFile, err := s.writeSQLCConfig(root)
	if err != nil {
		return err
	}
	defer os.Remove(sqlcFile) //nolint:errcheck // a leftover in .ergo is harmless

	steps := []struct {
		name string
		dir  string
		args []string
		env  []string
	}{
		{"sqlc generate", "tools", []string{"go", "tool", "sqlc", "-f", "../.ergo/" + filepath.Base(sqlcFile), "generate"}, []string{"GOWORK=off"}},
		{"go mod tidy", s.moduleDir, []string{"go", "mod", "tidy", "-e"}, []string{"GOWORK=off"}},
		{"gqlgen generate", s.moduleDir, []string{"go", "tool", "gqlgen", "generate"}, nil},
		{"go mod tidy", s.moduleDir, []string{"go", "mod", "tidy"}, []string{"GOWORK=off"}},
	}
	if s.workUse != "" {
		steps = slices.Insert(steps, 0, struct {
			name string
			dir  string
			args []string
			env  []string
		}{"go work use", ".", []string{"go", "work", "use", s.workUse}, nil})
	}
	for _, st := range steps {
		fmt.Fprintf(env.Stdout, "%s\n", st.name)
		if err := runTool(ctx, env, st.dir, st.env, st.args...); err != nil {
			return err
		}
	}

	fmt.Fprintln(env.Stdout, "ergo compose")
	compose := *env
	compose.Args = nil
	if runCompose(ctx, &compose) != 0 {
		return errors.New("the new code does not compose (problems above)")
	}
	return nil
}

// writeSQLCConfig writes .ergo/sqlc.<module>.yaml: sqlc.yaml with only the module's block,
// its paths made relative to .ergo.
func (s *scaffold) writeSQLCConfig(root string) (string, error) {
	body, err := os.ReadFile(filepath.Join(root, "sqlc.yaml"))
	if err != nil {
		return "", err
	}
	var cfg map[string]any
	if err := yaml.Unmarshal(body, &cfg); err != nil {
		return "", fmt.Errorf("sqlc.yaml: %w", err)
	}
	blocks, _ := cfg["sql"].([]any)
	var keep []any
	for _, b := range blocks {
		block, _ := b.(map[string]any)
		if block["queries"] != "queries/"+s.module {
			continue
		}
		block["schema"] = "../" + fmt.Sprint(block["schema"])
		block["queries"] = "../" + fmt.Sprint(block["queries"])
		if gen, ok := block["gen"].(map[string]any); ok {
			if g, ok := gen["go"].(map[string]any); ok {
				g["out"] = "../" + fmt.Sprint(g["out"])
			}
		}
		keep = append(keep, block)
	}
	if len(keep) != 1 {
		return "", fmt.Errorf("sqlc.yaml: want one block with queries: queries/%s, found %d", s.module, len(keep))
	}
	cfg["sql"] = keep
	out, err := yaml.Marshal(cfg)
	if err != nil {
		return "", err
	}
	file := filepath.Join(stateDir(root), "sqlc."+s.module+".yaml")
	return file, os.WriteFile(file, out, 0o644)
}

// runTool runs a command in dir (relative to the root) with extra environment variables,
// failing with the command's output.
func runTool(ctx context.Context, env *Env, dir string, extraEnv []string, args ...string) error {
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Dir = filepath.Join(env.Root, filepath.FromSlash(dir))
	cmd.Env = append(os.Environ(), extraEnv...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

// write creates the new files (first in a scratch directory, then moved into place) and the
// edits. It returns a function that undoes whatever it did, reporting what it could not.
func (s *scaffold) write(root string) (undo func() error, err error) {
	var created []string
	saved := map[string][]byte{}
	undo = func() error {
		var errs []error
		for _, p := range slices.Backward(created) {
			errs = append(errs, os.RemoveAll(filepath.Join(root, filepath.FromSlash(p))))
		}
		for file, body := range saved {
			errs = append(errs, os.WriteFile(filepath.Join(root, filepath.FromSlash(file)), body, 0o644))
		}
		return errors.Join(errs...)
	}

	// Step 1: render every new file under a scratch directory in .ergo.
	if err := os.MkdirAll(stateDir(root), 0o755); err != nil {
		return undo, err
	}
	scratch, err := os.MkdirTemp(stateDir(root), "module-new-")
	if err != nil {
		return undo, err
	}
	defer os.RemoveAll(scratch) //nolint:errcheck // a leftover in .ergo is harmless
	for p, body := range s.files {
		dst := filepath.Join(scratch, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return undo, err
		}
		if err := os.WriteFile(dst, body, 0o644); err != nil {
			return undo, err
		}
	}

	// Step 2: move each new top directory or file into place; all are new by the plan.
	moves, err := topEntries(root, scratch)
	if err != nil {
		return undo, err
	}
	for _, p := range moves {
		dst := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return undo, err
		}
		if err := os.Rename(filepath.Join(scratch, filepath.FromSlash(p)), dst); err != nil {
			return undo, err
		}
		created = append(created, p)
	}

	// Step 3: the edits, keeping the old contents (go.work too, which `go work use` edits).
	for _, file := range append(sortedKeysOf(s.edits), "go.work") {
		old, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(file)))
		if err != nil {
			return undo, err
		}
		saved[file] = old
	}
	for _, file := range sortedKeysOf(s.edits) {
		if err := os.WriteFile(filepath.Join(root, filepath.FromSlash(file)), s.edits[file], 0o644); err != nil {
			return undo, err
		}
	}
	return undo, nil
}

// topEntries returns the shallowest paths under dir that do not exist under root yet: for a
// new module its three directories, for an app its new files and package.
func topEntries(root, dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if _, err := os.Stat(filepath.Join(root, rel)); err == nil {
			return nil // an existing directory: look inside
		}
		out = append(out, filepath.ToSlash(rel))
		if d.IsDir() {
			return filepath.SkipDir
		}
		return nil
	})
	return out, err
}

func sortedKeysOf(m map[string][]byte) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// checkManifests loads the manifests of mods, the modules being composed, and checks them
// with the schema slices in subgraphs: every manifest problem and every undeclared
// interaction or sealed-core violation, as manifest.Diagnostics. Composition calls it
// beside merging the slices; schema syntax errors are left to composition.
func checkManifests(root string, mods []modules.Module, subgraphs []supergraph.Subgraph) error {
	cfg, err := modules.Load(root, "")
	if err != nil {
		return err
	}

	// The modules being composed are the enabled ones, whatever ergo.yaml enables.
	composing := &modules.Config{}
	for _, m := range cfg.Modules {
		m.Disabled = !slices.ContainsFunc(mods, func(x modules.Module) bool { return x.Name == m.Name })
		composing.Modules = append(composing.Modules, m)
	}
	ms, err := manifest.LoadEnabled(root, composing)
	var ds manifest.Diagnostics
	if err != nil && !errors.As(err, &ds) {
		return err
	}

	schemas := make([]manifest.Slice, len(subgraphs))
	for i, s := range subgraphs {
		schemas[i].Module = s.Name
		for _, src := range s.Sources {
			schemas[i].Sources = append(schemas[i].Sources, manifest.Source{Name: src.Name, Body: src.Body})
		}
	}
	// A slice that does not parse is composition's to report, with more detail.
	for _, d := range manifest.CheckInteractions(ms, schemas) {
		if d.Code != manifest.InvalidSchema {
			ds = append(ds, d)
		}
	}
	return ds.Err()
}

// maxSDLResponse bounds the answer of a subgraph asked for its schema.
const maxSDLResponse = 16 << 20

// fetchSDL returns the schema slice of the federation subgraph at url, read from its
// `_service { sdl }` field: how a module registered by URL only (any language) is composed.
// secret, when set, is sent as the router's secret, since subgraphs may refuse others.
func fetchSDL(ctx context.Context, client *http.Client, url, secret string) (string, error) {
	body := strings.NewReader(`{"query":"{ _service { sdl } }"}`)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, body)
	if err != nil {
		return "", fmt.Errorf("fetch schema: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if secret != "" {
		req.Header.Set(server.HeaderRouterSecret, secret)
	}
	res, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("fetch schema from %s: %w", url, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return "", fmt.Errorf("fetch schema from %s: HTTP status %d", url, res.StatusCode)
	}

	var out struct {
		Data struct {
			Service struct {
				SDL string `json:"sdl"`
			} `json:"_service"`
		} `json:"data"`
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := json.NewDecoder(io.LimitReader(res.Body, maxSDLResponse)).Decode(&out); err != nil {
		return "", fmt.Errorf("fetch schema from %s: decode response: %w", url, err)
	}
	switch {
	case len(out.Errors) > 0:
		return "", fmt.Errorf("fetch schema from %s: %s", url, out.Errors[0].Message)
	case strings.TrimSpace(out.Data.Service.SDL) == "":
		return "", fmt.Errorf("fetch schema from %s: no _service.sdl: is it a federation subgraph?", url)
	}
	return out.Data.Service.SDL, nil
}
