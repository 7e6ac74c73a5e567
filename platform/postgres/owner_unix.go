//go:build unix

package postgres

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
)

// serverUser is the operating-system account that owns the cluster when ergo runs as root:
// initdb and postgres refuse to run as root.
const serverUser = "postgres"

// prepareOwner hands dir to the server account when running as root, and checks that the
// account can reach it.
func prepareOwner(dir string) error {
	if os.Geteuid() != 0 {
		return nil
	}
	uid, gid, err := serverIDs()
	if err != nil {
		return err
	}
	err = filepath.WalkDir(dir, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, uid, gid)
	})
	if err != nil {
		return fmt.Errorf("give %s to the %s user: %w", dir, serverUser, err)
	}
	return checkReachable(dir)
}

// checkReachable fails when a parent of dir is closed to other users, since the server
// account could not then open its data directory.
func checkReachable(dir string) error {
	for d := filepath.Dir(dir); d != filepath.Dir(d); d = filepath.Dir(d) {
		info, err := os.Stat(d)
		if err != nil {
			return err
		}
		if info.Mode().Perm()&0o001 == 0 {
			return fmt.Errorf("the %s user cannot enter %s, which holds the local database; "+
				"run `chmod o+x %s` or set ERGO_DATABASE_URL", serverUser, d, d)
		}
	}
	return nil
}

// asOwner makes cmd run as the server account when running as root.
func asOwner(cmd *exec.Cmd) error {
	if os.Geteuid() != 0 {
		return nil
	}
	uid, gid, err := serverIDs()
	if err != nil {
		return err
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)},
	}
	cmd.Env = append(os.Environ(), "HOME="+os.TempDir())
	return nil
}

func serverIDs() (int, int, error) {
	u, err := user.Lookup(serverUser)
	if err != nil {
		return 0, 0, fmt.Errorf("running as root needs the %s user to own the local database "+
			"(apt-get install postgresql creates it): %w", serverUser, err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return uid, gid, nil
}
