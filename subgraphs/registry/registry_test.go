package registry_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"ergo/platform/manifest"
	"ergo/subgraphs/registry"
)

// repo writes a small repository: ergo.yaml with four modules (one disabled) and their
// manifests, and returns its root.
func repo(t testing.TB) string {
	t.Helper()
	root := t.TempDir()
	files := map[string]string{
		// Ports 1 and 2: nothing listens there, so a module without a URL from
		// ERGO_MODULE_URLS is unhealthy.
		"ergo.yaml": "modules:\n" +
			"  - {name: identity, dir: subgraphs/identity, port: 1}\n" +
			"  - {name: lms, dir: subgraphs/lms, port: 2}\n" +
			"  - {name: notes, dir: subgraphs/notes, port: 4009, disabled: true}\n" +
			"  - {name: search, url: 'http://127.0.0.1:1/graphql'}\n",
		"subgraphs/identity/module.yaml": "name: identity\nversion: 0.1.0\ntitle: Identity\ncore: true\n" +
			"navigation:\n  - {title: Account, icon: user, route: /account, order: 90}\n",
		"subgraphs/lms/module.yaml": "name: lms\nversion: 0.2.0\ntitle: Learning\ndescription: Courses.\n" +
			"apps:\n  - {name: quizzes, title: Quizzes}\n" +
			"navigation:\n  - {title: Courses, route: /courses, order: 20}\n",
		"subgraphs/lms/graph/quizzes.graphqls": "type Query { q: Int }\n",
		"subgraphs/notes/module.yaml":          "name: notes\nversion: 0.1.0\ntitle: Notes\n",
	}
	for name, body := range files {
		path := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// subgraph serves /readyz with status.
func subgraph(t testing.TB, status int) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/readyz" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func ptr(s string) *string { return &s }

func TestModules(t *testing.T) {
	root := repo(t)
	up, down := subgraph(t, http.StatusOK), subgraph(t, http.StatusServiceUnavailable)
	identity := manifest.RegistryEntry{
		Name: "identity", Version: "0.1.0", Title: "Identity", Core: true,
		Navigation: []manifest.RegistryNav{{Title: "Account", Icon: ptr("user"), Route: "/account", Order: 90}},
		Apps:       []manifest.RegistryApp{},
	}
	lms := manifest.RegistryEntry{
		Name: "lms", Version: "0.2.0", Title: "Learning", Description: ptr("Courses."),
		Navigation: []manifest.RegistryNav{{Title: "Courses", Route: "/courses", Order: 20}},
		Apps:       []manifest.RegistryApp{{Name: "quizzes", Title: "Quizzes"}},
	}
	search := manifest.RegistryEntry{
		Name: "search", Title: "search",
		Navigation: []manifest.RegistryNav{}, Apps: []manifest.RegistryApp{},
	}
	healthy := func(e manifest.RegistryEntry) manifest.RegistryEntry { e.Healthy = true; return e }

	tests := []struct {
		name string
		cfg  registry.Config
		want []manifest.RegistryEntry
	}{
		{
			// No module URLs: the ones of ergo.yaml, where nothing listens.
			"modules of ergo.yaml",
			registry.Config{Modules: "identity,lms,search"},
			[]manifest.RegistryEntry{identity, lms, search},
		},
		{
			"enabled by the module URLs",
			registry.Config{
				ModuleURLs: "identity=" + up.URL + ",lms=" + down.URL,
			},
			[]manifest.RegistryEntry{healthy(identity), lms},
		},
		{
			"ERGO_MODULES wins",
			registry.Config{
				Modules: "lms", ModuleURLs: "identity=" + up.URL + ",lms=" + up.URL,
			},
			[]manifest.RegistryEntry{healthy(lms)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.Root, tt.cfg.HealthTimeout = root, 5*time.Second
			svc, err := registry.New(tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, svc.Modules(context.Background())); diff != "" {
				t.Errorf("modules (-want +got):\n%s", diff)
			}
		})
	}
}

// TestModulesHealthTimeout checks that a module that does not answer in time is unhealthy
// and does not hold up the list for longer than the check's bound.
func TestModulesHealthTimeout(t *testing.T) {
	release := make(chan struct{})
	stuck := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer stuck.Close()
	defer close(release)

	svc, err := registry.New(registry.Config{
		Root: repo(t), ModuleURLs: "identity=" + stuck.URL, HealthTimeout: 50 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	got := svc.Modules(context.Background())
	if len(got) != 1 || got[0].Healthy {
		t.Errorf("modules = %+v, want identity unhealthy", got)
	}
}

func TestNewErrors(t *testing.T) {
	root := repo(t)
	tests := []struct {
		name string
		cfg  registry.Config
		want string
	}{
		{"not the repository root", registry.Config{Root: t.TempDir()}, "ERGO_ROOT="},
		{"unknown module", registry.Config{Root: root, ModuleURLs: "ghost=http://x"}, `unknown module "ghost"`},
		{"bad module URL", registry.Config{Root: root, ModuleURLs: "lms"}, `module URL "lms"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := registry.New(tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestParseModuleURLs(t *testing.T) {
	got, err := registry.ParseModuleURLs(" identity=http://localhost:4001/ , bi=https://bi.example ,")
	if err != nil {
		t.Fatal(err)
	}
	want := []registry.Named{{"identity", "http://localhost:4001"}, {"bi", "https://bi.example"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("parsed (-want +got):\n%s", diff)
	}
	for _, bad := range []string{"bi", "=http://x", "bi=localhost:4004", "bi=ftp://x"} {
		if _, err := registry.ParseModuleURLs(bad); err == nil {
			t.Errorf("ParseModuleURLs(%q) accepted", bad)
		}
	}
}

func FuzzParseModuleURLs(f *testing.F) {
	f.Add("identity=http://localhost:4001,bi=http://localhost:4004")
	f.Add("=,==http://")
	f.Fuzz(func(t *testing.T, s string) {
		named, err := registry.ParseModuleURLs(s)
		if err != nil {
			return
		}
		for _, n := range named {
			if n.Name == "" || strings.Contains(n.Name+n.URL, ",") || !strings.HasPrefix(n.URL, "http") {
				t.Errorf("ParseModuleURLs(%q) gave %+v", s, n)
			}
		}
	})
}
