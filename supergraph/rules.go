package supergraph

import (
	"regexp"
	"sort"
	"strconv"

	"github.com/vektah/gqlparser/v2/ast"
)

// facts are what the federation directives of one subgraph say about its fields.
type facts struct {
	keyFields map[coord]bool      // selected by some @key of their type (at any depth)
	external  map[coord]bool      // @external and not a key field
	used      map[coord]bool      // selected by some @key, @requires or @provides
	shareable map[coord]bool      // may also be resolved by other subgraphs
	requires  map[coord]string    // @requires(fields:)
	provides  map[coord]string    // @provides(fields:)
	override  map[coord]*override // @override(from:, label:)
}

// override is one @override use.
type override struct {
	from  string
	label string
	pos   *ast.Position
}

// overrideLabel is the format of @override(label:): a flag name or percent(N).
var overrideLabel = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9_\-:.]*|percent\((\d{1,3}(\.\d{1,8})?)\))$`)

// userTypes returns the subgraph's own type definitions, sorted by name.
func (g *subgraph) userTypes() []*ast.Definition {
	var out []*ast.Definition
	for _, d := range g.schema.Types {
		if !d.BuiltIn {
			out = append(out, d)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// checkFederation validates the federation directives of the subgraph and records g.facts.
func (g *subgraph) checkFederation() Errors {
	g.facts = &facts{
		keyFields: map[coord]bool{}, external: map[coord]bool{}, used: map[coord]bool{},
		shareable: map[coord]bool{}, requires: map[coord]string{}, provides: map[coord]string{},
		override: map[coord]*override{},
	}
	var errs Errors
	errs = append(errs, g.checkSchemaDirectives()...)
	for _, t := range g.userTypes() {
		errs = append(errs, g.checkUnsupported(t)...)
		errs = append(errs, g.checkKeys(t)...)
		errs = append(errs, g.checkInterfaceObject(t)...)
	}
	for _, t := range g.userTypes() {
		g.recordExternal(t)
	}
	for _, t := range g.userTypes() {
		errs = append(errs, g.checkInterfaceFields(t)...)
		for _, f := range t.Fields {
			errs = append(errs, g.checkRequires(t, f)...)
			errs = append(errs, g.checkProvides(t, f)...)
			errs = append(errs, g.checkOverride(t, f)...)
		}
	}
	errs = append(errs, g.checkExternalUsed()...)
	g.recordShareable()
	return errs
}

// checkUnsupported rejects federation directives this composer does not implement.
func (g *subgraph) checkUnsupported(t *ast.Definition) Errors {
	var errs Errors
	lists := []ast.DirectiveList{t.Directives}
	for _, f := range t.Fields {
		lists = append(lists, f.Directives)
		for _, a := range f.Arguments {
			lists = append(lists, a.Directives)
		}
	}
	for _, list := range lists {
		for _, d := range list {
			for name := range unsupportedDirectives {
				if d.Name == g.local[name] {
					errs = append(errs, g.errorf(CodeUnsupportedFeature, d.Position,
						"directive @%s is not supported by this composer", d.Name))
				}
			}
		}
	}
	return errs
}

// checkKeys validates every @key of t and records the key fields.
func (g *subgraph) checkKeys(t *ast.Definition) Errors {
	var errs Errors
	for _, key := range g.dirs(t.Directives, "key") {
		fields := key.Arguments.ForName("fields")
		if fields == nil || fields.Value.Kind != ast.StringValue {
			errs = append(errs, g.errorf(CodeKeyInvalidFieldsType, key.Position,
				"on type %q, @key(fields:) must be a string", t.Name))
			continue
		}
		sel, probs := g.resolveFieldSet(t, fields.Value.Raw)
		for _, p := range probs {
			code := map[problemKind]string{
				problemInvalid: CodeKeyInvalidFields,
				problemHasArgs: CodeKeyFieldsHasArgs, problemInvalidType: CodeKeyFieldsSelectInvalidType,
			}[p.kind]
			errs = append(errs, g.errorf(code, key.Position,
				"on type %q, for @key(fields: %q): %s", t.Name, fields.Value.Raw, p.message))
		}
		for _, s := range sel {
			g.facts.keyFields[s.at] = true
			g.facts.used[s.at] = true
		}
		if t.Kind == ast.Interface && len(probs) == 0 {
			errs = append(errs, g.checkInterfaceKey(t, fields.Value.Raw)...)
		}
	}
	return errs
}

// resolveFieldSet parses fields against t; keys also may not select lists, interfaces or
// unions, which resolveFieldSet reports as problemInvalidType.
func (g *subgraph) resolveFieldSet(t *ast.Definition, fields string) ([]selected, []fieldSetProblem) {
	set, err := parseFieldSet(fields)
	if err != nil {
		return nil, []fieldSetProblem{{problemInvalid, "cannot parse: " + err.Error()}}
	}
	sel, probs := walkFieldSet(g.schema, t, set, 0)
	for _, s := range sel {
		typ := g.schema.Types[s.def.Type.Name()]
		if s.def.Type.Elem != nil || typ != nil && (typ.Kind == ast.Interface || typ.Kind == ast.Union) {
			probs = append(probs, fieldSetProblem{
				problemInvalidType,
				"field \"" + s.at.String() + "\" is a list, interface or union",
			})
		}
	}
	return sel, probs
}

// checkInterfaceKey requires every implementation of an entity interface in this subgraph to
// declare the same key.
func (g *subgraph) checkInterfaceKey(t *ast.Definition, fields string) Errors {
	var errs Errors
	for _, impl := range g.schema.PossibleTypes[t.Name] {
		if impl.Name == t.Name {
			continue
		}
		found := false
		for _, k := range g.dirs(impl.Directives, "key") {
			found = found || sameFieldSet(argString(k, "fields"), fields)
		}
		if !found {
			errs = append(errs, g.errorf(CodeInterfaceKeyNotOnImplem, impl.Position,
				"key @key(fields: %q) on interface %q should be resolvable on all its implementations, "+
					"but type %q does not declare it", fields, t.Name, impl.Name))
		}
	}
	return errs
}

// sameFieldSet compares two FieldSets ignoring layout.
func sameFieldSet(a, b string) bool {
	return normalizeFieldSet(a) == normalizeFieldSet(b)
}

// normalizeFieldSet prints a FieldSet with single spaces, or returns it unchanged when it
// does not parse.
func normalizeFieldSet(fields string) string {
	set, err := parseFieldSet(fields)
	if err != nil {
		return fields
	}
	return printSelections(set)
}

// printSelections prints a selection set without its outer braces.
func printSelections(set ast.SelectionSet) string {
	out := ""
	for i, sel := range set {
		if i > 0 {
			out += " "
		}
		switch s := sel.(type) {
		case *ast.Field:
			out += s.Name
			if len(s.SelectionSet) > 0 {
				out += " { " + printSelections(s.SelectionSet) + " }"
			}
		case *ast.InlineFragment:
			out += "... on " + s.TypeCondition + " { " + printSelections(s.SelectionSet) + " }"
		}
	}
	return out
}

// checkInterfaceObject requires an @interfaceObject type to be an entity.
func (g *subgraph) checkInterfaceObject(t *ast.Definition) Errors {
	d := g.dir(t.Directives, "interfaceObject")
	if d == nil || g.dir(t.Directives, "key") != nil {
		return nil
	}
	return Errors{g.errorf(CodeInterfaceObjectUsage, d.Position,
		"the @interfaceObject type %q must have a @key", t.Name)}
}

// recordExternal records the @external fields of t (marked themselves, or declared in a
// definition or extension marked @external). In Federation 2 a key field marked
// @external (as Federation 1 required on `extend type`) is still resolved by this subgraph.
func (g *subgraph) recordExternal(t *ast.Definition) {
	for _, f := range t.Fields {
		c := coord{t.Name, f.Name}
		if (g.externalByType[c] || g.dir(f.Directives, "external") != nil) && !g.facts.keyFields[c] {
			g.facts.external[c] = true
		}
	}
}

// checkRequires validates @requires on field f of t: the selection must resolve and its
// fields of t itself must be @external here.
func (g *subgraph) checkRequires(t *ast.Definition, f *ast.FieldDefinition) Errors {
	d := g.dir(f.Directives, "requires")
	if d == nil || t.Kind == ast.Interface {
		return nil
	}
	fields := argString(d, "fields")
	g.facts.requires[coord{t.Name, f.Name}] = fields
	set, err := parseFieldSet(fields)
	if err != nil {
		return Errors{g.errorf(CodeRequiresInvalidFields, d.Position,
			"on field %q, for @requires(fields: %q): cannot parse: %v", t.Name+"."+f.Name, fields, err)}
	}
	sel, probs := walkFieldSet(g.schema, t, set, 0)
	var errs Errors
	for _, p := range probs {
		// Federation 2 allows required fields with arguments.
		if p.kind == problemHasArgs {
			continue
		}
		errs = append(errs, g.errorf(CodeRequiresInvalidFields, d.Position, "on field %q, for @requires(fields: %q): %s",
			t.Name+"."+f.Name, fields, p.message))
	}
	for _, s := range sel {
		g.facts.used[s.at] = true
		// TODO(#3): only the fields of the requiring type itself must be @external; fields
		// selected deeper are not checked against the other subgraphs' definitions.
		if s.depth == 0 && !g.facts.external[s.at] && g.fed2 {
			errs = append(errs, g.errorf(CodeRequiresFieldsMissingExt, d.Position,
				"on field %q, for @requires(fields: %q): field %q should not be part of a @requires "+
					"since it is already provided by this subgraph (it is not marked @external)",
				t.Name+"."+f.Name, fields, s.at.String()))
		}
	}
	return errs
}

// checkProvides validates @provides on field f of t: f must return a composite type and the
// provided fields of that type must be @external here.
func (g *subgraph) checkProvides(t *ast.Definition, f *ast.FieldDefinition) Errors {
	d := g.dir(f.Directives, "provides")
	if d == nil || t.Kind == ast.Interface {
		return nil
	}
	fields := argString(d, "fields")
	at := t.Name + "." + f.Name
	target := g.schema.Types[f.Type.Name()]
	if target == nil || target.Kind == ast.Scalar || target.Kind == ast.Enum {
		return Errors{g.errorf(CodeProvidesOnNonObjectField, d.Position,
			"invalid @provides directive on field %q: field has type %q which is not a composite type",
			at, f.Type.String())}
	}
	g.facts.provides[coord{t.Name, f.Name}] = fields
	set, err := parseFieldSet(fields)
	if err != nil {
		return Errors{g.errorf(CodeProvidesInvalidFields, d.Position,
			"on field %q, for @provides(fields: %q): cannot parse: %v", at, fields, err)}
	}
	sel, probs := walkFieldSet(g.schema, target, set, 0)
	var errs Errors
	for _, p := range probs {
		code := CodeProvidesInvalidFields
		if p.kind == problemHasArgs {
			code = CodeProvidesFieldsHasArgs
		}
		errs = append(errs, g.errorf(code, d.Position, "on field %q, for @provides(fields: %q): %s",
			at, fields, p.message))
	}
	for _, s := range sel {
		g.facts.used[s.at] = true
		if s.depth == 0 && !g.facts.external[s.at] && !g.facts.keyFields[s.at] && g.fed2 {
			errs = append(errs, g.errorf(CodeProvidesFieldsMissingExt, d.Position,
				"on field %q, for @provides(fields: %q): field %q should not be part of a @provides "+
					"since it is already provided by this subgraph (it is not marked @external)",
				at, fields, s.at.String()))
		}
	}
	return errs
}

// checkOverride validates @override on field f of t.
func (g *subgraph) checkOverride(t *ast.Definition, f *ast.FieldDefinition) Errors {
	d := g.dir(f.Directives, "override")
	if d == nil {
		return nil
	}
	at := coord{t.Name, f.Name}
	o := &override{from: argString(d, "from"), label: argString(d, "label"), pos: d.Position}
	switch {
	case o.from == g.name:
		return Errors{g.errorf(CodeOverrideFromSelf, d.Position,
			"source and destination subgraphs %q are the same for overridden field %q", o.from, at.String())}
	case g.facts.external[at]:
		return Errors{g.errorf(CodeOverrideCollision, d.Position,
			"@override cannot be used on field %q on subgraph %q since %q is marked with directive @external",
			at.String(), g.name, at.String())}
	case d.Arguments.ForName("label") != nil && !validLabel(o.label):
		return Errors{g.errorf(CodeOverrideLabelInvalid, d.Position,
			"invalid @override label %q on field %q: labels must be a flag name or percent(N) with 0 <= N <= 100",
			o.label, at.String())}
	}
	g.facts.override[at] = o
	return nil
}

// validLabel tells whether label is a flag name or a percentage between 0 and 100.
func validLabel(label string) bool {
	m := overrideLabel.FindStringSubmatch(label)
	if m == nil {
		return false
	}
	if m[2] == "" {
		return true
	}
	p, err := strconv.ParseFloat(m[2], 64)
	return err == nil && p >= 0 && p <= 100
}

// checkExternalUsed reports @external fields that no @key, @requires or @provides of this
// subgraph uses (Federation 2 only: Federation 1 schemas marked fields liberally).
func (g *subgraph) checkExternalUsed() Errors {
	if !g.fed2 {
		return nil
	}
	var errs Errors
	for _, t := range g.userTypes() {
		if t.Kind == ast.Interface {
			continue // EXTERNAL_ON_INTERFACE covers these
		}
		for _, f := range t.Fields {
			c := coord{t.Name, f.Name}
			if g.facts.external[c] && !g.facts.used[c] && !g.implementsInterfaceField(t, f.Name) {
				errs = append(errs, g.errorf(CodeExternalUnused, f.Position,
					"field %q is marked @external but is not used in any federation directive "+
						"(@key, @provides, @requires) or to satisfy an interface; the field declaration "+
						"has no use and should be removed (or the field should not be @external)", c.String()))
			}
		}
	}
	return errs
}

// implementsInterfaceField tells whether field name of t is required by an interface t
// implements.
func (g *subgraph) implementsInterfaceField(t *ast.Definition, name string) bool {
	for _, i := range t.Interfaces {
		if it := g.schema.Types[i]; it != nil && it.Fields.ForName(name) != nil {
			return true
		}
	}
	return false
}

// recordShareable records which fields this subgraph allows others to resolve too: fields
// marked @shareable or declared in a type definition or extension marked @shareable, key
// fields, and every field of a Federation 1 subgraph (which had no notion of ownership).
func (g *subgraph) recordShareable() {
	for _, t := range g.userTypes() {
		for _, f := range t.Fields {
			c := coord{t.Name, f.Name}
			if !g.fed2 || g.sharedByType[c] || g.facts.keyFields[c] || g.dir(f.Directives, "shareable") != nil {
				g.facts.shareable[c] = true
			}
		}
	}
}

// checkSchemaDirectives validates @composeDirective: the directive must be defined in the
// subgraph and come from a linked specification.
func (g *subgraph) checkSchemaDirectives() Errors {
	g.composed = map[string]bool{}
	var errs Errors
	for _, d := range g.schemaDirectiveList("composeDirective") {
		name := argString(d, "name")
		if len(name) < 2 || name[0] != '@' {
			errs = append(errs, g.errorf(CodeDirectiveCompositionError, d.Position,
				"argument to @composeDirective %q must start with \"@\"", name))
			continue
		}
		if g.schema.Directives[name[1:]] == nil || g.schema.Directives[name[1:]].Position.Src.BuiltIn {
			errs = append(errs, g.errorf(CodeDirectiveCompositionError, d.Position,
				"could not find a definition for the composed directive %q", name))
			continue
		}
		g.composed[name[1:]] = true
	}
	return errs
}

// schemaDirectiveList returns the uses of a federation directive on the schema.
func (g *subgraph) schemaDirectiveList(fed string) ast.DirectiveList {
	if g.schema.SchemaDirectives == nil {
		return nil
	}
	return g.schema.SchemaDirectives.ForNames(g.local[fed])
}

// checkInterfaceFields rejects @external, @requires and @provides on interface fields:
// interfaces resolve nothing themselves, their implementations do.
func (g *subgraph) checkInterfaceFields(t *ast.Definition) Errors {
	if t.Kind != ast.Interface {
		return nil
	}
	codes := map[string]string{
		"external": CodeExternalOnInterface,
		"requires": CodeRequiresUnsupportedOnInterface, "provides": CodeProvidesUnsupportedOnInterface,
	}
	var errs Errors
	for _, f := range t.Fields {
		for _, name := range []string{"external", "provides", "requires"} {
			if d := g.dir(f.Directives, name); d != nil {
				errs = append(errs, g.errorf(codes[name], d.Position,
					"cannot use @%s on field %q of interface %q: it belongs on the implementations",
					name, t.Name+"."+f.Name, t.Name))
			}
		}
	}
	return errs
}

// isEntity tells whether the subgraph declares type name with a resolvable @key.
func (g *subgraph) isEntity(name string) bool {
	def := g.schema.Types[name]
	if def == nil {
		return false
	}
	for _, k := range g.dirs(def.Directives, "key") {
		if r := k.Arguments.ForName("resolvable"); r == nil || r.Value.Raw != "false" {
			return true
		}
	}
	return false
}
