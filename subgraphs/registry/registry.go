// Package registry is the registry module's domain: the platform's enabled modules as the
// client lists them (from ergo.yaml and each module's module.yaml), and whether each one is
// healthy right now.
package registry

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"ergo/platform/config"
	"ergo/platform/manifest"
	"ergo/platform/modules"
)

// Config is the registry module's own configuration, from ERGO_* variables.
type Config struct {
	// Root is the repository root, holding ergo.yaml and the modules' manifests. `ergo run`
	// starts every module in the root, so the default, the working directory, fits it.
	Root string `env:"ROOT" envDefault:"."`
	// Modules, when set, lists the enabled modules instead of ergo.yaml (as for ergo).
	Modules string `env:"MODULES"`
	// ModuleURLs maps module names to base URLs (no /query) as comma-separated name=URL
	// pairs; a module is healthy when {URL}/readyz answers 200. Without Modules, its names
	// are the enabled modules: `ergo run` sets it to the modules it started.
	ModuleURLs string `env:"MODULE_URLS"`
	// HealthTimeout bounds each module's health check.
	HealthTimeout time.Duration `env:"HEALTH_TIMEOUT" envDefault:"1s"`
}

// Validate checks the module URLs and the timeout.
func (c *Config) Validate() error {
	if _, err := ParseModuleURLs(c.ModuleURLs); err != nil {
		return config.Invalid("MODULE_URLS", c.ModuleURLs, "name=http://host:port pairs separated by commas")
	}
	if c.HealthTimeout <= 0 {
		return config.Invalid("HEALTH_TIMEOUT", c.HealthTimeout.String(), "a positive duration such as 1s")
	}
	return nil
}

// ParseModuleURLs parses name=baseURL pairs separated by commas, such as
// identity=http://localhost:4001,bi=http://localhost:4004, in their order.
func ParseModuleURLs(s string) ([]Named, error) {
	var out []Named
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
		out = append(out, Named{Name: name, URL: strings.TrimSuffix(url, "/")})
	}
	return out, nil
}

// Named is a module name with a base URL.
type Named struct {
	Name, URL string
}

// Service lists the modules. The manifests are read once, by New; health is checked on
// every call.
type Service struct {
	entries []manifest.RegistryEntry
	// readyz maps a module's name to its readiness URL; modules without one are unhealthy.
	readyz  map[string]string
	client  *http.Client
	timeout time.Duration
}

// New reads ergo.yaml and the manifests of the enabled modules under cfg.Root. Errors name
// the file at fault (a missing ergo.yaml means ERGO_ROOT is not the repository root).
func New(cfg Config) (*Service, error) {
	urls, err := ParseModuleURLs(cfg.ModuleURLs)
	if err != nil {
		return nil, err
	}
	enabled := cfg.Modules
	if strings.TrimSpace(enabled) == "" {
		names := make([]string, len(urls))
		for i, u := range urls {
			names[i] = u.Name
		}
		enabled = strings.Join(names, ",")
	}
	platform, err := modules.Load(cfg.Root, enabled)
	if err != nil {
		return nil, fmt.Errorf("%w (ERGO_ROOT=%s)", err, cfg.Root)
	}
	entries, err := manifest.Registry(cfg.Root, platform)
	if err != nil {
		return nil, err
	}

	s := &Service{
		entries: entries, readyz: map[string]string{},
		client: &http.Client{}, timeout: cfg.HealthTimeout,
	}
	for _, m := range platform.Enabled() {
		if m.URL != "" {
			s.readyz[m.Name] = strings.TrimSuffix(m.URL, "/query") + "/readyz"
		}
	}
	for _, u := range urls {
		s.readyz[u.Name] = u.URL + "/readyz"
	}
	return s, nil
}

// Modules returns the enabled modules in ergo.yaml order, each healthy when its /readyz
// answered 200 within the timeout. The checks run in parallel.
func (s *Service) Modules(ctx context.Context) []manifest.RegistryEntry {
	out := make([]manifest.RegistryEntry, len(s.entries))
	var wg sync.WaitGroup
	for i, e := range s.entries {
		out[i] = e
		wg.Go(func() { out[i].Healthy = s.healthy(ctx, e.Name) })
	}
	wg.Wait()
	return out
}

// healthy asks the module's /readyz.
func (s *Service) healthy(ctx context.Context, name string) bool {
	url, ok := s.readyz[name]
	if !ok {
		return false
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return false
	}
	res, err := s.client.Do(req)
	if err != nil {
		return false
	}
	_ = res.Body.Close()
	return res.StatusCode == http.StatusOK
}
