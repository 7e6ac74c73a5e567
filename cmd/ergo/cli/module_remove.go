package cli

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"ergo/platform/manifest"
	"ergo/platform/modules"

	"go.yaml.in/yaml/v3"
)

// runModuleList prints every module of ergo.yaml with what its manifest says. It fails when
// a manifest has problems, after printing them.
func runModuleList(env *Env) int {
	if len(env.Args) != 1 {
		fmt.Fprint(env.Stderr, moduleUsage)
		return 2
	}
	cfg, err := modules.LoadList(env.Root, os.Getenv("ERGO_MODULES"), "ERGO_MODULES")
	if err != nil {
		fmt.Fprintf(env.Stderr, "ergo module list: %v\n", err)
		return 1
	}
	noteCore(env, "module list", cfg)

	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tVERSION\tCORE\tENABLED\tAT\tDEPENDS\tINTERACTS\tAPPS")
	var problems []error
	for _, m := range cfg.Modules {
		at := m.URL
		if m.Dir != "" {
			at = fmt.Sprintf("%s :%d", m.Dir, m.Port)
		}
		row := []string{m.Name, "-", "-", yesNo(!m.Disabled), at, "-", "-", "-"}
		if m.Dir != "" {
			if man, err := manifest.Load(env.Root, m.Dir); err != nil {
				problems = append(problems, err)
				row[1] = "(invalid)"
			} else {
				row[1], row[2] = man.Version, yesNo(man.Core)
				row[5], row[6], row[7] = dependsList(man), list(man.Interacts), appList(man)
			}
		}
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	tw.Flush()

	for _, err := range problems {
		fmt.Fprintln(env.Stderr, err)
	}
	if len(problems) > 0 {
		return 1
	}
	return 0
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func list(items []string) string {
	if len(items) == 0 {
		return "-"
	}
	return strings.Join(items, ",")
}

func dependsList(m *manifest.Manifest) string {
	var out []string
	for _, name := range slices.Sorted(maps.Keys(m.Depends)) {
		out = append(out, name+" "+m.Depends[name])
	}
	return list(out)
}

func appList(m *manifest.Manifest) string {
	var out []string
	for _, a := range m.Apps {
		out = append(out, a.Name)
	}
	return list(out)
}

// runModuleRemove runs `ergo module remove <name>`: it deletes a module's files and
// registrations and recomposes, refusing core modules and modules others still declare.
// Its data stays in the database.
func runModuleRemove(ctx context.Context, env *Env) int {
	if len(env.Args) != 2 {
		fmt.Fprint(env.Stderr, moduleUsage)
		return 2
	}
	name := env.Args[1]
	r, err := planRemove(env.Root, name)
	if err != nil {
		fmt.Fprintf(env.Stderr, "ergo module remove: %v\n", err)
		return 1
	}
	if err := r.apply(ctx, env); err != nil {
		fmt.Fprintf(env.Stderr, "ergo module remove: %v\n", err)
		if !errors.Is(err, errUndo) {
			fmt.Fprintln(env.Stderr, "ergo module remove: nothing was kept: every file is as it was before")
		}
		return 1
	}
	fmt.Fprintf(env.Stdout, "removed module %s; its PostgreSQL schema %s was kept, with its data and "+
		"its applied migrations (a new module called %s would meet them); to drop it: %s\n",
		name, name, name, dropSchemaCommand(name))
	return 0
}

// removal is everything `ergo module remove` will do.
type removal struct {
	dirs    []string          // directories to delete, relative to the root
	edits   map[string][]byte // new contents of ergo.yaml and sqlc.yaml
	workDir string            // the go.work entry to drop, or ""
}

// planRemove decides what removing a module deletes and edits, refusing core modules and
// modules that other modules depend on, interact with or take events from.
func planRemove(root, name string) (*removal, error) {
	cfg, err := modules.Load(root, "")
	if err != nil {
		return nil, err
	}
	m := cfg.Module(name)
	if m == nil {
		return nil, fmt.Errorf("no module %q in %s", name, modules.FileName)
	}
	if m.Dir != "" {
		h, err := manifest.Peek(root, m.Dir)
		if err != nil {
			return nil, err
		}
		if h.Core {
			return nil, fmt.Errorf("module %s is core (core: true in its module.yaml): "+
				"core modules are not removed by this command", name)
		}
	}
	if users := declaredBy(root, cfg, name); len(users) > 0 {
		return nil, fmt.Errorf("other modules still declare %s; remove it from their module.yaml first:\n  %s",
			name, strings.Join(users, "\n  "))
	}

	r := &removal{edits: map[string][]byte{}}
	if m.Dir != "" {
		r.workDir = "./" + filepath.ToSlash(m.Dir)
		for _, dir := range []string{filepath.ToSlash(m.Dir), "schema/" + name, "queries/" + name} {
			if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(dir))); err == nil {
				r.dirs = append(r.dirs, dir)
			}
		}
	}
	if err := r.dropItem(root, modules.FileName, "modules", "name", name); err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(root, "sqlc.yaml")); err == nil {
		if err := r.dropItem(root, "sqlc.yaml", "sql", "queries", "queries/"+name); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// declaredBy lists the modules whose manifests name module in depends, interacts or
// events.consumes.
func declaredBy(root string, cfg *modules.Config, module string) []string {
	var out []string
	for _, other := range cfg.Modules {
		if other.Name == module || other.Dir == "" {
			continue
		}
		m, err := manifest.Load(root, other.Dir)
		if err != nil {
			continue // its own problems are reported by compose
		}
		if _, ok := m.Depends[module]; ok {
			out = append(out, m.File+": depends on "+module)
		}
		if slices.Contains(m.Interacts, module) {
			out = append(out, m.File+": interacts with "+module)
		}
		for _, ev := range m.Events.Consumes {
			if strings.HasPrefix(ev, module+".") {
				out = append(out, m.File+": consumes "+ev)
			}
		}
	}
	return out
}

// dropItem plans removing, from the top-level list key of file, the items whose field is
// value, keeping comments.
func (r *removal) dropItem(root, file, key, field, value string) error {
	body, err := os.ReadFile(filepath.Join(root, file))
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
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value != key || top.Content[i+1].Kind != yaml.SequenceNode {
			continue
		}
		seq := top.Content[i+1]
		seq.Content = slices.DeleteFunc(seq.Content, func(item *yaml.Node) bool {
			return itemField(item, field) == value
		})
		if len(seq.Content) == 0 {
			seq.Style = yaml.FlowStyle // an empty list reads as []
		}
	}

	var out strings.Builder
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	r.edits[file] = []byte(out.String())
	return nil
}

// itemField returns the value of field in a mapping node, or "".
func itemField(item *yaml.Node, field string) string {
	if item.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(item.Content); i += 2 {
		if item.Content[i].Value == field {
			return item.Content[i+1].Value
		}
	}
	return ""
}

// apply moves the module's directories aside, writes the edits, drops the go.work entry and
// recomposes; on failure everything is put back.
func (r *removal) apply(ctx context.Context, env *Env) (err error) {
	root := env.Root
	if err := os.MkdirAll(stateDir(root), 0o755); err != nil {
		return err
	}
	aside, err := os.MkdirTemp(stateDir(root), "module-remove-")
	if err != nil {
		return err
	}
	saved := map[string][]byte{}
	var moved []string
	defer func() {
		if err != nil {
			var errs []error
			for file, body := range saved {
				errs = append(errs, os.WriteFile(filepath.Join(root, file), body, 0o644))
			}
			for _, dir := range moved {
				errs = append(errs, os.Rename(filepath.Join(aside, filepath.FromSlash(dir)),
					filepath.Join(root, filepath.FromSlash(dir))))
			}
			if uerr := errors.Join(errs...); uerr != nil {
				// Keep what was moved aside: it is the only copy.
				err = fmt.Errorf("%w\n%w: %w (the module's files are in %s)", err, errUndo, uerr, aside)
				return
			}
		}
		os.RemoveAll(aside) //nolint:errcheck // a leftover in .ergo is harmless
	}()

	// Step 1: move the directories aside, so they can come back.
	for _, dir := range r.dirs {
		dst := filepath.Join(aside, filepath.FromSlash(dir))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.Rename(filepath.Join(root, filepath.FromSlash(dir)), dst); err != nil {
			return err
		}
		moved = append(moved, dir)
	}

	// Step 2: the registries.
	for _, file := range append(sortedKeysOf(r.edits), "go.work") {
		body, err := os.ReadFile(filepath.Join(root, file))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		if err == nil {
			saved[file] = body
		}
	}
	for _, file := range sortedKeysOf(r.edits) {
		if err := os.WriteFile(filepath.Join(root, file), r.edits[file], 0o644); err != nil {
			return err
		}
	}
	if _, ok := saved["go.work"]; ok && r.workDir != "" {
		if err := runTool(ctx, env, ".", nil, "go", "work", "edit", "-dropuse="+r.workDir); err != nil {
			return err
		}
	}

	// Step 3: recompose without the module.
	compose := *env
	compose.Args = nil
	if runCompose(ctx, &compose) != 0 {
		return errors.New("the remaining modules do not compose (problems above)")
	}
	return nil
}
