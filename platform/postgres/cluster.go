package postgres

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
)

// ErrNoServer means no PostgreSQL server binaries were found and none could be installed.
var ErrNoServer = errors.New("no PostgreSQL server found")

// Cluster is a private PostgreSQL cluster kept in a directory of the repository, for
// development and tests when no ERGO_DATABASE_URL is given. It listens on 127.0.0.1 only, on a
// free port, with a generated password, and is reused by the next start.
type Cluster struct {
	// Dir holds the cluster: data/, run/ (the socket), password, port and server.log.
	Dir string
	// Database is the database created in the cluster; "ergo" when empty.
	Database string
	// Progress receives one line per slow step (install, initdb) for the person waiting.
	Progress io.Writer
	// Started is set by Start when it started the server, rather than finding it running
	// (another `ergo run`, or tests, may share the cluster); only then should the caller
	// stop it.
	Started bool
}

// Start makes sure the cluster exists and runs, creates the database, and returns its URL.
// When the server binaries are missing it installs them with apt on Debian or Ubuntu as root,
// and otherwise returns an error wrapping ErrNoServer that says what to install.
func (c *Cluster) Start(ctx context.Context) (string, error) {
	bin, err := c.binaries(ctx)
	if err != nil {
		return "", err
	}
	if err := c.initialise(ctx, bin); err != nil {
		return "", err
	}

	port, running := c.running(ctx, bin)
	if !running {
		if port, err = c.start(ctx, bin); err != nil {
			return "", err
		}
		c.Started = true
	}

	dsn, err := c.url(port)
	if err != nil {
		return "", err
	}
	if err := EnsureDatabase(ctx, dsn); err != nil {
		return "", err
	}
	return dsn, nil
}

// Stop stops the cluster's server if it runs; the data stays for the next start.
func (c *Cluster) Stop(ctx context.Context) error {
	bin, err := findBinaries()
	if err != nil {
		return err
	}
	if _, running := c.running(ctx, bin); !running {
		return nil
	}
	return c.run(ctx, bin, "pg_ctl", "stop", "-D", c.path("data"), "-m", "fast", "-w")
}

func (c *Cluster) path(name string) string { return filepath.Join(c.Dir, name) }

func (c *Cluster) progress(format string, args ...any) {
	if c.Progress != nil {
		fmt.Fprintf(c.Progress, format+"\n", args...)
	}
}

// binaries finds initdb and pg_ctl, installing the server first where that is possible.
func (c *Cluster) binaries(ctx context.Context) (string, error) {
	bin, err := findBinaries()
	if err == nil || !canInstall() {
		return bin, err
	}
	c.progress("PostgreSQL server not found; installing it with apt-get (takes a minute)...")
	for _, args := range [][]string{{"update"}, {"install", "-y", "--no-install-recommends", "postgresql"}} {
		cmd := exec.CommandContext(ctx, "apt-get", args...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("apt-get %s: %w\n%s", args[0], err, tail(out))
		}
	}
	return findBinaries()
}

// findBinaries returns the directory holding initdb and pg_ctl: the newest
// /usr/lib/postgresql/N/bin on Debian, else pg_config --bindir, else the PATH.
func findBinaries() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		dirs = append(dirs, strings.TrimSpace(string(out)))
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		dirs = append(dirs, filepath.Dir(p))
	}
	for _, d := range dirs {
		if exists(filepath.Join(d, exe("initdb"))) && exists(filepath.Join(d, exe("pg_ctl"))) {
			return d, nil
		}
	}
	return "", fmt.Errorf("%w: %s", ErrNoServer, installHint())
}

func versionOf(dir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return n
}

func canInstall() bool {
	_, err := exec.LookPath("apt-get")
	return runtime.GOOS == "linux" && os.Geteuid() == 0 && err == nil
}

// installHint says what to do on this operating system when there is no server.
func installHint() string {
	switch runtime.GOOS {
	case "darwin":
		return "install it with `brew install postgresql@16`, " +
			"or set ERGO_DATABASE_URL to an existing server"
	case "windows":
		return "install PostgreSQL (https://www.postgresql.org/download/windows/) and add its bin " +
			"folder to PATH, or set ERGO_DATABASE_URL to an existing server"
	}
	return "install the postgresql package (as root: apt-get install postgresql), " +
		"or set ERGO_DATABASE_URL to an existing server"
}

// initialise creates the data directory with a generated password on first use.
func (c *Cluster) initialise(ctx context.Context, bin string) error {
	if exists(c.path("data/PG_VERSION")) {
		return nil
	}
	c.progress("Creating a local PostgreSQL cluster in %s ...", c.Dir)

	if err := os.MkdirAll(c.path("run"), 0o700); err != nil {
		return fmt.Errorf("create cluster directory: %w", err)
	}
	if err := os.WriteFile(c.path("password"), []byte(newPassword()), 0o600); err != nil {
		return fmt.Errorf("write cluster password: %w", err)
	}
	if err := prepareOwner(c.Dir); err != nil {
		return err
	}

	return c.run(ctx, bin, "initdb", "-D", c.path("data"), "-U", "ergo", "-E", "UTF8",
		"--no-locale", "--auth=scram-sha-256", "--pwfile="+c.path("password"))
}

// running reports whether the server runs, and on which port.
func (c *Cluster) running(ctx context.Context, bin string) (int, bool) {
	if c.run(ctx, bin, "pg_ctl", "status", "-D", c.path("data")) != nil {
		return 0, false
	}
	port, err := c.savedPort()
	return port, err == nil
}

// start starts the server on the port used last time when it is free, else on a new one.
func (c *Cluster) start(ctx context.Context, bin string) (int, error) {
	port, err := c.savedPort()
	if err != nil || !portFree(port) {
		if port, err = freePort(); err != nil {
			return 0, err
		}
	}

	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1", port, c.path("run"))
	err = c.run(ctx, bin, "pg_ctl", "start", "-D", c.path("data"), "-w", "-t", "60",
		"-l", c.path("server.log"), "-o", opts)
	if err != nil {
		return 0, fmt.Errorf("%w (see %s)", err, c.path("server.log"))
	}
	return port, os.WriteFile(c.path("port"), []byte(strconv.Itoa(port)), 0o644)
}

func (c *Cluster) savedPort() (int, error) {
	b, err := os.ReadFile(c.path("port"))
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(strings.TrimSpace(string(b)))
}

// url returns the cluster's connection URL.
func (c *Cluster) url(port int) (string, error) {
	pw, err := os.ReadFile(c.path("password"))
	if err != nil {
		return "", fmt.Errorf("read cluster password: %w", err)
	}
	db := c.Database
	if db == "" {
		db = "ergo"
	}
	u := url.URL{
		Scheme: "postgres", User: url.UserPassword("ergo", strings.TrimSpace(string(pw))),
		Host: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), Path: "/" + db,
		RawQuery: "sslmode=disable",
	}
	return u.String(), nil
}

// run runs a PostgreSQL program from bin as the cluster's owner.
func (c *Cluster) run(ctx context.Context, bin, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, filepath.Join(bin, exe(name)), args...)
	cmd.Dir = c.Dir
	if err := asOwner(cmd); err != nil {
		return err
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s %s: %w\n%s", name, args[0], err, tail(out))
	}
	return nil
}

func portFree(port int) bool {
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return false
	}
	return l.Close() == nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func newPassword() string {
	var b [18]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func exe(name string) string {
	if runtime.GOOS == "windows" {
		return name + ".exe"
	}
	return name
}

// tail returns the last lines of a program's output, for error messages.
func tail(out []byte) string {
	lines := bytes.Split(bytes.TrimSpace(out), []byte("\n"))
	if len(lines) > 8 {
		lines = lines[len(lines)-8:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}
