package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
)

// document is a parsed and validated operation text, cached by its text.
type document struct {
	doc  *ast.QueryDocument
	errs []*GraphQLError
	// condVars names the variables used by @skip and @include; their values change the plan.
	condVars []string
	// guards are the selected fields whose definition carries a middleware directive.
	guards []guard
}

// guard is one selected field that middleware may reject.
type guard struct {
	field     *ast.Field
	parent    string
	directive *ast.Directive
	mw        *FieldMiddleware
}

// operation is a request ready to plan and execute.
type operation struct {
	doc      *document
	op       *ast.OperationDefinition
	vars     map[string]any
	labels   map[string]bool
	rejected map[*ast.Field]error
	key      string
}

func (e *Engine) prepare(ctx context.Context, req *Request) (*operation, []*GraphQLError) {
	// 1. Parse and validate, cached by text.
	d := e.document(req.Query)
	if d.errs != nil {
		return nil, d.errs
	}

	// 2. Select the operation.
	op, gerr := selectOperation(d.doc, req.OperationName)
	if gerr != nil {
		return nil, []*GraphQLError{gerr}
	}

	// 3. Coerce variables against the operation's definitions: built-in scalars first, with
	// the spec's rules, then the rest with gqlparser's.
	for _, vd := range op.VariableDefinitions {
		path := ast.Path{ast.PathName("variable"), ast.PathName(vd.Variable)}
		if err := checkScalars(e.sg.api, vd.Type, req.Variables[vd.Variable], path); err != nil {
			return nil, []*GraphQLError{convertError(err, CodeBadUserInput)}
		}
	}
	vars, err := validator.VariableValues(e.sg.api, op, req.Variables)
	if err != nil {
		return nil, []*GraphQLError{convertError(err, CodeBadUserInput)}
	}
	// Ints out of range were refused above (variables) and in validation (literals and
	// defaults, intLiteralRange).
	for _, vd := range op.VariableDefinitions {
		if v, ok := vars[vd.Variable]; ok {
			vars[vd.Variable] = coerceIDs(e.sg.api, vd.Type, v)
		}
	}

	// 4. Decide override labels and middleware rejections; both change the plan.
	o := &operation{doc: d, op: op, vars: vars, labels: map[string]bool{}}
	if len(e.sg.labels()) > 0 {
		o.labels = e.enabledLabels(e.draw(req))
	}
	o.rejected = e.authorize(ctx, req, d, vars)
	o.key = o.planKey(req)
	return o, nil
}

func (e *Engine) document(query string) *document {
	if v, ok := e.cache.get("d\x00" + query); ok {
		return v.(*document)
	}
	d := e.parse(query)
	e.cache.put("d\x00"+query, d)
	return d
}

func (e *Engine) parse(query string) *document {
	doc, err := parser.ParseQuery(&ast.Source{Name: "operation", Input: query})
	if err != nil {
		return &document{errs: []*GraphQLError{convertError(err, CodeParseFailed)}}
	}
	if errs := validator.ValidateWithRules(e.sg.api, doc, validationRules); len(errs) > 0 {
		d := &document{}
		for _, ge := range errs {
			d.errs = append(d.errs, convertError(ge, CodeValidationFailed))
		}
		return d
	}
	d := &document{doc: doc}
	d.condVars = conditionVariables(doc)
	d.guards = e.findGuards(doc)
	return d
}

func selectOperation(doc *ast.QueryDocument, name string) (*ast.OperationDefinition, *GraphQLError) {
	if name == "" {
		if len(doc.Operations) != 1 {
			return nil, newError(CodeOperationUnknown, "operation name is required when the document has several operations")
		}
		return doc.Operations[0], nil
	}
	op := doc.Operations.ForName(name)
	if op == nil {
		return nil, newError(CodeOperationUnknown, "unknown operation named %q", name)
	}
	return op, nil
}

func convertError(err error, code string) *GraphQLError {
	var ge *gqlerror.Error
	if !errors.As(err, &ge) {
		return newError(code, "%v", err)
	}
	out := &GraphQLError{Message: ge.Message, Extensions: map[string]any{"code": code}}
	for _, l := range ge.Locations {
		out.Locations = append(out.Locations, Location{Line: l.Line, Column: l.Column})
	}
	for _, p := range ge.Path {
		switch p := p.(type) {
		case ast.PathName:
			out.Path = append(out.Path, string(p))
		case ast.PathIndex:
			out.Path = append(out.Path, int(p))
		}
	}
	if code == CodeBadUserInput {
		// Variable errors carry their variable path in the message, not in a response path.
		if len(out.Path) > 0 {
			out.Message = pathString(out.Path) + ": " + out.Message
		}
		out.Path = nil
	}
	return out
}

func pathString(p []any) string {
	var b strings.Builder
	for i, s := range p {
		if i > 0 {
			b.WriteByte('.')
		}
		switch s := s.(type) {
		case string:
			b.WriteString(s)
		case int:
			b.WriteString(strconv.Itoa(s))
		}
	}
	return b.String()
}

// conditionVariables lists variables used in @skip(if:) and @include(if:).
func conditionVariables(doc *ast.QueryDocument) []string {
	seen := map[string]bool{}
	var visit func(ast.SelectionSet)
	check := func(dirs ast.DirectiveList) {
		for _, d := range dirs {
			if d.Name != "skip" && d.Name != "include" {
				continue
			}
			if a := d.Arguments.ForName("if"); a != nil && a.Value.Kind == ast.Variable {
				seen[a.Value.Raw] = true
			}
		}
	}
	visit = func(set ast.SelectionSet) {
		for _, s := range set {
			switch s := s.(type) {
			case *ast.Field:
				check(s.Directives)
				visit(s.SelectionSet)
			case *ast.InlineFragment:
				check(s.Directives)
				visit(s.SelectionSet)
			case *ast.FragmentSpread:
				check(s.Directives)
			}
		}
	}
	for _, op := range doc.Operations {
		visit(op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		visit(f.SelectionSet)
	}
	out := make([]string, 0, len(seen))
	for v := range seen {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// planKey identifies everything that changes the plan of this request.
func (o *operation) planKey(req *Request) string {
	var b strings.Builder
	b.WriteString("p\x00")
	b.WriteString(req.Query)
	b.WriteByte(0)
	b.WriteString(o.op.Name)
	b.WriteByte(0)
	for _, v := range o.doc.condVars {
		if o.vars[v] == true {
			b.WriteByte('1')
		} else {
			b.WriteByte('0')
		}
	}
	b.WriteByte(0)
	labels := make([]string, 0, len(o.labels))
	for l := range o.labels {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	b.WriteString(strings.Join(labels, ","))
	b.WriteByte(0)
	for i, g := range o.doc.guards {
		if o.rejected[g.field] != nil {
			b.WriteString(strconv.Itoa(i))
			b.WriteByte(',')
		}
	}
	return b.String()
}

// included evaluates @skip and @include with the request's variables.
func included(dirs ast.DirectiveList, vars map[string]any) bool {
	for _, d := range dirs {
		if d.Name != "skip" && d.Name != "include" {
			continue
		}
		a := d.Arguments.ForName("if")
		if a == nil {
			continue
		}
		v, _ := a.Value.Value(vars)
		on := v == true
		if d.Name == "skip" && on || d.Name == "include" && !on {
			return false
		}
	}
	return true
}

// cfield is one response key at one position after fields were collected and merged.
type cfield struct {
	key string
	// label is key as a JSON object member name with its colon, written before the value.
	label string
	name  string
	args  ast.ArgumentList
	// fields are the client's merged fields; nil for fields the planner added.
	fields []*ast.Field
	// sets are the sub-selections to merge below this field.
	sets []ast.SelectionSet
	// extra marks fields the planner added (keys, requirements) under a private key.
	extra bool
	// below caches the fields collected from sets per runtime type, for response building;
	// see (*completer).collect.
	below atomic.Pointer[[]typedFields]
	// fd and named are the field's definition in its parent type and the definition of its
	// named type, set for response building before the field is shared; nil for meta-fields
	// and in planning.
	fd    *ast.FieldDefinition
	named *ast.Definition
}

// typedFields is the collection of a field's sub-selections for one runtime type.
type typedFields struct {
	typeName string
	fields   []*cfield
}

// memberLabel returns key encoded as a JSON string followed by a colon.
func memberLabel(key string) string {
	var b bytes.Buffer
	writeString(&b, key)
	b.WriteByte(':')
	return b.String()
}

// collector gathers fields for a concrete type per the spec's CollectFields.
type collector struct {
	sg   *Supergraph
	doc  *ast.QueryDocument
	vars map[string]any
	skip map[*ast.Field]error
}

func (c *collector) collect(typeName string, sets []ast.SelectionSet) []*cfield {
	var out []*cfield
	index := map[string]*cfield{}
	seen := map[string]bool{}
	var visit func(ast.SelectionSet)
	visit = func(set ast.SelectionSet) {
		for _, s := range set {
			switch s := s.(type) {
			case *ast.Field:
				if !included(s.Directives, c.vars) || c.skip[s] != nil {
					continue
				}
				k := s.Alias
				if k == "" {
					k = s.Name
				}
				cf := index[k]
				if cf == nil {
					cf = &cfield{key: k, label: memberLabel(k), name: s.Name, args: s.Arguments}
					index[k] = cf
					out = append(out, cf)
				}
				cf.fields = append(cf.fields, s)
				if len(s.SelectionSet) > 0 {
					cf.sets = append(cf.sets, s.SelectionSet)
				}
			case *ast.InlineFragment:
				if included(s.Directives, c.vars) && c.sg.applies(s.TypeCondition, typeName) {
					visit(s.SelectionSet)
				}
			case *ast.FragmentSpread:
				if !included(s.Directives, c.vars) || seen[s.Name] || c.doc == nil {
					continue
				}
				fd := c.doc.Fragments.ForName(s.Name)
				if fd != nil && c.sg.applies(fd.TypeCondition, typeName) {
					seen[s.Name] = true
					visit(fd.SelectionSet)
				}
			}
		}
	}
	for _, set := range sets {
		visit(set)
	}
	return out
}

// applies reports whether a fragment with type condition cond applies to object type typeName.
func (s *Supergraph) applies(cond, typeName string) bool {
	if cond == "" || cond == typeName {
		return true
	}
	for _, d := range s.full.PossibleTypes[cond] {
		if d.Name == typeName {
			return true
		}
	}
	return false
}

// coerceIDs returns a copy of v, an input value of type t, with integers given for ID written as
// strings: input coercion of ID accepts an integer and yields its string form (GraphQL spec,
// "ID" scalar), so subgraphs receive the same value however the client wrote it.
func coerceIDs(schema *ast.Schema, t *ast.Type, v any) any {
	switch {
	case v == nil:
		return nil
	case t.Elem != nil:
		list, ok := v.([]any)
		if !ok {
			// A single value stands for a list of one (input coercion of lists).
			return coerceIDs(schema, t.Elem, v)
		}
		out := make([]any, len(list))
		for i, item := range list {
			out[i] = coerceIDs(schema, t.Elem, item)
		}
		return out
	case t.NamedType == "ID":
		return idString(v)
	}
	def := schema.Types[t.NamedType]
	m, ok := v.(map[string]any)
	if def == nil || def.Kind != ast.InputObject || !ok {
		return v
	}
	// A copy: the values may still belong to the caller's request.
	out := make(map[string]any, len(m))
	for k, fv := range m {
		if f := def.Fields.ForName(k); f != nil {
			fv = coerceIDs(schema, f.Type, fv)
		}
		out[k] = fv
	}
	return out
}

// idString writes an integral number as a string; other values are returned as they are.
func idString(v any) any {
	switch n := v.(type) {
	case json.Number:
		if _, err := strconv.ParseInt(string(n), 10, 64); err == nil {
			return string(n)
		}
	case float64:
		if n == math.Trunc(n) && math.Abs(n) < 1<<53 {
			return strconv.FormatInt(int64(n), 10)
		}
	case int:
		return strconv.Itoa(n)
	case int64:
		return strconv.FormatInt(n, 10)
	}
	return v
}
