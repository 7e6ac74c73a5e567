//go:build unix && !linux

package cli

import "syscall"

// parentDeathSignal has no equivalent outside Linux.
// TODO(#2): children outlive an ergo killed with SIGKILL on macOS.
func parentDeathSignal(*syscall.SysProcAttr) {}
