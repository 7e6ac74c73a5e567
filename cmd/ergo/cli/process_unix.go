//go:build unix

package cli

import (
	"os/exec"
	"syscall"
)

// detach puts the child in its own process group, so that Ctrl-C in the terminal reaches
// ergo alone and ergo stops the children in order.
func detach(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	parentDeathSignal(cmd.SysProcAttr)
}

// terminate sends SIGTERM to the child's process group.
func terminate(cmd *exec.Cmd) { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM) }

// kill sends SIGKILL to the child's process group.
func kill(cmd *exec.Cmd) { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
