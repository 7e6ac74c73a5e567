package supergraph

import (
	"github.com/vektah/gqlparser/v2/ast"
)

// inputKind names the codes and wording for one kind of input value.
type inputKind struct {
	noun        string
	typeCode    string
	defaultCode string
	missingCode string
}

var (
	argumentKind   = inputKind{"argument", CodeFieldArgumentTypeMismatch, CodeFieldArgumentDefaultMismat, CodeRequiredArgumentMissing}
	inputFieldKind = inputKind{"input field", CodeFieldTypeMismatch, CodeInputFieldDefaultMismatch, CodeRequiredInputFieldMissing}
)

// inputDef is one subgraph's definition of an argument or input field.
type inputDef struct {
	g           *subgraph
	typ         *ast.Type
	def         *ast.Value
	description string
	directives  ast.DirectiveList
	pos         *ast.Position
}

// inputValue is an argument or input field merged over the subgraphs that define it.
type inputValue struct {
	typ         *ast.Type
	def         *ast.Value
	description string
	marks       marks
}

// mergeInputValue merges the definitions of the input value at (`Type.field(arg:)` or
// `Input.field`) over the subgraphs that define it. When some subgraphs lack it (missing),
// it is left out of the supergraph, which is an error if another subgraph requires it;
// the result is then nil. Types take the non-null side, default values must agree.
func mergeInputValue(kind inputKind, at string, defs []inputDef, missing []string) (*inputValue, Errors) {
	var errs Errors
	v := &inputValue{}
	var descs, graphs []string
	var defaults []*ast.Value
	for _, d := range defs {
		if len(missing) > 0 && required(d.typ, d.def) {
			errs = append(errs, d.g.errorf(kind.missingCode, d.pos,
				"%s %q is required in some subgraphs but does not appear in all subgraphs: it is required in "+
					"subgraph %q but does not appear in subgraph%s %s", kind.noun, at, d.g.name, plural(missing),
				graphList(missing)))
		}
		merged, ok := d.typ, true
		if v.typ != nil {
			merged, ok = mergeTypes(v.typ, d.typ, true)
		}
		if !ok {
			errs = append(errs, d.g.errorf(kind.typeCode, d.pos,
				"type of %s %q is incompatible across subgraphs: it has type %q in subgraph %q but type %q elsewhere",
				kind.noun, at, d.typ.String(), d.g.name, v.typ.String()))
			continue
		}
		v.typ = merged
		v.marks.add(d.g.marksOf(d.directives))
		descs, graphs, defaults = append(descs, d.description), append(graphs, d.g.name), append(defaults, d.def)
	}
	if len(missing) > 0 || len(errs) > 0 {
		return nil, errs
	}
	v.description = pickDescription(descs)
	var conflict string
	if v.def, conflict = mergeDefault(defaults, graphs); conflict != "" {
		last := defs[len(defs)-1]
		errs = append(errs, last.g.errorf(kind.defaultCode, last.pos,
			"%s %q has incompatible default values across subgraphs: it has %s", kind.noun, at, conflict))
	}
	return v, errs
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
	if len(t.fields) == 0 {
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
		defs = append(defs, inputDef{
			g: d.g, typ: def.Type, def: def.DefaultValue, description: def.Description,
			directives: def.Directives, pos: def.Position,
		})
		sources = append(sources, &fieldSource{g: d.g, parent: d.def, def: def})
	}
	v, errs := mergeInputValue(inputFieldKind, t.name+"."+name, defs, missing)
	if v == nil {
		return nil, errs
	}
	f := &mField{
		name: name, description: v.description, typ: v.typ, def: v.def, marks: v.marks,
		sources: sources,
	}
	markTypeDiffers(f)
	return f, errs
}
