package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"ergo/platform/modules"
)

func init() {
	register("run", "build and run the whole platform locally (database, modules, router)", runRun)
}

// runRun starts the database, builds and starts every enabled module's subgraph and the
// router, and keeps them running until interrupted; then it stops them all, last first.
func runRun(ctx context.Context, env *Env) int {
	fs := newFlags(env, "run", "[flags]")
	addr := fs.String("router-addr", "", "router address; :4000 listens on every interface "+
		"(default $ERGO_ROUTER_ADDR or 127.0.0.1:4000)")
	mods := fs.String("modules", "", "comma-separated modules to run, such as lms,bi, each with the modules "+
		"it depends on; the core modules always run (default $ERGO_MODULES or ergo.yaml)")
	demo := fs.Bool("demo", true, "load the demo data set into empty databases")
	check := fs.Bool("check", false,
		"check that the modules have what they depend on and compose; start nothing")
	if err := fs.Parse(env.Args); err != nil {
		return 2
	}

	p, err := plan(env, *addr, *mods, *demo)
	if err != nil {
		fmt.Fprintf(env.Stderr, "ergo run: %v\n", err)
		return 1
	}
	run := p.run
	if *check {
		run = p.check
	}
	if err := run(ctx); err != nil && ctx.Err() == nil {
		fmt.Fprintf(env.Stderr, "ergo run: %v\n", err)
		return 1
	}
	// An interrupt, even during start-up, is a clean stop: what started has been stopped.
	return 0
}

// platform is one `ergo run`: what to start and how.
type platform struct {
	env *Env
	cfg *Config
	// all is ergo.yaml with this run's choice of modules; modules are the enabled ones.
	all     *modules.Config
	modules []modules.Module
	secrets map[string]string
}

func plan(env *Env, addr, mods string, demo bool) (*platform, error) {
	cfg, all, err := loadConfig(env, mods)
	if err != nil {
		return nil, err
	}
	noteCore(env, "run", all)
	if addr != "" {
		cfg.RouterAddr = addr
	}
	if _, _, err := net.SplitHostPort(cfg.RouterAddr); err != nil {
		return nil, fmt.Errorf("router address %q: want host:port or :port", cfg.RouterAddr)
	}
	cfg.DemoData = cfg.DemoData && demo

	p := &platform{env: env, cfg: cfg, all: all, modules: all.Enabled(), secrets: map[string]string{}}
	if p.secrets["JWT_SECRET"], err = secret(env.Root, "jwt-secret", cfg.JWTSecret); err != nil {
		return nil, fmt.Errorf("jwt secret: %w", err)
	}
	// A new router secret each run: only this run's router can call these subgraphs.
	p.secrets["ROUTER_SECRET"] = newSecret()
	return p, nil
}

// run checks what it can before it starts anything (ports, dependencies, composition), then
// starts the database, the modules and the router.
func (p *platform) run(ctx context.Context) error {
	if p.cfg.DemoData && exposed(p.cfg.RouterAddr) {
		fmt.Fprintf(p.env.Stderr, "ergo run: WARNING: the router listens on %s, open to other machines, "+
			"with demo data whose passwords README.md publishes (admin included): anyone on the network "+
			"can sign in as admin; use 127.0.0.1:%s or -demo=false (make run DEMO=false)\n",
			p.cfg.RouterAddr, portOf(p.cfg.RouterAddr))
	}
	if err := p.checkPorts(); err != nil {
		return err
	}
	if err := newSubset(p.env.Root, p.all).checkDepends(); err != nil {
		return err
	}
	supergraphFile, err := p.supergraph(ctx)
	if err != nil {
		return err
	}
	dsn, stopDB, err := database(ctx, p.env, p.cfg)
	if err != nil {
		return err
	}
	err = p.serve(ctx, supergraphFile, dsn)
	dbStopped := stopDB()
	if ctx.Err() != nil {
		p.stopped(dbStopped)
	}
	return err
}

// serve builds and starts the modules and the router, and keeps them running until ctx
// ends or the router exits; then it stops them, the router first.
func (p *platform) serve(ctx context.Context, supergraphFile, dsn string) error {
	bins, err := p.build(ctx)
	if err != nil {
		return err
	}
	mods, err := p.startModules(ctx, bins, dsn)
	if err != nil {
		return err
	}
	defer stopAll(mods)
	router, err := p.startRouter(ctx, bins["router"], supergraphFile)
	if err != nil {
		return err
	}
	defer router.stop()

	p.banner()
	return p.wait(ctx, router, mods)
}

// stopped confirms in one line that an interrupted run has stopped what it started.
func (p *platform) stopped(dbStopped bool) {
	db := "; the database keeps running: this run did not start it"
	if dbStopped {
		db = " and the local database"
	}
	fmt.Fprintf(p.env.Stderr, "ergo run: stopped the router and the modules%s\n", db)
}

// check is `ergo run -check`: it checks that the enabled modules have the modules they
// depend on and compose, and starts nothing.
func (p *platform) check(ctx context.Context) error {
	if err := newSubset(p.env.Root, p.all).checkDepends(); err != nil {
		return err
	}
	if _, err := p.compose(ctx); err != nil {
		return err
	}
	fmt.Fprintf(p.env.Stdout, "modules %s compose: ergo run can start them\n", strings.Join(p.names(), ","))
	return nil
}

// build compiles every module's binary and the router into .ergo/bin, in one go build so that
// the toolchain shares work between them. Each binary is named after its cmd/<name> folder.
func (p *platform) build(ctx context.Context) (map[string]string, error) {
	dir := filepath.Join(stateDir(p.env.Root), "bin")
	bins := map[string]string{"router": filepath.Join(dir, "router"+exeSuffix())}
	pkgs := []string{"./router/cmd/router"}
	for _, m := range p.modules {
		if m.Dir != "" {
			pkgs = append(pkgs, "./"+filepath.ToSlash(m.Dir)+"/cmd/"+m.Name)
			bins[m.Name] = filepath.Join(dir, m.Name+exeSuffix())
		}
	}
	fmt.Fprintf(p.env.Stderr, "ergo: building %d binaries...\n", len(pkgs))
	if err := goBuild(ctx, p.env, p.env.Root, dir+string(filepath.Separator), pkgs); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	return bins, nil
}

func exeSuffix() string {
	if runtime.GOOS == "windows" {
		return ".exe"
	}
	return ""
}

// environ returns the variables every child gets on top of ergo's own environment.
func (p *platform) environ(dsn string) []string {
	var urls []string
	for _, m := range p.modules {
		urls = append(urls, m.Name+"="+strings.TrimSuffix(m.URL, "/query"))
	}
	env := []string{
		// What runs, core modules included, over any ERGO_MODULES ergo itself was given.
		"ERGO_MODULES=" + strings.Join(p.names(), ","),
		"ERGO_MODULE_URLS=" + strings.Join(urls, ","),
		"ERGO_LOG_FORMAT=" + p.cfg.LogFormat,
		"ERGO_LOG_LEVEL=" + p.cfg.LogLevel,
		"ERGO_DEMO_DATA=" + strconv.FormatBool(p.cfg.DemoData),
	}
	if dsn != "" {
		env = append(env, "ERGO_DATABASE_URL="+dsn)
	}
	for k, v := range p.secrets {
		env = append(env, "ERGO_"+k+"="+v)
	}
	return env
}

// startModules starts every module with a dir at once (their migrations and demo data load
// side by side) and waits until all are ready. On failure it stops those it started.
func (p *platform) startModules(ctx context.Context, bins map[string]string, dsn string) ([]*process, error) {
	var local []modules.Module
	for _, m := range p.modules {
		if m.Dir == "" {
			continue // started elsewhere; the router reaches it by URL
		}
		local = append(local, m)
	}

	var procs []*process
	for _, m := range local {
		env := append(p.environ(dsn), "ERGO_ADDR=127.0.0.1:"+strconv.Itoa(m.Port))
		proc, err := start(ctx, p.env, m.Name, bins[m.Name], env)
		if err != nil {
			stopAll(procs)
			return nil, err
		}
		procs = append(procs, proc)
	}

	for i, m := range local {
		url := "http://127.0.0.1:" + strconv.Itoa(m.Port) + "/readyz"
		if err := waitReady(ctx, procs[i], url, 3*time.Minute); err != nil {
			stopAll(procs)
			return nil, err
		}
	}
	return procs, nil
}

// checkPorts fails early, before anything is built or started, when the router's address
// or a module's port is taken, or when the router would take a module's port.
func (p *platform) checkPorts() error {
	_, routerPort, _ := net.SplitHostPort(p.cfg.RouterAddr)
	for _, m := range p.modules {
		if m.Dir == "" {
			continue
		}
		if strconv.Itoa(m.Port) == routerPort {
			return fmt.Errorf("router address %s takes port %d of module %s: pass another "+
				"-router-addr (make run ROUTER_ADDR=127.0.0.1:4100), or give the module another "+
				"port in ergo.yaml",
				p.cfg.RouterAddr, m.Port, m.Name)
		}
		if !portFree(m.Port) {
			return fmt.Errorf("port %d of module %s is in use: stop what listens there, "+
				"or give the module another port in ergo.yaml", m.Port, m.Name)
		}
	}
	if !addrFree(p.cfg.RouterAddr) {
		return fmt.Errorf("router address %s is in use: stop what listens there (another ergo run?), "+
			"or pass another -router-addr (make run ROUTER_ADDR=127.0.0.1:4100)", p.cfg.RouterAddr)
	}
	return nil
}

// exposed reports whether a listener on addr accepts connections from other machines: an
// empty host or an unspecified address (every interface), or any host that is not loopback.
func exposed(addr string) bool {
	host, _, _ := net.SplitHostPort(addr)
	if host == "localhost" {
		return false
	}
	ip := net.ParseIP(host)
	return ip == nil || !ip.IsLoopback()
}

// portOf returns the port of a host:port address.
func portOf(addr string) string {
	_, port, _ := net.SplitHostPort(addr)
	return port
}

// portFree reports whether nothing listens on the loopback port.
func portFree(port int) bool {
	return addrFree("127.0.0.1:" + strconv.Itoa(port))
}

// addrFree reports whether a listener can be opened on addr (host:port; an empty host means
// every interface, as the router listens).
func addrFree(addr string) bool {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return false
	}
	return l.Close() == nil
}

func (p *platform) startRouter(ctx context.Context, bin, supergraphFile string) (*process, error) {
	env := append(p.environ(""), "ERGO_ROUTER_ADDR="+p.cfg.RouterAddr,
		"ERGO_SUPERGRAPH="+supergraphFile)
	proc, err := start(ctx, p.env, "router", bin, env)
	if err != nil {
		return nil, err
	}
	if err := waitReady(ctx, proc, p.routerURL()+"/healthz", time.Minute); err != nil {
		proc.stop()
		return nil, err
	}
	return proc, nil
}

func (p *platform) routerURL() string {
	host, port, _ := net.SplitHostPort(p.cfg.RouterAddr)
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// names returns the names of the enabled modules.
func (p *platform) names() []string {
	var names []string
	for _, m := range p.modules {
		names = append(names, m.Name)
	}
	return names
}

func (p *platform) banner() {
	u := p.routerURL()
	fmt.Fprintf(p.env.Stdout, "\nERGO is running with modules: %s\n", strings.Join(p.names(), ", "))
	fmt.Fprintf(p.env.Stdout, "  Playground  %s/\n", u)
	fmt.Fprintf(p.env.Stdout, "  GraphQL     %s/graphql (POST or GET)\n", u)
	fmt.Fprintf(p.env.Stdout, "  Health      %s/healthz  %s/readyz\n", u, u)
	fmt.Fprintln(p.env.Stdout, "Press Ctrl-C to stop.")
}

// waitReady polls url until it answers 200, the process exits, or the timeout passes.
func waitReady(ctx context.Context, proc *process, url string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	client := &http.Client{Timeout: 2 * time.Second}
	for time.Now().Before(deadline) {
		if resp, err := client.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-proc.done:
			return fmt.Errorf("%s exited during start: %w", proc.name, proc.err)
		case <-time.After(200 * time.Millisecond):
		}
	}
	return fmt.Errorf("%s not ready at %s after %s", proc.name, url, timeout)
}

// wait returns nil when ctx ends, or an error when the router exits on its own. A module
// that exits after start-up is reported in one line and the others keep running: the router
// answers without it, as it does for a module that is down in production.
func (p *platform) wait(ctx context.Context, router *process, mods []*process) error {
	exited := make(chan *process, len(mods)+1)
	for _, proc := range append([]*process{router}, mods...) {
		go func() {
			<-proc.done
			exited <- proc
		}()
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case proc := <-exited:
			if proc == router {
				return errors.Join(errors.New("router stopped unexpectedly"), proc.err)
			}
			p.moduleExited(proc)
		}
	}
}

// moduleExited says which module stopped, how, what the router does without it and how to
// get it back.
func (p *platform) moduleExited(proc *process) {
	status := "exit status 0"
	if proc.err != nil {
		status = proc.err.Error()
	}
	what, effect := "module", "its fields are null with DOWNSTREAM_SERVICE_ERROR"
	if m := p.all.Module(proc.name); m != nil && m.Core {
		what, effect = "core module", "every request that needs it fails with DOWNSTREAM_SERVICE_ERROR"
	}
	fmt.Fprintf(p.env.Stderr, "ergo run: %s %s stopped (%s); the rest keep running and the router "+
		"answers without it (%s); to restart it, stop with Ctrl-C and run again\n",
		what, proc.name, status, effect)
}
