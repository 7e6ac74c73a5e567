// Package load drives federation routers with the benchmark's deep query and measures them:
// requests per second and latency percentiles, either at constant concurrency (closed loop) or
// at a constant arrival rate (open loop), next to the subgraphs' own time per call; CPU time
// per request and peak memory of the router process alone. Every response is checked against
// the expected one; a single wrong response fails the run.
package load

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"ergo/bench"
	"ergo/bench/subgraphs"
)

// options are the driver's flags.
type options struct {
	targets     string
	duration    time.Duration
	warmup      time.Duration
	conns       int
	rounds      int
	port        int
	peers       string
	node        string
	ergoBin     string
	commands    commandFlags
	startupWait time.Duration
	cpuProfile  string
	// rates, when set, are the constant arrival rates (requests/s) to measure every target at,
	// instead of closed-loop connections; late is how overdue a request may be sent.
	rates rateFlags
	late  time.Duration
	// delays, when set, are the subgraph delays to measure every target with, in turn.
	delays delayFlags
}

// rateFlags is the -rate list: requests per second, comma-separated.
type rateFlags []float64

func (r *rateFlags) String() string { return fmt.Sprint([]float64(*r)) }

func (r *rateFlags) Set(v string) error {
	*r = nil
	for _, f := range strings.Split(v, ",") {
		n, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || n <= 0 || math.IsInf(n, 0) {
			return fmt.Errorf("rate %q: want a positive number of requests per second", f)
		}
		*r = append(*r, n)
	}
	return nil
}

// delayFlags is the -subgraph-delay list: durations, comma-separated.
type delayFlags []time.Duration

func (d *delayFlags) String() string { return fmt.Sprint([]time.Duration(*d)) }

func (d *delayFlags) Set(v string) error {
	*d = nil
	for _, f := range strings.Split(v, ",") {
		n, err := time.ParseDuration(strings.TrimSpace(f))
		if err != nil || n < 0 {
			return fmt.Errorf("subgraph delay %q: want a duration of zero or more, "+
				"such as 0, 5ms or 1.5ms", f)
		}
		*d = append(*d, n)
	}
	return nil
}

// commandFlags collects -cmd name='command words' flags for routers other than the built-in
// ones.
type commandFlags map[string][]string

func (c commandFlags) String() string { return fmt.Sprint(map[string][]string(c)) }

func (c commandFlags) Set(v string) error {
	name, command, ok := strings.Cut(v, "=")
	if !ok || name == "" || strings.TrimSpace(command) == "" {
		return errors.New("want name=command")
	}
	c[name] = strings.Fields(command)
	return nil
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	o := &options{commands: commandFlags{}}
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.targets, "targets", "ergo,hive,apollo", "comma-separated routers to measure: "+
		"ergo, hive, apollo, or a name given with -cmd")
	fs.DurationVar(&o.duration, "duration", 20*time.Second, "measured load per target and round")
	fs.DurationVar(&o.warmup, "warmup", 5*time.Second, "unmeasured load before each measurement")
	fs.IntVar(&o.conns, "connections", 50, "concurrent connections")
	fs.IntVar(&o.rounds, "rounds", 1, "times to measure every target, interleaved")
	fs.IntVar(&o.port, "port", 4300, "loopback port the router under test listens on")
	fs.StringVar(&o.peers, "peers", "bench/peers", "directory of the peers' start scripts and node_modules")
	fs.StringVar(&o.node, "node", "node", "Node.js binary for the peers")
	fs.StringVar(&o.ergoBin, "ergo", "", "ERGO router binary (built from ./router/cmd/router when empty)")
	fs.Var(o.commands, "cmd", "extra router: name='command args' (may repeat); it gets PORT and SUPERGRAPH")
	fs.DurationVar(&o.startupWait, "startup", time.Minute, "how long a router may take to answer")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write the driver's own CPU profile to this file")
	fs.Var(&o.rates, "rate", "constant arrival rates in requests/s, comma-separated, measured in turn "+
		"(open loop over up to -connections connections); closed loop when empty")
	fs.DurationVar(&o.late, "late", 10*time.Millisecond, "with -rate: a request that no connection "+
		"can send within this of its due time is dropped and counted")
	fs.Var(&o.delays, "subgraph-delay", "time every subgraph call waits before it is answered, "+
		"as its own latency; comma-separated durations are measured in turn (default 0)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	switch {
	case o.conns < 1 || o.rounds < 1:
		return nil, errors.New("-connections and -rounds must be at least 1")
	case o.duration <= 0 || o.startupWait <= 0:
		return nil, errors.New("-duration and -startup must be positive")
	case o.warmup < 0 || o.late < 0:
		return nil, errors.New("-warmup and -late must not be negative")
	case o.port < 1 || o.port > 65535:
		return nil, fmt.Errorf("-port %d is not a port number (1 to 65535)", o.port)
	}
	seen := map[string]bool{}
	for _, name := range strings.Split(o.targets, ",") {
		name = strings.TrimSpace(name)
		if name == "" || seen[name] {
			return nil, fmt.Errorf("-targets %q: name each router once, separated by commas", o.targets)
		}
		seen[name] = true
	}
	return o, nil
}

// Main is the load command. It returns 0 when every target ran and every response was the
// expected one, 1 when a run failed or a response was wrong, 2 for bad flags.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			_, _ = fmt.Fprintln(stderr, "load:", err)
		}
		return 2
	}
	if o.cpuProfile != "" {
		stopProfile, err := profileCPU(o.cpuProfile)
		if err != nil {
			_, _ = fmt.Fprintln(stderr, "load:", err)
			return 1
		}
		defer stopProfile()
	}
	if err := run(ctx, o, stdout, stderr); err != nil {
		_, _ = fmt.Fprintln(stderr, "load:", err)
		return 1
	}
	return 0
}

// profileCPU starts profiling this process into file; the returned function stops it.
func profileCPU(file string) (func(), error) {
	f, err := os.Create(file)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		_ = f.Close()
	}, nil
}

// pinEnv marks a driver already moved to CPU 1.
const pinEnv = "ERGO_BENCH_LOAD_PINNED"

// ReexecPinned replaces the process with itself under taskset on CPU 1, so that the load
// generator and the subgraphs (this process) stay off the router's CPU 0 and the Go runtime
// sizes itself for one CPU. It returns only when pinning is not possible or already done.
func ReexecPinned() {
	if os.Getenv(pinEnv) != "" || !canPin() {
		return
	}
	self, err := os.Executable()
	if err != nil {
		return
	}
	taskset, err := exec.LookPath("taskset")
	if err != nil {
		return
	}
	argv := append([]string{"taskset", "-c", "1", self}, os.Args[1:]...)
	_ = syscall.Exec(taskset, argv, append(os.Environ(), pinEnv+"=1"))
}

// run starts the subgraphs, then measures every target rounds times and prints the table.
func run(ctx context.Context, o *options, stdout, stderr io.Writer) error {
	// 1. The subgraphs, in this process, on the ports of the committed supergraph.
	lns, err := subgraphs.Listen(bench.DefaultBasePort)
	if err != nil {
		return err
	}
	set, err := subgraphs.Start(lns)
	if err != nil {
		return err
	}
	defer func() { _ = set.Close() }()
	dir, err := os.MkdirTemp("", "ergo-bench-")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(dir) }()
	sgFile := filepath.Join(dir, "supergraph.graphql")
	sdl, err := bench.Compose(bench.DefaultURLs())
	if err == nil {
		err = os.WriteFile(sgFile, sdl, 0o644)
	}
	if err != nil {
		return fmt.Errorf("supergraph: %w", err)
	}

	// 2. The targets' commands.
	targets, err := o.resolve(ctx, dir, sgFile, stderr)
	if err != nil {
		return err
	}

	// 3. Interleaved rounds, so that drift of a shared machine hits every target alike.
	env := environment(canPin())
	_, _ = fmt.Fprintln(stderr, env)
	var runs []Run
	for round := 1; round <= o.rounds; round++ {
		for _, t := range targets {
			for _, ph := range o.phases() {
				r := o.measure(ctx, t, ph, sgFile, set, stderr)
				r.Round = round
				runs = append(runs, r)
				_, _ = fmt.Fprintln(stderr, r.line())
			}
		}
	}
	writeReport(stdout, env, o, runs)
	for _, r := range runs {
		switch {
		case errors.Is(r.Err, errSkipped):
			return fmt.Errorf("%s was not measured: %w", r.Target, r.Err)
		case r.Err != nil || r.Result.Mismatches > 0:
			return fmt.Errorf("%s failed", r.Target)
		}
	}
	return ctx.Err()
}

// phase is the load of one measurement: an arrival rate (0 for closed loop) and the delay of
// every subgraph call.
type phase struct {
	rate  float64
	delay time.Duration
}

// phases lists the loads to measure each target at: every rate with every delay.
func (o *options) phases() []phase {
	var out []phase
	for _, rate := range o.phaseRates() {
		for _, delay := range o.phaseDelays() {
			out = append(out, phase{rate: rate, delay: delay})
		}
	}
	return out
}

// phaseRates lists the arrival rates to measure each target at; 0 stands for closed loop.
func (o *options) phaseRates() []float64 {
	if len(o.rates) == 0 {
		return []float64{0}
	}
	return o.rates
}

// phaseDelays lists the subgraph delays to measure each target with.
func (o *options) phaseDelays() []time.Duration {
	if len(o.delays) == 0 {
		return []time.Duration{0}
	}
	return o.delays
}

// resolve turns target names into commands, building ERGO's router when needed.
//
// TODO(#7): only the npm peers are built in. Routers shipped as binaries (Hive Router,
// Cosmo Router, Apollo Router) run through -cmd, and none of them has been measured yet.
func (o *options) resolve(ctx context.Context, dir, sgFile string, stderr io.Writer) ([]Target, error) {
	var out []Target
	for _, name := range strings.Split(o.targets, ",") {
		name = strings.TrimSpace(name)
		switch cmd, ok := o.commands[name]; {
		case ok:
			out = append(out, Target{Name: name, Cmd: cmd})
		case name == "ergo":
			bin, err := o.ergoBinary(ctx, dir, stderr)
			if err != nil {
				return nil, err
			}
			out = append(out, Target{Name: name, Cmd: []string{bin}, Env: ergoEnv(o.port, sgFile)})
		case name == "hive" || name == "apollo":
			t := Target{Name: name, Cmd: []string{o.node, filepath.Join(o.peers, name+".mjs")}}
			if _, err := os.Stat(filepath.Join(o.peers, "node_modules")); err != nil {
				t.Skip = fmt.Errorf("%w: no %s/node_modules (run npm ci there)", errSkipped, o.peers)
			}
			out = append(out, t)
		default:
			return nil, fmt.Errorf("unknown target %q (give its command with -cmd %s='...')", name, name)
		}
	}
	return out, nil
}

// ergoEnv configures ERGO's router as the benchmark needs: loopback only, the deep query's
// depth and cost allowed, and no log line per request (the peers log none either).
func ergoEnv(port int, supergraph string) []string {
	return []string{
		fmt.Sprintf("ERGO_ROUTER_ADDR=127.0.0.1:%d", port), "ERGO_SUPERGRAPH=" + supergraph,
		"ERGO_MAX_DEPTH=0", "ERGO_MAX_COST=0", "ERGO_LOG_LEVEL=warn",
	}
}

func (o *options) ergoBinary(ctx context.Context, dir string, stderr io.Writer) (string, error) {
	if o.ergoBin != "" {
		return o.ergoBin, nil
	}
	bin := filepath.Join(dir, "router")
	_, _ = fmt.Fprintln(stderr, "building ergo/router/cmd/router")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "ergo/router/cmd/router")
	build.Stdout, build.Stderr = stderr, stderr
	if err := build.Run(); err != nil {
		return "", fmt.Errorf("build router: %w", err)
	}
	return bin, nil
}
