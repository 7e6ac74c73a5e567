package load

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// clockTicks is USER_HZ, the unit of utime and stime in /proc/<pid>/stat. Linux fixes it at
// 100 on every architecture Go supports.
const clockTicks = 100

// procStat is what the driver reads from one /proc/<pid>/stat line.
type procStat struct {
	pid, ppid int
	cpu       time.Duration // utime + stime
}

// parseStat reads a /proc/<pid>/stat line. The command name is in parentheses and may hold
// spaces or parentheses itself, so fields are counted after the last ')'.
func parseStat(line string) (procStat, error) {
	open, end := strings.IndexByte(line, '('), strings.LastIndexByte(line, ')')
	if open < 0 || end < open {
		return procStat{}, fmt.Errorf("stat line without command name: %.60q", line)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(line[:open]))
	if err != nil {
		return procStat{}, fmt.Errorf("stat pid: %w", err)
	}
	// After the name: state(3) ppid(4) ... utime(14) stime(15), numbered as in proc(5).
	f := strings.Fields(line[end+1:])
	if len(f) < 13 {
		return procStat{}, fmt.Errorf("stat line of pid %d has %d fields after the name", pid, len(f))
	}
	ppid, err1 := strconv.Atoi(f[1])
	utime, err2 := strconv.ParseInt(f[11], 10, 64)
	stime, err3 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return procStat{}, fmt.Errorf("stat line of pid %d: bad number", pid)
	}
	cpu := time.Duration(utime+stime) * time.Second / clockTicks
	return procStat{pid: pid, ppid: ppid, cpu: cpu}, nil
}

// tree returns pid and every process descended from it, so that a router that forks
// workers is measured whole.
func tree(pid int) []int {
	children := map[int][]int{}
	dirs, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, d := range dirs {
		b, err := os.ReadFile(d)
		if err != nil {
			continue // the process ended meanwhile
		}
		if st, err := parseStat(string(b)); err == nil {
			children[st.ppid] = append(children[st.ppid], st.pid)
		}
	}
	out := []int{pid}
	for i := 0; i < len(out); i++ {
		out = append(out, children[out[i]]...)
	}
	return out
}

// treeCPU is the user plus system CPU time used so far by pid and its descendants.
func treeCPU(pid int) (time.Duration, error) {
	var total time.Duration
	for i, p := range tree(pid) {
		cpu, err := processCPU(p)
		if err != nil {
			if i == 0 {
				return 0, err
			}
			continue // the process ended meanwhile
		}
		total += cpu
	}
	return total, nil
}

// processCPU is the user plus system CPU time used so far by pid alone.
func processCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("read cpu time: %w", err)
	}
	st, err := parseStat(string(b))
	if err != nil {
		return 0, err
	}
	return st.cpu, nil
}

// parseHWM returns VmHWM, the peak resident set size, from a /proc/<pid>/status text.
func parseHWM(status []byte) (int64, error) {
	for line := range bytes.Lines(status) {
		rest, ok := bytes.CutPrefix(line, []byte("VmHWM:"))
		if !ok {
			continue
		}
		f := strings.Fields(string(rest))
		if len(f) != 2 || f[1] != "kB" {
			return 0, fmt.Errorf("VmHWM line %q", bytes.TrimSpace(line))
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("VmHWM: %w", err)
		}
		return kb << 10, nil
	}
	return 0, fmt.Errorf("no VmHWM line")
}

// treeHWM adds up the peak resident set sizes of pid and its descendants.
func treeHWM(pid int) (int64, error) {
	var total int64
	for i, p := range tree(pid) {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p))
		if err == nil {
			var n int64
			if n, err = parseHWM(b); err == nil {
				total += n
				continue
			}
		}
		if i == 0 {
			return 0, fmt.Errorf("peak rss: %w", err)
		}
	}
	return total, nil
}

// pinned returns cmd run on the given CPU through taskset, or cmd itself when taskset is
// missing or the machine has one CPU. taskset replaces itself with the command, so the
// process ID stays the router's.
func pinned(cpu int, name string, args ...string) (string, []string, bool) {
	if !canPin() {
		return name, args, false
	}
	return "taskset", append([]string{"-c", strconv.Itoa(cpu), name}, args...), true
}

func canPin() bool {
	_, err := exec.LookPath("taskset")
	return err == nil && numCPU() >= 2
}
