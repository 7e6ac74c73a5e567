package cli

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"time"
)

// process is a child that `ergo run` started and must stop.
type process struct {
	name string
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
	err  error         // its exit error, valid after done
}

// start runs bin with the extra environment, its output prefixed with the name.
func start(ctx context.Context, env *Env, name, bin string, extra []string) (*process, error) {
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), extra...)
	cmd.Dir = env.Root
	out := prefixed(env.Stderr, name)
	cmd.Stdout, cmd.Stderr = out, out
	detach(cmd)

	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &process{name: name, cmd: cmd, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// stop asks the process to stop, and kills it (and its group) after a grace period.
func (p *process) stop() {
	select {
	case <-p.done:
		return
	default:
	}
	terminate(p.cmd)
	select {
	case <-p.done:
	case <-time.After(15 * time.Second):
		kill(p.cmd)
		<-p.done
	}
}

// stopAll stops processes in reverse start order: the router before the modules it calls.
func stopAll(procs []*process) {
	for i := len(procs) - 1; i >= 0; i-- {
		procs[i].stop()
	}
}

// goBuild builds the main packages pkgs, from dir, into out (a folder when it ends in a
// separator).
func goBuild(ctx context.Context, env *Env, dir, out string, pkgs []string) error {
	cmd := exec.CommandContext(ctx, "go", append([]string{"build", "-o", out}, pkgs...)...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = env.Stderr, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%w\n%s", err, stderr.String())
	}
	return nil
}

// prefixed returns a writer that writes each line to w as "name | line".
func prefixed(w io.Writer, name string) io.Writer {
	pr, pw := io.Pipe()
	var mu sync.Mutex
	go func() {
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64*1024), 1<<20)
		for sc.Scan() {
			mu.Lock()
			fmt.Fprintf(w, "%-9s| %s\n", name, sc.Text())
			mu.Unlock()
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	return pw
}
