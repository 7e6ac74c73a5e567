package manifest

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
)

// OverridableDirective is the directive a core module puts on a field that other modules may
// redefine or take over with @override. Its schema declares it as
//
//	directive @ergoOverridable on FIELD_DEFINITION
const OverridableDirective = "ergoOverridable"

// Slice is one module's GraphQL schema slice: the SDL files its subgraph serves.
type Slice struct {
	// Module is the module's name.
	Module string
	// Sources are the slice's files; Name is the path used in diagnostics.
	Sources []Source
}

// Source is one SDL file.
type Source struct {
	Name string
	Body string
}

// CheckInteractions checks that every module touches other modules' types only as its
// manifest declares, and that non-core modules leave core fields alone. ms are the enabled
// modules' manifests and schemas their schema slices; a slice without a manifest (a module
// reached by URL) can own types but is not itself checked.
//
// Ownership: a type belongs to the module that defines it with `type` (not `extend type`,
// not @extends). When several modules define an entity (a type with @key), the candidates
// are the core modules among them if there are any, else all of them, and the owner is the
// candidate that every other candidate names in interacts or depends; the other
// definitions are stubs. A value type defined in several modules, and the root operation
// types, belong to nobody.
//
// Rules, each reported at the schema location with the names of both modules:
//   - extending, or defining a stub of, another module's type needs that module in
//     interacts (UNDECLARED_INTERACTION);
//   - @provides of another module's fields needs it in interacts, and @requires needs it in
//     both interacts and depends; @override(from:) needs the module overridden in interacts
//     (UNDECLARED_INTERACTION);
//   - a non-core module may add fields to core types, but may not redefine a core field
//     (declare it other than @external, beyond the fields of its own @key), take it over
//     with @override, or hide it or a core type with @inaccessible, unless the core field is
//     marked @ergoOverridable (CORE_FIELD_SEALED).
func CheckInteractions(ms []*Manifest, schemas []Slice) Diagnostics {
	g := &graph{manifests: map[string]*Manifest{}, types: map[string][]*typeDef{}}
	for _, m := range ms {
		g.manifests[m.Name] = m
	}
	var ds Diagnostics
	for _, s := range schemas {
		ds = append(ds, g.add(s)...)
	}
	ds = append(ds, g.resolveOwners()...)
	for _, defs := range g.types {
		for _, d := range defs {
			ds = append(ds, g.checkType(d)...)
		}
	}
	ds.sort()
	return ds
}

// graph indexes the type definitions of all slices.
type graph struct {
	manifests map[string]*Manifest
	types     map[string][]*typeDef // by type name, in slice order
	owners    map[string]string     // type name -> owning module
}

// typeDef is one module's definition or extension of a type.
type typeDef struct {
	module    string
	def       *ast.Definition
	extension bool
}

// rootTypes are the root operation types, which every module may define.
//
// TODO(#6): federation directives are recognised by their default names, and root types by
// these names: a slice that renames an imported directive (@link import with "as") or its
// root types (schema { query: ... }) is checked as if it used none of them.
var rootTypes = []string{"Query", "Mutation", "Subscription"}

// add parses a slice and indexes its object and interface types.
func (g *graph) add(s Slice) Diagnostics {
	var ds Diagnostics
	for _, src := range s.Sources {
		doc, err := parser.ParseSchema(&ast.Source{Name: src.Name, Input: src.Body})
		if err != nil {
			ds = append(ds, parseDiagnostic(src.Name, err))
			continue
		}
		for _, def := range doc.Definitions {
			g.index(s.Module, def, def.Directives.ForName("extends") != nil)
		}
		for _, def := range doc.Extensions {
			g.index(s.Module, def, true)
		}
	}
	return ds
}

func (g *graph) index(module string, def *ast.Definition, extension bool) {
	if (def.Kind != ast.Object && def.Kind != ast.Interface) || slices.Contains(rootTypes, def.Name) {
		return
	}
	g.types[def.Name] = append(g.types[def.Name], &typeDef{module: module, def: def, extension: extension})
}

func parseDiagnostic(file string, err error) Diagnostic {
	d := Diagnostic{File: file, Code: InvalidSchema, Message: err.Error()}
	var ge *gqlerror.Error
	if errors.As(err, &ge) {
		d.Message = ge.Message
		if len(ge.Locations) > 0 {
			d.Line, d.Col = ge.Locations[0].Line, ge.Locations[0].Column
		}
	}
	return d
}

// resolveOwners decides the owner of every type that some module defines, reporting
// entities whose owner cannot be told because their definers do not declare each other.
func (g *graph) resolveOwners() Diagnostics {
	g.owners = map[string]string{}
	var ds Diagnostics
	for name, defs := range g.types {
		var definers []string
		for _, d := range defs {
			if !d.extension && !slices.Contains(definers, d.module) {
				definers = append(definers, d.module)
			}
		}
		switch owner := g.pickOwner(definers); {
		case owner != "":
			g.owners[name] = owner
		case len(definers) > 1 && isEntity(defs):
			ds = append(ds, g.ambiguous(name, defs, definers))
		}
	}
	return ds
}

// pickOwner applies the ownership rule to the modules that define a type: among the core
// definers if there are any, else among all, the one every other candidate declares.
func (g *graph) pickOwner(definers []string) string {
	candidates := slices.DeleteFunc(slices.Clone(definers), func(x string) bool { return !g.isCore(x) })
	if len(candidates) == 0 {
		candidates = definers
	}
	if len(candidates) == 1 {
		return candidates[0]
	}
	var declared []string
	for _, x := range candidates {
		if g.declaredByAll(x, candidates) {
			declared = append(declared, x)
		}
	}
	if len(declared) == 1 {
		return declared[0]
	}
	return ""
}

// declaredByAll tells whether every module of others except x names x in interacts or depends.
func (g *graph) declaredByAll(x string, others []string) bool {
	for _, y := range others {
		if y == x {
			continue
		}
		m := g.manifests[y]
		if m == nil {
			return false
		}
		if _, dep := m.Depends[x]; !dep && !slices.Contains(m.Interacts, x) {
			return false
		}
	}
	return true
}

// isEntity tells whether any definition of a type has @key.
func isEntity(defs []*typeDef) bool {
	return slices.ContainsFunc(defs, func(d *typeDef) bool { return d.def.Directives.ForName("key") != nil })
}

func (g *graph) ambiguous(name string, defs []*typeDef, definers []string) Diagnostic {
	slices.Sort(definers)
	var at *typeDef
	for _, d := range defs {
		if !d.extension && d.module == definers[1] {
			at = d
			break
		}
	}
	return diagAt(at.def.Position, UndeclaredInteraction,
		"entity %s is defined with `type` by modules %s, and their manifests do not tell which "+
			"owns it (each declares the other, or none does): in the modules that do not own it, "+
			"write `extend type %s` and declare the owner in interacts",
		name, strings.Join(definers, " and "), name)
}

func (g *graph) isCore(module string) bool {
	m := g.manifests[module]
	return m != nil && m.Core
}

// checkType checks one module's definition of a type and its fields.
func (g *graph) checkType(d *typeDef) Diagnostics {
	m := g.manifests[d.module]
	if m == nil {
		return nil // a module reached by URL declares nothing to check against
	}
	var ds Diagnostics
	owner := g.owners[d.def.Name]
	isEntity := d.def.Directives.ForName("key") != nil
	if owner != "" && owner != d.module && (d.extension || isEntity) && !slices.Contains(m.Interacts, owner) {
		verb := "extends"
		if !d.extension {
			verb = "defines a stub of"
		}
		ds = append(ds, diagAt(d.def.Position, UndeclaredInteraction,
			"module %s %s type %s of module %s without declaring it: add %s to interacts in %s",
			d.module, verb, d.def.Name, owner, owner, m.File))
	}
	if owner != "" && owner != d.module && g.isCore(owner) && !m.Core {
		if dir := d.def.Directives.ForName("inaccessible"); dir != nil {
			ds = append(ds, diagAt(dir.Position, CoreFieldSealed,
				"module %s hides type %s of core module %s with @inaccessible; core types cannot be hidden by other modules",
				d.module, d.def.Name, owner))
		}
	}
	for _, f := range d.def.Fields {
		ds = append(ds, g.checkField(m, d, f)...)
	}
	return ds
}

// checkField checks the directives on one field of a module's type definition.
func (g *graph) checkField(m *Manifest, d *typeDef, f *ast.FieldDefinition) Diagnostics {
	var ds Diagnostics
	if dir := f.Directives.ForName("requires"); dir != nil {
		ds = append(ds, g.checkSelection(m, dir, d.def.Name, true)...)
	}
	if dir := f.Directives.ForName("provides"); dir != nil {
		ds = append(ds, g.checkSelection(m, dir, f.Type.Name(), false)...)
	}
	if dir := f.Directives.ForName("override"); dir != nil {
		ds = append(ds, g.checkOverride(m, d, f, dir)...)
	}
	if !m.Core {
		ds = append(ds, g.checkSealed(m, d, f)...)
	}
	return ds
}

// checkSelection checks a @requires or @provides field set: every field it names that other
// modules resolve needs one of them declared (in interacts, and in depends for @requires).
func (g *graph) checkSelection(m *Manifest, dir *ast.Directive, typeName string, requires bool) Diagnostics {
	arg := dir.Arguments.ForName("fields")
	if arg == nil || arg.Value == nil {
		return nil
	}
	doc, err := parser.ParseQuery(&ast.Source{Input: "{" + arg.Value.Raw + "}"})
	if err != nil || len(doc.Operations) != 1 {
		return nil // an invalid field set is composition's to report
	}
	var ds Diagnostics
	g.walkSelection(typeName, doc.Operations[0].SelectionSet, func(typ, field string) {
		providers := g.resolvers(typ, field, m.Name)
		if len(providers) == 0 {
			return
		}
		if d := declare(m, providers, requires); d != "" {
			ds = append(ds, diagAt(dir.Position, UndeclaredInteraction,
				"module %s uses @%s on %s.%s of module %s without declaring it: add %s to %s in %s",
				m.Name, dir.Name, typ, field, providers[0], providers[0], d, m.File))
		}
	})
	return ds
}

// declare returns what m lacks to use fields resolved by providers: "" when one of them is
// declared well enough, else "interacts", "depends" or "interacts and depends".
func declare(m *Manifest, providers []string, requires bool) string {
	for _, p := range providers {
		_, dep := m.Depends[p]
		if slices.Contains(m.Interacts, p) && (dep || !requires) {
			return ""
		}
	}
	p := providers[0]
	_, dep := m.Depends[p]
	inter := slices.Contains(m.Interacts, p)
	switch {
	case !inter && requires && !dep:
		return "interacts and depends"
	case !inter:
		return "interacts"
	}
	return "depends"
}

// walkSelection calls visit for every field of a field set, descending into nested
// selections through the field types other modules declare.
func (g *graph) walkSelection(typeName string, set ast.SelectionSet, visit func(typ, field string)) {
	for _, sel := range set {
		f, ok := sel.(*ast.Field)
		if !ok {
			continue
		}
		visit(typeName, f.Name)
		if len(f.SelectionSet) > 0 {
			if inner := g.fieldType(typeName, f.Name); inner != "" {
				g.walkSelection(inner, f.SelectionSet, visit)
			}
		}
	}
}

// fieldType returns the named type of typ.field in any module's definition.
func (g *graph) fieldType(typ, field string) string {
	for _, d := range g.types[typ] {
		if f := d.def.Fields.ForName(field); f != nil {
			return f.Type.Name()
		}
	}
	return ""
}

// resolvers returns the modules other than except that define typ.field without @external.
func (g *graph) resolvers(typ, field, except string) []string {
	var out []string
	for _, d := range g.types[typ] {
		f := d.def.Fields.ForName(field)
		if d.module == except || f == nil || f.Directives.ForName("external") != nil {
			continue
		}
		if !slices.Contains(out, d.module) {
			out = append(out, d.module)
		}
	}
	return out
}

// checkOverride checks @override(from: "x"): x must be declared, and a core field taken
// over must be marked overridable.
func (g *graph) checkOverride(m *Manifest, d *typeDef, f *ast.FieldDefinition, dir *ast.Directive) Diagnostics {
	arg := dir.Arguments.ForName("from")
	if arg == nil || arg.Value == nil {
		return nil
	}
	from := arg.Value.Raw
	var ds Diagnostics
	if from != m.Name && !slices.Contains(m.Interacts, from) {
		ds = append(ds, diagAt(dir.Position, UndeclaredInteraction,
			"module %s overrides %s.%s of module %s without declaring it: add %s to interacts in %s",
			m.Name, d.def.Name, f.Name, from, from, m.File))
	}
	if !m.Core && g.isCore(from) && !g.overridable(from, d.def.Name, f.Name) {
		ds = append(ds, diagAt(dir.Position, CoreFieldSealed,
			"module %s overrides %s.%s of core module %s, which is sealed; the core schema "+
				"must mark the field @%s to allow it", m.Name, d.def.Name, f.Name, from, OverridableDirective))
	}
	return ds
}

// checkSealed reports a non-core module redefining or hiding a core field.
func (g *graph) checkSealed(m *Manifest, d *typeDef, f *ast.FieldDefinition) Diagnostics {
	core := g.coreResolver(d.def.Name, f.Name, m.Name)
	if core == "" || g.overridable(core, d.def.Name, f.Name) {
		return nil
	}
	var ds Diagnostics
	if dir := f.Directives.ForName("inaccessible"); dir != nil {
		ds = append(ds, diagAt(dir.Position, CoreFieldSealed,
			"module %s hides %s.%s of core module %s with @inaccessible; core fields cannot be "+
				"removed by other modules", m.Name, d.def.Name, f.Name, core))
	}
	if f.Directives.ForName("external") == nil && f.Directives.ForName("override") == nil &&
		!keyFields(d.def)[f.Name] {
		ds = append(ds, diagAt(f.Position, CoreFieldSealed,
			"module %s redefines %s.%s of core module %s, which is sealed: declare it @external "+
				"(to read it) or add a field of another name; the core schema may mark the field @%s",
			m.Name, d.def.Name, f.Name, core, OverridableDirective))
	}
	return ds
}

// coreResolver returns the core module other than except that defines typ.field without
// @external, or "".
func (g *graph) coreResolver(typ, field, except string) string {
	for _, x := range g.resolvers(typ, field, except) {
		if g.isCore(x) {
			return x
		}
	}
	return ""
}

// overridable tells whether module's definition of typ.field carries @ergoOverridable.
func (g *graph) overridable(module, typ, field string) bool {
	for _, d := range g.types[typ] {
		if d.module != module {
			continue
		}
		if f := d.def.Fields.ForName(field); f != nil && f.Directives.ForName(OverridableDirective) != nil {
			return true
		}
	}
	return false
}

// keyFields returns the top-level field names of def's @key directives.
func keyFields(def *ast.Definition) map[string]bool {
	out := map[string]bool{}
	for _, k := range def.Directives.ForNames("key") {
		arg := k.Arguments.ForName("fields")
		if arg == nil || arg.Value == nil {
			continue
		}
		doc, err := parser.ParseQuery(&ast.Source{Input: "{" + arg.Value.Raw + "}"})
		if err != nil || len(doc.Operations) != 1 {
			continue
		}
		for _, sel := range doc.Operations[0].SelectionSet {
			if f, ok := sel.(*ast.Field); ok {
				out[f.Name] = true
			}
		}
	}
	return out
}

func diagAt(pos *ast.Position, code, format string, args ...any) Diagnostic {
	d := Diagnostic{Code: code, Message: fmt.Sprintf(format, args...)}
	if pos != nil {
		d.Line, d.Col = pos.Line, pos.Column
		if pos.Src != nil {
			d.File = pos.Src.Name
		}
	}
	return d
}
