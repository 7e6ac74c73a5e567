package supergraph

import (
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
