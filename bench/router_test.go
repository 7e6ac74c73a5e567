package bench_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"ergo/bench"
	"ergo/bench/subgraphs"
	"ergo/router"

	"github.com/google/go-cmp/cmp"
)

// startSubgraphs serves the four subgraphs on free loopback ports for the test's lifetime.
func startSubgraphs(tb testing.TB) *subgraphs.Set {
	tb.Helper()
	lns, err := subgraphs.Listen(0)
	if err != nil {
		tb.Fatal(err)
	}
	set, err := subgraphs.Start(lns)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = set.Close() })
	return set
}

// startRouter runs ERGO's router over a supergraph composed for the subgraphs' URLs, with
// the depth and cost limits off (the deep query is over the default cost limit on purpose).
func startRouter(tb testing.TB, urls map[string]string) *httptest.Server {
	tb.Helper()
	sdl, err := bench.Compose(urls)
	if err != nil {
		tb.Fatal(err)
	}
	file := filepath.Join(tb.TempDir(), "supergraph.graphql")
	if err := os.WriteFile(file, sdl, 0o644); err != nil {
		tb.Fatal(err)
	}
	cfg, err := router.LoadConfig([]string{
		"ERGO_SUPERGRAPH=" + file, "ERGO_MAX_DEPTH=0", "ERGO_MAX_COST=0",
	})
	if err != nil {
		tb.Fatal(err)
	}
	rt, err := router.New(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewServer(rt.Handler())
	tb.Cleanup(srv.Close)
	return srv
}

// post sends the deep query and returns the response body in compact form.
func post(tb testing.TB, client *http.Client, url string, body []byte) []byte {
	tb.Helper()
	got, err := fetch(client, url, body)
	if err != nil {
		tb.Fatal(err)
	}
	return got
}

// fetch is post for goroutines that may not stop the test.
func fetch(client *http.Client, url string, body []byte) ([]byte, error) {
	resp, err := client.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %d: %.300s", resp.StatusCode, raw)
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return nil, fmt.Errorf("response is not JSON: %w: %.300s", err, raw)
	}
	return buf.Bytes(), nil
}

// TestRouterAnswersDeepQuery runs the deep query through the real router over real HTTP to
// the four subgraphs, twice (the second time from the router's caches), and compares the
// response with testdata/expected.json byte for byte after whitespace is removed.
func TestRouterAnswersDeepQuery(t *testing.T) {
	set := startSubgraphs(t)
	srv := startRouter(t, set.URLs)
	for _, name := range []string{"first", "cached"} {
		t.Run(name, func(t *testing.T) {
			got := post(t, srv.Client(), srv.URL+"/graphql", bench.RequestBody())
			if diff := cmp.Diff(string(bench.Expected()), string(got)); diff != "" {
				t.Errorf("response differs from testdata/expected.json (-want +got):\n%s", diff)
			}
		})
	}
	for _, name := range subgraphs.Names {
		if set.Servers[name].Requests.Load() == 0 {
			t.Errorf("subgraph %s was never called", name)
		}
	}
}
