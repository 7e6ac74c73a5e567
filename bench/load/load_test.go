package load

import (
	"context"
	"io"
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
	var r Result
	for i := 1; i <= 100; i++ {
		r.Latencies = append(r.Latencies, time.Duration(i)*time.Millisecond)
	}
	for p, want := range map[float64]time.Duration{0.5: 50 * time.Millisecond, 0.99: 99 * time.Millisecond, 1: 100 * time.Millisecond} {
		if got := r.Percentile(p); got != want {
			t.Errorf("Percentile(%v) = %s, want %s", p, got, want)
		}
	}
	if got := (Result{}).Percentile(0.5); got != 0 {
		t.Errorf("empty Percentile = %s, want 0", got)
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
		t.Errorf("mismatches = %d, first %q; want some, showing the wrong body", res.Mismatches, res.FirstMismatch)
	}
	if served := int(n.Load()); served < res.Requests {
		t.Errorf("server answered %d requests, generator counted %d", served, res.Requests)
	}
}

func TestParseFlags(t *testing.T) {
	o, err := parseFlags([]string{"-targets", "ergo,mine", "-cmd", "mine=./mine --fast", "-rounds", "3"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(commandFlags{"mine": {"./mine", "--fast"}}, o.commands); diff != "" {
		t.Errorf("commands (-want +got):\n%s", diff)
	}
	for _, bad := range [][]string{{"-cmd", "noequals"}, {"-connections", "0"}, {"extra"}} {
		if _, err := parseFlags(bad, io.Discard); err == nil {
			t.Errorf("parseFlags(%q) succeeded", bad)
		}
	}
	if code := Main(context.Background(), []string{"-targets", "nosuch", "-duration", "1ms"}, io.Discard, io.Discard); code == 0 {
		t.Error("Main with an unknown target returned 0")
	}
}
