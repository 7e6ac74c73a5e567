package router

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestHealthz(t *testing.T) {
	env := newTestEnv(t, nil)
	env.courses.srv.Close() // liveness does not depend on subgraphs
	got := env.call(t, http.MethodGet, "/healthz", nil, "")
	if got.status != 200 || got.raw != `{"status":"ok"}` {
		t.Errorf("got %d %s, want 200 {\"status\":\"ok\"}", got.status, got.raw)
	}
}

func TestReadyz(t *testing.T) {
	tests := []struct {
		name       string
		breakIt    func(env *testEnv)
		wantStatus int
		want       map[string]any
	}{
		{"all ready", func(*testEnv) {}, 200, map[string]any{
			"status": "ok", "supergraph": "ok", "subgraphs": map[string]any{
				"courses": map[string]any{"status": "ok", "checks": map[string]any{"database": "ok"}},
				"people":  map[string]any{"status": "ok", "checks": map[string]any{"database": "ok"}},
			},
		}},
		{"database down", func(env *testEnv) {
			env.people.setReady(false, `{"status":"unavailable","checks":{"database":"down"}}`)
		}, 503, map[string]any{
			"status": "unavailable", "supergraph": "ok", "subgraphs": map[string]any{
				"courses": map[string]any{"status": "ok", "checks": map[string]any{"database": "ok"}},
				"people": map[string]any{
					"status": "unavailable", "error": "HTTP 503",
					"checks": map[string]any{"database": "down"},
				},
			},
		}},
		{
			"no health body", func(env *testEnv) { env.people.setReady(false, "oops") }, 503,
			map[string]any{"status": "unavailable", "supergraph": "ok", "subgraphs": map[string]any{
				"courses": map[string]any{"status": "ok", "checks": map[string]any{"database": "ok"}},
				"people":  map[string]any{"status": "down", "error": "HTTP 503 without a health body"},
			}},
		},
		{"ok body with error status", func(env *testEnv) {
			env.people.setReady(false, `{"status":"ok"}`)
		}, 503, map[string]any{"status": "unavailable", "supergraph": "ok", "subgraphs": map[string]any{
			"courses": map[string]any{"status": "ok", "checks": map[string]any{"database": "ok"}},
			"people":  map[string]any{"status": "down", "error": "HTTP 503"},
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newTestEnv(t, nil)
			tt.breakIt(env)
			got := env.call(t, http.MethodGet, "/readyz", nil, "")
			if got.status != tt.wantStatus {
				t.Errorf("status = %d, want %d", got.status, tt.wantStatus)
			}
			if diff := cmp.Diff(tt.want, got.body); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadyzUnreachable(t *testing.T) {
	env := newTestEnv(t, nil)
	env.courses.srv.Close()
	got := env.call(t, http.MethodGet, "/readyz", nil, "")
	sub, _ := got.body["subgraphs"].(map[string]any)
	courses, _ := sub["courses"].(map[string]any)
	if got.status != 503 || courses["status"] != "down" || courses["error"] == "" {
		t.Errorf("got %d %s, want 503 with courses down", got.status, got.raw)
	}
}

func TestReadyURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"http://localhost:4001/query", "http://localhost:4001/readyz"},
		{"http://localhost:4001/query/", "http://localhost:4001/readyz"},
		{"http://localhost:4001/", "http://localhost:4001/readyz"},
		{"https://lms.example.edu/api/query?x=1", "https://lms.example.edu/api/readyz"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := readyURL(tt.in)
			if err != nil || got != tt.want {
				t.Errorf("readyURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
	if _, err := readyURL("not a url"); err == nil {
		t.Error("readyURL accepted a URL without host")
	}
}
