package router

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

// addCredits returns the test supergraph with a new field Course.credits.
func addCredits(tb testing.TB, path string) []byte {
	tb.Helper()
	sdl, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return []byte(strings.Replace(string(sdl), "  title: String!\n",
		"  title: String!\n  credits: Int\n", 1))
}

func writeFile(tb testing.TB, path string, data []byte) {
	tb.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		tb.Fatal(err)
	}
}

// creditsStatus asks for Course.credits, which only the changed supergraph has.
func creditsStatus(tb testing.TB, env *testEnv) int {
	tb.Helper()
	return env.post(tb, mediaGraphQLResponse, gqlBody(tb, `{ course(id: "c1") { credits } }`, nil, ""),
		nil).status
}

func TestReload(t *testing.T) {
	env := newTestEnv(t, nil)
	valid := addCredits(t, env.path)

	// An invalid file is refused once, with one log line, and the old graph keeps serving.
	writeFile(t, env.path, []byte("type Query {"))
	env.rt.reload()
	env.rt.reload()
	if got := creditsStatus(t, env); got != http.StatusBadRequest {
		t.Errorf("after an invalid file: status %d, want 400 (old schema)", got)
	}
	if n := len(env.logs.lines(t, "supergraph rejected, still serving the previous one")); n != 1 {
		t.Errorf("got %d rejection log lines, want 1", n)
	}
	if got := env.post(t, "", gqlBody(t, `{ course(id: "c1") { id } }`, nil, ""), nil); got.status != 200 {
		t.Errorf("old graph stopped serving: %d %s", got.status, got.raw)
	}

	// A missing file is logged once, however long it stays missing.
	if err := os.Remove(env.path); err != nil {
		t.Fatal(err)
	}
	env.rt.reload()
	env.rt.reload()
	if n := len(env.logs.lines(t, "supergraph not reloaded")); n != 1 {
		t.Errorf("got %d read failure log lines, want 1", n)
	}

	// A valid change is served from the next request on.
	writeFile(t, env.path, valid)
	env.rt.reload()
	if got := creditsStatus(t, env); got != http.StatusOK {
		t.Errorf("after a valid change: status %d, want 200", got)
	}
	if n := len(env.logs.lines(t, "supergraph reloaded")); n != 1 {
		t.Errorf("got %d reload log lines, want 1", n)
	}

	// The same contents again change nothing.
	env.rt.reload()
	if n := len(env.logs.lines(t, "supergraph reloaded")); n != 1 {
		t.Errorf("unchanged file reloaded again: %d log lines", n)
	}
}

// TestReloadKeepsInFlightRequests swaps the graph while a request waits on a subgraph.
func TestReloadKeepsInFlightRequests(t *testing.T) {
	env := newTestEnv(t, nil)
	done := make(chan reply, 1)
	go func() {
		done <- env.post(t, mediaGraphQLResponse, gqlBody(t, `{ slow }`, nil, ""), nil)
	}()
	waitFor(t, func() bool { return len(env.courses.calls()) == 1 })

	writeFile(t, env.path, addCredits(t, env.path))
	env.rt.reload()
	if got := creditsStatus(t, env); got != http.StatusOK {
		t.Fatalf("new graph not served: %d", got)
	}
	close(env.release)

	got := <-done
	if got.status != 200 || got.raw != `{"data":{"slow":"done"}}` {
		t.Errorf("in-flight request: %d %s", got.status, got.raw)
	}
}

// TestWatch runs the polling loop itself.
func TestWatch(t *testing.T) {
	env := newTestEnv(t, func(c *Config) { c.ReloadInterval = 5 * time.Millisecond })
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() {
		env.rt.Watch(ctx)
		close(stopped)
	}()
	writeFile(t, env.path, addCredits(t, env.path))
	waitFor(t, func() bool { return creditsStatus(t, env) == http.StatusOK })
	cancel()
	<-stopped
}

// waitFor polls cond until it holds, failing the test after a generous deadline.
func waitFor(tb testing.TB, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatal("condition not met before the deadline")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
