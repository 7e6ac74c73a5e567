package graph

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"ergo/platform/config"
	"ergo/platform/logging"
	"ergo/platform/server"
	"ergo/platform/subgraph"
	schema "ergo/schema/bi"
	"ergo/schema/demo"
	"ergo/subgraphs/bi"
	"ergo/subgraphs/bi/events"
	"ergo/subgraphs/bi/graph/generated"
)

// Module returns the bi subgraph. Its /events endpoint is not part of it: Handler adds it.
func Module() subgraph.Module {
	return subgraph.Module{
		Name:       "bi",
		Migrations: schema.Migrations,
		Schema: func(deps subgraph.Deps) (graphql.ExecutableSchema, error) {
			return Schema(bi.NewService(deps.Pool)), nil
		},
	}
}

// Schema returns the executable schema over svc.
func Schema(svc *bi.Service) graphql.ExecutableSchema {
	return generated.NewExecutableSchema(generated.Config{Resolvers: &Resolver{BI: svc}})
}

// Handler is subgraph.Handler plus POST /events, which accepts events from other modules'
// outboxes when they carry secret.
func Handler(deps subgraph.Deps, secret string) (http.Handler, error) {
	h, err := subgraph.Handler(Module(), deps, secret)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/events", events.Handler(bi.NewService(deps.Pool), secret, deps.Log))
	mux.Handle("/", h)
	return mux, nil
}

// Main runs the bi subgraph with the process's environment until SIGINT or SIGTERM, and
// returns the exit code.
func Main() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return Run(ctx, os.Environ(), os.Stderr)
}

// Run is subgraph.Run with Handler in place of subgraph.Handler.
// TODO(#6): the platform's subgraph.Module has no hook for extra routes, hence this copy of
// its start sequence.
func Run(ctx context.Context, environ []string, stderr io.Writer) int {
	var cfg subgraph.Config
	var own bi.Config
	if err := loadConfig(environ, &cfg, &own); err != nil {
		_, _ = fmt.Fprintf(stderr, "bi: %v\n", err)
		return 1
	}
	log, _ := logging.New(stderr, cfg.LogFormat, cfg.LogLevel)
	log = log.With("subgraph", "bi")

	if err := serve(ctx, cfg, own, log); err != nil {
		log.Error("stopped", "err", err)
		return 1
	}
	return 0
}

func loadConfig(environ []string, cfg *subgraph.Config, own *bi.Config) error {
	if err := config.Load(cfg, environ); err != nil {
		return err
	}
	return config.Load(own, environ)
}

func serve(ctx context.Context, cfg subgraph.Config, own bi.Config, log *slog.Logger) error {
	pool, err := subgraph.Prepare(ctx, Module(), cfg.DatabaseURL, log)
	if err != nil {
		return err
	}
	defer pool.Close()

	if own.DemoData {
		if err := bi.LoadDemo(ctx, pool, demo.Default, log); err != nil {
			return fmt.Errorf("load demo data: %w", err)
		}
	}

	h, err := Handler(subgraph.Deps{Pool: pool, Log: log}, cfg.RouterSecret)
	if err != nil {
		return err
	}
	return server.Serve(ctx, log, cfg.Addr, h, 10*time.Second)
}
