package supergraph

import (
	"github.com/vektah/gqlparser/v2/ast"
)

// mergeComposite merges an object or interface type: the union of the fields of every
// subgraph, with per-subgraph @join__field data, then the field-level rules.
func (s *schema) mergeComposite(t *mType) Errors {
	descs := map[string][]string{}
	for _, d := range t.defs {
		for _, i := range d.def.Interfaces {
			if !contains(t.interfaces, i) {
				t.interfaces = append(t.interfaces, i)
			}
			t.implements = append(t.implements, graphRef{graph: d.g.enum, name: i})
		}
		for _, f := range d.def.Fields {
			if d.g.unusedFed1External(t.name, f.Name) {
				continue
			}
			mf := t.field(f.Name)
			if mf == nil {
				mf = &mField{name: f.Name}
				t.fields = append(t.fields, mf)
			}
			mf.sources = append(mf.sources, newSource(d.g, d.def, f))
			descs[f.Name] = append(descs[f.Name], f.Description)
		}
	}

	var errs Errors
	for _, f := range t.fields {
		f.description = pickDescription(descs[f.name])
		errs = append(errs, s.mergeField(t, f)...)
	}
	return errs
}

// newSource records field f of type parent as defined in subgraph g.
func newSource(g *subgraph, parent *ast.Definition, f *ast.FieldDefinition) *fieldSource {
	c := coord{parent.Name, f.Name}
	src := &fieldSource{
		g: g, parent: parent, def: f, external: g.facts.external[c],
		requires: g.facts.requires[c], provides: g.facts.provides[c],
	}
	if o := g.facts.override[c]; o != nil {
		src.override, src.overrideLabel = o.from, o.label
	}
	return src
}

// mergeField merges one field of an object or interface across the subgraphs defining it.
func (s *schema) mergeField(t *mType, f *mField) Errors {
	errs := applyOverrides(t, f)
	overrideFailed := len(errs) > 0
	errs = append(errs, mergeFieldType(t, f, s.isSubtype)...)
	errs = append(errs, mergeArgs(t, f)...)
	errs = append(errs, checkExternalArgs(t, f)...)
	for _, src := range f.sources {
		if !src.external {
			f.marks.add(src.g.marksOf(src.def.Directives))
		}
	}
	if t.kind == ast.Object && !overrideFailed {
		errs = append(errs, checkSharing(t, f)...)
		errs = append(errs, checkExternalOnBase(t, f)...)
	}
	return errs
}

// applyOverrides resolves @override: without a label the overridden subgraph's definition
// disappears (or stays as usedOverridden when its own directives still select the field);
// with a label both stay and the router splits traffic.
func applyOverrides(t *mType, f *mField) Errors {
	var errs Errors
	for _, src := range f.sources {
		if src.override == "" {
			continue
		}
		for _, from := range f.sources {
			if from.g.name != src.override {
				continue
			}
			if from.override != "" {
				errs = append(errs, src.g.errorf(CodeOverrideSourceHasOverride, src.def.Position,
					"field %q on subgraph %q is also marked with directive @override in subgraph %q; "+
						"only one @override directive is allowed per field",
					t.name+"."+f.name, src.g.name, from.g.name))
				continue
			}
			switch {
			case src.overrideLabel != "":
				from.overrideLabel = src.overrideLabel
			case from.g.facts.used[coord{t.name, f.name}]:
				from.usedOverridden = true
			default:
				from.dropped = true
			}
		}
	}
	return errs
}

// mergeFieldType computes the supergraph type of an output field from the subgraphs
// defining it (overridden definitions too; Federation 1 @external declarations too, as
// that version never checked them against the owner's), then requires each Federation 2
// @external declaration to repeat that type exactly: otherwise a @provides could return
// values the type forbids, or a @requires receive values its subgraph does not expect.
func mergeFieldType(t *mType, f *mField, isSubtype func(sub, super string) bool) Errors {
	var errs Errors
	for _, src := range f.sources {
		if src.external && src.g.fed2 {
			continue
		}
		merged, ok := src.def.Type, true
		if f.typ != nil {
			merged, ok = mergeTypesWith(f.typ, src.def.Type, false, isSubtype)
		}
		if !ok {
			errs = append(errs, src.g.errorf(CodeFieldTypeMismatch, src.def.Position,
				"type of field %q is incompatible across subgraphs: it has type %q in subgraph %q but type %q elsewhere",
				t.name+"."+f.name, src.def.Type.String(), src.g.name, f.typ.String()))
			continue
		}
		f.typ = merged
	}
	for _, src := range f.sources {
		switch {
		case !src.external || !src.g.fed2:
		case f.typ == nil:
			f.typ = src.def.Type
		case src.def.Type.String() != f.typ.String():
			errs = append(errs, src.g.errorf(CodeExternalTypeMismatch, src.def.Position,
				"type of field %q is incompatible across subgraphs (where marked @external): it has type %q in "+
					"subgraph %q but type %q elsewhere", t.name+"."+f.name, src.def.Type.String(), src.g.name,
				f.typ.String()))
		}
	}
	// Interface fields are resolved through their implementations, whose own fields carry
	// the per-subgraph types.
	if t.kind == ast.Object {
		markTypeDiffers(f)
	}
	return errs
}

// markTypeDiffers makes every @join__field of f name its subgraph's type when one of them
// differs from the supergraph's, so a router never has to guess which side a type came
// from.
func markTypeDiffers(f *mField) {
	differs := false
	for _, src := range f.sources {
		differs = differs || f.typ != nil && src.def.Type.String() != f.typ.String()
	}
	for _, src := range f.sources {
		src.typeDiffers = differs
	}
}

// checkSharing reports a field that several subgraphs resolve while one of them did not
// declare it @shareable.
func checkSharing(t *mType, f *mField) Errors {
	var resolving, unshared []string
	var last *fieldSource
	for _, src := range f.sources {
		if !src.resolves() || src.overrideLabel != "" && src.override == "" {
			continue
		}
		resolving = append(resolving, src.g.name)
		if !src.g.facts.shareable[coord{t.name, f.name}] {
			unshared = append(unshared, src.g.name)
			last = src
		}
	}
	if len(resolving) < 2 || len(unshared) == 0 {
		return nil
	}
	return Errors{last.g.errorf(CodeInvalidFieldSharing, last.def.Position,
		"non-shareable field %q is resolved from multiple subgraphs: it is resolved from subgraphs %s "+
			"and defined as non-shareable in subgraph%s %s", t.name+"."+f.name, graphList(resolving),
		plural(unshared), graphList(unshared))}
}

// plural returns "s" for more than one element.
func plural(list []string) string {
	if len(list) > 1 {
		return "s"
	}
	return ""
}

// checkExternalOnBase reports a field that every defining subgraph marks @external: then no
// subgraph resolves it.
func checkExternalOnBase(t *mType, f *mField) Errors {
	var graphs []string
	for _, src := range f.sources {
		if !src.external {
			return nil
		}
		graphs = append(graphs, src.g.name)
	}
	src := f.sources[0]
	return Errors{src.g.errorf(CodeExternalMissingOnBase, src.def.Position,
		"field %q is marked @external on all the subgraphs in which it is listed (subgraph%s %s)",
		t.name+"."+f.name, plural(graphs), graphList(graphs))}
}

// mergeArgs merges the arguments of a field over the subgraphs that resolve it: an argument
// missing in one of them is dropped, unless it is required somewhere, which is an error.
func mergeArgs(t *mType, f *mField) Errors {
	var srcs []*fieldSource
	for _, src := range f.sources {
		if !src.external && !src.dropped {
			srcs = append(srcs, src)
		}
	}
	if len(srcs) == 0 {
		srcs = f.sources
	}
	var errs Errors
	for _, a := range srcs[0].def.Arguments {
		errs = append(errs, mergeArg(t, f, a.Name, srcs)...)
	}
	for _, src := range srcs[1:] {
		for _, a := range src.def.Arguments {
			if srcs[0].def.Arguments.ForName(a.Name) == nil {
				errs = append(errs, mergeArg(t, f, a.Name, srcs)...)
			}
		}
	}
	return errs
}

// mergeArg merges argument name of f across srcs, appending it to f.args when every
// subgraph has it.
func mergeArg(t *mType, f *mField, name string, srcs []*fieldSource) Errors {
	var defs []inputDef
	var missing []string
	for _, src := range srcs {
		a := src.def.Arguments.ForName(name)
		if a == nil {
			missing = append(missing, src.g.name)
			continue
		}
		defs = append(defs, inputDef{
			g: src.g, typ: a.Type, def: a.DefaultValue, description: a.Description,
			directives: a.Directives, pos: a.Position,
		})
	}
	v, errs := mergeInputValue(argumentKind, t.name+"."+f.name+"("+name+":)", defs, missing)
	if v != nil {
		f.args = append(f.args, &mArg{name: name, description: v.description, typ: v.typ, def: v.def, marks: v.marks})
	}
	return errs
}

// unusedFed1External tells whether field of typ is an @external field that no directive of
// its Federation 1 subgraph uses. Federation 1 schemas declared such fields freely (they
// were documentation); they are left out rather than reported.
func (g *subgraph) unusedFed1External(typ, field string) bool {
	c := coord{typ, field}
	return !g.fed2 && g.facts.external[c] && !g.facts.used[c]
}

// checkExternalArgs requires each Federation 2 @external declaration of f to repeat the
// supergraph arguments of f with the same types, as it stands for the same field.
func checkExternalArgs(t *mType, f *mField) Errors {
	var errs Errors
	for _, src := range f.sources {
		if !src.external || !src.g.fed2 {
			continue
		}
		for _, a := range f.args {
			at := t.name + "." + f.name + "(" + a.name + ":)"
			ext := src.def.Arguments.ForName(a.name)
			switch {
			case ext == nil:
				errs = append(errs, src.g.errorf(CodeExternalArgumentMissing, src.def.Position,
					"field %q is missing argument %q in subgraph %q where it is marked @external, but the "+
						"argument is declared in the subgraphs resolving it", t.name+"."+f.name, at, src.g.name))
			case ext.Type.String() != a.typ.String():
				errs = append(errs, src.g.errorf(CodeFieldArgumentTypeMismatch, ext.Position,
					"type of argument %q is incompatible across subgraphs: it has type %q in subgraph %q "+
						"(where the field is @external) but type %q elsewhere", at, ext.Type.String(), src.g.name,
					a.typ.String()))
			}
		}
	}
	return errs
}
