package load

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Target is a router to measure: a command that serves the supergraph at $SUPERGRAPH on
// 127.0.0.1:$PORT with GraphQL at /graphql.
type Target struct {
	Name string
	Cmd  []string
	Env  []string
	// Skip, when set, says why the target cannot run here.
	Skip error
}

// process is a started target.
type process struct {
	cmd    *exec.Cmd
	pinned bool
	stderr *tail
	// done is closed when the process has ended; waitErr is then its exit status.
	done    chan struct{}
	waitErr error
}

// start runs the target on CPU 0 (when the machine allows) with its output kept for errors.
// The port must be free: a router already listening there would answer in its place.
func start(t Target, port int, supergraph string) (*process, error) {
	if err := portFree(port); err != nil {
		return nil, err
	}
	name, args, ok := pinned(0, t.Cmd[0], t.Cmd[1:]...)
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), t.Env...)
	cmd.Env = append(cmd.Env, fmt.Sprintf("PORT=%d", port), "SUPERGRAPH="+supergraph)
	p := &process{cmd: cmd, pinned: ok, done: make(chan struct{}), stderr: &tail{}}
	cmd.Stdout, cmd.Stderr = p.stderr, p.stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", t.Name, err)
	}
	go func() {
		p.waitErr = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// portFree reports an error when something already listens on the loopback port.
func portFree(port int) error {
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return fmt.Errorf("port %d is in use: stop what listens there, or pass another -port: %w", port, err)
	}
	return ln.Close()
}

// pid is the router's process ID (taskset execs the command in place).
func (p *process) pid() int { return p.cmd.Process.Pid }

// waitReady polls url with the query until it answers 200 or the deadline passes.
func (p *process) waitReady(ctx context.Context, client *http.Client, url string, body []byte,
	deadline time.Duration,
) error {
	ctx, cancel := context.WithTimeout(ctx, deadline)
	defer cancel()
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	last := "no answer"
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(string(body)))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		if resp, err := client.Do(req); err == nil {
			b, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			last = resp.Status + " " + string(b)
		}
		select {
		case <-p.done:
			status := cmp.Or(p.waitErr, errors.New("exit status 0"))
			return fmt.Errorf("exited before answering: %w: %s", status, p.stderr)
		case <-ctx.Done():
			return fmt.Errorf("not ready after %s, last answer: %s; output: %s", deadline, last, p.stderr)
		case <-tick.C:
		}
	}
}

// stop asks the process to end and kills it after grace.
func (p *process) stop(grace time.Duration) {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(grace):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// tail keeps the last lines a process wrote, for error messages.
type tail struct {
	mu    sync.Mutex
	lines []string
}

func (t *tail) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	sc := bufio.NewScanner(strings.NewReader(string(b)))
	for sc.Scan() {
		t.lines = append(t.lines, sc.Text())
		if len(t.lines) > 3 {
			t.lines = t.lines[1:]
		}
	}
	return len(b), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.lines) == 0 {
		return "(no output)"
	}
	return strings.Join(t.lines, " | ")
}

// errSkipped marks a target that cannot run here, such as a peer whose packages are not
// installed. The other targets are still measured and reported; the run then fails, since
// it did not measure all it was asked to.
var errSkipped = errors.New("skipped")
