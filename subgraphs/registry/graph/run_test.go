package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"ergo/platform/manifest"
	"ergo/platform/postgres/pgtest"
	"ergo/platform/subgraph"
	"ergo/subgraphs/registry/graph"
)

// query selects every field of frontend-contract/modules.schema.json.
const query = `{ modules { name version title description core healthy
  navigation { title icon route order } apps { name title description } } }`

func TestRefusesBadConfig(t *testing.T) {
	tests := []struct {
		name    string
		environ []string
		want    string
	}{
		{"bad module URLs", []string{"ERGO_MODULE_URLS=registry"}, "ERGO_MODULE_URLS"},
		{"bad timeout", []string{"ERGO_HEALTH_TIMEOUT=0s"}, "ERGO_HEALTH_TIMEOUT"},
		{"not the repository root", []string{"ERGO_ROOT=" + t.TempDir()}, "ERGO_ROOT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := graph.NewModule(tt.environ)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to name %s", err, tt.want)
			}
		})
	}
}

// TestRunServesModules runs the registry as its binary does, on the repository's ergo.yaml
// with only itself enabled: it migrates its (empty) set, serves the modules query through
// the router-secret check, reports itself healthy from its own /readyz, and stops cleanly.
func TestRunServesModules(t *testing.T) {
	addr := freeAddr(t)
	environ := []string{
		"ERGO_DATABASE_URL=" + pgtest.URL(t), "ERGO_ADDR=" + addr, "ERGO_ROUTER_SECRET=s3cret",
		"ERGO_ROOT=../../..", "ERGO_MODULE_URLS=registry=http://" + addr,
	}
	m, err := graph.NewModule(environ)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr bytes.Buffer
	done := make(chan int, 1)
	go func() { done <- subgraph.Run(ctx, m, environ, &stderr) }()
	waitReady(t, addr, done)

	// The answer is the manifest's registry entry, with the field names of the contract.
	own, err := manifest.Load("../../..", "subgraphs/registry")
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(map[string]any{"modules": []manifest.RegistryEntry{own.Entry(true)}})
	got := post(t, addr, query)
	if diff := cmp.Diff(jsonValue(t, want), jsonValue(t, got)); diff != "" {
		t.Errorf("data (-want +got):\n%s", diff)
	}

	cancel()
	if code := <-done; code != 0 {
		t.Errorf("exit %d after stop; log:\n%s", code, stderr.String())
	}
}

// post sends query with the router secret and returns the data member of the answer.
func post(t testing.TB, addr, query string) json.RawMessage {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query})
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/query", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Ergo-Router-Secret", "s3cret")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = res.Body.Close() }()
	var out struct {
		Data   json.RawMessage
		Errors []any
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || len(out.Errors) > 0 {
		t.Fatalf("answer: %v, errors %v", err, out.Errors)
	}
	return out.Data
}

func jsonValue(t testing.TB, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	return v
}

// waitReady polls addr's /readyz with a deadline while the process starts.
func waitReady(t testing.TB, addr string, done <-chan int) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		res, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			_ = res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case code := <-done:
			t.Fatalf("exited with %d during start", code)
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("not ready at %s within a minute", addr)
}

func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = ln.Close() }()
	return ln.Addr().String()
}
