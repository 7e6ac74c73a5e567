package load

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"ergo/bench"
	"ergo/bench/subgraphs"
)

// Run is one measurement of one target.
type Run struct {
	Target string
	Round  int
	// Rate is the constant arrival rate in requests/s, or 0 for closed loop.
	Rate float64
	// Delay is how long every subgraph call waited before it was answered (-subgraph-delay).
	Delay  time.Duration
	Result Result
	// Subgraph holds the subgraphs' own time for every call the router made during the
	// measured phase, sorted (see subgraphs.Timings).
	Subgraph Sample
	// CPU is the router's user+system CPU time during the measured phase.
	CPU time.Duration
	// DriverCPU is the CPU time of this process alone (load generator and subgraphs), not of
	// the router it started, during the measured phase: near one CPU-second per second means
	// the driver, not the router, may be the limit.
	DriverCPU time.Duration
	// PeakRSS is the router's VmHWM in bytes at the end of the run (warm-up included).
	PeakRSS int64
	// SubgraphCalls is the number of subgraph requests per client request.
	SubgraphCalls float64
	// LoneCalls is the number of subgraph requests of one client request sent alone: the
	// router's plan. SubgraphCalls well below it under load would mean the router shares
	// subgraph calls between client requests (deduplication).
	LoneCalls int64
	// LoneLatency is the least latency of loneTries requests sent one at a time after the
	// warm-up, with nothing else in flight: what the router's plan takes unloaded. With a
	// subgraph delay it includes the delay once per sequential stage of the plan, so the
	// latency under load minus it is what waiting behind other requests added.
	LoneLatency time.Duration
	// LoadAvg is the machine's one-minute load average at the end of the measured phase; it
	// counts the router and the driver too, and more than about 2 on two CPUs means other
	// work competed with them.
	LoadAvg float64
	Pinned  bool
	Err     error
}

// CPUPerRequest is the router's CPU time per completed request.
func (r Run) CPUPerRequest() time.Duration {
	if r.Result.Requests == 0 {
		return 0
	}
	return r.CPU / time.Duration(r.Result.Requests)
}

// loneTries is the number of requests sent alone after the warm-up to find the router's
// unloaded latency; the least of them leaves out a stray pause.
const loneTries = 5

// measure sets the subgraphs' delay, starts t, checks its answer, warms it up, measures it
// and stops it.
func (o *options) measure(ctx context.Context, t Target, ph phase, supergraph string,
	set *subgraphs.Set, stderr io.Writer,
) Run {
	rate := ph.rate
	run := Run{Target: t.Name, Rate: rate, Delay: ph.delay}
	if t.Skip != nil {
		run.Err = t.Skip
		return run
	}
	set.SetDelay(ph.delay)
	url := fmt.Sprintf("http://127.0.0.1:%d/graphql", o.port)
	body, want := bench.RequestBody(), bench.Expected()
	client := newClient(o.conns)
	defer client.CloseIdleConnections()

	// 1. Start and wait until it answers.
	p, err := start(t, o.port, supergraph)
	if err != nil {
		run.Err = err
		return run
	}
	defer p.stop(10 * time.Second)
	run.Pinned = p.pinned
	if err := p.waitReady(ctx, client, url, body, o.startupWait); err != nil {
		run.Err = fmt.Errorf("%s: %w", t.Name, err)
		return run
	}

	// 2. Count the subgraph calls of one request on its own.
	lone := subgraphRequests(set)
	if problem := send(ctx, client, url, body, want, new(bytes.Buffer)); problem != "" {
		run.Err = fmt.Errorf("%s: %s", t.Name, problem)
		return run
	}
	run.LoneCalls = subgraphRequests(set) - lone

	// 3. Warm up (JIT compilers, caches, connection pools); responses are checked too.
	_, _ = fmt.Fprintf(stderr, "%s: warm-up %s\n", t.Name, o.warmup)
	load := func(d time.Duration) Result {
		if rate > 0 {
			return GenerateRate(ctx, client, url, body, want, o.conns, rate, o.late, d)
		}
		return Generate(ctx, client, url, body, want, o.conns, d)
	}
	if w := load(o.warmup); w.Mismatches > 0 {
		run.Result = w
		run.Err = fmt.Errorf("%d wrong responses in warm-up, first: %s", w.Mismatches, w.FirstMismatch)
		return run
	}
	// The least latency of a request on its own, once warm: the reference that the latency
	// under load is compared with.
	if run.LoneLatency, err = loneLatency(ctx, client, url, body, want); err != nil {
		run.Err = fmt.Errorf("%s: %w", t.Name, err)
		return run
	}

	// 4. Measure: CPU time of the router's process tree and the subgraphs' own time around
	// the load phase.
	_, _ = fmt.Fprintf(stderr, "%s: measuring %s, %s, subgraph delay %s\n", t.Name, o.duration,
		o.loadName(rate), ph.delay)
	calls0 := subgraphRequests(set)
	set.StartTimings()
	cpu0, err := treeCPU(p.pid())
	self0, err2 := processCPU(os.Getpid())
	if err = errors.Join(err, err2); err != nil {
		run.Err = err
		return run
	}
	run.Result = load(o.duration)
	run.Subgraph = set.StopTimings()
	cpu1, err := treeCPU(p.pid())
	self1, err2 := processCPU(os.Getpid())
	if err = errors.Join(err, err2); err != nil {
		run.Err = err
		return run
	}
	run.CPU, run.DriverCPU = cpu1-cpu0, self1-self0
	run.LoadAvg = loadAverage()
	if run.Result.Requests > 0 {
		run.SubgraphCalls = float64(subgraphRequests(set)-calls0) / float64(run.Result.Requests)
	}
	if run.PeakRSS, err = treeHWM(p.pid()); err != nil {
		run.Err = err
	}
	if run.Result.Mismatches > 0 {
		run.Err = fmt.Errorf("%d wrong responses, first: %s", run.Result.Mismatches, run.Result.FirstMismatch)
	}
	return run
}

// loneLatency sends loneTries requests one after another and returns the least latency.
func loneLatency(ctx context.Context, client *http.Client, url string, body, want []byte,
) (time.Duration, error) {
	least := time.Duration(math.MaxInt64)
	buf := new(bytes.Buffer)
	for range loneTries {
		start := time.Now()
		if problem := send(ctx, client, url, body, want, buf); problem != "" {
			return 0, fmt.Errorf("request alone: %s", problem)
		}
		least = min(least, time.Since(start))
	}
	return least, nil
}

func subgraphRequests(set *subgraphs.Set) int64 {
	var n int64
	for _, s := range set.Servers {
		n += s.Requests.Load()
	}
	return n
}

// loadAverage is the one-minute load average of /proc/loadavg, or 0 when unknown.
func loadAverage() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f, _, _ := strings.Cut(string(b), " ")
	n, _ := strconv.ParseFloat(f, 64)
	return n
}

// loadName describes the load of a phase at rate (0: closed loop).
func (o *options) loadName(rate float64) string {
	if rate > 0 {
		return fmt.Sprintf("%g requests/s over up to %d connections", rate, o.conns)
	}
	return fmt.Sprintf("%d closed-loop connections", o.conns)
}

// line is a one-line progress report of a run.
func (r Run) line() string {
	if r.Err != nil {
		return fmt.Sprintf("%s: failed", r.Target)
	}
	rate := ""
	if r.Rate > 0 {
		rate = fmt.Sprintf(" at %g/s (%d dropped)", r.Rate, r.Result.Dropped)
	}
	if r.Delay > 0 {
		rate += fmt.Sprintf(" with subgraph delay %s (alone %s)", r.Delay,
			r.LoneLatency.Round(10*time.Microsecond))
	}
	return fmt.Sprintf("%s%s: %.0f req/s, p99 %s, subgraph call p99 %s, %.3f ms CPU/req", r.Target,
		rate, r.Result.RPS(), r.Result.Percentile(0.99).Round(10*time.Microsecond),
		r.Subgraph.Percentile(0.99).Round(time.Microsecond), ms(r.CPUPerRequest()))
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// environment describes the machine for the report.
func environment(pinned bool) string {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if name, ok := strings.CutPrefix(line, "model name"); ok {
				model = strings.TrimSpace(strings.TrimLeft(name, " \t:"))
				break
			}
		}
	}
	pin := "router on CPU 0, load generator and subgraphs on CPU 1 (taskset)"
	if !pinned {
		pin = "no CPU pinning (taskset missing or one CPU)"
	}
	return fmt.Sprintf("%s, %d CPUs, %s/%s, %s; %s", model, numCPU(), runtime.GOOS, runtime.GOARCH,
		runtime.Version(), pin)
}

// numCPU counts the machine's online CPUs (runtime.NumCPU counts only those this process
// may use, which is one once pinned).
func numCPU() int {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return runtime.NumCPU()
	}
	n := 0
	for _, line := range strings.Split(string(b), "\n") {
		if len(line) > 3 && strings.HasPrefix(line, "cpu") && line[3] >= '0' && line[3] <= '9' {
			n++
		}
	}
	return max(n, 1)
}
