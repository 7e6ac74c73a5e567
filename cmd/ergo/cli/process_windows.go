package cli

import "os/exec"

// detach leaves the child in ergo's console group on Windows.
func detach(*exec.Cmd) {}

// terminate stops the child; Windows has no SIGTERM to ask politely.
// TODO(#2): send CTRL_BREAK_EVENT so Windows children can stop gracefully.
func terminate(cmd *exec.Cmd) { _ = cmd.Process.Kill() }

// kill stops the child.
func kill(cmd *exec.Cmd) { _ = cmd.Process.Kill() }
