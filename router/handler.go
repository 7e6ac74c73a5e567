package router

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"ergo/platform/server"
	"ergo/router/engine"

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

	ctx := server.WithClientAddr(server.WithPrincipal(r.Context(), caller), rt.proxies.clientAddr(r))
	resp := g.exec.Execute(ctx, &execRequest{
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
	writeResponse(w, status, mt, resp)
	resp.Release()
}

// writeResponse writes resp as JSON with its members in the order data, errors, extensions.
// The executor has already encoded the data as compact JSON, so it is written as it is; only
// the errors and extensions are marshalled. Marshalling the whole response would validate and
// re-compact the data byte by byte, which costs more than the rest of the request.
func writeResponse(w http.ResponseWriter, status int, mt string, resp *execResponse) {
	rest, err := json.Marshal(struct {
		Errors     []*engine.GraphQLError `json:"errors,omitempty"`
		Extensions map[string]any         `json:"extensions,omitempty"`
	}{resp.Errors, resp.Extensions})
	if err != nil {
		// Only values built by the executor reach here; a failure is a programming error.
		panic(err)
	}

	// rest is "{}" or "{...}": with data, its members follow the data after a comma.
	var head []byte
	if len(resp.Data) > 0 {
		head = []byte(`{"data":`)
		if len(rest) > 2 {
			rest[0] = ','
		} else {
			rest = rest[1:]
		}
	}
	h := w.Header()
	h.Set("Content-Type", mt+"; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(head)+len(resp.Data)+len(rest)))
	w.WriteHeader(status)
	_, _ = w.Write(head)
	_, _ = w.Write(resp.Data)
	_, _ = w.Write(rest)
}
