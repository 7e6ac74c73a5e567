// Package modules reads the platform configuration, ergo.yaml, which says which modules the
// platform runs and where each one's subgraph lives.
//
// A module is either a Go subgraph in this repository (dir and port: `ergo run` builds and
// starts it) or any federation subgraph server reached by url (started by someone else).
// ERGO_MODULES=identity,org,... overrides which modules are enabled without editing the file.
package modules

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// FileName is the platform configuration file at the repository root.
const FileName = "ergo.yaml"

// Config is the parsed platform configuration.
type Config struct {
	// Modules lists every known module in start order; see Enabled for the ones that run.
	Modules []Module `yaml:"modules"`
	// AddedCore names the core modules a module list left out and Load enabled anyway, in
	// file order, so that a command can say so.
	AddedCore []string `yaml:"-"`
}

// Module is one entry of ergo.yaml.
type Module struct {
	// Name is the module's name: lower case letters and digits, starting with a letter.
	Name string `yaml:"name"`
	// Dir is the module's Go module directory relative to the repository root, for modules
	// that ergo builds and starts. Empty for modules reached by URL only.
	Dir string `yaml:"dir,omitempty"`
	// Port is the local port the module's subgraph listens on when ergo starts it.
	Port int `yaml:"port,omitempty"`
	// URL is the subgraph's GraphQL endpoint. For modules with a Dir it is derived from Port
	// when not given.
	URL string `yaml:"url,omitempty"`
	// Disabled keeps the module out of composition, migrations and the router.
	Disabled bool `yaml:"disabled,omitempty"`
	// Core is set by Load and LoadList when the module's module.yaml says core: true.
	// A module list given to LoadList cannot leave a core module out. False when the
	// manifest is missing or does not parse; the manifest's own checks report that.
	Core bool `yaml:"-"`
}

var validName = regexp.MustCompile(`^[a-z][a-z0-9]{1,30}$`)

// Load reads root/ergo.yaml and enables exactly the modules named in enabled (a
// comma-separated list; empty keeps the file's choice). It is for a process told which
// modules run, such as a subgraph started by ergo run with ERGO_MODULES; a list a user gives
// goes through LoadList, which adds the core modules.
func Load(root, enabled string) (*Config, error) {
	return load(root, enabled, "ERGO_MODULES", false)
}

// LoadList reads root/ergo.yaml and enables the modules named in list (comma-separated;
// empty keeps the file's choice) and every core module, recording in AddedCore the core
// modules list leaves out: a list names the modules to run beside the core ones. source
// says where the list comes from, such as "-modules" or "ERGO_MODULES"; errors about the
// list name it.
func LoadList(root, list, source string) (*Config, error) {
	return load(root, list, source, true)
}

func load(root, list, source string, keepCore bool) (*Config, error) {
	path := filepath.Join(root, FileName)
	body, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read platform config: %w", err)
	}
	cfg, err := Parse(FileName, body)
	if err != nil {
		return nil, err
	}
	for i := range cfg.Modules {
		cfg.Modules[i].Core = isCore(root, cfg.Modules[i].Dir)
	}
	if err := cfg.override(list, source, keepCore); err != nil {
		return nil, err
	}
	return cfg, nil
}

func (m *Module) check() error {
	switch {
	case !validName.MatchString(m.Name):
		return fmt.Errorf("name %q: want 2 to 31 lower-case letters and digits, starting with a letter", m.Name)
	case m.Dir == "" && m.URL == "":
		return fmt.Errorf("module %q: set dir and port (a module in this repository) or url", m.Name)
	case m.Dir != "" && m.Port == 0:
		return fmt.Errorf("module %q: set port, the local port ergo starts it on", m.Name)
	case m.Dir != "" && (m.Port < 1 || m.Port > 65535):
		return fmt.Errorf("module %q: port %d: want 1 to 65535", m.Name, m.Port)
	case filepath.IsAbs(m.Dir) || strings.Contains(filepath.ToSlash(m.Dir), ".."):
		return fmt.Errorf("module %q: dir %q: want a path inside the repository", m.Name, m.Dir)
	}
	return nil
}

// isCore reports whether the manifest in root/dir says core: true. It reads only that key:
// the manifest package, which depends on this one, checks the rest.
func isCore(root, dir string) bool {
	if dir == "" {
		return false
	}
	body, err := os.ReadFile(filepath.Join(root, dir, "module.yaml"))
	if err != nil {
		return false
	}
	var m struct {
		Core bool `yaml:"core"`
	}
	return yaml.Unmarshal(body, &m) == nil && m.Core
}

// override enables the modules named in list, and the core modules when keepCore is set,
// when list is not empty; it records in AddedCore the core modules it adds. Errors name
// source, where the list comes from.
func (c *Config) override(list, source string, keepCore bool) error {
	if strings.TrimSpace(list) == "" {
		return nil
	}
	names := strings.Split(list, ",")
	for i := range names {
		names[i] = strings.TrimSpace(names[i])
		if c.Module(names[i]) == nil {
			return fmt.Errorf("%s=%q: unknown module %q (known: %s)",
				source, list, names[i], strings.Join(c.names(), ", "))
		}
	}
	for i := range c.Modules {
		m := &c.Modules[i]
		named := slices.Contains(names, m.Name)
		keep := keepCore && m.Core
		m.Disabled = !named && !keep
		if keep && !named {
			c.AddedCore = append(c.AddedCore, m.Name)
		}
	}
	return nil
}

// Enabled returns the modules that run, in file order.
func (c *Config) Enabled() []Module {
	var out []Module
	for _, m := range c.Modules {
		if !m.Disabled {
			out = append(out, m)
		}
	}
	return out
}

// Module returns the module called name, or nil.
func (c *Config) Module(name string) *Module {
	for i := range c.Modules {
		if c.Modules[i].Name == name {
			return &c.Modules[i]
		}
	}
	return nil
}

func (c *Config) names() []string {
	var out []string
	for _, m := range c.Modules {
		out = append(out, m.Name)
	}
	return out
}

// SchemaFiles returns the module's GraphQL schema slice: the *.graphqls files under
// root/dir/graph, sorted, as paths relative to root with forward slashes. A module reached
// only by URL has none (its schema comes from the server).
func (m Module) SchemaFiles(root string) ([]string, error) {
	if m.Dir == "" {
		return nil, nil
	}
	var out []string
	dir := filepath.Join(root, m.Dir, "graph")
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".graphqls") {
			rel, _ := filepath.Rel(root, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("module %s: schema files: %w", m.Name, err)
	}
	slices.Sort(out)
	return out, nil
}
