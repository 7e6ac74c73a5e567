package graph

import (
	"embed"

	"github.com/99designs/gqlgen/graphql"

	"ergo/platform/config"
	"ergo/platform/subgraph"
	"ergo/subgraphs/registry"
	"ergo/subgraphs/registry/graph/generated"
)

// noMigrations is the registry's empty migration set: it keeps no tables, everything it
// serves comes from files and from the other modules.
var noMigrations embed.FS

// NewModule returns the registry subgraph configured from environ (KEY=VALUE pairs). Its
// errors name the variable or file at fault.
func NewModule(environ []string) (subgraph.Module, error) {
	var cfg registry.Config
	if err := config.Load(&cfg, environ); err != nil {
		return subgraph.Module{}, err
	}
	svc, err := registry.New(cfg)
	if err != nil {
		return subgraph.Module{}, err
	}
	return Module(svc), nil
}

// Module returns the registry subgraph serving svc.
func Module(svc *registry.Service) subgraph.Module {
	return subgraph.Module{
		Name:       "registry",
		Migrations: noMigrations,
		Schema: func(subgraph.Deps) (graphql.ExecutableSchema, error) {
			return generated.NewExecutableSchema(generated.Config{Resolvers: &Resolver{Registry: svc}}), nil
		},
	}
}
