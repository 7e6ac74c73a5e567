package manifest

import (
	"fmt"

	"ergo/platform/modules"
)

// RegistryEntry is one module as the router's modules query lists it for the client;
// frontend-contract/modules.schema.json describes the same value as JSON.
type RegistryEntry struct {
	Name        string        `json:"name"`
	Version     string        `json:"version"`
	Title       string        `json:"title"`
	Description *string       `json:"description"`
	Core        bool          `json:"core"`
	Healthy     bool          `json:"healthy"`
	Navigation  []RegistryNav `json:"navigation"`
	Apps        []RegistryApp `json:"apps"`
}

// RegistryNav is a navigation entry of RegistryEntry: Icon is nil when the manifest has none.
type RegistryNav struct {
	Title string  `json:"title"`
	Icon  *string `json:"icon"`
	Route string  `json:"route"`
	Order int     `json:"order"`
}

// RegistryApp is an app of RegistryEntry.
type RegistryApp struct {
	Name        string  `json:"name"`
	Title       string  `json:"title"`
	Description *string `json:"description"`
}

// Entry returns the module's registry entry; healthy says whether its subgraph answered its
// readiness check (the registry module asks every module's /readyz).
// Lists are never nil, so they encode as [] rather than null.
func (m *Manifest) Entry(healthy bool) RegistryEntry {
	e := RegistryEntry{
		Name: m.Name, Version: m.Version, Title: m.Title, Description: optional(m.Description),
		Core: m.Core, Healthy: healthy,
		Navigation: make([]RegistryNav, 0, len(m.Navigation)), Apps: make([]RegistryApp, 0, len(m.Apps)),
	}
	for _, n := range m.Navigation {
		e.Navigation = append(e.Navigation, RegistryNav{Title: n.Title, Icon: optional(n.Icon), Route: n.Route, Order: n.Order})
	}
	for _, a := range m.Apps {
		e.Apps = append(e.Apps, RegistryApp{Name: a.Name, Title: a.Title, Description: optional(a.Description)})
	}
	return e
}

// optional returns nil for "", else a pointer to s.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// Registry returns the registry entries of cfg's enabled modules, in ergo.yaml order, each
// marked unhealthy until the caller knows better. A module reached by URL has no manifest
// here: its entry has its name as title and no version, tabs or apps.
//
// TODO(#6): entries of modules reached by URL, once such a module can name a manifest.
func Registry(root string, cfg *modules.Config) ([]RegistryEntry, error) {
	var out []RegistryEntry
	for _, mod := range cfg.Enabled() {
		if mod.Dir == "" {
			out = append(out, (&Manifest{Name: mod.Name, Title: mod.Name}).Entry(false))
			continue
		}
		m, err := Load(root, mod.Dir)
		if err != nil {
			return nil, fmt.Errorf("module %s: %w", mod.Name, err)
		}
		out = append(out, m.Entry(false))
	}
	return out, nil
}
