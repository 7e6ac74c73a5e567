package supergraph

import (
	"github.com/vektah/gqlparser/v2/ast"
)

// checkAPI validates the API left after @inaccessible elements are hidden: it must still
// be a valid schema, and hidden elements must not be needed by clients.
func (s *schema) checkAPI() Errors {
	var errs Errors
	if q := s.types["Query"]; q != nil && q.marks.inaccessible {
		d := q.defs[0]
		errs = append(errs, d.g.errorf(CodeQueryRootTypeInaccessible, d.def.Position,
			"type \"Query\" is @inaccessible but is the query root type, which must be in the API"))
	}
	for _, name := range s.typeNames() {
		t := s.types[name]
		if t.marks.inaccessible {
			continue
		}
		errs = append(errs, s.checkChildren(t)...)
		for _, f := range t.fields {
			errs = append(errs, s.checkFieldAPI(t, f)...)
		}
	}
	return errs
}

// checkChildren requires an accessible type to keep at least one accessible field, value
// or member.
func (s *schema) checkChildren(t *mType) Errors {
	total, hidden := 0, 0
	for _, f := range t.fields {
		total++
		if f.marks.inaccessible {
			hidden++
		}
	}
	for _, v := range t.values {
		total++
		if v.marks.inaccessible {
			hidden++
		}
	}
	for _, m := range t.unionTypes {
		total++
		if mt := s.types[m]; mt != nil && mt.marks.inaccessible {
			hidden++
		}
	}
	if total == 0 || hidden < total {
		return nil
	}
	d := t.defs[0]
	return Errors{d.g.errorf(CodeOnlyInaccessibleChildren, d.def.Position,
		"type %q is in the API schema but all of its members are @inaccessible", t.name)}
}

// checkFieldAPI checks one field of an accessible type: an accessible field must not use a
// hidden type, a hidden argument or input field must not be required, and a field an
// accessible interface declares must stay accessible on its implementations.
func (s *schema) checkFieldAPI(t *mType, f *mField) Errors {
	at := t.name + "." + f.name
	d := fieldDef(t, f)
	var errs Errors
	switch {
	case f.marks.inaccessible && t.kind == ast.InputObject && required(f.typ, f.def):
		errs = append(errs, d.g.errorf(CodeRequiredInaccessible, d.pos,
			"input field %q is @inaccessible but is required: clients could not provide it", at))
	case f.marks.inaccessible && s.declaredByAccessibleInterface(t, f.name):
		errs = append(errs, d.g.errorf(CodeImplementedByInaccessible, d.pos,
			"field %q is @inaccessible but implements an interface field that is in the API", at))
	case !f.marks.inaccessible && s.hidden(f.typ):
		errs = append(errs, d.g.errorf(CodeReferencedInaccessible, d.pos,
			"type %q is @inaccessible but is referenced by %q, which is in the API", f.typ.Name(), at))
	}
	if f.marks.inaccessible {
		return errs
	}
	for _, a := range f.args {
		argAt := at + "(" + a.name + ":)"
		switch {
		case a.marks.inaccessible && required(a.typ, a.def):
			errs = append(errs, d.g.errorf(CodeRequiredInaccessible, d.pos,
				"argument %q is @inaccessible but is required: clients could not provide it", argAt))
		case !a.marks.inaccessible && s.hidden(a.typ):
			errs = append(errs, d.g.errorf(CodeReferencedInaccessible, d.pos,
				"type %q is @inaccessible but is referenced by %q, which is in the API", a.typ.Name(), argAt))
		}
	}
	return errs
}

// place is a subgraph and a position to report a merged element at.
type place struct {
	g   *subgraph
	pos *ast.Position
}

// fieldDef returns where the first subgraph defining f declares it.
func fieldDef(t *mType, f *mField) place {
	if len(f.sources) > 0 {
		return place{f.sources[0].g, f.sources[0].def.Position}
	}
	return place{t.defs[0].g, t.defs[0].def.Position}
}

// required tells whether an input position must be given.
func required(typ *ast.Type, def *ast.Value) bool {
	return typ.NonNull && def == nil
}

// hidden tells whether typ names an @inaccessible type.
func (s *schema) hidden(typ *ast.Type) bool {
	t := s.types[typ.Name()]
	return t != nil && t.marks.inaccessible
}

// declaredByAccessibleInterface tells whether an accessible interface of t has an
// accessible field called name.
func (s *schema) declaredByAccessibleInterface(t *mType, name string) bool {
	for _, i := range t.interfaces {
		it := s.types[i]
		if it == nil || it.marks.inaccessible {
			continue
		}
		if f := it.field(name); f != nil && !f.marks.inaccessible {
			return true
		}
	}
	return false
}
