package load

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseStat(t *testing.T) {
	cases := []struct {
		name, line string
		want       procStat
		wantErr    bool
	}{
		{
			"plain", "4242 (router) S 17 4242 17 0 -1 4194560 900 0 0 0 250 75 0 0 20 0 9 0 1000 0 0",
			procStat{pid: 4242, ppid: 17, cpu: 3250 * time.Millisecond},
			false,
		},
		{
			"name with spaces and parentheses", "7 (node (main) x) R 1 7 1 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 5 0 0",
			procStat{pid: 7, ppid: 1, cpu: 30 * time.Millisecond},
			false,
		},
		{"truncated", "7 (node) R 1 7", procStat{}, true},
		{"no name", "7 node R 1", procStat{}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseStat(tc.line)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestOwnProcess reads this test process's own /proc entries, which always exist on Linux.
func TestOwnProcess(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc")
	}
	if _, err := treeCPU(os.Getpid()); err != nil {
		t.Error(err)
	}
	if rss, err := treeHWM(os.Getpid()); err != nil || rss <= 0 {
		t.Errorf("treeHWM = %d, %v; want a positive size", rss, err)
	}
}

// TestDriverCPUExcludesChildren: the driver's own CPU time leaves out the routers it starts,
// which the router's process tree counts.
func TestDriverCPUExcludesChildren(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc")
	}
	child := exec.Command("sh", "-c", "while :; do :; done")
	if err := child.Start(); err != nil {
		t.Skip("no sh:", err)
	}
	defer func() {
		_ = child.Process.Kill()
		_ = child.Wait()
	}()

	// Wait until the busy child has used a measurable amount of CPU.
	deadline := time.Now().Add(10 * time.Second)
	var used time.Duration
	for used < 20*time.Millisecond && time.Now().Before(deadline) {
		var err error
		if used, err = processCPU(child.Process.Pid); err != nil {
			t.Fatal(err)
		}
		runtime.Gosched()
	}
	if used < 20*time.Millisecond {
		t.Skip("the child got no CPU time")
	}
	own, err := processCPU(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	tree, err := treeCPU(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if tree-own < used {
		t.Errorf("tree %v - own %v < the child's %v: the child is not excluded", tree, own, used)
	}
}

func TestParseHWM(t *testing.T) {
	got, err := parseHWM([]byte("Name:\trouter\nVmPeak:\t 900 kB\nVmHWM:\t   2048 kB\nVmRSS:\t 1 kB\n"))
	if err != nil || got != 2<<20 {
		t.Errorf("parseHWM = %d, %v; want %d", got, err, 2<<20)
	}
	if _, err := parseHWM([]byte("Name:\trouter\n")); err == nil {
		t.Error("parseHWM without VmHWM succeeded")
	}
}

func TestPercentile(t *testing.T) {
	var hundred Sample
	for i := 1; i <= 100; i++ {
		hundred = append(hundred, time.Duration(i)*time.Millisecond)
	}
	cases := []struct {
		name   string
		sample Sample
		p      float64
		want   time.Duration
	}{
		{"median of 100", hundred, 0.5, 50 * time.Millisecond},
		{"p99 of 100", hundred, 0.99, 99 * time.Millisecond},
		{"p100 of 100", hundred, 1, 100 * time.Millisecond},
		{"p0 is the smallest", hundred, 0, 1 * time.Millisecond},
		{"p99 of 3 is the largest", Sample{1, 2, 3}, 0.99, 3},
		{"median of 3", Sample{1, 2, 3}, 0.5, 2},
		{"single", Sample{7}, 0.5, 7},
		{"empty", nil, 0.5, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.sample.Percentile(tc.p); got != tc.want {
				t.Errorf("Percentile(%v) = %s, want %s", tc.p, got, tc.want)
			}
			if got := (Result{Latencies: tc.sample}).Percentile(tc.p); got != tc.want {
				t.Errorf("Result.Percentile(%v) = %s, want %s", tc.p, got, tc.want)
			}
		})
	}
}

func TestMerge(t *testing.T) {
	parts := []Result{
		{Requests: 2, Latencies: Sample{5, 1}, Lags: Sample{2, 0}, Dropped: 1, Late: 1},
		{
			Requests:      2,
			Mismatches:    1,
			FirstMismatch: "wrong body",
			Latencies:     Sample{3, 4},
			Lags:          Sample{1, 1},
		},
		{},
		{Requests: 1, Mismatches: 1, FirstMismatch: "500", Latencies: Sample{2}, Dropped: 3},
	}
	want := Result{
		Requests: 5, Mismatches: 2, FirstMismatch: "wrong body", Elapsed: time.Second,
		Latencies: Sample{1, 2, 3, 4, 5}, Dropped: 4, Late: 1, Lags: Sample{0, 1, 1, 2},
	}
	if diff := cmp.Diff(want, merge(parts, time.Second)); diff != "" {
		t.Errorf("merge (-want +got):\n%s", diff)
	}
}

func TestSaturated(t *testing.T) {
	cases := []struct {
		name              string
		requests, dropped int
		want              bool
	}{
		{"nothing dropped", 1000, 0, false},
		{"1 percent", 990, 10, false},
		{"over 1 percent", 989, 11, true},
		{"all dropped", 0, 5, true},
		{"nothing due", 0, 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := (Result{Requests: tc.requests, Dropped: tc.dropped}).Saturated(); got != tc.want {
				t.Errorf("Saturated = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestWriteReport checks that the rate columns and the saturation note appear only for
// constant-rate runs, and the ratios to ERGO only for closed-loop ones.
func TestWriteReport(t *testing.T) {
	lat := Sample{time.Millisecond, 2 * time.Millisecond}
	run := func(target string, rate float64, dropped int) Run {
		return Run{
			Target: target, Round: 1, Rate: rate,
			CPU: time.Millisecond, Subgraph: Sample{50 * time.Microsecond},
			Result: Result{Requests: 2, Elapsed: time.Second, Latencies: lat, Dropped: dropped},
		}
	}
	delayed := func(target string, delay time.Duration, rps int) Run {
		r := run(target, 0, 0)
		r.Delay, r.LoneLatency, r.Result.Requests = delay, 4*delay+time.Millisecond, rps
		return r
	}
	cases := []struct {
		name      string
		rates     rateFlags
		delays    delayFlags
		runs      []Run
		want, not []string
	}{
		{
			"closed loop", nil, nil,
			[]Run{run("ergo", 0, 0), run("hive", 0, 0)},
			[]string{"50 closed-loop connections", "subgraph p99 ms", "0.050", "relative to ergo (medians"},
			[]string{"dropped", "rate/s", "saturated", "delay ms", "alone ms", "delayed"},
		},
		{
			"rate",
			rateFlags{300},
			nil,
			[]Run{run("ergo", 300, 0), run("hive", 300, 9)},
			[]string{
				"constant arrival rates [300]",
				"dropped",
				"late",
				"send lag p99 ms",
				"load avg",
				"hive round 1 at 300/s: saturated, 9 of 11",
			},
			[]string{"relative to ergo", "ergo round 1 at 300/s: saturated", "delay ms"},
		},
		{
			// Each delay gets its own ratios, 400/200 and 100/25 requests/s; ratios over all
			// runs together would be neither.
			"subgraph delay", nil,
			delayFlags{0, 5 * time.Millisecond},
			[]Run{
				delayed("ergo", 0, 400), delayed("hive", 0, 200),
				delayed("ergo", 5*time.Millisecond, 100), delayed("hive", 5*time.Millisecond, 25),
			},
			[]string{
				"every subgraph call delayed by each of [0s 5ms] in turn", "delay ms", "alone ms",
				"  5.00  ", "  21.00  ", "relative to ergo with subgraph delay 0s",
				"relative to ergo with subgraph delay 5ms", "hive     ergo serves 2.00x",
				"hive     ergo serves 4.00x",
			},
			[]string{"rate/s", "dropped"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			o := &options{
				conns: 50, rounds: 1, rates: tc.rates, delays: tc.delays, late: 10 * time.Millisecond,
			}
			writeReport(&b, "test machine", o, tc.runs)
			for _, s := range tc.want {
				if !strings.Contains(b.String(), s) {
					t.Errorf("report lacks %q:\n%s", s, b.String())
				}
			}
			for _, s := range tc.not {
				if strings.Contains(b.String(), s) {
					t.Errorf("report has %q:\n%s", s, b.String())
				}
			}
		})
	}
}

func TestDelayFlag(t *testing.T) {
	cases := []struct {
		name    string
		value   string
		want    []time.Duration
		wantErr string
	}{
		{"one", "5ms", []time.Duration{5 * time.Millisecond}, ""},
		{
			"list with spaces", "0, 5ms,20ms",
			[]time.Duration{0, 5 * time.Millisecond, 20 * time.Millisecond},
			"",
		},
		{"fraction", "1.5ms", []time.Duration{1500 * time.Microsecond}, ""},
		{"no unit", "5", nil, `subgraph delay "5": want a duration`},
		{"negative", "0,-1ms", nil, `subgraph delay "-1ms": want a duration of zero or more`},
		{"not a duration", "slow", nil, `subgraph delay "slow"`},
		{"empty entry", "5ms,", nil, `subgraph delay ""`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var stderr strings.Builder
			o, err := parseFlags([]string{"-subgraph-delay", tc.value}, &stderr)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
				if !strings.Contains(stderr.String(), "-subgraph-delay") {
					t.Errorf("usage message %q does not name the flag", stderr.String())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, o.phaseDelays()); diff != "" {
				t.Errorf("delays (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPhases checks that every rate is measured with every delay, and that without flags
// there is one closed-loop phase without delay.
func TestPhases(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want []phase
	}{
		{"defaults", nil, []phase{{0, 0}}},
		{"delays", []string{"-subgraph-delay", "0,5ms"}, []phase{{0, 0}, {0, 5 * time.Millisecond}}},
		{
			"rates and delays",
			[]string{"-rate", "300,600", "-subgraph-delay", "20ms,0"},
			[]phase{{300, 20 * time.Millisecond}, {300, 0}, {600, 20 * time.Millisecond}, {600, 0}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o, err := parseFlags(tc.args, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, o.phases(), cmp.AllowUnexported(phase{})); diff != "" {
				t.Errorf("phases (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSame(t *testing.T) {
	want := []byte(`{"data":{"a":[1,"x y"]}}`)
	cases := []struct {
		name string
		got  string
		same bool
	}{
		{"identical", `{"data":{"a":[1,"x y"]}}`, true},
		{"whitespace", "{ \"data\": {\"a\": [1, \"x y\"]}}\n", true},
		{"member order", `{"data":{"b":1,"a":[1,"x y"]}}`, false},
		{"escaped differently", `{"data":{"a":[1,"x\u0020y"]}}`, false},
		{"not JSON", `{"data":`, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Same([]byte(tc.got), want); got != tc.same {
				t.Errorf("Same = %v, want %v", got, tc.same)
			}
		})
	}
}

// TestGenerateCountsWrongResponses runs the load generator against a server whose every
// third answer is wrong, and checks that the counts add up. Nothing depends on speed.
func TestGenerateCountsWrongResponses(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if n.Add(1)%3 == 0 {
			_, _ = io.WriteString(w, `{"data":null}`)
			return
		}
		_, _ = io.WriteString(w, `{"data": {"ok": true}}`)
	}))
	defer srv.Close()

	res := Generate(context.Background(), newClient(4), srv.URL, []byte(`{}`),
		[]byte(`{"data":{"ok":true}}`), 4, 300*time.Millisecond)
	if res.Requests == 0 || res.Requests != len(res.Latencies) {
		t.Fatalf("requests = %d, latencies = %d", res.Requests, len(res.Latencies))
	}
	if res.Mismatches == 0 || !strings.Contains(res.FirstMismatch, `{"data":null}`) {
		t.Errorf(
			"mismatches = %d, first %q; want some, showing the wrong body",
			res.Mismatches,
			res.FirstMismatch,
		)
	}
	if served := int(n.Load()); served < res.Requests {
		t.Errorf("server answered %d requests, generator counted %d", served, res.Requests)
	}
}

func TestParseFlags(t *testing.T) {
	o, err := parseFlags([]string{
		"-targets", "ergo,mine", "-cmd", "mine=./mine --fast", "-rounds", "3",
		"-rate", "300, 37.5",
	}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(commandFlags{"mine": {"./mine", "--fast"}}, o.commands); diff != "" {
		t.Errorf("commands (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]float64{300, 37.5}, o.phaseRates()); diff != "" {
		t.Errorf("rates (-want +got):\n%s", diff)
	}
	if o, _ := parseFlags(nil, io.Discard); !cmp.Equal([]float64{0}, o.phaseRates()) {
		t.Errorf("default rates = %v, want closed loop only", o.phaseRates())
	}
	for _, bad := range [][]string{
		{"-cmd", "noequals"},
		{"-connections", "0"},
		{"extra"},
		{"-rate", "0"},
		{"-rate", "-5"},
		{"-rate", "fast"},
		{"-rate", "300,"},
		{"-late", "-1ms"},
	} {
		if _, err := parseFlags(bad, io.Discard); err == nil {
			t.Errorf("parseFlags(%q) succeeded", bad)
		}
	}
	if code := Main(context.Background(), []string{"-targets", "nosuch", "-duration", "1ms"}, io.Discard, io.Discard); code == 0 {
		t.Error("Main with an unknown target returned 0")
	}
}

func TestParseFlagsNamesTheBadFlag(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"-rounds", "0"}, "-connections and -rounds"},
		{[]string{"-duration", "0s"}, "-duration and -startup"},
		{[]string{"-startup", "0s"}, "-duration and -startup"},
		{[]string{"-warmup", "-1s"}, "-warmup and -late"},
		{[]string{"-late", "-1ms"}, "-warmup and -late"},
		{[]string{"-port", "70000"}, "-port 70000 is not a port number"},
		{[]string{"-targets", "ergo,ergo"}, "name each router once"},
		{[]string{"-targets", ""}, "name each router once"},
		{[]string{"-targets", "ergo,,hive"}, "name each router once"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			_, err := parseFlags(tc.args, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("parseFlags(%q) = %v, want an error containing %q", tc.args, err, tc.want)
			}
		})
	}
}

func TestStartRefusesABusyPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	p, err := start(Target{Name: "any", Cmd: []string{"true"}}, port, "none")
	if err == nil {
		p.stop(time.Second)
		t.Fatal("started a router on a port that is in use")
	}
	if want := fmt.Sprintf("port %d is in use", port); !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v, want it to contain %q", err, want)
	}
}

func TestMainFailsWhenATargetIsSkipped(t *testing.T) {
	var stderr strings.Builder
	args := []string{"-targets", "hive", "-peers", t.TempDir(), "-duration", "1ms", "-warmup", "0s"}
	code := Main(context.Background(), args, io.Discard, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "hive was not measured") {
		t.Errorf("Main = %d, stderr %q; want 1 and the skipped target named", code, stderr.String())
	}
}
