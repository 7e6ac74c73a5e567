// Package manifest reads module.yaml, the manifest every module keeps at the root of its
// directory, and checks a set of manifests and their GraphQL schema slices against each other.
//
// A manifest says what a module is (name, version, title), whether it belongs to the sealed
// core, which modules it needs (depends, with semantic version ranges) and which modules'
// types it may touch (interacts), the events it publishes and consumes, the apps inside it and
// the navigation entries the client shows for it. frontend-contract/module.schema.json is the
// same format as a JSON Schema, for editors.
package manifest

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/Masterminds/semver/v3"
	"go.yaml.in/yaml/v3"
)

// FileName is the manifest's name inside a module's directory.
const FileName = "module.yaml"

// Manifest is a parsed module.yaml.
type Manifest struct {
	// Name is the module's name, as in ergo.yaml: 2 to 31 lower-case letters and digits,
	// starting with a letter.
	Name string `yaml:"name"`
	// Version is the module's semantic version (MAJOR.MINOR.PATCH[-pre][+build]).
	Version string `yaml:"version"`
	// Title is the human name shown in the client, such as "Learning".
	Title string `yaml:"title"`
	// Description is one or two sentences on what the module does.
	Description string `yaml:"description,omitempty"`
	// Core marks a module of the sealed core: other modules may add fields to its types but
	// may not redefine, override or hide its fields, unless a field is marked
	// @ergoOverridable in its schema.
	Core bool `yaml:"core,omitempty"`
	// Owner names who answers for the module: a team or an address.
	Owner string `yaml:"owner,omitempty"`
	// Depends maps each module this one cannot work without to the range of its versions
	// this one works with, such as ">=0.1.0 <1.0.0".
	Depends map[string]string `yaml:"depends,omitempty"`
	// Interacts lists the modules whose types this one may extend, @requires or @provides.
	Interacts []string `yaml:"interacts,omitempty"`
	// Events lists the events the module publishes and the ones it consumes.
	Events Events `yaml:"events,omitempty"`
	// Apps lists the apps inside the module: each has its own schema file
	// graph/<app>.graphqls, queries and Go package, served by the module's subgraph.
	Apps []App `yaml:"apps,omitempty"`
	// Navigation lists the client's entries for the module (one tab each).
	Navigation []NavEntry `yaml:"navigation,omitempty"`

	// File is the manifest's path in diagnostics.
	File string `yaml:"-"`
	// lines maps a key path such as "depends.identity" or "navigation[1].route" to its line.
	lines map[string]int
}

// Events are the events a module publishes and consumes.
type Events struct {
	// Publishes names the module's own events, such as "attempt.finished".
	Publishes []string `yaml:"publishes,omitempty"`
	// Consumes names other modules' events as "module.event", such as "lms.attempt.finished".
	Consumes []string `yaml:"consumes,omitempty"`
}

// App is one app inside a module.
type App struct {
	// Name is the app's name, unique in the module; same rules as a module name.
	Name string `yaml:"name"`
	// Title is the human name of the app.
	Title string `yaml:"title"`
	// Description says what the app does.
	Description string `yaml:"description,omitempty"`
}

// NavEntry is one navigation entry (a tab) the client shows for the module.
type NavEntry struct {
	// Title is the tab's label.
	Title string `yaml:"title"`
	// Icon is an icon name from the client's icon set, such as "book-open".
	Icon string `yaml:"icon,omitempty"`
	// Route is the client route the tab opens, starting with "/".
	Route string `yaml:"route"`
	// Order sorts the tabs of all modules, lowest first.
	Order int `yaml:"order,omitempty"`
}

// The grammar of names, versions and ranges. frontend-contract/module.schema.json uses the same
// patterns, so an editor and ergo accept the same files.
var (
	namePattern    = regexp.MustCompile(`^[a-z][a-z0-9]{1,30}$`)
	eventPattern   = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$`)
	consumePattern = regexp.MustCompile(`^[a-z][a-z0-9]{1,30}\.[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$`)
	iconPattern    = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
	routePattern   = regexp.MustCompile(`^/[A-Za-z0-9_\-./:]*$`)
	versionPattern = regexp.MustCompile(`^` + semverRE + `$`)
	rangePattern   = regexp.MustCompile(`^` + comparatorRE + `( +` + comparatorRE + `)*` +
		`( *\|\| *` + comparatorRE + `( +` + comparatorRE + `)*)*$`)
)

const (
	numRE        = `(0|[1-9][0-9]*)`
	identRE      = `(0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)`
	semverRE     = numRE + `\.` + numRE + `\.` + numRE + `(-` + identRE + `(\.` + identRE + `)*)?` + `(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?`
	comparatorRE = `(>=|<=|>|<|=|~|\^)?` + semverRE
)

// Load reads and parses dir/module.yaml under root; diagnostics name the file by its path
// relative to root.
func Load(root, dir string) (*Manifest, error) {
	rel := path.Join(filepath.ToSlash(dir), FileName)
	body, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	return Parse(rel, body)
}

// Parse parses a module.yaml; file names it in diagnostics. Every problem in the file is
// reported at once, as Diagnostics ("file:line: message"): YAML errors, unknown keys,
// missing fields, bad names, versions, ranges, routes and duplicates. Problems that need
// other manifests (a missing dependency, a cycle) are found by Check.
func Parse(file string, body []byte) (*Manifest, error) {
	// Step 1: read the document's nodes, for the line and path of every key and value.
	var doc yaml.Node
	if err := yaml.Unmarshal(body, &doc); err != nil {
		return nil, yamlDiagnostics(file, err, nil)
	}
	if len(doc.Content) == 0 || doc.Content[0].Tag == "!!null" {
		return nil, Diagnostics{{File: file, Line: 1, Message: "empty manifest: want at least name, version and title"}}
	}
	m := &Manifest{File: file, lines: map[string]int{}}
	ix := &index{lines: m.lines}
	ix.record("", doc.Content[0])

	// Step 2: decode strictly. Unknown keys are reported with the other problems; a value of
	// the wrong kind stops here, since the fields it left empty would be reported as missing.
	dec := yaml.NewDecoder(bytes.NewReader(body))
	dec.KnownFields(true)
	var ds Diagnostics
	if err := dec.Decode(m); err != nil {
		ds = yamlDiagnostics(file, err, ix)
		if !onlyUnknownKeys(err) {
			return nil, ds.Err()
		}
	}

	// Step 3: check every field.
	if ds = append(ds, m.validate()...); len(ds) > 0 {
		return nil, ds.Err()
	}
	return m, nil
}

// line returns the line of key, else of its nearest recorded parent, else 1.
func (m *Manifest) line(key string) int {
	for key != "" {
		if n, ok := m.lines[key]; ok {
			return n
		}
		i := strings.LastIndexAny(key, ".[")
		if i < 0 {
			break
		}
		key = key[:i]
	}
	return 1
}

// diag returns a diagnostic at the line of key.
func (m *Manifest) diag(key, format string, args ...any) Diagnostic {
	return Diagnostic{File: m.File, Line: m.line(key), Message: fmt.Sprintf(format, args...)}
}

// validate checks each field on its own.
func (m *Manifest) validate() Diagnostics {
	var ds Diagnostics
	add := func(d Diagnostic) { ds = append(ds, d) }

	switch {
	case m.Name == "":
		add(m.diag("", "name is missing"))
	case !namePattern.MatchString(m.Name):
		add(m.diag("name", "name %q: want 2 to 31 lower-case letters and digits, starting with a letter", m.Name))
	}
	switch {
	case m.Version == "":
		add(m.diag("", "version is missing: want a semantic version such as 0.1.0"))
	case !versionPattern.MatchString(m.Version):
		add(m.diag("version", "version %q is not a semantic version (want MAJOR.MINOR.PATCH, such as 0.1.0)", m.Version))
	}
	if strings.TrimSpace(m.Title) == "" {
		add(m.diag("", "title is missing"))
	}

	for _, dep := range sortedKeys(m.Depends) {
		key := "depends." + dep
		switch {
		case !namePattern.MatchString(dep):
			add(m.diag(key, "depends: %q is not a module name", dep))
		case dep == m.Name:
			add(m.diag(key, "depends: a module cannot depend on itself"))
		}
		if _, err := parseRange(m.Depends[dep]); err != nil {
			add(m.diag(key, "depends: %s: %v", dep, err))
		}
	}
	ds = append(ds, m.checkNames("interacts", m.Interacts, namePattern, "a module name")...)
	if slices.Contains(m.Interacts, m.Name) {
		add(m.diag("interacts", "interacts: a module always interacts with itself; remove %q", m.Name))
	}
	ds = append(ds, m.checkNames("events.publishes", m.Events.Publishes, eventPattern, "an event name such as attempt.finished")...)
	ds = append(ds, m.checkNames("events.consumes", m.Events.Consumes, consumePattern, "module.event, such as lms.attempt.finished")...)

	ds = append(ds, m.validateApps()...)
	ds = append(ds, m.validateNavigation()...)
	return ds
}

// checkNames checks that every item of list matches re and appears once.
func (m *Manifest) checkNames(key string, list []string, re *regexp.Regexp, want string) Diagnostics {
	var ds Diagnostics
	seen := map[string]bool{}
	for i, s := range list {
		item := fmt.Sprintf("%s[%d]", key, i)
		if !re.MatchString(s) {
			ds = append(ds, m.diag(item, "%s: %q: want %s", key, s, want))
		}
		if seen[s] {
			ds = append(ds, m.diag(item, "%s: %q is listed twice", key, s))
		}
		seen[s] = true
	}
	return ds
}

func (m *Manifest) validateApps() Diagnostics {
	var ds Diagnostics
	seen := map[string]bool{}
	for i, a := range m.Apps {
		key := fmt.Sprintf("apps[%d]", i)
		if !namePattern.MatchString(a.Name) {
			ds = append(ds, m.diag(key, "apps: name %q: want 2 to 31 lower-case letters and digits, starting with a letter", a.Name))
		}
		if seen[a.Name] {
			ds = append(ds, m.diag(key, "apps: %q is listed twice", a.Name))
		}
		seen[a.Name] = true
		if strings.TrimSpace(a.Title) == "" {
			ds = append(ds, m.diag(key, "apps: %q: title is missing", a.Name))
		}
	}
	return ds
}

func (m *Manifest) validateNavigation() Diagnostics {
	var ds Diagnostics
	for i, n := range m.Navigation {
		key := fmt.Sprintf("navigation[%d]", i)
		if strings.TrimSpace(n.Title) == "" {
			ds = append(ds, m.diag(key, "navigation: title is missing"))
		}
		if !routePattern.MatchString(n.Route) {
			ds = append(ds, m.diag(key+".route", "navigation: route %q: want a client path starting with /", n.Route))
		}
		if n.Icon != "" && !iconPattern.MatchString(n.Icon) {
			ds = append(ds, m.diag(key+".icon", "navigation: icon %q: want a lower-case icon name such as book-open", n.Icon))
		}
		if n.Order < 0 {
			ds = append(ds, m.diag(key+".order", "navigation: order %d: want 0 or more", n.Order))
		}
	}
	return ds
}

// parseRange parses a version range in the manifest grammar: comparators such as ">=0.1.0"
// separated by spaces (all must hold), alternatives separated by "||".
func parseRange(s string) (*semver.Constraints, error) {
	if !rangePattern.MatchString(s) {
		return nil, fmt.Errorf("range %q: want comparators such as \">=0.1.0 <1.0.0\" (operators >= <= > < = ~ ^, alternatives with ||)", s)
	}
	c, err := semver.NewConstraint(s)
	if err != nil {
		return nil, fmt.Errorf("range %q: %w", s, err)
	}
	return c, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Header is the part of a manifest that Peek reads.
type Header struct {
	Name    string `yaml:"name"`
	Version string `yaml:"version"`
	Core    bool   `yaml:"core"`
}

// Peek reads only the name, version and core keys of dir/module.yaml under root, so that
// tools can tell which modules are core (and their versions) even while a manifest has other
// problems. A directory without a manifest gives a zero Header.
func Peek(root, dir string) (Header, error) {
	var h Header
	file := path.Join(filepath.ToSlash(dir), FileName)
	body, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(file)))
	if errors.Is(err, os.ErrNotExist) {
		return h, nil
	}
	if err != nil {
		return h, fmt.Errorf("read manifest: %w", err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(body, &doc); err != nil {
		return h, yamlDiagnostics(file, err, nil)
	}
	ix := &index{lines: map[string]int{}}
	if len(doc.Content) > 0 {
		ix.record("", doc.Content[0])
	}
	if err := doc.Decode(&h); err != nil {
		return h, yamlDiagnostics(file, err, ix)
	}
	return h, nil
}
