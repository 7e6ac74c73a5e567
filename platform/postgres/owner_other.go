//go:build !unix

package postgres

import "os/exec"

// prepareOwner has nothing to do where processes do not run as root.
func prepareOwner(string) error { return nil }

// asOwner leaves cmd as it is where processes do not run as root.
func asOwner(*exec.Cmd) error { return nil }
