package graph

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"

	"github.com/99designs/gqlgen/graphql"

	"ergo/platform/config"
	"ergo/platform/subgraph"
	schema "ergo/schema/bi"
	"ergo/schema/demo"
	"ergo/subgraphs/bi"
	"ergo/subgraphs/bi/events"
	"ergo/subgraphs/bi/graph/generated"
)

// Module returns the bi subgraph with its POST /events endpoint, which accepts events from
// other modules' outboxes when they carry the router secret. It loads no demo data, as tests
// use it; NewModule returns it as the bi binary runs it.
func Module() subgraph.Module {
	return subgraph.Module{
		Name:       "bi",
		Migrations: schema.Migrations,
		Schema: func(deps subgraph.Deps) (graphql.ExecutableSchema, error) {
			return Schema(bi.NewService(deps.Pool)), nil
		},
		Routes: func(mux *http.ServeMux, deps subgraph.Deps) {
			mux.Handle("/events", events.Handler(bi.NewService(deps.Pool), deps.RouterSecret, deps.Log))
		},
	}
}

// NewModule returns the bi module configured from environ (KEY=VALUE pairs): Module, plus
// the demo facts loaded into empty tables when ERGO_DEMO_DATA=true.
func NewModule(environ []string) (subgraph.Module, error) {
	var own bi.Config
	if err := config.Load(&own, environ); err != nil {
		return subgraph.Module{}, err
	}
	m := Module()
	build := m.Schema
	m.Schema = func(deps subgraph.Deps) (graphql.ExecutableSchema, error) {
		if own.DemoData {
			if err := bi.LoadDemo(context.Background(), deps.Pool, demo.Default, deps.Log); err != nil {
				return nil, fmt.Errorf("load demo data: %w", err)
			}
		}
		return build(deps)
	}
	return m, nil
}

// Schema returns the executable schema over svc.
func Schema(svc *bi.Service) graphql.ExecutableSchema {
	return generated.NewExecutableSchema(generated.Config{Resolvers: &Resolver{BI: svc}})
}

// Main runs the bi module with the process's environment (subgraph.Main) and returns the
// exit code.
func Main() int {
	m, err := NewModule(os.Environ())
	if err != nil {
		_, _ = fmt.Fprintf(os.Stderr, "bi: %v\n", err)
		return 1
	}
	return subgraph.Main(m)
}

// Run is subgraph.Run of NewModule(environ): it returns 1 with one line on stderr when the
// configuration is invalid.
func Run(ctx context.Context, environ []string, stderr io.Writer) int {
	m, err := NewModule(environ)
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "bi: %v\n", err)
		return 1
	}
	return subgraph.Run(ctx, m, environ, stderr)
}
