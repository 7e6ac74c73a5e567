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
)

// FileName is the platform configuration file at the repository root.
const FileName = "ergo.yaml"

// Config is the parsed platform configuration.
type Config struct {
	// Modules lists every known module in start order; see Enabled for the ones that run.
	Modules []Module `yaml:"modules"`
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
}

var validName = regexp.MustCompile(`^[a-z][a-z0-9]{1,30}$`)

// Load reads root/ergo.yaml and applies the ERGO_MODULES override given in enabled (a
// comma-separated list of module names; empty keeps the file's choice).
func Load(root, enabled string) (*Config, error) {
	return LoadList(root, enabled, "ERGO_MODULES")
}

// LoadList is Load for a list that comes from source, such as "-modules" or "ERGO_MODULES":
// an error about the list names source, where the user can correct it.
func LoadList(root, list, source string) (*Config, error) {
	path := filepath.Join(root, FileName)
	body, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read platform config: %w", err)
	}
	cfg, err := Parse(FileName, body)
	if err != nil {
		return nil, err
	}
	if err := cfg.override(list, source); err != nil {
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

// override enables exactly the modules named in list, when list is not empty; errors name
// source, where the list comes from.
func (c *Config) override(list, source string) error {
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
		c.Modules[i].Disabled = !slices.Contains(names, c.Modules[i].Name)
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
