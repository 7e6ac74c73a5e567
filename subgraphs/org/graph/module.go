package graph

import (
	"context"
	"fmt"
	"os"

	"github.com/99designs/gqlgen/graphql"

	"ergo/platform/config"
	"ergo/platform/subgraph"
	"ergo/schema/demo"
	schema "ergo/schema/org"
	"ergo/subgraphs/org"
	"ergo/subgraphs/org/graph/generated"
)

// Module returns the org subgraph configured from the process environment.
func Module() subgraph.Module {
	return NewModule(os.Environ())
}

// NewModule returns the org subgraph configured from environ (KEY=VALUE pairs).
func NewModule(environ []string) subgraph.Module {
	return subgraph.Module{
		Name:       "org",
		Migrations: schema.Migrations,
		Schema: func(deps subgraph.Deps) (graphql.ExecutableSchema, error) {
			var cfg org.Config
			if err := config.Load(&cfg, environ); err != nil {
				return nil, err
			}
			if cfg.DemoData {
				if err := org.LoadDemo(context.Background(), deps.Pool, demo.Default, deps.Log); err != nil {
					return nil, fmt.Errorf("load demo data: %w", err)
				}
			}
			svc := org.NewService(deps.Pool)
			return generated.NewExecutableSchema(generated.Config{Resolvers: &Resolver{Org: svc}}), nil
		},
	}
}
