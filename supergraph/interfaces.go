package supergraph

import (
	"github.com/vektah/gqlparser/v2/ast"
)

// addInterfaceObjectFields gives every implementation of an interface the fields that an
// @interfaceObject adds to it; the router resolves them through the interface's keys.
func (s *schema) addInterfaceObjectFields() Errors {
	var errs Errors
	for _, name := range s.typeNames() {
		t := s.types[name]
		if !hasInterfaceObject(t) {
			continue
		}
		if !t.definedAsInterface() {
			d := t.defs[0]
			errs = append(errs, d.g.errorf(CodeInterfaceObjectUsage, d.def.Position,
				"type %q is declared with @interfaceObject in all the subgraphs in which it is defined", t.name))
			continue
		}
		for _, impl := range s.implementations(t.name) {
			for _, f := range t.fields {
				if impl.field(f.name) == nil && f.fromObjectOnly() {
					impl.fields = append(impl.fields, &mField{
						name: f.name, description: f.description,
						typ: f.typ, args: f.args, marks: f.marks, fromInterfaceObject: true,
					})
				}
			}
		}
	}
	return errs
}

// hasInterfaceObject tells whether some subgraph declares t with @interfaceObject.
func hasInterfaceObject(t *mType) bool {
	for _, j := range t.joins {
		if j.interfaceObject {
			return true
		}
	}
	return false
}

// definedAsInterface tells whether some subgraph declares t as an interface.
func (t *mType) definedAsInterface() bool {
	for _, d := range t.defs {
		if d.def.Kind == ast.Interface {
			return true
		}
	}
	return false
}

// fromObjectOnly tells whether only @interfaceObject definitions (objects) provide f.
func (f *mField) fromObjectOnly() bool {
	for _, src := range f.sources {
		if src.g.dir(src.parent.Directives, "interfaceObject") == nil {
			return false
		}
	}
	return true
}

// implementations returns the merged object types that implement interface name.
func (s *schema) implementations(name string) []*mType {
	var out []*mType
	for _, n := range s.typeNames() {
		t := s.types[n]
		if t.kind == ast.Object && contains(t.interfaces, name) {
			out = append(out, t)
		}
	}
	return out
}

// checkInterfaceFields requires each object to have every field of the interfaces it
// implements in the supergraph, which fails when subgraphs add interface fields that the
// implementation's subgraphs do not know.
func (s *schema) checkInterfaceFields() Errors {
	var errs Errors
	for _, name := range s.typeNames() {
		t := s.types[name]
		if t.kind != ast.Object {
			continue
		}
		for _, iname := range t.interfaces {
			i := s.types[iname]
			if i == nil {
				continue
			}
			for _, f := range i.fields {
				if t.field(f.name) == nil {
					d := t.defs[0]
					errs = append(errs, d.g.errorf(CodeInterfaceFieldNoImplem, d.def.Position,
						"interface field %q is declared in subgraph %q but type %q, which implements %q in subgraph %q, "+
							"does not have field %q", iname+"."+f.name, f.sources[0].g.name, t.name, iname, d.g.name, f.name))
				}
			}
		}
	}
	return errs
}
