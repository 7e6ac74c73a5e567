package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"ergo/platform/config"
	"ergo/platform/logging"
	"ergo/platform/modules"
	"ergo/platform/postgres"
)

// Config is the configuration of `ergo run`, `ergo migrate` and `ergo db`, from ERGO_*
// variables; flags override some of them.
type Config struct {
	// DatabaseURL is an existing PostgreSQL database; when empty ergo runs a private cluster
	// in .ergo/postgres.
	DatabaseURL string `env:"DATABASE_URL"`
	// RouterAddr is where the router listens. The default accepts local connections only:
	// demo data has published passwords, so a development run stays off the network unless
	// asked (ERGO_ROUTER_ADDR=:4000 listens on every interface).
	RouterAddr string `env:"ROUTER_ADDR" envDefault:"127.0.0.1:4000"`
	// Modules overrides the modules ergo.yaml enables (comma-separated names).
	Modules string `env:"MODULES"`
	// JWTSecret signs and verifies access tokens; in development ergo keeps a generated one
	// in .ergo/jwt-secret.
	JWTSecret string `env:"JWT_SECRET"`
	// DemoData loads the demo data set into empty databases on start.
	DemoData  bool   `env:"DEMO_DATA" envDefault:"true"`
	LogFormat string `env:"LOG_FORMAT" envDefault:"text"`
	LogLevel  string `env:"LOG_LEVEL" envDefault:"info"`
}

// Validate checks the values the env library cannot.
func (c *Config) Validate() error {
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") &&
		!strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		return config.Invalid("DATABASE_URL", postgres.Redact(c.DatabaseURL),
			"postgres://user:password@host:5432/database")
	}
	if _, err := logging.New(io.Discard, c.LogFormat, "info"); err != nil {
		return config.Invalid("LOG_FORMAT", c.LogFormat, "text or json")
	}
	if _, err := logging.New(io.Discard, "text", c.LogLevel); err != nil {
		return config.Invalid("LOG_LEVEL", c.LogLevel, "debug, info, warn or error")
	}
	if c.JWTSecret != "" && len(c.JWTSecret) < 32 {
		return config.Invalid("JWT_SECRET", "(hidden)", "at least 32 characters")
	}
	return nil
}

// loadConfig reads Config and ergo.yaml with the -modules flag's list, or ERGO_MODULES when
// the flag is empty; errors are one line each, naming the variable or the flag.
func loadConfig(env *Env, flagModules string) (*Config, *modules.Config, error) {
	var cfg Config
	if err := config.Load(&cfg, os.Environ()); err != nil {
		return nil, nil, err
	}
	list, source := cfg.Modules, "ERGO_MODULES"
	if flagModules != "" {
		list, source = flagModules, "-modules"
	}
	mods, err := modules.LoadList(env.Root, list, source)
	if err != nil {
		return nil, nil, err
	}
	return &cfg, mods, nil
}

// noteCore says on stderr which core modules a module list left out: they run anyway.
func noteCore(env *Env, cmd string, mods *modules.Config) {
	n := len(mods.AddedCore)
	if n == 0 {
		return
	}
	what := "module"
	if n > 1 {
		what = "modules"
	}
	fmt.Fprintf(env.Stderr, "ergo %s: adding core %s %s: core modules always run, the module list "+
		"names the others\n", cmd, what, andList(mods.AddedCore))
}

// stateDir is the git-ignored folder for local state: the cluster, secrets, built binaries.
func stateDir(root string) string { return filepath.Join(root, ".ergo") }

// database returns the database URL to use, starting the private cluster when none is
// configured. stop stops what was started here (nothing for an external server or a cluster
// that was already running) and reports whether it stopped a database.
func database(ctx context.Context, env *Env, cfg *Config) (dsn string, stop func() bool, err error) {
	if cfg.DatabaseURL != "" {
		if err := postgres.EnsureDatabase(ctx, cfg.DatabaseURL); err != nil {
			return "", nil, err
		}
		return cfg.DatabaseURL, func() bool { return false }, nil
	}

	c := &postgres.Cluster{Dir: filepath.Join(stateDir(env.Root), "postgres"), Progress: env.Stderr}
	dsn, err = c.Start(ctx)
	if err != nil {
		return "", nil, fmt.Errorf("local database: %w", err)
	}
	return dsn, func() bool {
		if !c.Started {
			return false // someone else's: another ergo run or a test run uses it too
		}
		if err := c.Stop(context.WithoutCancel(ctx)); err != nil {
			fmt.Fprintf(env.Stderr, "ergo: stop local database: %v\n", err)
			return false
		}
		return true
	}, nil
}

// secret returns the value of an ERGO_ secret, or a generated one kept in .ergo/name so
// that tokens survive restarts in development.
func secret(root, name, value string) (string, error) {
	if value != "" {
		return value, nil
	}
	path := filepath.Join(stateDir(root), name)
	if b, err := os.ReadFile(path); err == nil && len(b) >= 32 {
		return strings.TrimSpace(string(b)), nil
	}
	v := newSecret()
	if err := os.MkdirAll(stateDir(root), 0o755); err != nil {
		return "", err
	}
	return v, os.WriteFile(path, []byte(v), 0o600)
}

// newSecret returns 64 random hex digits.
func newSecret() string {
	return logging.NewID() + logging.NewID() + logging.NewID() + logging.NewID()
}
