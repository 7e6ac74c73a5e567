package graph

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"ergo/platform/config"
	"ergo/platform/subgraph"
	"ergo/schema/demo"
	schema "ergo/schema/lms"
	"ergo/subgraphs/lms"
	"ergo/subgraphs/lms/graph/generated"
	"ergo/subgraphs/lms/outbox"
)

// Module returns the lms subgraph alone, writing each event for the modules subscribers
// lists per event type: no demo data and no outbox dispatcher, as tests use it. NewModule
// returns it as the lms binary runs it.
func Module(subscribers map[string][]string) subgraph.Module {
	return subgraph.Module{
		Name:       "lms",
		Migrations: schema.Migrations,
		Schema: func(deps subgraph.Deps) (graphql.ExecutableSchema, error) {
			svc := lms.NewService(deps.Pool, time.Now, subscribers)
			return Schema(svc), nil
		},
	}
}

// NewModule returns the lms module configured from environ (KEY=VALUE pairs): the subgraph,
// whose events go to the modules whose manifests consume them (lms.LoadSubscribers under
// ERGO_ROOT), the demo data loaded into empty tables when ERGO_DEMO_DATA=true, and the
// outbox dispatcher, which posts events to the modules of ERGO_MODULE_URLS in the
// background. Errors name the variable at fault.
func NewModule(environ []string) (subgraph.Module, error) {
	var own lms.Config
	if err := config.Load(&own, environ); err != nil {
		return subgraph.Module{}, err
	}
	urls, _ := lms.ParseModuleURLs(own.ModuleURLs) // checked by Validate
	subscribers, err := lms.LoadSubscribers(own.Root, own.Modules)
	if err != nil {
		return subgraph.Module{}, fmt.Errorf("event subscribers (ERGO_ROOT=%s): %w", own.Root, err)
	}

	m := Module(subscribers)
	build := m.Schema
	m.Schema = func(deps subgraph.Deps) (graphql.ExecutableSchema, error) {
		if own.DemoData {
			if err := lms.LoadDemo(context.Background(), deps.Pool, demo.Default, deps.Log); err != nil {
				return nil, fmt.Errorf("load demo data: %w", err)
			}
		}
		return build(deps)
	}
	m.Background = func(ctx context.Context, deps subgraph.Deps) error {
		outbox.New(deps.Pool, urls, deps.RouterSecret, deps.Log).Run(ctx)
		return nil
	}
	return m, nil
}

// Schema returns the executable schema over svc.
func Schema(svc *lms.Service) graphql.ExecutableSchema {
	es := generated.NewExecutableSchema(generated.Config{Resolvers: &Resolver{LMS: svc}})
	return batchedSchema{ExecutableSchema: es, svc: svc}
}

// Main runs the lms module with the process's environment (subgraph.Main) and returns the
// exit code.
func Main() int {
	m, err := NewModule(os.Environ())
	if err != nil {
		_, _ = fmt.Fprintf(os.Stderr, "lms: %v\n", err)
		return 1
	}
	return subgraph.Main(m)
}

// Run is subgraph.Run of NewModule(environ): it returns 1 with one line on stderr when the
// configuration is invalid.
func Run(ctx context.Context, environ []string, stderr io.Writer) int {
	m, err := NewModule(environ)
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "lms: %v\n", err)
		return 1
	}
	return subgraph.Run(ctx, m, environ, stderr)
}
