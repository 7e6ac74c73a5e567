package router

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
)

func TestRunConfigError(t *testing.T) {
	t.Setenv("ERGO_MAX_DEPTH", "deep")
	var stdout, stderr bytes.Buffer
	code := Run(context.Background(), nil, strings.NewReader(""), &stdout, &stderr)
	want := "router: ERGO_MAX_DEPTH=\"deep\" is invalid: want a whole number\n"
	if code != 2 || stderr.String() != want {
		t.Errorf("Run = %d, stderr %q; want 2, %q", code, stderr.String(), want)
	}
}

func TestRunMissingSupergraph(t *testing.T) {
	t.Setenv("ERGO_SUPERGRAPH", t.TempDir()+"/none.graphql")
	t.Setenv("ERGO_ROUTER_ADDR", "127.0.0.1:0")
	var stderr bytes.Buffer
	if code := Run(context.Background(), nil, nil, io.Discard, &stderr); code != 1 {
		t.Errorf("Run = %d, want 1", code)
	}
	if !strings.Contains(stderr.String(), "read supergraph") {
		t.Errorf("stderr does not say why: %s", stderr.String())
	}
}

// TestServeGracefulStop stops the server while a request is running; the request completes.
func TestServeGracefulStop(t *testing.T) {
	env := newTestEnv(t, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- Serve(ctx, env.rt.cfg, slog.New(slog.DiscardHandler), ln) }()
	base := "http://" + ln.Addr().String()
	waitFor(t, func() bool {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			_ = resp.Body.Close()
		}
		return err == nil && resp.StatusCode == 200
	})

	result := make(chan string, 1)
	go func() {
		resp, err := http.Post(base+"/", "application/json", strings.NewReader(`{"query":"{ slow }"}`))
		if err != nil {
			result <- err.Error()
			return
		}
		defer func() { _ = resp.Body.Close() }()
		b, _ := io.ReadAll(resp.Body)
		result <- string(b)
	}()
	waitFor(t, func() bool { return len(env.courses.calls()) == 1 })
	cancel()
	close(env.release)

	if got := <-result; got != `{"data":{"slow":"done"}}` {
		t.Errorf("in-flight request got %s", got)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve = %v", err)
	}
}

func TestRunArguments(t *testing.T) {
	var stderr bytes.Buffer
	if code := Run(context.Background(), []string{"--port", "1"}, nil, io.Discard, &stderr); code != 2 {
		t.Errorf("Run = %d, want 2", code)
	}
	if !strings.Contains(stderr.String(), "takes no arguments") {
		t.Errorf("stderr = %q", stderr.String())
	}
}

// TestRunStops starts the router with a cancelled context: it loads, listens, stops and
// exits 0.
func TestRunStops(t *testing.T) {
	t.Setenv("ERGO_SUPERGRAPH", "testdata/supergraph.graphql")
	t.Setenv("ERGO_ROUTER_ADDR", "127.0.0.1:0")
	t.Setenv("ERGO_ROUTER_SECRET", "s")
	t.Setenv("ERGO_LOG_LEVEL", "info") // CI may set a quieter level
	t.Setenv("ERGO_LOG_FORMAT", "text")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stderr bytes.Buffer
	if code := Run(ctx, nil, nil, io.Discard, &stderr); code != 0 {
		t.Errorf("Run = %d, want 0; stderr:\n%s", code, stderr.String())
	}
	for _, want := range []string{"router listening", "router stopped"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
}
