package router

import (
	"encoding/json"
	"net/http"
	"strings"

	"ergo/platform/server"

	"github.com/vektah/gqlparser/v2/ast"
)

// serveGraphQL answers one GraphQL-over-HTTP request: negotiate the media type, read the
// parameters, authenticate, check the operation, execute, write the response.
func (rt *Router) serveGraphQL(w http.ResponseWriter, r *http.Request) {
	rl := requestLogFrom(r.Context())
	mt := negotiate(r.Header.Get("Accept"))
	if mt == "" {
		// The spec allows answering anyway; a 406 tells a misconfigured client what to fix.
		rt.fail(w, mediaJSON, rl, &requestError{
			status: http.StatusNotAcceptable,
			code:   CodeNotAcceptable, message: "accept " + mediaGraphQLResponse + " or " + mediaJSON,
		})
		return
	}
	w.Header().Add("Vary", "Accept")

	p, rerr := parseRequest(w, r, rt.cfg.MaxRequestBytes)
	if rerr != nil {
		rt.fail(w, mt, rl, rerr)
		return
	}
	caller, rerr := rt.auth.authenticate(r.Header)
	if rerr != nil {
		rt.fail(w, mt, rl, rerr)
		return
	}
	g := rt.graph.Load()
	op, rerr := rt.check(r, p, g)
	if op != nil && rl != nil {
		rl.operation, rl.opType = op.Name, string(op.Operation)
	}
	if rerr != nil {
		rt.fail(w, mt, rl, rerr)
		return
	}

	resp := g.exec.Execute(server.WithPrincipal(r.Context(), caller), &execRequest{
		Query: p.Query, OperationName: p.OperationName, Variables: p.Variables,
		Header:      clientHeaders(r.Header),
		IncludePlan: strings.EqualFold(r.Header.Get(HeaderQueryPlan), "include"),
	})
	rt.writeResult(w, mt, rl, resp)
}

// check parses the operation and applies the rules that come before execution: GET runs
// queries only (the spec's safe-method rule), then depth and cost limits.
func (rt *Router) check(r *http.Request, p *params, g *graph) (*ast.OperationDefinition,
	*requestError,
) {
	doc, op, rerr := rt.operation(p)
	if rerr != nil {
		return op, rerr
	}
	if r.Method == http.MethodGet && op.Operation != ast.Query {
		return op, &requestError{
			status: http.StatusMethodNotAllowed, code: CodeMethodNotAllowed,
			message: "only queries may be sent with GET; send " + string(op.Operation) + "s with POST",
			header:  http.Header{"Allow": {"POST"}},
		}
	}
	return op, rt.limits.check(g.schema, doc, op, p.Variables)
}

func (rt *Router) fail(w http.ResponseWriter, mt string, rl *requestLog, e *requestError) {
	if rl != nil {
		rl.errors++
	}
	writeRequestError(w, mt, e)
}

// writeResult writes an executor's response. Request errors found by the executor follow the
// same status rules as the router's own; execution results are always 200, with data present
// (null when nothing could be resolved) as the spec requires.
func (rt *Router) writeResult(w http.ResponseWriter, mt string, rl *requestLog,
	resp *execResponse,
) {
	if rl != nil {
		rl.errors += len(resp.Errors)
		rl.calls = resp.Calls
	}
	status := http.StatusOK
	if resp.IsRequestError() && mt == mediaGraphQLResponse {
		status = http.StatusBadRequest
	}
	if !resp.IsRequestError() && resp.Data == nil {
		resp.Data = json.RawMessage("null")
	}
	writeJSON(w, status, mt, resp)
}
