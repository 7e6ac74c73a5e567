package cli

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"ergo/platform/modules"
	"ergo/platform/postgres/pgtest"
)

// syncBuffer is a bytes.Buffer safe for the writer goroutines of child processes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestRun runs `ergo run` on this repository with the core modules (identity, org and
// registry: -modules identity adds the other two) on a fresh database, queries the router it
// started, then cancels it as Ctrl-C does and checks that every child process has gone.
func TestRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the platform")
	}
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, port := range []int{4001, 4002, 4005} {
		if !portFree(port) {
			t.Skipf("port %d (a core module in ergo.yaml) is in use by another run", port)
		}
	}
	t.Setenv("ERGO_ROOT", root)
	t.Setenv("ERGO_DATABASE_URL", pgtest.URL(t))
	t.Setenv("ERGO_DEMO_DATA", "false")
	addr := freeAddr(t)

	// Step 1: start the platform and wait for the banner.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, []string{"run", "-modules", "identity", "-router-addr", addr},
			strings.NewReader(""), &out, &out)
	}()
	deadline := time.Now().Add(5 * time.Minute)
	for !strings.Contains(out.String(), "Press Ctrl-C to stop.") {
		select {
		case code := <-done:
			t.Fatalf("ergo run exited with %d:\n%s", code, out.String())
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("no banner after 5 minutes:\n%s", out.String())
		}
	}

	// Step 2: the router answers through the module.
	body := `{"query":"{ __typename me { id } }"}`
	res, err := http.Post("http://"+addr+"/graphql", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	got := new(bytes.Buffer)
	_, _ = got.ReadFrom(res.Body)
	res.Body.Close()
	if want := `{"data":{"__typename":"Query","me":null}}`; strings.TrimSpace(got.String()) != want {
		t.Errorf("router answered %s, want %s", got, want)
	}

	// Step 3: Ctrl-C stops everything, cleanly.
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("ergo run exited with %d after cancel:\n%s", code, out.String())
		}
	case <-time.After(time.Minute):
		t.Fatal("ergo run did not stop within a minute of cancel")
	}
	wantStopped := "ergo run: stopped the router and the modules; the database keeps running: " +
		"this run did not start it\n"
	if !strings.HasSuffix(out.String(), wantStopped) {
		t.Errorf("output does not end with %q:\n%s", wantStopped, out.String())
	}
	for _, bin := range []string{"identity", "org", "registry", "router"} {
		path := filepath.Join(root, ".ergo", "bin", bin)
		if pids, _ := exec.Command("pgrep", "-f", "^"+path+"$").Output(); len(pids) > 0 {
			t.Errorf("%s still runs after ergo run stopped (pids %s)", bin, bytes.TrimSpace(pids))
		}
	}
	if _, err := os.Stat(filepath.Join(root, ".ergo", "supergraph.graphql")); err != nil {
		t.Errorf("the run's supergraph was not written: %v", err)
	}
}

// TestExposed checks which router addresses count as open to other machines, the ones
// `ergo run` warns about when demo data is loaded.
func TestExposed(t *testing.T) {
	tests := []struct {
		addr string
		want bool
	}{
		{"127.0.0.1:4000", false},
		{"[::1]:4000", false},
		{"localhost:4000", false},
		{":4000", true},
		{"0.0.0.0:4000", true},
		{"[::]:4000", true},
		{"192.0.2.10:4000", true},
		{"ergo.example.org:4000", true},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			if got := exposed(tt.addr); got != tt.want {
				t.Errorf("exposed(%q) = %v, want %v", tt.addr, got, tt.want)
			}
		})
	}
}

// notifyBuffer is a syncBuffer that signals each write on wrote.
type notifyBuffer struct {
	syncBuffer
	wrote chan struct{}
}

func (b *notifyBuffer) Write(p []byte) (int, error) {
	n, err := b.syncBuffer.Write(p)
	b.wrote <- struct{}{}
	return n, err
}

// TestRunWait checks what `ergo run` does when a child exits after start-up: a module that
// exits is reported in one line and the rest keep running until Ctrl-C; the router's exit
// stops the run.
func TestRunWait(t *testing.T) {
	tests := []struct {
		name, exits string
		wantLine    string // the line reported for a module, "" when the run must stop
	}{
		{
			"module", "bi",
			"ergo run: module bi stopped (signal: terminated); the rest keep running and the router " +
				"answers without it (its fields are null with DOWNSTREAM_SERVICE_ERROR); to restart it, " +
				"stop with Ctrl-C and run again\n",
		},
		{
			"core module", "identity",
			"ergo run: core module identity stopped (signal: terminated); the rest keep running and the " +
				"router answers without it (every request that needs it fails with " +
				"DOWNSTREAM_SERVICE_ERROR); " +
				"to restart it, stop with Ctrl-C and run again\n",
		},
		{"router", "router", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := &notifyBuffer{wrote: make(chan struct{}, 10)}
			all := &modules.Config{Modules: []modules.Module{{Name: "identity", Core: true}, {Name: "bi"}}}
			p := &platform{env: &Env{Stderr: out}, all: all}
			procs := map[string]*process{}
			for _, name := range []string{"router", "identity", "bi"} {
				procs[name] = &process{name: name, done: make(chan struct{})}
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			errc := make(chan error, 1)
			go func() { errc <- p.wait(ctx, procs["router"], []*process{procs["identity"], procs["bi"]}) }()

			procs[tt.exits].err = errors.New("signal: terminated")
			close(procs[tt.exits].done)
			if tt.wantLine == "" {
				err := <-errc
				if err == nil || !strings.HasPrefix(err.Error(), "router stopped unexpectedly\n") {
					t.Errorf("wait = %v, want the router's exit", err)
				}
				return
			}
			<-out.wrote
			if got := out.String(); got != tt.wantLine {
				t.Errorf("reported %q, want %q", got, tt.wantLine)
			}
			cancel() // Ctrl-C
			if err := <-errc; err != nil {
				t.Errorf("wait after a module's exit and Ctrl-C = %v, want nil", err)
			}
		})
	}
}

// TestRunInterrupted checks that Ctrl-C while ergo run starts the platform is a clean stop:
// exit status 0 and no error line.
func TestRunInterrupted(t *testing.T) {
	setRepositoryRoot(t)
	t.Setenv("ERGO_DATABASE_URL", pgtest.URL(t))
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // interrupted before the database is ready
	var stdout, stderr bytes.Buffer
	code := Run(ctx, []string{"run", "-modules", "identity,org,registry", "-router-addr", freeAddr(t)},
		strings.NewReader(""), &stdout, &stderr)
	if code != 0 || strings.Contains(stderr.String(), "canceled") {
		t.Errorf("interrupted ergo run = %d, stderr:\n%s\nwant 0 and no error", code, stderr.String())
	}
}

// freeAddr returns a loopback address with a port nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return "127.0.0.1:" + strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}

// TestRunChecksPorts checks that `ergo run` stops before building or starting anything, with
// one line that names the address and what to do, when a port it needs is taken.
func TestRunChecksPorts(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	takenAddr := taken.Addr().String()
	takenPort := strconv.Itoa(taken.Addr().(*net.TCPAddr).Port)
	free := freeAddr(t)
	_, freePort, _ := net.SplitHostPort(free)

	tests := []struct {
		name, ergoYAML, routerAddr, want string
	}{
		{
			"router address in use", "modules: []\n", takenAddr,
			"ergo run: router address " + takenAddr + " is in use: stop what listens there " +
				"(another ergo run?), or pass another -router-addr (make run ROUTER_ADDR=127.0.0.1:4100)",
		},
		{
			"every interface with demo data", "modules: []\n", ":" + takenPort,
			"ergo run: WARNING: the router listens on " +
				":" + takenPort + ", open to other machines, with demo " +
				"data whose passwords README.md publishes (admin included): anyone on the network can sign " +
				"in as admin; use 127.0.0.1:" + takenPort + " or -demo=false (make run DEMO=false)\n" +
				"ergo run: router address :" + takenPort + " is in use: stop what listens there " +
				"(another ergo run?), or pass another -router-addr (make run ROUTER_ADDR=127.0.0.1:4100)",
		},
		{
			"module port in use", "modules:\n  - {name: notes, dir: subgraphs/notes, port: " + takenPort + "}\n", free,
			"ergo run: port " + takenPort + " of module notes is in use: stop what listens there, " +
				"or give the module another port in ergo.yaml",
		},
		{
			"router on a module's port", "modules:\n  - {name: notes, dir: subgraphs/notes, port: " + freePort + "}\n", free,
			"ergo run: router address " + free + " takes port " + freePort + " of module notes: pass another " +
				"-router-addr (make run ROUTER_ADDR=127.0.0.1:4100), or give the module another " +
				"port in ergo.yaml",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := repo(t, tt.ergoYAML, map[string]string{})
			t.Setenv("ERGO_DATABASE_URL", "postgres://unused@127.0.0.1:1/unused")

			code, _, stderr := run(t, "run", "-router-addr", tt.routerAddr)
			if code != 1 || strings.TrimSpace(stderr) != tt.want {
				t.Errorf("ergo run = %d, stderr %q; want 1, %q", code, stderr, tt.want)
			}
			if _, err := os.Stat(filepath.Join(root, ".ergo", "bin")); err == nil {
				t.Error("ergo run built binaries before checking its ports")
			}
		})
	}
}
