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
	"ergo/subgraphs/bi/graph"
)

func TestRunRefusesBadConfig(t *testing.T) {
	var stderr bytes.Buffer
	code := graph.Run(context.Background(), []string{
		"ERGO_DATABASE_URL=postgres://u@h/db",
		"ERGO_LOG_LEVEL=loud",
	}, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "ERGO_LOG_LEVEL") {
		t.Errorf("exit %d, stderr %q; want 1 naming ERGO_LOG_LEVEL", code, stderr.String())
	}
}

// TestRunServesAndStops runs the bi process entry point on a free port until the context
// ends: migrations, the events endpoint and the server start, and it stops cleanly.
func TestRunServesAndStops(t *testing.T) {
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var stderr bytes.Buffer
	go func() {
		done <- graph.Run(ctx, []string{
			"ERGO_DATABASE_URL=" + pgtest.URL(t), "ERGO_ADDR=" + addr,
			"ERGO_DEMO_DATA=false",
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
			t.Fatalf("bi not ready within a minute; log:\n%s", stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	// The events endpoint is served by the process too (an empty event is refused).
	res, err := http.Post("http://"+addr+"/events", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Errorf("POST /events: %v", err)
	} else {
		_ = res.Body.Close()
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("POST /events: %s, want 400", res.Status)
		}
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
