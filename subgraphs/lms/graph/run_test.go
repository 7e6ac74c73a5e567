package graph_test

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"ergo/platform/postgres/pgtest"
	"ergo/subgraphs/lms/graph"
)

func TestRunRefusesBadConfig(t *testing.T) {
	tests := []struct {
		name, env, want string
	}{
		{"bad module URLs", "ERGO_MODULE_URLS=bi=localhost:4004", "ERGO_MODULE_URLS"},
		{"root without ergo.yaml", "ERGO_ROOT=" + t.TempDir(), "ERGO_ROOT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			code := graph.Run(context.Background(), []string{"ERGO_DATABASE_URL=postgres://u@h/db", tt.env}, &stderr)
			if code != 1 || !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("exit %d, stderr %q; want 1 naming %s", code, stderr.String(), tt.want)
			}
		})
	}
}

// TestRunServesAndStops runs the lms process entry point on a free port until the context
// ends: migrations, the dispatcher and the server start, and it stops cleanly.
func TestRunServesAndStops(t *testing.T) {
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var stderr bytes.Buffer
	go func() {
		done <- graph.Run(ctx, []string{
			"ERGO_DATABASE_URL=" + pgtest.URL(t), "ERGO_ADDR=" + addr,
			"ERGO_DEMO_DATA=false", "ERGO_MODULE_URLS=bi=http://127.0.0.1:1", "ERGO_ROOT=../../..",
		}, &stderr)
	}()

	// Poll with a deadline while the process starts (migrations take a moment).
	deadline := time.Now().Add(time.Minute)
	for {
		res, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			_ = res.Body.Close()
			if res.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("lms not ready within a minute; log:\n%s", stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("exit %d after stop; log:\n%s", code, stderr.String())
	}
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
