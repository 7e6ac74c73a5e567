// Package cli implements the ergo command line: one file per subcommand, each registering
// itself in commands.
package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Env is what a subcommand may touch: its arguments, the standard streams and the repository
// root it works in. Tests build one around temporary directories.
type Env struct {
	Args   []string
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Root is the repository root: the directory holding ergo.yaml and go.work.
	Root string
}

// command is one subcommand of ergo.
type command struct {
	summary string
	run     func(ctx context.Context, env *Env) int
}

// commands maps a subcommand name to its implementation; files register in init.
var commands = map[string]command{}

// register adds a subcommand; it panics on a duplicate name, which is a programming error.
func register(name, summary string, run func(ctx context.Context, env *Env) int) {
	if _, dup := commands[name]; dup {
		panic("cli: duplicate command " + name)
	}
	commands[name] = command{summary: summary, run: run}
}

// Run executes the subcommand named by args[0] and returns the process exit code:
// 0 on success, 1 when the command failed, 2 on a usage error.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return 0
	}

	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "ergo: unknown command %q (run 'ergo help')\n", args[0])
		return 2
	}

	root, err := findRoot()
	if err != nil {
		fmt.Fprintf(stderr, "ergo: %v\n", err)
		return 1
	}
	env := &Env{Args: args[1:], Stdin: stdin, Stdout: stdout, Stderr: stderr, Root: root}
	return cmd.run(ctx, env)
}

// usage prints the list of subcommands.
func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: ergo <command> [flags]")
	fmt.Fprintln(w)
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "  %-10s %s\n", name, commands[name].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'ergo <command> -h' for a command's flags.")
}

// findRoot returns ERGO_ROOT when set, else the nearest directory upwards from the working
// directory that holds ergo.yaml.
func findRoot() (string, error) {
	if root := os.Getenv("ERGO_ROOT"); root != "" {
		return filepath.Abs(root)
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("working directory: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "ergo.yaml")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no ergo.yaml here or in any parent directory " +
				"(run ergo inside the repository or set ERGO_ROOT)")
		}
		dir = parent
	}
}

// newFlags returns a flag set that reports errors on env.Stderr instead of exiting.
func newFlags(env *Env, name, args string) *flag.FlagSet {
	fs := flag.NewFlagSet("ergo "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: ergo %s %s\n", name, strings.TrimSpace(args))
		fs.PrintDefaults()
	}
	return fs
}
