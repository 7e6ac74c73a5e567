package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"ergo/platform/modules"
	"ergo/platform/server"
	"ergo/platform/testenv"
)

func TestFetchSDL(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		body    string
		want    string // the SDL, or a part of the error
		wantErr bool
	}{
		{"ok", 200, `{"data":{"_service":{"sdl":"type Query { a: Int }"}}}`, "type Query { a: Int }", false},
		{"graphql error", 200, `{"errors":[{"message":"Cannot query field \"_service\""}]}`, `Cannot query field "_service"`, true},
		{"no sdl", 200, `{"data":{"_service":{"sdl":"  "}}}`, "no _service.sdl: is it a federation subgraph?", true},
		{"status", 403, `{}`, "HTTP status 403", true},
		{"not json", 200, `<html>`, "decode response", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				var req struct{ Query string }
				if json.Unmarshal(body, &req) != nil || req.Query != "{ _service { sdl } }" ||
					r.Header.Get(server.HeaderRouterSecret) != "s3cret" {
					http.Error(w, "unexpected request", http.StatusBadRequest)
					return
				}
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			}))
			defer srv.Close()

			got, err := fetchSDL(context.Background(), srv.Client(), srv.URL, "s3cret")
			switch {
			case tt.wantErr && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("error %v, want one containing %q", err, tt.want)
			case !tt.wantErr && (err != nil || got != tt.want):
				t.Errorf("fetchSDL = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// TestNodeModule composes a module written in JavaScript (testdata/nodesubgraph, a
// federation subgraph on Node's graphql package) with identity, from the SDL it serves.
func TestNodeModule(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		testenv.Missing(t, "node is not installed")
	}
	modulesDir, err := filepath.Abs("../../../supergraph/crosscheck/node_modules")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(modulesDir, "graphql")); err != nil {
		testenv.Missing(t, "the graphql package is not installed (make npm-deps)")
	}

	// Step 1: start the Node subgraph on a free port; it prints its address when listening.
	cmd := exec.Command(node, "testdata/nodesubgraph/server.cjs")
	cmd.Env = append(os.Environ(), "PORT=0", "NODE_PATH="+modulesDir, "ERGO_ROUTER_SECRET=s3cret")
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
	if err != nil || !ok {
		t.Fatalf("node subgraph did not start: %q %v", line, err)
	}
	url := "http://" + addr + "/query"

	// Step 2: compose it, by the SDL it serves, with identity's slice from this repository.
	if _, err := fetchSDL(context.Background(), http.DefaultClient, url, ""); err == nil ||
		!strings.Contains(err.Error(), "HTTP status 403") {
		t.Errorf("fetchSDL without the secret = %v, want HTTP status 403", err)
	}
	files := map[string]string{}
	for _, rel := range []string{"module.yaml", "graph/schema.graphqls"} {
		body, err := os.ReadFile(filepath.Join("../../../subgraphs/identity", rel))
		if err != nil {
			t.Fatal(err)
		}
		files["subgraphs/identity/"+rel] = string(body)
	}
	root := repo(t, "modules:\n  - {name: identity, dir: subgraphs/identity, port: 4001}\n"+
		"  - {name: search, url: \""+url+"\"}\n", files)
	t.Setenv("ERGO_ROUTER_SECRET", "s3cret")
	cfg, err := modules.Load(root, "")
	if err != nil {
		t.Fatal(err)
	}
	composed, err := composeModules(root, cfg.Enabled())
	if err != nil {
		var buf strings.Builder
		printComposeError(&buf, err)
		t.Fatalf("compose with the node module:\n%s", buf.String())
	}
	out := string(composed)
	for _, want := range []string{`@join__graph(name: "search", url: "` + url + `")`, "lastSearch: String", "search(text: String!)"} {
		if !strings.Contains(out, want) {
			t.Errorf("supergraph lacks %q", want)
		}
	}

	// Step 3: it resolves the User entities it extends, as the router will ask.
	body := `{"query":"{ _entities(representations: [{__typename: \"User\", id: \"u1\"}]) { ... on User { lastSearch } } }"}`
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header.Set(server.HeaderRouterSecret, "s3cret")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	got, _ := io.ReadAll(res.Body)
	if want := `{"data":{"_entities":[{"lastSearch":"federation"}]}}`; string(got) != want {
		t.Errorf("_entities = %s, want %s", got, want)
	}
}
