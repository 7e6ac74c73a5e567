// Package engine plans and executes GraphQL operations against a federated supergraph.
//
// A supergraph SDL in the standard join form is loaded with Load. New builds an Engine that
// answers operations with Execute:
//
//  1. The operation is parsed and validated against the API schema (cached by its text),
//     the operation is selected and variables are coerced.
//  2. It is planned into a tree of Sequence and Parallel nodes over fetches. A root fetch asks
//     one subgraph for root fields; an entity fetch is flattened into the objects at a path of
//     the merged data and asks for more fields of those objects through `_entities`, sending
//     each distinct representation once. Entity fetches of one plan step to one subgraph are
//     batched into one request. Where no key leads to a field, a shareable root field is
//     asked of several subgraphs and merged, or the path to the field is fetched again
//     through the nearest entity ancestor; key fields the position lacks are fetched first,
//     like @requires selections. Subgraph selections follow each subgraph's own field types.
//     Plans are cached (LRU) by operation text, operation name, @skip/@include variable
//     values, enabled override labels and middleware rejections.
//  3. Fetches run over HTTP, Parallel children concurrently; results are deep-merged.
//  4. The response is written in the client's selection order from the merged data, with
//     GraphQL value completion and null propagation; subgraph errors are moved to the
//     client's paths. __schema and __type are answered from the API schema.
//
// Progressive override: a label "percent(N)" is enabled for a request when the request's draw
// (Options.PercentDraw, a number in [0,100) drawn once per request) is below N. The same draw
// is used for every label of the request, so a request sees one consistent choice, and the set
// of enabled labels is part of the plan cache key.
package engine

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Error codes set in extensions.code. The first four are request errors (IsRequestError).
const (
	// CodeParseFailed: the operation text is not GraphQL.
	CodeParseFailed = "GRAPHQL_PARSE_FAILED"
	// CodeValidationFailed: the operation is invalid against the API schema.
	CodeValidationFailed = "GRAPHQL_VALIDATION_FAILED"
	// CodeBadUserInput: a variable is missing or cannot be coerced to its type.
	CodeBadUserInput = "BAD_USER_INPUT"
	// CodeOperationUnknown: the operation name matches no operation, or is required.
	CodeOperationUnknown = "OPERATION_RESOLUTION_FAILURE"
	// CodePlanningFailed: the supergraph offers no way to resolve a selected field.
	CodePlanningFailed = "QUERY_PLANNING_FAILED"
	// CodeSubgraphError: a subgraph reported an error without a code, or answered a value
	// that does not fit the API schema.
	CodeSubgraphError = "SUBGRAPH_ERROR"
	// CodeDownstream: a subgraph could not be reached, timed out or answered unreadably.
	CodeDownstream = "DOWNSTREAM_SERVICE_ERROR"
	// CodeForbidden: field middleware rejected a field.
	CodeForbidden = "FORBIDDEN"
	// CodeInternal: an engine failure; the message carries an id also logged.
	CodeInternal = "INTERNAL"
)

// Options configures an Engine. The zero value works: default HTTP client, 30 s timeout.
type Options struct {
	// Client sends subgraph requests. Nil means a keep-alive client owned by the engine, whose
	// transport pools connections per subgraph host.
	Client *http.Client
	// Timeout bounds one subgraph request; zero means 30 s.
	Timeout time.Duration
	// SubgraphTimeouts overrides Timeout per subgraph name.
	SubgraphTimeouts map[string]time.Duration
	// MaxResponseBytes limits one subgraph response body; zero means 16 MiB.
	MaxResponseBytes int64
	// SubgraphURLs overrides the URL of a subgraph by name.
	SubgraphURLs map[string]string
	// Logger receives internal errors and subgraph failures; nil discards.
	Logger *slog.Logger
	// PlanCacheSize bounds the number of cached plans; zero means 512, negative disables.
	PlanCacheSize int
	// ForwardHeaders names client request headers copied to every subgraph request.
	// Authorization is never forwarded, even when listed.
	ForwardHeaders []string
	// SubgraphHeaders, when set, adds headers to each subgraph request (identity headers).
	SubgraphHeaders func(ctx context.Context, req *Request, subgraph string) http.Header
	// Middleware hooks behaviour to API schema directives; see FieldMiddleware.
	Middleware []FieldMiddleware
	// PercentDraw returns the request's progressive-override draw in [0,100).
	// Nil means a uniform random draw per request.
	PercentDraw func(req *Request) float64
}

// Request is one GraphQL operation to execute.
type Request struct {
	Query         string
	OperationName string
	Variables     map[string]any
	// Header holds the client's request headers; only Options.ForwardHeaders reach subgraphs.
	Header http.Header
	// IncludePlan asks for a readable plan in extensions.queryPlan.
	IncludePlan bool
}

// Response is the GraphQL response. Data is nil (and "data" absent from the JSON) when the
// request failed before execution: request errors (see IsRequestError) and planning failures.
// Data is the JSON null when null propagation reached the root.
type Response struct {
	Data       json.RawMessage `json:"data,omitempty"`
	Errors     []*GraphQLError `json:"errors,omitempty"`
	Extensions map[string]any  `json:"extensions,omitempty"`

	// Calls lists the subgraph requests made for this response, in completion order, for the
	// caller's request log. It is not part of the GraphQL response.
	Calls []SubgraphCall `json:"-"`

	requestError bool
	// buf holds Data when it came from dataBuffers; see Release.
	buf *bytes.Buffer
}

// dataBuffers holds the buffers responses are written into, for reuse (see Release).
var dataBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledData is the capacity above which a released buffer is left to the GC.
const maxPooledData = 4 << 20

// Release gives the memory behind Data back to the engine for later responses, and sets
// Data to nil. Call it once the response is written, when nothing uses Data any more; a
// response that is not released is left to the garbage collector.
func (r *Response) Release() {
	if r.buf != nil && r.buf.Cap() <= maxPooledData {
		r.buf.Reset()
		dataBuffers.Put(r.buf)
	}
	r.buf, r.Data = nil, nil
}

// SubgraphCall records one subgraph request.
type SubgraphCall struct {
	Subgraph string
	Duration time.Duration
	// Err is the transport or decoding failure, nil when the subgraph answered.
	Err error
}

// IsRequestError reports whether the response is a GraphQL request error (parse, validation,
// variable coercion or unknown operation): no execution took place and, per GraphQL over HTTP
// with application/graphql-response+json, the HTTP status should be 400. Other responses,
// including partial data with errors, are execution results served with 200.
func (r *Response) IsRequestError() bool { return r.requestError }

// GraphQLError is one entry of the response's errors list.
type GraphQLError struct {
	Message    string         `json:"message"`
	Locations  []Location     `json:"locations,omitempty"`
	Path       []any          `json:"path,omitempty"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

// Location is a line and column in the operation text, both starting at 1.
type Location struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// Error implements error.
func (e *GraphQLError) Error() string { return e.Message }

func newError(code, format string, args ...any) *GraphQLError {
	return &GraphQLError{Message: fmt.Sprintf(format, args...), Extensions: map[string]any{"code": code}}
}

// Engine executes operations against one supergraph. It is safe for concurrent use.
type Engine struct {
	sg      *Supergraph
	opts    Options
	client  *http.Client
	urls    []string
	cache   *lru
	log     *slog.Logger
	forward []string
	mw      map[string]*FieldMiddleware
}

// New builds an Engine for s. Subgraph URLs come from the supergraph unless overridden.
func New(s *Supergraph, opts Options) *Engine {
	e := &Engine{sg: s, opts: opts, client: opts.Client, log: opts.Logger}
	if e.client == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = 64
		e.client = &http.Client{Transport: tr}
	}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	if e.opts.Timeout == 0 {
		e.opts.Timeout = 30 * time.Second
	}
	if e.opts.MaxResponseBytes == 0 {
		e.opts.MaxResponseBytes = 16 << 20
	}
	for _, g := range s.graphs {
		u := g.URL
		if o, ok := opts.SubgraphURLs[g.Name]; ok {
			u = o
		}
		e.urls = append(e.urls, u)
	}
	size := opts.PlanCacheSize
	if size == 0 {
		size = 512
	}
	e.cache = newLRU(size)
	for _, h := range opts.ForwardHeaders {
		if !strings.EqualFold(h, "Authorization") {
			e.forward = append(e.forward, http.CanonicalHeaderKey(h))
		}
	}
	e.mw = map[string]*FieldMiddleware{}
	for i := range opts.Middleware {
		e.mw[opts.Middleware[i].Directive] = &opts.Middleware[i]
	}
	return e
}

// Execute runs req and returns its response; it never returns nil and never panics.
// Cancelling ctx cancels subgraph requests; fields not fetched by then are null with errors.
func (e *Engine) Execute(ctx context.Context, req *Request) (resp *Response) {
	defer func() {
		if r := recover(); r != nil {
			resp = e.internal(r)
		}
	}()

	// Steps: prepare (parse, validate, coerce), plan, execute, complete.
	op, gerr := e.prepare(ctx, req)
	if gerr != nil {
		return &Response{Errors: gerr, requestError: true}
	}
	p, err := e.planFor(op)
	if err != nil {
		return &Response{Errors: []*GraphQLError{newError(CodePlanningFailed, "%v", err)}}
	}
	st := newState(ctx, e, req, op, p)
	st.run(p.root)
	resp = st.complete()
	resp.Calls = st.calls
	if req.IncludePlan {
		resp.Extensions = map[string]any{"queryPlan": p.String()}
	}
	return resp
}

// Close releases idle subgraph connections of the engine's own HTTP client; a client passed
// in Options is left alone. Execute keeps working after Close.
func (e *Engine) Close() {
	if e.opts.Client == nil {
		e.client.CloseIdleConnections()
	}
}

// internal turns a recovered panic into an INTERNAL error whose id is also logged.
func (e *Engine) internal(r any) *Response {
	var b [8]byte
	_, _ = rand.Read(b[:])
	id := hex.EncodeToString(b[:])
	e.log.Error("engine panic", "error_id", id, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
	err := newError(CodeInternal, "internal error (id %s)", id)
	err.Extensions["errorId"] = id
	return &Response{Errors: []*GraphQLError{err}}
}

// draw returns the request's progressive-override draw.
func (e *Engine) draw(req *Request) float64 {
	if e.opts.PercentDraw != nil {
		return e.opts.PercentDraw(req)
	}
	return mrand.Float64() * 100
}

// enabledLabels returns the override labels enabled for a draw; labels other than percent(N)
// are off.
func (e *Engine) enabledLabels(d float64) map[string]bool {
	out := map[string]bool{}
	for _, l := range e.sg.labels() {
		rest, ok := strings.CutPrefix(l, "percent(")
		if !ok {
			continue
		}
		n, err := strconv.ParseFloat(strings.TrimSuffix(rest, ")"), 64)
		if err == nil && d < n {
			out[l] = true
		}
	}
	return out
}
