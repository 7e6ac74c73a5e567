package engine

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/vektah/gqlparser/v2/ast"
)

// completer builds the client's response from the merged data, in the client's selection
// order, applying GraphQL value completion and null propagation.
type completer struct {
	st   *state
	c    *collector
	api  *ast.Schema
	buf  *bytes.Buffer
	errs []*GraphQLError
	// paths is the current block of response path elements and blocks all blocks taken;
	// see path.
	paths  []respPath
	blocks []*[]respPath
}

func (st *state) complete() *Response {
	c := &completer{
		st:  st,
		c:   &collector{sg: st.e.sg, doc: st.o.doc.doc, vars: st.o.vars},
		api: st.e.sg.api,
		buf: dataBuffers.Get().(*bytes.Buffer),
	}
	c.buf.Grow(int(st.p.dataSize.Load()))
	root := st.e.sg.api.Query
	switch st.o.op.Operation {
	case ast.Mutation:
		root = st.e.sg.api.Mutation
	case ast.Subscription:
		root = st.e.sg.api.Subscription
	}
	if !c.object(root.Name, st.p.rootField, st.data, nil) {
		c.buf.Reset()
		c.buf.WriteString("null")
	}
	c.releasePaths()
	st.p.dataSize.Store(int64(c.buf.Len()))
	resp := &Response{Data: json.RawMessage(c.buf.Bytes()), buf: c.buf}
	resp.Errors = slices.Concat(st.errs, c.errs)
	return resp
}

// collect returns the fields of a position, cached in the plan's fields: the plan key covers
// everything collection depends on (operation text, @skip/@include values). The cache is an
// immutable list replaced as a whole, so requests read it without locking; when two requests
// collect the same type at once, the first to store it wins and both use its fields.
func (c *completer) collect(typeName string, parent *cfield) []*cfield {
	old := parent.below.Load()
	if fs, ok := fieldsFor(old, typeName); ok {
		return fs
	}
	fs := c.c.collect(typeName, parent.sets)
	if def := c.api.Types[typeName]; def != nil {
		// typeName may be a __typename from a subgraph, a part of the response body; the
		// schema's copy keeps the cache from holding on to the body.
		typeName = def.Name
		for _, cf := range fs {
			if fd := def.Fields.ForName(cf.name); fd != nil {
				cf.fd, cf.named = fd, c.api.Types[fd.Type.Name()]
			}
		}
	}
	for {
		var next []typedFields
		if old != nil {
			next = append(next, *old...)
		}
		next = append(next, typedFields{typeName, fs})
		if parent.below.CompareAndSwap(old, &next) {
			return fs
		}
		old = parent.below.Load()
		if stored, ok := fieldsFor(old, typeName); ok {
			return stored
		}
	}
}

// fieldsFor finds the fields collected for typeName in a cache list.
func fieldsFor(list *[]typedFields, typeName string) ([]*cfield, bool) {
	if list == nil {
		return nil, false
	}
	for _, t := range *list {
		if t.typeName == typeName {
			return t.fields, true
		}
	}
	return nil, false
}

// object writes one object; false means a non-null field was null and the object is null.
func (c *completer) object(typeName string, parent *cfield, obj any, path *respPath) bool {
	c.buf.WriteByte('{')
	def := c.api.Types[typeName]
	for i, cf := range c.collect(typeName, parent) {
		if i > 0 {
			c.buf.WriteByte(',')
		}
		if cf.label != "" {
			c.buf.WriteString(cf.label)
		} else {
			writeString(c.buf, cf.key)
			c.buf.WriteByte(':')
		}
		fpath := c.path(path, cf.key, 0)
		if cf.name == "__typename" {
			writeString(c.buf, typeName)
			continue
		}
		typ, val := c.resolve(def, cf, obj, fpath)
		if typ == nil {
			c.buf.WriteString("null")
			continue
		}
		if !c.value(typ, val, cf, fpath) {
			return false
		}
	}
	c.buf.WriteByte('}')
	return true
}

// resolve returns the field's type and its value in obj, after middleware.
func (c *completer) resolve(def *ast.Definition, cf *cfield, obj any, path *respPath) (*ast.Type, any) {
	switch cf.name {
	case "__schema":
		return &ast.Type{NamedType: "__Schema", NonNull: true}, schemaRes{c.api}
	case "__type":
		name, _ := cf.fields[0].ArgumentMap(c.c.vars)["name"].(string)
		return &ast.Type{NamedType: "__Type"}, namedType(c.api, name)
	}
	fd := cf.fd
	if fd == nil {
		if fd = def.Fields.ForName(cf.name); fd == nil {
			return nil, nil
		}
	}
	for _, f := range cf.fields {
		if err := c.st.o.rejected[f]; err != nil {
			c.errs = append(c.errs, fieldError(err, path.slice()))
			return fd.Type, nil
		}
	}
	var val any
	switch o := obj.(type) {
	case *object:
		val = o.value(cf.key)
	case resolver:
		val = o.resolve(cf.name, cf.fields[0].ArgumentMap(c.c.vars))
	}
	return fd.Type, c.st.e.transform(c.st.ctx, c.st.req, def.Name, fd, val, path, &c.errs)
}

// value writes a field value; false means it was null for a non-null type.
func (c *completer) value(t *ast.Type, val any, cf *cfield, path *respPath) bool {
	if val == nil {
		if t.NonNull {
			c.nullError(path, cf)
			return false
		}
		c.buf.WriteString("null")
		return true
	}
	mark := c.buf.Len()
	if c.nonNull(t, val, cf, path) {
		return true
	}
	c.buf.Truncate(mark)
	if t.NonNull {
		return false
	}
	c.buf.WriteString("null")
	return true
}

func (c *completer) nonNull(t *ast.Type, val any, cf *cfield, path *respPath) bool {
	if t.Elem != nil {
		list, ok := val.([]any)
		if !ok {
			c.errorf(path, "expected a list for %s", cf.key)
			return false
		}
		c.buf.WriteByte('[')
		for i, item := range list {
			if i > 0 {
				c.buf.WriteByte(',')
			}
			if !c.value(t.Elem, item, cf, c.path(path, "", i)) {
				return false
			}
		}
		c.buf.WriteByte(']')
		return true
	}
	def := cf.named
	if def == nil {
		def = c.api.Types[t.NamedType]
	}
	switch def.Kind {
	case ast.Scalar:
		return c.scalar(def, val, path)
	case ast.Enum:
		s, ok := val.(string)
		if !ok || def.EnumValues.ForName(s) == nil {
			c.errorf(path, "invalid value %v for enum %s", short(val), def.Name)
			return false
		}
		writeString(c.buf, s)
		return true
	case ast.Object:
		return c.composite(def.Name, val, cf, path)
	}
	rt := runtimeType(val)
	if rt == def.Name && len(c.api.PossibleTypes[def.Name]) == 0 {
		// An interface without implementations, answered by an @interfaceObject subgraph.
		return c.composite(def.Name, val, cf, path)
	}
	if rt == "" || !c.st.e.sg.applies(def.Name, rt) || c.api.Types[rt] == nil || c.api.Types[rt].Kind != ast.Object {
		c.errorf(path, "cannot resolve the runtime type of %s (got %q)", def.Name, rt)
		return false
	}
	return c.composite(rt, val, cf, path)
}

func (c *completer) composite(typeName string, val any, cf *cfield, path *respPath) bool {
	switch val.(type) {
	case *object, resolver:
		return c.object(typeName, cf, val, path)
	}
	c.errorf(path, "expected an object of type %s", typeName)
	return false
}

// scalar passes scalar values through; built-in scalars must have the right JSON kind and,
// for Int, a 32-bit integral value. IDs given as numbers are written as strings.
func (c *completer) scalar(def *ast.Definition, val any, path *respPath) bool {
	if !validScalar(def.Name, val) {
		c.errorf(path, "invalid value %v for %s", short(val), def.Name)
		return false
	}
	if n, isNum := val.(json.Number); isNum && def.Name == "ID" {
		writeString(c.buf, string(n))
		return true
	}
	writeJSON(c.buf, val)
	return true
}

// validScalar checks a decoded value against a built-in scalar; custom scalars take any value.
func validScalar(name string, val any) bool {
	n, isNum := val.(json.Number)
	switch name {
	case "String":
		_, ok := val.(string)
		return ok
	case "ID":
		if isNum {
			_, err := strconv.ParseInt(string(n), 10, 64)
			return err == nil
		}
		_, ok := val.(string)
		return ok
	case "Int":
		if !isNum {
			_, ok := val.(int)
			return ok
		}
		_, err := strconv.ParseInt(string(n), 10, 32)
		return err == nil
	case "Float":
		if !isNum {
			_, ok := val.(float64)
			return ok
		}
		f, err := strconv.ParseFloat(string(n), 64)
		return err == nil && !math.IsInf(f, 0)
	case "Boolean":
		_, ok := val.(bool)
		return ok
	}
	return true
}

func runtimeType(val any) string {
	switch v := val.(type) {
	case *object:
		s, _ := v.value("__typename").(string)
		return s
	case resolver:
		s, _ := v.resolve("__typename", nil).(string)
		return s
	}
	return ""
}

// nullError reports a null non-null field unless an error already covers its path.
func (c *completer) nullError(path *respPath, cf *cfield) {
	if c.covered(path) {
		return
	}
	c.errorf(path, "cannot return null for non-nullable field %s", cf.key)
}

func (c *completer) covered(rp *respPath) bool {
	path := rp.slice()
	for _, list := range [][]*GraphQLError{c.st.errs, c.errs} {
		for _, e := range list {
			if e.Path == nil || isPrefix(e.Path, path) || isPrefix(path, e.Path) {
				return true
			}
		}
	}
	return false
}

func isPrefix(p, of []any) bool {
	if len(p) > len(of) {
		return false
	}
	for i := range p {
		if fmt.Sprint(p[i]) != fmt.Sprint(of[i]) {
			return false
		}
	}
	return true
}

func (c *completer) errorf(path *respPath, format string, args ...any) {
	e := newError(CodeSubgraphError, format, args...)
	e.Path = path.slice()
	c.errs = append(c.errs, e)
}

func short(v any) string {
	s := fmt.Sprint(v)
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

// escapes marks the bytes that cannot appear as they are inside a JSON string.
var escapes = func() (t [256]bool) {
	for b := range 0x20 {
		t[b] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

// writeString writes s as a JSON string. Runs of bytes that need no escape are written at
// once; valid UTF-8 passes through unchanged.
func writeString(buf *bytes.Buffer, s string) {
	if !utf8.ValidString(s) {
		writeInvalidString(buf, s)
		return
	}
	buf.WriteByte('"')
	start := 0
	for i := 0; i < len(s); i++ {
		if i = plainRun(s, i, 0); i == len(s) {
			break
		}
		if escapes[s[i]] {
			buf.WriteString(s[start:i])
			writeEscape(buf, s[i])
			start = i + 1
		}
	}
	buf.WriteString(s[start:])
	buf.WriteByte('"')
}

// writeEscape writes the escape sequence of an ASCII byte.
func writeEscape(buf *bytes.Buffer, b byte) {
	const hex = "0123456789abcdef"
	switch b {
	case '"', '\\':
		buf.WriteByte('\\')
		buf.WriteByte(b)
	case '\n':
		buf.WriteString(`\n`)
	case '\r':
		buf.WriteString(`\r`)
	case '\t':
		buf.WriteString(`\t`)
	default:
		buf.WriteString(`\u00`)
		buf.WriteByte(hex[b>>4])
		buf.WriteByte(hex[b&0xf])
	}
}

// writeInvalidString writes s, which is not valid UTF-8, as a JSON string with each invalid
// byte replaced by U+FFFD, as encoding/json does.
func writeInvalidString(buf *bytes.Buffer, s string) {
	buf.WriteByte('"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if escapes[b] {
				buf.WriteString(s[start:i])
				writeEscape(buf, b)
				start = i + 1
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			buf.WriteString(s[start:i])
			buf.WriteString(`\ufffd`)
			start = i + size
		}
		i += size
	}
	buf.WriteString(s[start:])
	buf.WriteByte('"')
}

// writeJSON writes a decoded JSON value; object keys are sorted so equal values encode equally.
func writeJSON(buf *bytes.Buffer, v any) {
	switch v := v.(type) {
	case nil:
		buf.WriteString("null")
	case string:
		writeString(buf, v)
	case json.Number:
		buf.WriteString(string(v))
	case bool:
		buf.WriteString(strconv.FormatBool(v))
	case int:
		buf.WriteString(strconv.Itoa(v))
	case int64:
		buf.WriteString(strconv.FormatInt(v, 10))
	case float64:
		if math.IsInf(v, 0) || math.IsNaN(v) {
			buf.WriteString("null")
			return
		}
		buf.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
	case []any:
		buf.WriteByte('[')
		for i, item := range v {
			if i > 0 {
				buf.WriteByte(',')
			}
			writeJSON(buf, item)
		}
		buf.WriteByte(']')
	case *object:
		members := slices.SortedFunc(slices.Values(v.members), func(a, b member) int {
			return strings.Compare(a.key, b.key)
		})
		buf.WriteByte('{')
		for i, m := range members {
			if i > 0 {
				buf.WriteByte(',')
			}
			writeString(buf, m.key)
			buf.WriteByte(':')
			writeJSON(buf, m.val)
		}
		buf.WriteByte('}')
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		buf.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				buf.WriteByte(',')
			}
			writeString(buf, k)
			buf.WriteByte(':')
			writeJSON(buf, v[k])
		}
		buf.WriteByte('}')
	case json.RawMessage:
		buf.Write(v)
	default:
		b, err := json.Marshal(v)
		if err != nil {
			buf.WriteString("null")
			return
		}
		buf.Write(b)
	}
}

// writeSetFields writes the fields of a field set found in m; false when one is missing.
func writeSetFields(buf *bytes.Buffer, sg *Supergraph, m *object, set ast.SelectionSet, n *int) bool {
	for _, s := range set {
		switch s := s.(type) {
		case *ast.Field:
			v, ok := m.get(s.Name)
			if !ok {
				return false
			}
			if *n > 0 {
				buf.WriteByte(',')
			}
			*n++
			writeString(buf, s.Name)
			buf.WriteByte(':')
			if !writeFieldSet(buf, sg, v, s.SelectionSet) {
				return false
			}
		case *ast.InlineFragment:
			// Objects of a concrete type carry no __typename: the planner asks for it only
			// where the type is abstract.
			if t, ok := m.value("__typename").(string); !ok || sg.applies(s.TypeCondition, t) {
				if !writeSetFields(buf, sg, m, s.SelectionSet, n) {
					return false
				}
			}
		}
	}
	return true
}

// pathBlock is how many response path elements are allocated at once.
const pathBlock = 256

// pathBlocks holds blocks of response path elements for reuse.
var pathBlocks = sync.Pool{New: func() any {
	b := make([]respPath, 0, pathBlock)
	return &b
}}

// path returns a new response path element below parent. Every value written needs one, so
// they come in blocks; a full block is left as it is, since earlier elements point into it,
// and another is taken.
func (c *completer) path(parent *respPath, key string, index int) *respPath {
	if len(c.paths) == cap(c.paths) {
		b := pathBlocks.Get().(*[]respPath)
		c.blocks = append(c.blocks, b)
		c.paths = (*b)[:0]
	}
	c.paths = append(c.paths, respPath{parent: parent, key: key, index: index})
	return &c.paths[len(c.paths)-1]
}

// releasePaths returns the path blocks for reuse once the response is written: nothing keeps
// a respPath, errors and middleware get copies (slice).
func (c *completer) releasePaths() {
	for _, b := range c.blocks {
		clear((*b)[:cap(*b)])
		*b = (*b)[:0]
		pathBlocks.Put(b)
	}
	c.blocks, c.paths = nil, nil
}

// respPath is a response path built in blocks (see path) while the response is written; it
// becomes a slice only when an error needs it.
type respPath struct {
	parent *respPath
	key    string // empty for a list index
	index  int
}

func (p *respPath) slice() []any {
	n := 0
	for q := p; q != nil; q = q.parent {
		n++
	}
	if n == 0 {
		return nil
	}
	out := make([]any, n)
	for q := p; q != nil; q = q.parent {
		n--
		if q.key != "" {
			out[n] = q.key
		} else {
			out[n] = q.index
		}
	}
	return out
}
