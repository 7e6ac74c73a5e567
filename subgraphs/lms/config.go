package lms

import (
	"fmt"
	"strings"

	"ergo/platform/config"
)

// Config is the lms module's own configuration, from ERGO_* variables.
type Config struct {
	// ModuleURLs maps module names to base URLs (no /query) as comma-separated name=URL
	// pairs; the outbox dispatcher posts events to {URL}/events. `ergo run` sets it.
	ModuleURLs string `env:"MODULE_URLS"`
	// DemoData loads the demo courses, questions and attempts into empty tables at start.
	// Off unless set: `ergo run` sets it (its -demo flag).
	DemoData bool `env:"DEMO_DATA" envDefault:"false"`
	// Root is the repository root, holding ergo.yaml and the modules' manifests, which say
	// who receives lms's events. `ergo run` starts modules in the root, so the default, the
	// working directory, fits it.
	Root string `env:"ROOT" envDefault:"."`
	// Modules, when set, lists the enabled modules instead of ergo.yaml (as for ergo).
	Modules string `env:"MODULES"`
}

// Validate checks that every subscriber of lms's events has a URL when any URL is given.
func (c *Config) Validate() error {
	if _, err := ParseModuleURLs(c.ModuleURLs); err != nil {
		return config.Invalid("MODULE_URLS", c.ModuleURLs, "name=http://host:port pairs separated by commas")
	}
	return nil
}

// ParseModuleURLs parses ERGO_MODULE_URLS: comma-separated name=baseURL pairs such as
// identity=http://localhost:4001,bi=http://localhost:4004.
func ParseModuleURLs(s string) (map[string]string, error) {
	out := map[string]string{}
	for _, pair := range strings.Split(s, ",") {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue
		}
		name, url, ok := strings.Cut(pair, "=")
		name, url = strings.TrimSpace(name), strings.TrimSpace(url)
		web := strings.HasPrefix(url, "http://") || strings.HasPrefix(url, "https://")
		if !ok || name == "" || !web {
			return nil, fmt.Errorf("module URL %q: want name=http://host:port", pair)
		}
		out[name] = url
	}
	return out, nil
}
