package manifest

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/Masterminds/semver/v3"

	"ergo/platform/modules"
)

// LoadEnabled loads the manifest of every enabled module of cfg that lives in the repository
// (has a dir) and checks them together with Check. Modules reached only by URL have no
// manifest here: they count as known modules, without a version.
//
// TODO(#6): let a module reached by URL name a manifest (a file, or one served by the module)
// so its version, dependencies and navigation are known too.
func LoadEnabled(root string, cfg *modules.Config) ([]*Manifest, error) {
	var ms []*Manifest
	var ds Diagnostics
	for _, mod := range cfg.Enabled() {
		if mod.Dir == "" {
			continue
		}
		m, err := Load(root, mod.Dir)
		var more Diagnostics
		switch {
		case errors.Is(err, fs.ErrNotExist):
			ds = append(ds, Diagnostic{
				File: path.Join(filepath.ToSlash(mod.Dir), FileName),
				Message: "no manifest: every module of ergo.yaml with a dir needs a module.yaml " +
					"(see docs/modules.md; `ergo module new` writes one)",
			})
			continue
		case errors.As(err, &more):
			ds = append(ds, more...)
			continue
		case err != nil:
			return nil, fmt.Errorf("module %s: %w", mod.Name, err)
		}
		if m.Name != mod.Name {
			ds = append(ds, m.diag("name", "name %q: ergo.yaml calls this module %q; use the same name in both", m.Name, mod.Name))
		}
		ds = append(ds, m.checkApps(root, mod.Dir)...)
		ms = append(ms, m)
	}

	var known, enabled []string
	for _, mod := range cfg.Modules {
		known = append(known, mod.Name)
		if !mod.Disabled {
			enabled = append(enabled, mod.Name)
		}
	}
	ds = append(ds, Check(ms, Set{Known: known, Enabled: enabled})...)
	return ms, ds.Err()
}

// checkApps checks that each app of the manifest has its schema file, graph/<app>.graphqls,
// in the module's directory.
func (m *Manifest) checkApps(root, dir string) Diagnostics {
	var ds Diagnostics
	for i, a := range m.Apps {
		file := filepath.Join(root, filepath.FromSlash(dir), "graph", a.Name+".graphqls")
		if _, err := os.Stat(file); err != nil {
			ds = append(ds, m.diag(fmt.Sprintf("apps[%d]", i),
				"app %s: no graph/%s.graphqls in %s (`ergo module new %s/%s` creates an app)",
				a.Name, a.Name, filepath.ToSlash(dir), m.Name, a.Name))
		}
	}
	return ds
}

// Set describes the platform a set of manifests is checked against.
type Set struct {
	// Known lists every module the platform knows, enabled or not (ergo.yaml).
	Known []string
	// Enabled lists the modules that run. A module here without a manifest (one reached
	// by URL) satisfies any version range.
	Enabled []string
}

// Check checks manifests against each other and the platform: duplicate names, dependencies
// on modules that are not enabled, versions out of the required range, dependency cycles,
// interacts naming unknown modules, and consumed events that no module publishes. It
// returns every problem found, unsorted.
func Check(ms []*Manifest, p Set) Diagnostics {
	byName := map[string]*Manifest{}
	var ds Diagnostics
	for _, m := range ms {
		if prev, dup := byName[m.Name]; dup {
			ds = append(ds, m.diag("name", "module %q is also declared in %s", m.Name, prev.File))
			continue
		}
		byName[m.Name] = m
	}

	for _, m := range ms {
		ds = append(ds, checkDepends(m, byName, p)...)
		ds = append(ds, checkInteracts(m, byName, p)...)
		ds = append(ds, checkConsumes(m, byName, p)...)
	}
	return append(ds, checkCycles(ms, byName)...)
}

// checkDepends checks that each dependency is enabled and in range.
func checkDepends(m *Manifest, byName map[string]*Manifest, p Set) Diagnostics {
	var ds Diagnostics
	for _, dep := range sortedKeys(m.Depends) {
		key := "depends." + dep
		target, ok := byName[dep]
		if !ok {
			switch {
			case slices.Contains(p.Enabled, dep):
				continue // a module reached by URL: no version to check
			case slices.Contains(p.Known, dep):
				ds = append(ds, m.diag(key, "depends on %s, which is disabled: enable it in ergo.yaml (or ERGO_MODULES)", dep))
			default:
				ds = append(ds, m.diag(key, "depends on %s, which is not a module of this platform (ergo.yaml)", dep))
			}
			continue
		}
		rng, err := parseRange(m.Depends[dep])
		if err != nil {
			continue // reported by Parse
		}
		v, err := semver.StrictNewVersion(target.Version)
		if err == nil && !rng.Check(v) {
			ds = append(ds, m.diag(key, "depends on %s %s, but %s is version %s (%s)",
				dep, m.Depends[dep], dep, target.Version, target.File))
		}
	}
	return ds
}

// checkInteracts checks that interacts names modules the platform knows.
func checkInteracts(m *Manifest, byName map[string]*Manifest, p Set) Diagnostics {
	var ds Diagnostics
	for i, name := range m.Interacts {
		if _, ok := byName[name]; ok || slices.Contains(p.Known, name) {
			continue
		}
		ds = append(ds, m.diag(fmt.Sprintf("interacts[%d]", i),
			"interacts with %s, which is not a module of this platform (ergo.yaml)", name))
	}
	return ds
}

// checkConsumes checks that each consumed event comes from a declared module that publishes it.
func checkConsumes(m *Manifest, byName map[string]*Manifest, p Set) Diagnostics {
	var ds Diagnostics
	for i, ev := range m.Events.Consumes {
		key := fmt.Sprintf("events.consumes[%d]", i)
		from, name, _ := strings.Cut(ev, ".")
		_, dep := m.Depends[from]
		if !dep && !slices.Contains(m.Interacts, from) {
			ds = append(ds, m.diag(key, "consumes %s from %s: declare %s in depends or interacts", ev, from, from))
			continue
		}
		if pub, ok := byName[from]; ok && !slices.Contains(pub.Events.Publishes, name) {
			ds = append(ds, m.diag(key, "consumes %s, but %s does not publish %q (%s)", ev, from, name, pub.File))
		}
	}
	return ds
}

// checkCycles reports each dependency cycle once, at the depends entry that closes it in
// the module with the smallest name on the cycle.
func checkCycles(ms []*Manifest, byName map[string]*Manifest) Diagnostics {
	const (
		unseen = iota
		active
		done
	)
	state := map[string]int{}
	var stack []string
	var ds Diagnostics

	var visit func(name string)
	visit = func(name string) {
		state[name] = active
		stack = append(stack, name)
		for _, dep := range sortedKeys(byName[name].Depends) {
			if _, ok := byName[dep]; !ok {
				continue
			}
			switch state[dep] {
			case unseen:
				visit(dep)
			case active:
				ds = append(ds, cycleDiagnostic(stack[slices.Index(stack, dep):], byName))
			}
		}
		stack = stack[:len(stack)-1]
		state[name] = done
	}

	names := sortedKeys(byName)
	for _, name := range names {
		if state[name] == unseen {
			visit(name)
		}
	}
	return ds
}

// cycleDiagnostic describes the cycle through names (each depends on the next, the last on
// the first), starting from its smallest name.
func cycleDiagnostic(names []string, byName map[string]*Manifest) Diagnostic {
	start := slices.Index(names, slices.Min(names))
	path := append(slices.Clone(names[start:]), names[:start]...)
	path = append(path, path[0])
	first := byName[path[0]]
	return first.diag("depends."+path[1], "dependency cycle: %s", strings.Join(path, " -> "))
}
