package cli

import (
	"fmt"
	"slices"
	"strings"

	"ergo/platform/manifest"
	"ergo/platform/modules"
)

// subset looks at the modules a run enables, often part of ergo.yaml's (MODULES=,
// -modules, ERGO_MODULES): which modules they need that are not enabled, and which list of
// modules would run.
type subset struct {
	root      string
	cfg       *modules.Config
	manifests map[string]*manifest.Manifest
}

func newSubset(root string, cfg *modules.Config) *subset {
	return &subset{root: root, cfg: cfg, manifests: map[string]*manifest.Manifest{}}
}

// checkDepends fails when an enabled module depends on a module of ergo.yaml that is not
// enabled, naming both and a module list that has everything needed. Dependencies on
// modules ergo.yaml does not know, and manifests that do not load, are left to composition,
// which reports them with their file and line.
func (s *subset) checkDepends() error {
	var needs []string
	n := 0
	for _, m := range s.cfg.Enabled() {
		if missing := s.notEnabled(s.depends(m.Name)); len(missing) > 0 {
			needs = append(needs, m.Name+" depends on "+andList(missing))
			n += len(missing)
		}
	}
	if len(needs) == 0 {
		return nil
	}
	list := s.suggest(nil)
	which, them := "which is", "it"
	if n > 1 {
		which, them = "which are", "them"
	}
	return fmt.Errorf("%s, %s not enabled: run with -modules %s (make run MODULES=%s), or enable %s in %s",
		strings.Join(needs, "; "), which, list, list, them, modules.FileName)
}

// interactsHint returns advice for a failed composition when enabled modules interact with
// modules that are not enabled (a module that extends another's types fails to compose
// without it), or "" when none do.
//
// TODO(#6): a manifest cannot say that a module composes only together with one it does not
// depend on (bi extends lms's types while lms depends on bi), so this is a hint after the
// composition errors rather than a check before them, as for depends.
func (s *subset) interactsHint() string {
	var lines, extra []string
	for _, m := range s.cfg.Enabled() {
		var names []string
		if man := s.manifest(m.Name); man != nil {
			names = s.notEnabled(man.Interacts)
		}
		if len(names) > 0 {
			lines = append(lines, m.Name+" interacts with "+andList(names))
			extra = append(extra, names...)
		}
	}
	if len(lines) == 0 {
		return ""
	}
	list := s.suggest(extra)
	which, its := "which is", "its"
	if len(extra) > 1 {
		which, its = "which are", "their"
	}
	return fmt.Sprintf("hint: %s, %s not enabled; if the problems above are about %s types, "+
		"run with -modules %s (make run MODULES=%s)", strings.Join(lines, "; "), which, its, list, list)
}

// suggest returns the module list to advise, comma-separated: closure(extra) without the
// core modules, which run whatever the list says.
func (s *subset) suggest(extra []string) string {
	var out []string
	for _, name := range s.closure(extra) {
		if m := s.cfg.Module(name); m != nil && !m.Core {
			out = append(out, name)
		}
	}
	return strings.Join(out, ",")
}

// closure returns the enabled modules, extra and every module they depend on, directly or
// not, in ergo.yaml order.
func (s *subset) closure(extra []string) []string {
	in := map[string]bool{}
	var visit func(name string)
	visit = func(name string) {
		if in[name] || s.cfg.Module(name) == nil {
			return
		}
		in[name] = true
		for _, dep := range s.depends(name) {
			visit(dep)
		}
	}
	for _, m := range s.cfg.Enabled() {
		visit(m.Name)
	}
	for _, name := range extra {
		visit(name)
	}
	var out []string
	for _, m := range s.cfg.Modules {
		if in[m.Name] {
			out = append(out, m.Name)
		}
	}
	return out
}

// depends returns the modules name's manifest depends on, sorted.
func (s *subset) depends(name string) []string {
	man := s.manifest(name)
	if man == nil {
		return nil
	}
	var out []string
	for dep := range man.Depends {
		out = append(out, dep)
	}
	slices.Sort(out)
	return out
}

// notEnabled returns the names of ergo.yaml's modules among names that are not enabled, in
// ergo.yaml order.
func (s *subset) notEnabled(names []string) []string {
	var out []string
	for _, m := range s.cfg.Modules {
		if m.Disabled && slices.Contains(names, m.Name) {
			out = append(out, m.Name)
		}
	}
	return out
}

// manifest returns the manifest of the module called name, or nil when it has none here or
// it does not load.
func (s *subset) manifest(name string) *manifest.Manifest {
	if man, ok := s.manifests[name]; ok {
		return man
	}
	var man *manifest.Manifest
	if m := s.cfg.Module(name); m != nil && m.Dir != "" {
		man, _ = manifest.Load(s.root, m.Dir)
	}
	s.manifests[name] = man
	return man
}

// andList joins names as "a", "a and b" or "a, b and c".
func andList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
