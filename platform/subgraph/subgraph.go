// Package subgraph runs a module's gqlgen subgraph: configuration, database pool and
// migrations, the GraphQL handler with ERGO's error codes, health endpoints, and the check
// that requests come from the router.
//
// A module's main is a few lines:
//
//	func main() {
//		os.Exit(subgraph.Main(notes.Module()))
//	}
//
// A module that needs more than GraphQL adds HTTP routes with Module.Routes (bi receives
// events at POST /events) and work that runs beside the server with Module.Background (lms
// delivers its outbox).
package subgraph

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/jackc/pgx/v5/pgxpool"

	"ergo/platform/config"
	"ergo/platform/logging"
	"ergo/platform/postgres"
	"ergo/platform/server"
)

// Module describes one module's subgraph to Run.
type Module struct {
	// Name is the module's name; its PostgreSQL schema has the same name.
	Name string
	// Migrations holds the module's NNNN_name.sql files at its root.
	Migrations fs.FS
	// Schema builds the module's executable schema once the database is ready.
	Schema func(deps Deps) (graphql.ExecutableSchema, error)
	// Routes, when set, adds the module's own HTTP routes to mux next to /query, /healthz
	// and /readyz (which it must not register again: the mux panics on a duplicate). The
	// routes are not behind the router-secret check; guard them with server.FromRouter and
	// deps.RouterSecret when only the platform may call them.
	Routes func(mux *http.ServeMux, deps Deps)
	// Background, when set, runs beside the server from after the migrations until the
	// process stops: ctx ends at shutdown, and the pool stays open until it returns. An error
	// it returns before shutdown stops the process with that error; returning nil early only
	// ends the background work.
	Background func(ctx context.Context, deps Deps) error
}

// Deps is what a module's resolvers and hooks get: the pool on the module's schema, a logger,
// and the router secret the platform shares with its modules (empty when not configured).
type Deps struct {
	Pool         *pgxpool.Pool
	Log          *slog.Logger
	RouterSecret string
}

// Config is a subgraph binary's configuration, from ERGO_* variables.
type Config struct {
	// Addr is where the subgraph listens; `ergo run` sets it from ergo.yaml.
	Addr string `env:"ADDR" envDefault:"127.0.0.1:0"`
	// DatabaseURL is the PostgreSQL server; `ergo run` sets it.
	DatabaseURL string `env:"DATABASE_URL"`
	// RouterSecret, when set, is required on every GraphQL request (see server.FromRouter).
	RouterSecret string `env:"ROUTER_SECRET"`
	LogFormat    string `env:"LOG_FORMAT" envDefault:"text"`
	LogLevel     string `env:"LOG_LEVEL" envDefault:"info"`
}

// Validate checks the values that the env library cannot.
func (c *Config) Validate() error {
	if !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		return config.Invalid("DATABASE_URL", postgres.Redact(c.DatabaseURL),
			"postgres://user:password@host:port/database (ergo run sets it)")
	}
	if _, err := logging.New(io.Discard, c.LogFormat, c.LogLevel); err != nil {
		return config.Invalid("LOG_FORMAT/ERGO_LOG_LEVEL", c.LogFormat+"/"+c.LogLevel,
			"text or json / debug, info, warn or error")
	}
	return nil
}

// Main runs m with the process's environment until SIGINT or SIGTERM and returns the exit
// code: 0 after a clean stop, 1 on failure (with one line on stderr saying why).
func Main(m Module) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return Run(ctx, m, os.Environ(), os.Stderr)
}

// Run is Main with its inputs explicit, for tests.
func Run(ctx context.Context, m Module, environ []string, stderr io.Writer) int {
	var cfg Config
	if err := config.Load(&cfg, environ); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", m.Name, err)
		return 1
	}
	log, _ := logging.New(stderr, cfg.LogFormat, cfg.LogLevel)
	log = log.With("subgraph", m.Name)

	if err := serve(ctx, m, cfg, log); err != nil {
		log.Error("stopped", "err", err)
		return 1
	}
	return 0
}

func serve(ctx context.Context, m Module, cfg Config, log *slog.Logger) error {
	pool, err := Prepare(ctx, m, cfg.DatabaseURL, log)
	if err != nil {
		return err
	}
	defer pool.Close()

	deps := Deps{Pool: pool, Log: log, RouterSecret: cfg.RouterSecret}
	h, err := Handler(m, deps, cfg.RouterSecret)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	failed := background(ctx, cancel, m, deps)
	err = server.Serve(ctx, log, cfg.Addr, h, 10*time.Second)

	// Stop the background work and wait for it before the deferred pool.Close.
	cancel()
	return errors.Join(err, <-failed)
}

// background starts m.Background, if any, and returns a channel that yields its error once
// it has returned: nil when it ended on its own or because ctx ended, else its error, after
// calling stop so that the server shuts down too.
func background(ctx context.Context, stop context.CancelFunc, m Module, deps Deps) <-chan error {
	failed := make(chan error, 1)
	if m.Background == nil {
		failed <- nil
		return failed
	}
	go func() {
		err := m.Background(ctx, deps)
		if err == nil || ctx.Err() != nil {
			failed <- nil
			return
		}
		failed <- fmt.Errorf("background: %w", err)
		stop()
	}()
	return failed
}

// Prepare creates the database when missing, applies the module's migrations and returns a
// pool whose search path is the module's schema.
func Prepare(ctx context.Context, m Module, dsn string, log *slog.Logger) (*pgxpool.Pool, error) {
	if err := postgres.EnsureDatabase(ctx, dsn); err != nil {
		return nil, err
	}
	pool, err := postgres.Open(ctx, dsn, m.Name)
	if err != nil {
		return nil, err
	}
	n, err := postgres.Migrate(ctx, pool, m.Name, m.Migrations)
	if err != nil {
		pool.Close()
		return nil, err
	}
	if n > 0 {
		log.Info("migrations applied", "count", n)
	}
	return pool, nil
}

// Handler returns the subgraph's HTTP handler: GraphQL at /query (router callers only when
// secret is set), /healthz, /readyz with a database check, and the module's own Routes.
// deps.RouterSecret is set to secret for the schema and the routes.
func Handler(m Module, deps Deps, secret string) (http.Handler, error) {
	deps.RouterSecret = secret
	es, err := m.Schema(deps)
	if err != nil {
		return nil, fmt.Errorf("build schema: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/query", server.FromRouter(secret, GraphQL(es, deps.Log)))
	server.Health(mux, deps.Log, map[string]server.Check{"database": deps.Pool.Ping})
	if m.Routes != nil {
		m.Routes(mux, deps)
	}
	return logging.RequestIDs(mux), nil
}
