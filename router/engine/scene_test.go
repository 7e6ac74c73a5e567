package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/validator"
)

// scene is a small supergraph written for one federation shape, with its fixture subgraphs
// called in process. Each fixture may carry its own subgraph schema; then every query it
// receives is validated against that schema first, as a real subgraph would.
type scene struct {
	engine *Engine
	fx     map[string]*fixture
}

// sceneGraph is one subgraph of a scene: the fixture and, optionally, its own schema.
type sceneGraph struct {
	fx *fixture
	// sdl is the subgraph's schema without the federation additions; entities lists the
	// types of its _Entity union (empty for a subgraph without resolvable keys).
	sdl      string
	entities []string
}

// sceneHeader declares the join machinery every scene supergraph uses.
const sceneHeader = `
schema @link(url: "https://specs.apollo.dev/link/v1.0")
  @link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION) { query: Query }
directive @join__field(graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet,
  type: String, external: Boolean, override: String, usedOverridden: Boolean,
  overrideLabel: String) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION
directive @join__graph(name: String!, url: String!) on ENUM_VALUE
directive @join__implements(graph: join__Graph!, interface: String!) repeatable on OBJECT | INTERFACE
directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = false,
  resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) repeatable
  on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR
directive @join__unionMember(graph: join__Graph!, member: String!) repeatable on UNION
directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA
scalar join__FieldSet
scalar link__Import
enum link__Purpose { SECURITY EXECUTION }
`

// newScene loads types (the supergraph's own definitions) with one join__Graph value per
// subgraph, named after the subgraph in upper case, and builds an engine on the fixtures.
func newScene(tb testing.TB, types string, graphs ...sceneGraph) *scene {
	tb.Helper()
	var enum strings.Builder
	enum.WriteString("enum join__Graph {\n")
	s := &scene{fx: map[string]*fixture{}}
	tr := handlerTransport{}
	for _, g := range graphs {
		name := g.fx.name
		enum.WriteString("  " + strings.ToUpper(name) + ` @join__graph(name: "` + name +
			`", url: "http://` + name + `.invalid/graphql")` + "\n")
		s.fx[name] = g.fx
		var h http.Handler = g.fx
		if g.sdl != "" {
			h = validating(tb, g)
		}
		tr[name+".invalid"] = h
	}
	enum.WriteString("}\n")
	sg, err := Load([]byte(sceneHeader + enum.String() + types))
	if err != nil {
		tb.Fatal(err)
	}
	s.engine = New(sg, Options{Client: &http.Client{Transport: tr}})
	return s
}

// validating wraps a fixture so that it refuses queries invalid against its own schema with
// a GraphQL validation error, like a real subgraph.
func validating(tb testing.TB, g sceneGraph) http.Handler {
	tb.Helper()
	fed := "scalar _Any\n"
	entities := ""
	if len(g.entities) > 0 {
		fed += "union _Entity = " + strings.Join(g.entities, " | ") + "\n"
		entities = "_entities(representations: [_Any!]!): [_Entity]!"
	}
	fed += "extend type Query { _service: String " + entities + "}\n"
	schema, err := validator.LoadSchema(validator.Prelude,
		&ast.Source{Name: g.fx.name + ".graphql", Input: g.sdl},
		&ast.Source{Name: "federation.graphql", Input: fed})
	if err != nil {
		tb.Fatalf("subgraph %s schema: %v", g.fx.name, err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Query string `json:"query"`
		}
		raw, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(raw, &body)
		if _, errs := gqlparser.LoadQueryWithRules(schema, body.Query, nil); len(errs) > 0 {
			g.fx.mu.Lock()
			g.fx.calls = append(g.fx.calls, fixtureCall{Query: body.Query})
			g.fx.mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(map[string]any{"errors": []any{map[string]any{
				"message": errs[0].Message, "extensions": map[string]any{"code": "GRAPHQL_VALIDATION_FAILED"},
			}}})
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(raw))
		g.fx.ServeHTTP(w, r)
	})
}

// run executes query against the scene.
func (s *scene) run(tb testing.TB, query string, vars map[string]any) *Response {
	tb.Helper()
	return s.engine.Execute(context.Background(), &Request{Query: query, Variables: vars, IncludePlan: true})
}
