package router

import (
	"context"
	"net/http"

	"ergo/router/engine"

	"github.com/vektah/gqlparser/v2/ast"
)

// The engine's request and response are the router's: aliases keep the HTTP code readable.
type (
	execRequest  = engine.Request
	execResponse = engine.Response
)

// executor runs operations against the subgraphs of one supergraph.
type executor interface {
	Execute(ctx context.Context, req *execRequest) *execResponse
}

// graph is one loaded supergraph: the API schema that limits are measured against, the
// subgraphs that readiness checks, and the executor that answers requests.
type graph struct {
	schema    *ast.Schema
	subgraphs []subgraph
	exec      executor
}

// subgraph names one subgraph and the URL of its GraphQL endpoint.
type subgraph struct {
	Name string
	URL  string
}

// loadEngine builds a graph from supergraph SDL with the engine, which calls back for the
// headers of each subgraph request. Every graph shares the router's client, so a reload keeps
// the open connections to subgraphs.
func (rt *Router) loadEngine(sdl []byte) (*graph, error) {
	sg, err := engine.Load(sdl)
	if err != nil {
		return nil, err
	}
	g := &graph{schema: sg.APISchema()}
	for _, s := range sg.Subgraphs() {
		g.subgraphs = append(g.subgraphs, subgraph{Name: s.Name, URL: s.URL})
	}
	g.exec = engine.New(sg, engine.Options{
		Client:  rt.subgraphClient,
		Timeout: rt.cfg.SubgraphTimeout,
		Logger:  rt.log,
		SubgraphHeaders: func(ctx context.Context, _ *engine.Request, name string) http.Header {
			return rt.subgraphHeaders(ctx, name)
		},
	})
	return g, nil
}
