package graph

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"ergo/platform/config"
	"ergo/platform/subgraph"
	"ergo/schema/demo"
	schema "ergo/schema/identity"
	"ergo/subgraphs/identity"
	"ergo/subgraphs/identity/graph/generated"
)

// Module returns the identity subgraph configured from the process environment.
func Module() subgraph.Module {
	return NewModule(os.Environ())
}

// NewModule returns the identity subgraph configured from environ (KEY=VALUE pairs). The
// configuration is checked when the schema is built, so a bad value stops the start.
func NewModule(environ []string) subgraph.Module {
	return subgraph.Module{
		Name:       "identity",
		Migrations: schema.Migrations,
		Schema: func(deps subgraph.Deps) (graphql.ExecutableSchema, error) {
			var cfg identity.Config
			if err := config.Load(&cfg, environ); err != nil {
				return nil, err
			}
			return build(deps, cfg)
		},
	}
}

func build(deps subgraph.Deps, cfg identity.Config) (graphql.ExecutableSchema, error) {
	tokens := identity.NewTokens([]byte(cfg.JWTSecret), cfg.TokenTTL, time.Now)
	hasher := identity.Hasher{Params: identity.DefaultArgon2}
	svc := identity.NewService(deps.Pool, tokens, hasher)
	svc.LimitLogins(identity.NewLoginLimiter(identity.LoginLimits{
		PerEmail: cfg.LoginFailures, PerClient: cfg.LoginClientFailures, Window: cfg.LoginWindow,
	}, time.Now))

	ctx := context.Background()
	if cfg.DemoData {
		if err := identity.LoadDemo(ctx, deps.Pool, hasher, demo.Default, deps.Log); err != nil {
			return nil, fmt.Errorf("load demo data: %w", err)
		}
	}
	if cfg.AdminEmail != "" {
		if err := svc.Bootstrap(ctx, cfg.AdminEmail, cfg.AdminPassword); err != nil {
			return nil, fmt.Errorf("create admin: %w", err)
		}
	}
	return generated.NewExecutableSchema(generated.Config{Resolvers: &Resolver{Users: svc}}), nil
}
