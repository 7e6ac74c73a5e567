package engine

import (
	"context"
	"errors"

	"github.com/vektah/gqlparser/v2/ast"
)

// FieldMiddleware attaches behaviour to API schema fields that carry a directive, without
// changing the planner. Authorization directives and module hooks are built on it.
//
// Authorize runs once per request for every selected field whose definition carries
// Directive, after validation and before planning. A non-nil error removes the field from the
// plan (no subgraph is asked for it); the field answers null with that error, and null
// propagates as usual. Which fields were rejected is part of the plan cache key.
//
// Transform runs after fetching, for every value of such a field while the response is
// built; it may replace the value. A non-nil error nulls the value and reports the error.
//
// Errors of type *GraphQLError keep their extensions.code; other errors get FORBIDDEN from
// Authorize and INTERNAL from Transform.
//
// EXPERIMENTAL: the hook set may grow (argument rewriting at plan time).
// TODO(#4): directives on object types (for example an authorization directive on a whole
// type) are not seen yet; only directives on field definitions are.
type FieldMiddleware struct {
	// Directive is the directive name without "@".
	Directive string
	// Authorize may reject a selected field; nil accepts every field.
	Authorize func(ctx context.Context, fc *FieldContext) error
	// Transform may replace a field's value; nil keeps values. Values come and go in the
	// shapes encoding/json decodes into: map[string]any, []any, string, json.Number, bool and
	// nil.
	Transform func(ctx context.Context, fc *FieldContext, value any) (any, error)
}

// FieldContext describes one field a middleware is asked about.
type FieldContext struct {
	// TypeName and FieldName name the field's coordinate in the API schema.
	TypeName  string
	FieldName string
	// Directive is the directive application on the field definition.
	Directive *ast.Directive
	// Args are the directive's arguments as Go values.
	Args map[string]any
	// Request is the client's request (headers included).
	Request *Request
	// Path is the field's response path; nil in Authorize, which runs before execution.
	Path []any
}

// findGuards lists the selected fields whose definition carries a middleware directive.
func (e *Engine) findGuards(doc *ast.QueryDocument) []guard {
	if len(e.mw) == 0 {
		return nil
	}
	var out []guard
	var visit func(ast.SelectionSet)
	visit = func(set ast.SelectionSet) {
		for _, s := range set {
			switch s := s.(type) {
			case *ast.Field:
				if s.Definition != nil && s.ObjectDefinition != nil {
					for _, d := range s.Definition.Directives {
						if mw := e.mw[d.Name]; mw != nil && mw.Authorize != nil {
							out = append(out, guard{field: s, parent: s.ObjectDefinition.Name, directive: d, mw: mw})
						}
					}
				}
				visit(s.SelectionSet)
			case *ast.InlineFragment:
				visit(s.SelectionSet)
			}
		}
	}
	for _, op := range doc.Operations {
		visit(op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		visit(f.SelectionSet)
	}
	return out
}

// authorize asks middleware about each guarded field of the request.
func (e *Engine) authorize(ctx context.Context, req *Request, d *document, vars map[string]any) map[*ast.Field]error {
	var out map[*ast.Field]error
	for _, g := range d.guards {
		fc := &FieldContext{
			TypeName: g.parent, FieldName: g.field.Name, Directive: g.directive,
			Args: g.directive.ArgumentMap(vars), Request: req,
		}
		if err := g.mw.Authorize(ctx, fc); err != nil {
			if out == nil {
				out = map[*ast.Field]error{}
			}
			out[g.field] = err
		}
	}
	return out
}

// transform runs Transform hooks on a field value.
func (e *Engine) transform(ctx context.Context, req *Request, typeName string, fd *ast.FieldDefinition,
	val any, rp *respPath, errs *[]*GraphQLError,
) any {
	if len(e.mw) == 0 {
		return val
	}
	for _, d := range fd.Directives {
		mw := e.mw[d.Name]
		if mw == nil || mw.Transform == nil {
			continue
		}
		path := rp.slice()
		fc := &FieldContext{
			TypeName: typeName, FieldName: fd.Name, Directive: d,
			Args: d.ArgumentMap(nil), Request: req, Path: path,
		}
		v, err := mw.Transform(ctx, fc, toPlain(val))
		if err != nil {
			ge := fieldErrorCode(err, path, CodeInternal)
			*errs = append(*errs, ge)
			return nil
		}
		val = fromPlain(v)
	}
	return val
}

func fieldError(err error, path []any) *GraphQLError { return fieldErrorCode(err, path, CodeForbidden) }

func fieldErrorCode(err error, path []any, code string) *GraphQLError {
	var ge *GraphQLError
	if errors.As(err, &ge) {
		out := *ge
		out.Path = path
		if out.Extensions == nil {
			out.Extensions = map[string]any{"code": code}
		}
		return &out
	}
	out := newError(code, "%v", err)
	out.Path = path
	return out
}
