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
	var stderr bytes.Buffer
	code := graph.Run(context.Background(), []string{
		"ERGO_DATABASE_URL=postgres://u@h/db",
		"ERGO_MODULE_URLS=bi=localhost:4004",
	}, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "ERGO_MODULE_URLS") {
		t.Errorf("exit %d, stderr %q; want 1 naming ERGO_MODULE_URLS", code, stderr.String())
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
			"ERGO_DEMO_DATA=false", "ERGO_MODULE_URLS=bi=http://127.0.0.1:1",
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
