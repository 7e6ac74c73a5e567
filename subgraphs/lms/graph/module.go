package graph

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"ergo/platform/config"
	"ergo/platform/logging"
	"ergo/platform/server"
	"ergo/platform/subgraph"
	"ergo/schema/demo"
	schema "ergo/schema/lms"
	"ergo/subgraphs/lms"
	"ergo/subgraphs/lms/graph/generated"
	"ergo/subgraphs/lms/outbox"
)

// Module returns the lms subgraph. Its outbox dispatcher is not part of it: Run starts both.
func Module() subgraph.Module {
	return subgraph.Module{
		Name:       "lms",
		Migrations: schema.Migrations,
		Schema: func(deps subgraph.Deps) (graphql.ExecutableSchema, error) {
			svc := lms.NewService(deps.Pool, time.Now, lms.Subscribers)
			return Schema(svc), nil
		},
	}
}

// Schema returns the executable schema over svc.
func Schema(svc *lms.Service) graphql.ExecutableSchema {
	return generated.NewExecutableSchema(generated.Config{Resolvers: &Resolver{LMS: svc}})
}

// Main runs the lms subgraph and its outbox dispatcher with the process's environment until
// SIGINT or SIGTERM, and returns the exit code.
func Main() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return Run(ctx, os.Environ(), os.Stderr)
}

// Run is subgraph.Run plus the outbox dispatcher, which runs until ctx ends.
// TODO(#6): the platform's subgraph.Module has no hook for background work, hence this copy
// of its start sequence.
func Run(ctx context.Context, environ []string, stderr io.Writer) int {
	var cfg subgraph.Config
	var own lms.Config
	if err := loadConfig(environ, &cfg, &own); err != nil {
		_, _ = fmt.Fprintf(stderr, "lms: %v\n", err)
		return 1
	}
	log, _ := logging.New(stderr, cfg.LogFormat, cfg.LogLevel)
	log = log.With("subgraph", "lms")

	if err := serve(ctx, cfg, own, subgraph.Deps{Log: log}); err != nil {
		log.Error("stopped", "err", err)
		return 1
	}
	return 0
}

func loadConfig(environ []string, cfg *subgraph.Config, own *lms.Config) error {
	if err := config.Load(cfg, environ); err != nil {
		return err
	}
	return config.Load(own, environ)
}

func serve(ctx context.Context, cfg subgraph.Config, own lms.Config, deps subgraph.Deps) error {
	m := Module()
	pool, err := subgraph.Prepare(ctx, m, cfg.DatabaseURL, deps.Log)
	if err != nil {
		return err
	}
	defer pool.Close()
	deps.Pool = pool

	if own.DemoData {
		if err := lms.LoadDemo(ctx, pool, demo.Default, deps.Log); err != nil {
			return fmt.Errorf("load demo data: %w", err)
		}
	}
	h, err := subgraph.Handler(m, deps, cfg.RouterSecret)
	if err != nil {
		return err
	}
	urls, _ := lms.ParseModuleURLs(own.ModuleURLs) // checked by Validate
	go outbox.New(pool, urls, cfg.RouterSecret, deps.Log).Run(ctx)
	return server.Serve(ctx, deps.Log, cfg.Addr, h, 10*time.Second)
}
