package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/vektah/gqlparser/v2/ast"

	"ergo/platform/logging"
)

// state is one execution of a plan: the merged data and the errors so far.
type state struct {
	ctx   context.Context
	e     *Engine
	req   *Request
	o     *operation
	p     *plan
	mu    sync.Mutex
	data  *object
	errs  []*GraphQLError
	calls []SubgraphCall
	// cancelled is set once the request context ended before a fetch.
	cancelled bool
	// walk, reprIndex and reprBuf are reused by representations, under mu.
	walk      []located
	reprIndex map[string]int
	reprBuf   bytes.Buffer
}

func newState(ctx context.Context, e *Engine, req *Request, o *operation, p *plan) *state {
	return &state{ctx: ctx, e: e, req: req, o: o, p: p, data: &object{}}
}

func (st *state) run(n planNode) {
	switch n := n.(type) {
	case nil:
	case *sequenceNode:
		for _, c := range n.nodes {
			st.run(c)
		}
	case *parallelNode:
		var wg sync.WaitGroup
		for _, c := range n.nodes[1:] {
			wg.Go(func() { st.guard(func() { st.run(c) }) })
		}
		st.guard(func() { st.run(n.nodes[0]) })
		wg.Wait()
	case *fetchNode:
		st.fetch(n)
	case *batchNode:
		st.batch(n)
	}
}

// guard recovers a panic in a fetch goroutine into an INTERNAL error.
func (st *state) guard(fn func()) {
	defer func() {
		if r := recover(); r != nil {
			resp := st.e.internal(r)
			st.addErrors(resp.Errors...)
		}
	}()
	fn()
}

func (st *state) addErrors(errs ...*GraphQLError) {
	st.mu.Lock()
	st.errs = append(st.errs, errs...)
	st.mu.Unlock()
}

// located is an object found at an entity fetch's path, with its response path.
type located struct {
	obj  *object
	path []any
	// ord is the object's position in walk order, to find its path again.
	ord int
	// repr is the index of the object's representation in the fetch's request.
	repr int
}

// fetch runs one fetch node: a root fetch merges into the data root, an entity fetch is a
// batch of one.
func (st *state) fetch(f *fetchNode) {
	if f.entity != "" {
		st.entities(f.graph, f.head, f.vars, []*fetchNode{f}, []string{"_entities"}, []string{"representations"})
		return
	}
	name := st.p.names[f.graph]
	resp, err := st.send(f.graph, f.head, st.clientVars(f.vars))
	if resp == nil {
		if err != nil {
			st.addErrors(downstreamError(name, err))
		}
		return
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, se := range resp.Errors {
		e := subgraphErrorFor(se, name)
		e.Path = se.Path
		st.errs = append(st.errs, e)
	}
	if m, ok := resp.Data.(*object); ok {
		if f.aliased {
			restoreKeys(f.sel, m)
		}
		st.e.sg.merge(st.data, m)
	}
}

// restoreKeys renames the privately aliased fields of a subgraph answer back to their keys in
// the merged data, following the fetch's selection.
func restoreKeys(q *qsel, v any) {
	switch v := v.(type) {
	case []any:
		for _, item := range v {
			restoreKeys(q, item)
		}
	case *object:
		for _, f := range q.fields {
			val, ok := v.get(f.key)
			if !ok {
				continue
			}
			if f.out != "" {
				v.rename(f.key, f.out)
			}
			if f.sub != nil {
				restoreKeys(f.sub, val)
			}
		}
		// An object matches at most one type condition, and aliases name their condition,
		// so each fragment may be applied without checking __typename.
		for _, fr := range q.frags {
			restoreKeys(fr.sel, v)
		}
	}
}

// batch runs several entity fetches to one subgraph in one request.
func (st *state) batch(b *batchNode) {
	keys := make([]string, len(b.parts))
	reprVars := make([]string, len(b.parts))
	for i := range b.parts {
		keys[i] = "e" + strconv.Itoa(i)
		reprVars[i] = "r" + strconv.Itoa(i)
	}
	st.entities(b.graph, b.head, b.vars, b.parts, keys, reprVars)
}

// entities sends the representations of the objects each part applies to, deduplicated per
// part, and merges each part's _entities answer (under keys[i]) into those objects.
func (st *state) entities(graph int, head string, names []string, parts []*fetchNode,
	keys, reprVars []string,
) {
	// 1. Collect representations under the lock.
	vars := st.clientVars(names)
	objs := make([][]located, len(parts))
	total := 0
	st.mu.Lock()
	for i, f := range parts {
		o, reprs := st.representations(f)
		objs[i] = o
		vars[reprVars[i]] = reprs
		total += len(reprs)
	}
	st.mu.Unlock()
	if total == 0 {
		return
	}

	// 2. Call the subgraph. A failed call is reported at the objects of each part.
	name := st.p.names[graph]
	resp, err := st.send(graph, head, vars)
	st.mu.Lock()
	defer st.mu.Unlock()
	if resp == nil {
		if err != nil {
			st.attachPaths(parts, objs)
			for i := range parts {
				if len(objs[i]) > 0 {
					e := downstreamError(name, err)
					e.Path = fallbackPath(parts[i:i+1], objs[i:i+1])
					st.errs = append(st.errs, e)
				}
			}
		}
		return
	}

	// 3. Re-path errors and merge data.
	if len(resp.Errors) > 0 {
		st.attachPaths(parts, objs)
	}
	for _, se := range resp.Errors {
		e := subgraphErrorFor(se, name)
		e.Path = entityPath(se.Path, parts, keys, objs)
		st.errs = append(st.errs, e)
	}
	m, _ := resp.Data.(*object)
	for i, k := range keys {
		ents, _ := m.value(k).([]any)
		st.mergeEntities(parts[i], ents, objs[i])
	}
}

// mergeEntities merges each entity of an _entities answer into the objects that sent its
// representation.
func (st *state) mergeEntities(f *fetchNode, ents []any, objs []located) {
	if f.aliased {
		for _, ent := range ents {
			if em, ok := ent.(*object); ok {
				restoreKeys(f.sel, em)
			}
		}
	}
	for _, l := range objs {
		if l.repr >= len(ents) {
			continue
		}
		if em, ok := ents[l.repr].(*object); ok {
			st.e.sg.merge(l.obj, em)
		}
	}
}

// attachPaths finds the response paths of the objects behind representations; they are only
// needed to re-path errors, so the walk that collected the objects skipped them.
func (st *state) attachPaths(parts []*fetchNode, objs [][]located) {
	for i, f := range parts {
		var all []located
		collectAt(st.data, f.path, nil, true, &all)
		for k := range objs[i] {
			if o := objs[i][k].ord; o < len(all) {
				objs[i][k].path = all[o].path
			}
		}
	}
}

func (st *state) clientVars(names []string) map[string]any {
	vars := make(map[string]any, len(names)+1)
	for _, v := range names {
		if val, ok := st.o.vars[v]; ok {
			vars[v] = val
		}
	}
	return vars
}

// send calls a subgraph. A failed call is logged and its error returned for the caller to
// report where it belongs; both results are nil when the request was cancelled before the
// call, which one error without path reports.
func (st *state) send(graph int, head string, vars map[string]any) (*subgraphResponse, error) {
	name := st.p.names[graph]
	if st.ctx.Err() != nil {
		// The request is over; later fetches are not attempted. One error says so.
		st.mu.Lock()
		defer st.mu.Unlock()
		if !st.cancelled {
			st.cancelled = true
			st.errs = append(st.errs, newError(CodeDownstream, "request cancelled: %v", context.Cause(st.ctx)))
		}
		return nil, nil
	}
	start := time.Now()
	resp, err := st.call(graph, head, vars)
	st.mu.Lock()
	st.calls = append(st.calls, SubgraphCall{Subgraph: name, Duration: time.Since(start), Err: err})
	st.mu.Unlock()
	if err != nil {
		// The error may name the subgraph's address: it is logged, and the client gets a safe
		// message (downstreamError) that the request ID in the log line ties to it.
		st.e.log.WarnContext(st.ctx, "subgraph request failed", "request_id", logging.RequestID(st.ctx),
			"subgraph", name, "err", err)
		return nil, err
	}
	return resp, nil
}

// downstreamError is the client's error for a failed call to subgraph name.
func downstreamError(name string, err error) *GraphQLError {
	ge := newError(CodeDownstream, "subgraph %q is unavailable", name)
	if errors.Is(err, errTimeout) {
		ge.Message = fmt.Sprintf("subgraph %q timed out", name)
	}
	ge.Extensions["serviceName"] = name
	return ge
}

// reprList holds the distinct representations of an entity fetch, each encoded as JSON.
type reprList []string

// representations finds the objects at f.path that have a representation, each with the
// index of its representation, and returns them with the distinct representations. The walk
// and the lookup table are the state's, reused from fetch to fetch under st.mu.
func (st *state) representations(f *fetchNode) ([]located, reprList) {
	walk := st.walk[:0]
	collectAt(st.data, f.path, nil, false, &walk)
	if st.reprIndex == nil {
		st.reprIndex = map[string]int{}
	}
	clear(st.reprIndex)

	objs := make([]located, 0, len(walk))
	reprs := make(reprList, 0, len(walk))
	buf := &st.reprBuf
	for ord, l := range walk {
		buf.Reset()
		if !writeRepr(buf, st.e.sg, f.entity, l.obj, f.repr) {
			continue
		}
		// The lookup converts without copying; only a new representation is copied.
		i, ok := st.reprIndex[string(buf.Bytes())]
		if !ok {
			r := buf.String()
			i = len(reprs)
			st.reprIndex[r] = i
			reprs = append(reprs, r)
		}
		l.ord, l.repr = ord, i
		objs = append(objs, l)
	}
	clear(walk)
	st.walk = walk[:0]
	return objs, reprs
}

// collectAt walks path from v and appends the objects it reaches, with their response paths
// when withPaths is set.
func collectAt(v any, path []string, resp []any, withPaths bool, out *[]located) {
	if len(path) == 0 {
		if m, ok := v.(*object); ok {
			*out = append(*out, located{obj: m, path: resp})
		}
		return
	}
	seg := path[0]
	switch {
	case seg == "@":
		list, _ := v.([]any)
		for i, item := range list {
			var p []any
			if withPaths {
				p = appendPath(resp, i)
			}
			collectAt(item, path[1:], p, withPaths, out)
		}
	case seg[0] == '|':
		if m, ok := v.(*object); ok {
			if t, _ := m.value("__typename").(string); t != "" && typeIn(t, seg[1:]) {
				collectAt(m, path[1:], resp, withPaths, out)
			}
		}
	default:
		if m, ok := v.(*object); ok {
			var p []any
			if withPaths {
				p = appendPath(resp, seg)
			}
			collectAt(m.value(seg), path[1:], p, withPaths, out)
		}
	}
}

// appendPath returns a copy of p with seg added. Callers check that they need the path first:
// making seg an interface value allocates.
func appendPath(p []any, seg any) []any {
	out := make([]any, len(p), len(p)+1)
	copy(out, p)
	return append(out, seg)
}

// writeRepr writes the representation of obj; false when a key field is missing or null.
func writeRepr(buf *bytes.Buffer, sg *Supergraph, entity string, obj *object,
	fields []reprField,
) bool {
	buf.WriteString(`{"__typename":`)
	writeString(buf, entity)
	for _, r := range fields {
		v, ok := obj.get(r.key)
		if !ok || v == nil {
			return false
		}
		buf.WriteByte(',')
		writeString(buf, r.name)
		buf.WriteByte(':')
		if !writeFieldSet(buf, sg, v, r.set) {
			return false
		}
	}
	buf.WriteByte('}')
	return true
}

// writeFieldSet writes v restricted to a field set (all of v when the set is empty).
func writeFieldSet(buf *bytes.Buffer, sg *Supergraph, v any, set ast.SelectionSet) bool {
	if len(set) == 0 {
		writeJSON(buf, v)
		return true
	}
	switch v := v.(type) {
	case []any:
		buf.WriteByte('[')
		for i, item := range v {
			if i > 0 {
				buf.WriteByte(',')
			}
			if !writeFieldSet(buf, sg, item, set) {
				return false
			}
		}
		buf.WriteByte(']')
		return true
	case *object:
		buf.WriteByte('{')
		n := 0
		ok := writeSetFields(buf, sg, v, set, &n)
		buf.WriteByte('}')
		return ok
	case nil:
		buf.WriteString("null")
		return true
	}
	return false
}

// errTimeout marks a subgraph request that ran out of its time.
var errTimeout = errors.New("timed out")

// subgraphResponse is a decoded subgraph response.
type subgraphResponse struct {
	Data   any             `json:"data"`
	Errors []*GraphQLError `json:"errors"`
}

// call sends one subgraph request and decodes its response.
func (st *state) call(graph int, head string, vars map[string]any) (*subgraphResponse, error) {
	name := st.p.names[graph]
	timeout := st.e.opts.Timeout
	if t, ok := st.e.opts.SubgraphTimeouts[name]; ok {
		timeout = t
	}
	ctx, cancel := context.WithTimeout(st.ctx, timeout)
	defer cancel()

	body := requestBody(head, vars)
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, st.e.urls[graph], bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	st.e.headers(ctx, st.req, name, hreq.Header)
	start := time.Now()
	res, err := st.e.client.Do(hreq)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("%w after %s", errTimeout, timeout)
		}
		return nil, fmt.Errorf("request: %w", err)
	}
	defer res.Body.Close()

	data, err := readBody(res, st.e.opts.MaxResponseBytes)
	if err != nil {
		return nil, err
	}
	if st.e.log.Enabled(ctx, slog.LevelDebug) {
		st.e.log.Debug("subgraph call", "subgraph", name, "status", res.StatusCode, "duration", time.Since(start))
	}
	return decodeResponse(data, res.StatusCode)
}

// bodyBuffers holds buffers for reading subgraph response bodies of unknown length. Such a
// body is read into a buffer and copied out once as a string, which the decoded strings then
// share.
var bodyBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBody is the largest buffer kept for reuse; rare huge bodies are left to the GC.
const maxPooledBody = 1 << 20

// readBody reads a response body of at most limit bytes.
func readBody(res *http.Response, limit int64) (string, error) {
	switch n := res.ContentLength; {
	case n > limit:
		return "", fmt.Errorf("response larger than %d bytes", limit)
	case n > 0:
		return readSized(res.Body, n)
	}
	buf := bodyBuffers.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= maxPooledBody {
			buf.Reset()
			bodyBuffers.Put(buf)
		}
	}()
	if _, err := buf.ReadFrom(io.LimitReader(res.Body, limit+1)); err != nil {
		return "", fmt.Errorf("read response: %w", err)
	}
	if int64(buf.Len()) > limit {
		return "", fmt.Errorf("response larger than %d bytes", limit)
	}
	return buf.String(), nil
}

// readSized reads a body of known length n into memory of its own, which becomes the string
// without a copy: nothing writes to it after the read.
func readSized(body io.Reader, n int64) (string, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(body, b); err != nil {
		return "", fmt.Errorf("read response: %w", err)
	}
	return unsafe.String(&b[0], len(b)), nil
}

// requestHead is the start of the request body of query: the query member and the opening of
// the variables object. Plans keep it, so that each call only writes the variables.
func requestHead(query string) string {
	var buf bytes.Buffer
	buf.WriteString(`{"query":`)
	writeString(&buf, query)
	buf.WriteString(`,"variables":{`)
	return buf.String()
}

// requestBody encodes a GraphQL request without reflection, after its head (requestHead);
// vars holds coerced variable values and the representations as raw JSON.
func requestBody(head string, vars map[string]any) []byte {
	// Representations are most of the body; sizing for them avoids growing it.
	size := len(head) + 2
	for k, v := range vars {
		size += len(k) + 4
		if reprs, ok := v.(reprList); ok {
			for _, r := range reprs {
				size += len(r) + 1
			}
		}
	}
	buf := bytes.NewBuffer(make([]byte, 0, size+64))
	buf.WriteString(head)
	n := 0
	for k, v := range vars {
		if n > 0 {
			buf.WriteByte(',')
		}
		n++
		writeString(buf, k)
		buf.WriteByte(':')
		if reprs, ok := v.(reprList); ok {
			buf.WriteByte('[')
			for i, r := range reprs {
				if i > 0 {
					buf.WriteByte(',')
				}
				buf.WriteString(r)
			}
			buf.WriteByte(']')
			continue
		}
		writeJSON(buf, v)
	}
	buf.WriteString("}}")
	return buf.Bytes()
}

// decodeResponse parses a subgraph response body, keeping numbers as written.
func decodeResponse(data string, status int) (*subgraphResponse, error) {
	v, err := decodeJSON(data)
	m, ok := v.(*object)
	if err != nil || !ok {
		if status != http.StatusOK {
			return nil, fmt.Errorf("status %d", status)
		}
		if err == nil {
			err = errors.New("response is not an object")
		}
		return nil, fmt.Errorf("decode response: %w", err)
	}
	resp := &subgraphResponse{Data: m.value("data")}
	errs, _ := m.value("errors").([]any)
	for _, e := range errs {
		resp.Errors = append(resp.Errors, subgraphError(e))
	}
	if resp.Data == nil && len(resp.Errors) == 0 && status != http.StatusOK {
		return nil, fmt.Errorf("status %d", status)
	}
	return resp, nil
}

// subgraphError reads one entry of a subgraph's errors list, tolerating any shape.
func subgraphError(v any) *GraphQLError {
	m, _ := v.(*object)
	out := &GraphQLError{}
	out.Message, _ = m.value("message").(string)
	if out.Message == "" {
		out.Message = "subgraph error"
	}
	path, _ := m.value("path").([]any)
	for _, p := range path {
		if i, ok := pathIndex(p); ok {
			out.Path = append(out.Path, i)
		} else if s, ok := p.(string); ok {
			out.Path = append(out.Path, s)
		}
	}
	out.Extensions, _ = toPlain(m.value("extensions")).(map[string]any)
	return out
}

// headers sets the headers of a subgraph request.
func (e *Engine) headers(ctx context.Context, req *Request, name string, h http.Header) {
	h.Set("Content-Type", "application/json")
	h.Set("Accept", "application/graphql-response+json, application/json")
	for _, k := range e.forward {
		if vs := req.Header.Values(k); len(vs) > 0 {
			h[k] = append([]string(nil), vs...)
		}
	}
	if e.opts.SubgraphHeaders != nil {
		for k, vs := range e.opts.SubgraphHeaders(ctx, req, name) {
			h[http.CanonicalHeaderKey(k)] = vs
		}
	}
}

// subgraphErrorFor copies an error subgraph name reported, without its path, adding the
// subgraph's name and a code when it has none.
func subgraphErrorFor(se *GraphQLError, name string) *GraphQLError {
	if se == nil {
		se = &GraphQLError{Message: "subgraph error"}
	}
	out := &GraphQLError{Message: se.Message, Extensions: map[string]any{}}
	for k, v := range se.Extensions {
		out.Extensions[k] = v
	}
	if _, ok := out.Extensions["code"]; !ok {
		out.Extensions["code"] = CodeSubgraphError
	}
	out.Extensions["serviceName"] = name
	return out
}

// entityPath moves the path of an error in an _entities answer to the client's response.
// A path [keys[i], j, rest...] names representation j of part i: the error goes to the first
// object that sent it, followed by rest. An error that names no representation goes to
// fallbackPath of its part, or of all parts when it names none.
func entityPath(p []any, parts []*fetchNode, keys []string, objs [][]located) []any {
	if len(p) == 0 {
		return fallbackPath(parts, objs)
	}
	for i, k := range keys {
		if p[0] != k {
			continue
		}
		if len(p) > 1 {
			if j, ok := pathIndex(p[1]); ok {
				for _, l := range objs[i] {
					if l.repr == j && l.path != nil {
						return append(slices.Clone(l.path), p[2:]...)
					}
				}
			}
		}
		return fallbackPath(parts[i:i+1], objs[i:i+1])
	}
	return fallbackPath(parts, objs)
}

// fallbackPath is where an error of entity fetches that names no entity is reported: at the
// nearest response path shared by all their objects. When that is a single object's path and
// the fetches resolve one client field there, the error is at that field.
func fallbackPath(parts []*fetchNode, objs [][]located) []any {
	var common []any
	n, single := 0, true
	for i := range parts {
		for _, l := range objs[i] {
			if n == 0 {
				common = l.path
			} else {
				single = single && len(l.path) == len(common) && commonPrefix(common, l.path) == len(common)
				common = common[:commonPrefix(common, l.path)]
			}
			n++
		}
	}
	out := slices.Clone(common)
	if single && n > 0 {
		var fields []string
		for i, f := range parts {
			if len(objs[i]) > 0 {
				fields = append(fields, f.fields...)
			}
		}
		slices.Sort(fields)
		if fields = slices.Compact(fields); len(fields) == 1 {
			out = append(out, fields[0])
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// commonPrefix returns the length of the longest common prefix of two response paths.
func commonPrefix(a, b []any) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

func pathIndex(v any) (int, bool) {
	switch v := v.(type) {
	case int:
		return v, true
	case float64:
		return int(v), true
	case json.Number:
		n, err := v.Int64()
		return int(n), err == nil
	}
	return 0, false
}

// merge deep-merges src into dst. An existing __typename is kept unless it names an abstract
// type: entity results of an @interfaceObject answer with the interface name, and the real
// type's subgraph later answers with the object type.
func (sg *Supergraph) merge(dst, src *object) {
	grown := false
	for n, m := range src.members {
		k, v := m.key, m.val
		i := dst.find(k)
		if i < 0 {
			// Entity answers mostly bring members the object lacks: make room for the rest
			// of them at the first.
			if !grown {
				dst.members = slices.Grow(dst.members, len(src.members)-n)
				grown = true
			}
			dst.add(k, v)
			continue
		}
		old := &dst.members[i].val
		if k == "__typename" {
			if t, _ := (*old).(string); v != nil && sg.isAbstract(t) {
				*old = v
			}
			continue
		}
		if v == nil {
			continue
		}
		switch o := (*old).(type) {
		case *object:
			if so, ok := v.(*object); ok {
				sg.merge(o, so)
				continue
			}
		case []any:
			if l, ok := v.([]any); ok && len(l) == len(o) {
				sg.mergeList(o, l)
				continue
			}
		}
		*old = v
	}
}

func (sg *Supergraph) mergeList(dst, src []any) {
	for i := range dst {
		dm, ok1 := dst[i].(*object)
		sm, ok2 := src[i].(*object)
		switch {
		case ok1 && ok2:
			sg.merge(dm, sm)
		case dst[i] == nil:
			dst[i] = src[i]
		default:
			if dl, ok := dst[i].([]any); ok {
				if sl, ok := src[i].([]any); ok && len(sl) == len(dl) {
					sg.mergeList(dl, sl)
				}
			}
		}
	}
}

// typeIn reports whether t is one of the comma-separated type names in list.
func typeIn(t, list string) bool {
	for list != "" {
		var name string
		name, list, _ = strings.Cut(list, ",")
		if name == t {
			return true
		}
	}
	return false
}

// isAbstract reports whether name is an interface or union of the supergraph.
func (sg *Supergraph) isAbstract(name string) bool {
	def := sg.full.Types[name]
	return def != nil && def.IsAbstractType()
}
