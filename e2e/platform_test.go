package e2e_test

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"ergo/platform/modules"
	"ergo/platform/postgres/pgtest"
	"ergo/supergraph"
)

// Admin is the platform admin identity creates at start.
const (
	adminEmail    = "admin@e2e.ergo.test"
	adminPassword = "e2e-admin-password"
)

// platform is one running ERGO: every enabled module of ergo.yaml and the router, each its
// own process.
type platform struct {
	t       *testing.T
	root    string
	bins    string
	modules []modules.Module
	ports   map[string]int
	env     []string
	procs   map[string]*process
	router  string
}

// process is one started binary with its combined output.
type process struct {
	name string
	cmd  *exec.Cmd
	out  *lockedBuffer
	done chan struct{}
}

// lockedBuffer is a bytes.Buffer safe for the process's writes and the test's reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startPlatform builds and starts the platform; it is stopped when the test ends.
func startPlatform(t *testing.T) *platform {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := modules.Load(root, "")
	if err != nil {
		t.Fatal(err)
	}
	p := &platform{
		t: t, root: root, bins: t.TempDir(), modules: cfg.Enabled(),
		ports: map[string]int{}, procs: map[string]*process{},
	}
	for _, m := range p.modules {
		if m.Dir == "" {
			t.Fatalf("module %s is reached by URL; these tests start modules of this repository only", m.Name)
		}
		p.ports[m.Name] = freePort(t)
	}
	p.ports["router"] = freePort(t)
	p.router = fmt.Sprintf("http://127.0.0.1:%d", p.ports["router"])

	p.build()
	p.environ(pgtest.URL(t))
	supergraphFile := p.compose()
	t.Cleanup(p.stopAll)

	for _, m := range p.modules {
		p.start(m.Name)
	}
	p.startRouter(supergraphFile)
	return p
}

// build compiles every module's binary and the router in one go command.
func (p *platform) build() {
	p.t.Helper()
	args := []string{"build", "-o", p.bins + string(filepath.Separator)}
	for _, m := range p.modules {
		args = append(args, "./"+filepath.ToSlash(filepath.Join(m.Dir, "cmd", m.Name)))
	}
	args = append(args, "./router/cmd/router")
	cmd := exec.Command("go", args...)
	cmd.Dir = p.root
	if out, err := cmd.CombinedOutput(); err != nil {
		p.t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// environ sets the variables every process gets: the parent's environment without its ERGO_*
// settings, and this platform's.
func (p *platform) environ(dsn string) {
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ERGO_") {
			p.env = append(p.env, kv)
		}
	}
	var urls []string
	for _, m := range p.modules {
		urls = append(urls, fmt.Sprintf("%s=http://127.0.0.1:%d", m.Name, p.ports[m.Name]))
	}
	p.env = append(p.env,
		"ERGO_DATABASE_URL="+dsn,
		"ERGO_MODULE_URLS="+strings.Join(urls, ","),
		"ERGO_ROUTER_SECRET="+randomHex(p.t, 16),
		"ERGO_JWT_SECRET="+randomHex(p.t, 32),
		"ERGO_ADMIN_EMAIL="+adminEmail,
		"ERGO_ADMIN_PASSWORD="+adminPassword,
		"ERGO_DEMO_DATA=false",
		"ERGO_ROOT="+p.root,
		"ERGO_LOG_LEVEL=warn",
	)
}

// compose composes the enabled modules' schema files, as `ergo compose` reads them, with
// this platform's subgraph URLs, and writes the supergraph the router loads.
func (p *platform) compose() string {
	p.t.Helper()
	var subgraphs []supergraph.Subgraph
	for _, m := range p.modules {
		s := supergraph.Subgraph{Name: m.Name, URL: fmt.Sprintf("http://127.0.0.1:%d/query", p.ports[m.Name])}
		files, err := m.SchemaFiles(p.root)
		if err != nil {
			p.t.Fatal(err)
		}
		for _, file := range files {
			body, err := os.ReadFile(filepath.Join(p.root, filepath.FromSlash(file)))
			if err != nil {
				p.t.Fatal(err)
			}
			s.Sources = append(s.Sources, supergraph.Source{Name: file, Body: string(body)})
		}
		subgraphs = append(subgraphs, s)
	}
	sg, err := supergraph.Compose(subgraphs)
	if err != nil {
		p.t.Fatalf("compose: %v", err)
	}
	path := filepath.Join(p.bins, "supergraph.graphql")
	if err := os.WriteFile(path, sg.SDL(), 0o644); err != nil {
		p.t.Fatal(err)
	}
	return path
}

// start starts module name and waits until its /readyz answers 200.
func (p *platform) start(name string) {
	p.t.Helper()
	addr := fmt.Sprintf("127.0.0.1:%d", p.ports[name])
	proc := p.spawn(name, "ERGO_ADDR="+addr)
	p.waitReady(proc, "http://"+addr+"/readyz")
}

func (p *platform) startRouter(supergraphFile string) {
	p.t.Helper()
	proc := p.spawn("router", fmt.Sprintf("ERGO_ROUTER_ADDR=127.0.0.1:%d", p.ports["router"]),
		"ERGO_SUPERGRAPH="+supergraphFile)
	p.waitReady(proc, p.router+"/readyz")
}

// spawn starts the binary of name in the repository root, as `ergo run` does.
func (p *platform) spawn(name string, env ...string) *process {
	p.t.Helper()
	cmd := exec.Command(filepath.Join(p.bins, name))
	cmd.Dir = p.root
	cmd.Env = append(append([]string{}, p.env...), env...)
	out := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		p.t.Fatalf("start %s: %v", name, err)
	}
	proc := &process{name: name, cmd: cmd, out: out, done: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		close(proc.done)
	}()
	p.procs[name] = proc
	return proc
}

// waitReady polls url with a deadline until it answers 200; it fails the test with the
// process's output when the process exits or the deadline passes.
func (p *platform) waitReady(proc *process, url string) {
	p.t.Helper()
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		if res, err := client.Get(url); err == nil {
			_ = res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case <-proc.done:
			p.t.Fatalf("%s exited during start:\n%s", proc.name, proc.out.String())
		case <-time.After(100 * time.Millisecond):
		}
	}
	p.t.Fatalf("%s not ready at %s within two minutes:\n%s", proc.name, url, proc.out.String())
}

// stop stops process name with an interrupt, as Ctrl-C would, and waits for it to exit.
func (p *platform) stop(name string) {
	p.t.Helper()
	proc := p.procs[name]
	if proc == nil {
		return
	}
	delete(p.procs, name)
	if err := proc.cmd.Process.Signal(os.Interrupt); err != nil {
		_ = proc.cmd.Process.Kill()
	}
	select {
	case <-proc.done:
	case <-time.After(30 * time.Second):
		_ = proc.cmd.Process.Kill()
		<-proc.done
		p.t.Errorf("%s did not stop within 30s of an interrupt", name)
	}
	if code := proc.cmd.ProcessState.ExitCode(); code != 0 {
		p.t.Errorf("%s exited with %d:\n%s", name, code, proc.out.String())
	}
}

// stopAll stops the router first, then the modules in reverse start order, and shows every
// process's output when the test failed.
func (p *platform) stopAll() {
	if p.t.Failed() {
		for name, proc := range p.procs {
			p.t.Logf("output of %s:\n%s", name, proc.out.String())
		}
	}
	p.stop("router")
	for i := len(p.modules) - 1; i >= 0; i-- {
		p.stop(p.modules[i].Name)
	}
}

func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = ln.Close() }()
	return ln.Addr().(*net.TCPAddr).Port
}

func randomHex(t testing.TB, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// eventually calls check until it returns nil or the deadline passes, and fails the test
// with the last error then. It polls: the platform works asynchronously (the outbox).
func eventually(t testing.TB, within time.Duration, check func() error) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		err := check()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("not within %s: %v", within, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
