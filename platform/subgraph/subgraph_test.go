package subgraph_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"ergo/platform/logging"
	"ergo/platform/postgres/pgtest"
	"ergo/platform/subgraph"
)

// schema is a stand-in executable schema: these tests are about what surrounds /query.
func schema(subgraph.Deps) (graphql.ExecutableSchema, error) {
	s := gqlparser.MustLoadSchema(&ast.Source{Name: "test.graphqls", Input: "type Query { ok: Boolean }"})
	return &graphql.ExecutableSchemaMock{SchemaFunc: func() *ast.Schema { return s }}, nil
}

// migrations holds one tiny migration, so Run's database step has something to apply.
var migrations = fstest.MapFS{
	"0001_init.sql": {Data: []byte("CREATE TABLE marks (id int PRIMARY KEY);")},
}

func TestHandlerRoutes(t *testing.T) {
	var seen subgraph.Deps
	m := subgraph.Module{
		Name: "hooks", Schema: schema,
		Routes: func(mux *http.ServeMux, deps subgraph.Deps) {
			seen = deps
			mux.HandleFunc("GET /hello", func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.WriteString(w, "hello")
			})
		},
	}
	h, err := subgraph.Handler(m, subgraph.Deps{Log: logging.Discard()}, "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	if seen.RouterSecret != "s3cret" {
		t.Errorf("Routes got RouterSecret %q, want the handler's secret", seen.RouterSecret)
	}

	tests := []struct {
		name, path string
		want       int
	}{
		{"own route", "/hello", http.StatusOK},
		{"liveness still served", "/healthz", http.StatusOK},
		{"query still guarded", "/query", http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tt.path, nil))
			if rec.Code != tt.want {
				t.Errorf("GET %s: %d, want %d", tt.path, rec.Code, tt.want)
			}
		})
	}
}

// TestRunBackground runs a module with a background task through Run: the task
// starts after the migrations, ends when the process stops, and can still use the pool then.
func TestRunBackground(t *testing.T) {
	var mu sync.Mutex
	var log []string
	note := func(s string) {
		mu.Lock()
		defer mu.Unlock()
		log = append(log, s)
	}
	started := make(chan struct{})
	m := subgraph.Module{
		Name: "hooks", Migrations: migrations, Schema: schema,
		Background: func(ctx context.Context, deps subgraph.Deps) error {
			var n int
			if err := deps.Pool.QueryRow(ctx, "SELECT count(*) FROM marks").Scan(&n); err != nil {
				return err // the migration has not run
			}
			note("started")
			close(started)
			<-ctx.Done()
			if err := deps.Pool.Ping(context.Background()); err != nil {
				note("pool closed early: " + err.Error())
			}
			note("stopped")
			return ctx.Err()
		},
	}

	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- subgraph.Run(ctx, m, []string{"ERGO_DATABASE_URL=" + pgtest.URL(t), "ERGO_ADDR=" + addr}, &stderr)
	}()
	waitReady(t, addr, done)
	// The server may answer before the task has run its first query; stop only once it has.
	select {
	case <-started:
	case code := <-done:
		t.Fatalf("exit %d before the background task started; log:\n%s", code, stderr.String())
	}
	cancel()

	if code := <-done; code != 0 {
		t.Fatalf("exit %d after stop; log:\n%s", code, stderr.String())
	}
	mu.Lock()
	defer mu.Unlock()
	if got := strings.Join(log, ", "); got != "started, stopped" {
		t.Errorf("background: %s; want started, stopped", got)
	}
}

// TestRunBackgroundFails checks that a failing background task stops the whole process.
func TestRunBackgroundFails(t *testing.T) {
	m := subgraph.Module{
		Name: "hooks", Migrations: migrations, Schema: schema,
		Background: func(ctx context.Context, deps subgraph.Deps) error {
			return errors.New("queue lost")
		},
	}
	var stderr bytes.Buffer
	code := subgraph.Run(context.Background(), m,
		[]string{"ERGO_DATABASE_URL=" + pgtest.URL(t), "ERGO_ADDR=" + freeAddr(t)}, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "queue lost") {
		t.Errorf("exit %d, stderr %q; want 1 with the background error", code, stderr.String())
	}
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
