package supergraph

import (
	"sort"

	"github.com/vektah/gqlparser/v2/ast"
)

// enumUse records where an enum is used, with one example position of each use for
// messages.
type enumUse struct {
	input, output string
}

// enumUsage finds, over all subgraphs, which enums appear in input positions (arguments,
// input fields) and which in output positions (field types).
func enumUsage(graphs []*subgraph) map[string]enumUse {
	use := map[string]enumUse{}
	for _, g := range graphs {
		for _, t := range g.userTypes() {
			for _, f := range t.Fields {
				at := t.Name + "." + f.Name
				if t.Kind == ast.InputObject {
					markUse(use, g, f.Type, at, true)
					continue
				}
				markUse(use, g, f.Type, at, false)
				for _, a := range f.Arguments {
					markUse(use, g, a.Type, at+"("+a.Name+":)", true)
				}
			}
		}
	}
	return use
}

// markUse records one use of typ when it is an enum.
func markUse(use map[string]enumUse, g *subgraph, typ *ast.Type, at string, input bool) {
	d := g.schema.Types[typ.Name()]
	if d == nil || d.Kind != ast.Enum || d.BuiltIn {
		return
	}
	u := use[d.Name]
	switch {
	case input && u.input == "":
		u.input = at
	case !input && u.output == "":
		u.output = at
	}
	use[d.Name] = u
}

// mergeEnum merges an enum by how it is used: outputs take the union of values (clients
// must expect any), inputs the intersection (every subgraph must accept what it is sent),
// and an enum used both ways must have the same values everywhere.
func mergeEnum(t *mType, use enumUse) Errors {
	var errs Errors
	descs := map[string][]string{}
	for _, d := range t.defs {
		for _, v := range d.def.EnumValues {
			mv := t.value(v.Name)
			if mv == nil {
				mv = &mValue{name: v.Name}
				t.values = append(t.values, mv)
			}
			mv.graphs = append(mv.graphs, d.g.enum)
			mv.marks.add(d.g.marksOf(v.Directives))
			descs[v.Name] = append(descs[v.Name], v.Description)
		}
	}
	for _, v := range t.values {
		v.description = pickDescription(descs[v.name])
	}
	all := len(t.defs)
	var kept []*mValue
	for _, v := range t.values {
		switch {
		case len(v.graphs) == all:
			kept = append(kept, v)
		case use.input != "" && use.output != "":
			errs = append(errs, enumMismatch(t, v, use))
		case use.input == "":
			kept = append(kept, v)
		}
	}
	if len(kept) == 0 && len(errs) == 0 {
		d := t.defs[0]
		errs = append(errs, d.g.errorf(CodeEmptyMergedEnumType, d.def.Position,
			"none of the values of enum type %q are defined consistently in all the subgraphs defining that type. "+
				"As only values common to all subgraphs are merged, this would result in an empty type", t.name))
	}
	t.values = kept
	return errs
}

// enumMismatch reports a value of an input-and-output enum that some subgraph lacks, at the
// last subgraph lacking it.
func enumMismatch(t *mType, v *mValue, use enumUse) *Error {
	var missing []string
	var last typeDef
	for _, d := range t.defs {
		if !contains(v.graphs, d.g.enum) {
			missing = append(missing, d.g.name)
			last = d
		}
	}
	return last.g.errorf(CodeEnumValueMismatch, last.def.Position,
		"enum type %q is used as both input type (for example, as type of %q) and output type (for example, as type of %q), "+
			"but value %q is not defined in all the subgraphs defining %q: it is not defined in subgraph%s %s",
		t.name, use.input, use.output, v.name, t.name, plural(missing), graphList(missing))
}

// value returns the merged enum value called name, or nil.
func (t *mType) value(name string) *mValue {
	for _, v := range t.values {
		if v.name == name {
			return v
		}
	}
	return nil
}

// mergeInput merges an input object: only fields every subgraph defines are kept, and a
// required field missing somewhere is an error, since that subgraph could not accept it.
func mergeInput(t *mType) Errors {
	var names []string
	for _, d := range t.defs {
		for _, f := range d.def.Fields {
			if !contains(names, f.Name) {
				names = append(names, f.Name)
			}
		}
	}
	var errs Errors
	for _, name := range names {
		f, ferrs := mergeInputField(t, name)
		errs = append(errs, ferrs...)
		if f != nil {
			t.fields = append(t.fields, f)
		}
	}
	if len(t.fields) == 0 && len(errs) == 0 {
		d := t.defs[0]
		errs = append(errs, d.g.errorf(CodeEmptyMergedInputType, d.def.Position,
			"none of the fields of input object type %q are consistently defined in all the subgraphs defining that type. "+
				"As only fields common to all subgraphs are merged, this would result in an empty type", t.name))
	}
	return errs
}

// mergeInputField merges input field name of t; it returns nil when the field is dropped.
func mergeInputField(t *mType, name string) (*mField, Errors) {
	var defs []inputDef
	var missing []string
	var sources []*fieldSource
	for _, d := range t.defs {
		def := d.def.Fields.ForName(name)
		if def == nil {
			missing = append(missing, d.g.name)
			continue
		}
		defs = append(defs, inputDef{g: d.g, typ: def.Type, def: def.DefaultValue, description: def.Description,
			directives: def.Directives, pos: def.Position})
		sources = append(sources, &fieldSource{g: d.g, parent: d.def, def: def})
	}
	v, errs := mergeInputValue(inputFieldKind, t.name+"."+name, defs, missing)
	if v == nil {
		return nil, errs
	}
	return &mField{name: name, description: v.description, typ: v.typ, def: v.def, marks: v.marks,
		sources: sources}, errs
}

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
					impl.fields = append(impl.fields, &mField{name: f.name, description: f.description,
						typ: f.typ, args: f.args, marks: f.marks, fromInterfaceObject: true})
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

// mergeComposedDirectives keeps the definitions of directives named by @composeDirective
// and the @link of their specification.
func (s *schema) mergeComposedDirectives() Errors {
	for _, g := range s.graphs {
		names := make([]string, 0, len(g.composed))
		for name := range g.composed {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			if s.directives[name] == nil {
				s.directives[name] = g.schema.Directives[name]
			}
			for _, link := range g.links {
				if imports(link, "@"+name) && !contains(s.links, argString(link, "url")) {
					s.links = append(s.links, argString(link, "url"))
				}
			}
		}
	}
	sort.Strings(s.links)
	return nil
}

// imports tells whether a @link imports name.
func imports(link *ast.Directive, name string) bool {
	arg := link.Arguments.ForName("import")
	if arg == nil || arg.Value == nil {
		return false
	}
	for _, item := range arg.Value.Children {
		if n, _, ok := importItem(item.Value); ok && n == name {
			return true
		}
	}
	return false
}
