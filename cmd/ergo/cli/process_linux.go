package cli

import "syscall"

// parentDeathSignal makes Linux send SIGTERM to the child if ergo itself dies, so that no
// module outlives an ergo killed with SIGKILL.
func parentDeathSignal(attr *syscall.SysProcAttr) { attr.Pdeathsig = syscall.SIGTERM }
