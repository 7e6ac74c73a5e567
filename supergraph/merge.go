package supergraph

import (
	"fmt"
	"sort"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// merge merges the types of all subgraphs into one schema, reporting every conflict.
func merge(graphs []*subgraph) (*schema, Errors) {
	s := &schema{graphs: graphs, types: map[string]*mType{}, directives: map[string]*ast.DirectiveDefinition{}}
	for _, g := range graphs {
		for _, d := range g.userTypes() {
			t := s.types[d.Name]
			if t == nil {
				t = &mType{name: d.Name}
				s.types[d.Name] = t
			}
			t.defs = append(t.defs, typeDef{g: g, def: d})
		}
	}

	errs := s.checkKinds()
	errs = append(errs, s.checkExtensionsHaveBase()...)
	usage := enumUsage(graphs)
	for _, name := range s.typeNames() {
		errs = append(errs, s.mergeType(s.types[name], usage)...)
	}
	errs = append(errs, s.addInterfaceObjectFields()...)
	errs = append(errs, s.checkInterfaceFields()...)
	errs = append(errs, s.mergeComposedDirectives()...)
	if len(errs) == 0 {
		errs = s.checkAPI()
	}
	if s.types["Query"] == nil {
		errs = append(errs, &Error{Code: CodeNoQueries, Message: "no queries found in any subgraph: a supergraph must have a query root type"})
	}
	return s, errs
}

// typeNames returns the merged type names, sorted.
func (s *schema) typeNames() []string {
	names := make([]string, 0, len(s.types))
	for name := range s.types {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// kindOf returns the kind a definition contributes: an @interfaceObject counts as the
// interface it stands for.
func kindOf(g *subgraph, d *ast.Definition) ast.DefinitionKind {
	if d.Kind == ast.Object && g.dir(d.Directives, "interfaceObject") != nil {
		return ast.Interface
	}
	return d.Kind
}

// checkKinds requires a type to be of one kind in every subgraph; a type that is not is
// reported and left out of the supergraph.
func (s *schema) checkKinds() Errors {
	var errs Errors
	for _, name := range s.typeNames() {
		t := s.types[name]
		first := t.defs[0]
		t.kind = kindOf(first.g, first.def)
		for _, d := range t.defs[1:] {
			if k := kindOf(d.g, d.def); k != t.kind {
				errs = append(errs, d.g.errorf(CodeTypeKindMismatch, d.def.Position,
					"type %q has mismatched kind: it is defined as %s in subgraph %q but %s in subgraph %q",
					name, kindName(t.kind), first.g.name, kindName(k), d.g.name))
				delete(s.types, name)
				break
			}
		}
	}
	return errs
}

// kindName names a definition kind as GraphQL documentation does.
func kindName(k ast.DefinitionKind) string {
	return map[ast.DefinitionKind]string{
		ast.Object: "Object Type", ast.Interface: "Interface Type",
		ast.Union: "Union Type", ast.Enum: "Enum Type", ast.InputObject: "Input Object Type",
		ast.Scalar: "Scalar Type",
	}[k]
}

// mergeType merges one type according to its kind.
func (s *schema) mergeType(t *mType, usage map[string]enumUse) Errors {
	var descs []string
	for _, d := range t.defs {
		descs = append(descs, d.def.Description)
		t.marks.add(d.g.marksOf(d.def.Directives))
		t.joins = append(t.joins, joinsOf(d.g, t.name, d.def)...)
	}
	t.description = pickDescription(descs)
	if t.name == "Query" {
		t.joins = append(t.joins, s.implicitQueryJoins(t)...)
	}
	sort.SliceStable(t.joins, func(i, j int) bool { return t.joins[i].graph < t.joins[j].graph })

	switch t.kind {
	case ast.Object, ast.Interface:
		return s.mergeComposite(t)
	case ast.Union:
		mergeUnion(t)
	case ast.Enum:
		return mergeEnum(t, usage[t.name])
	case ast.InputObject:
		return mergeInput(t)
	}
	return nil
}

// joinsOf returns the @join__type entries of one subgraph's definition: one per @key, or
// one without key for a type that is not an entity there.
func joinsOf(g *subgraph, name string, d *ast.Definition) []joinType {
	base := joinType{
		graph: g.enum, resolvable: true,
		interfaceObject: g.dir(d.Directives, "interfaceObject") != nil,
	}
	keys := g.dirs(d.Directives, "key")
	if len(keys) == 0 {
		return []joinType{base}
	}
	var out []joinType
	for _, k := range keys {
		j := base
		j.key, j.hasKey, j.extension = argString(k, "fields"), true, g.isExtension(name, d)
		if r := k.Arguments.ForName("resolvable"); r != nil && r.Value.Raw == "false" {
			j.resolvable = false
		}
		out = append(out, j)
	}
	return out
}

// marksOf reads the API directives of a subgraph element.
func (g *subgraph) marksOf(dirs ast.DirectiveList) marks {
	var m marks
	m.inaccessible = g.dir(dirs, "inaccessible") != nil
	for _, tag := range g.dirs(dirs, "tag") {
		m.tags = append(m.tags, argString(tag, "name"))
	}
	if dep := dirs.ForName("deprecated"); dep != nil {
		reason := "No longer supported"
		if r := dep.Arguments.ForName("reason"); r != nil && r.Value.Kind == ast.StringValue {
			reason = r.Value.Raw
		}
		m.deprecated = &reason
	}
	for _, d := range dirs {
		switch {
		case d.Name == "specifiedBy" || d.Name == "oneOf":
			m.builtin = append(m.builtin, d)
		case g.composed[d.Name]:
			m.custom = append(m.custom, d)
		}
	}
	return m
}

// add merges o into m: @inaccessible anywhere wins, tags are united, the first deprecation
// reason is kept, @specifiedBy, @oneOf and composed directives are united.
func (m *marks) add(o marks) {
	m.inaccessible = m.inaccessible || o.inaccessible
	for _, tag := range o.tags {
		if !contains(m.tags, tag) {
			m.tags = append(m.tags, tag)
		}
	}
	sort.Strings(m.tags)
	if m.deprecated == nil {
		m.deprecated = o.deprecated
	}
	for _, d := range o.builtin {
		if !containsDirective(m.builtin, d) {
			m.builtin = append(m.builtin, d)
		}
	}
	for _, d := range o.custom {
		if !containsDirective(m.custom, d) {
			m.custom = append(m.custom, d)
		}
	}
}

// containsDirective tells whether list holds a directive printed the same as d.
func containsDirective(list ast.DirectiveList, d *ast.Directive) bool {
	for _, x := range list {
		if printDirective(x) == printDirective(d) {
			return true
		}
	}
	return false
}

// contains tells whether list holds s.
func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// pickDescription returns the description most subgraphs agree on; ties go to the first
// subgraph in name order. Empty descriptions do not count.
func pickDescription(descs []string) string {
	count := map[string]int{}
	best := ""
	for _, d := range descs {
		if d == "" {
			continue
		}
		count[d]++
		if best == "" || count[d] > count[best] {
			best = d
		}
	}
	return best
}

// mergeUnion unites the members of a union across subgraphs.
func mergeUnion(t *mType) {
	for _, d := range t.defs {
		for _, m := range d.def.Types {
			if !contains(t.unionTypes, m) {
				t.unionTypes = append(t.unionTypes, m)
			}
			t.members = append(t.members, graphRef{graph: d.g.enum, name: m})
		}
	}
}

// mergeTypes merges two input uses of a type: the non-null side wins (every subgraph
// must receive a value); list structure and named types must match.
func mergeTypes(a, b *ast.Type, input bool) (*ast.Type, bool) {
	return mergeTypesWith(a, b, input, func(string, string) bool { return false })
}

// mergeTypesWith merges two uses of a type. Outputs take the nullable side (any subgraph
// may return null) and, of two named types where one is a subtype of the other (an
// implementation of an interface, a member of a union), the supertype; inputs take the
// non-null side. List structure must match.
func mergeTypesWith(a, b *ast.Type, input bool, isSubtype func(sub, super string) bool) (*ast.Type, bool) {
	if (a.Elem == nil) != (b.Elem == nil) {
		return nil, false
	}
	out := &ast.Type{NamedType: a.NamedType, Position: a.Position}
	switch {
	case a.Elem != nil:
		elem, ok := mergeTypesWith(a.Elem, b.Elem, input, isSubtype)
		if !ok {
			return nil, false
		}
		out.Elem = elem
	case a.NamedType == b.NamedType:
	case !input && isSubtype(a.NamedType, b.NamedType):
		out.NamedType = b.NamedType
	case !input && isSubtype(b.NamedType, a.NamedType):
	default:
		return nil, false
	}
	if input {
		out.NonNull = a.NonNull || b.NonNull
	} else {
		out.NonNull = a.NonNull && b.NonNull
	}
	return out, true
}

// isSubtype tells whether some subgraph declares type sub as implementing interface super
// or as a member of union super.
func (s *schema) isSubtype(sub, super string) bool {
	t := s.types[super]
	if t == nil {
		return false
	}
	for _, d := range t.defs {
		if d.def.Kind == ast.Union && contains(d.def.Types, sub) {
			return true
		}
	}
	if st := s.types[sub]; st != nil {
		for _, d := range st.defs {
			if contains(d.def.Interfaces, super) {
				return true
			}
		}
	}
	return false
}

// graphList formats subgraph names for messages: "a", "b" and "c".
func graphList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quote(n)
	}
	if len(q) < 2 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}

// mergeDefault merges the default values of one argument or input field across
// subgraphs: different values are an error; a subgraph without default does not conflict.
func mergeDefault(values []*ast.Value, graphs []string) (*ast.Value, string) {
	var first *ast.Value
	var seen []string
	for i, v := range values {
		if v == nil {
			continue
		}
		if first == nil {
			first = v
		}
		entry := fmt.Sprintf("default value %s in subgraph %s", printValue(v), quote(graphs[i]))
		if printValue(v) != printValue(first) {
			return first, strings.Join(append(seen[:1:1], entry), " but ")
		}
		if len(seen) == 0 {
			seen = append(seen, entry)
		}
	}
	return first, ""
}

// implicitQueryJoins returns a @join__type for every subgraph without a query type of its
// own: each subgraph still serves Query._entities and Query._service.
func (s *schema) implicitQueryJoins(t *mType) []joinType {
	var out []joinType
	for _, g := range s.graphs {
		if t.def(g) == nil {
			out = append(out, joinType{graph: g.enum, resolvable: true})
		}
	}
	return out
}

// graphCount returns the number of distinct subgraphs in t's @join__type list.
func (t *mType) graphCount() int {
	seen := map[string]bool{}
	for _, j := range t.joins {
		seen[j.graph] = true
	}
	return len(seen)
}

// isExtension tells whether the subgraph declares the type an extension: with @extends, or
// in Federation 2 by only extending it (Federation 1 used `extend type` for every entity
// it did not own, which Federation 2 treats as a plain definition).
func (g *subgraph) isExtension(name string, d *ast.Definition) bool {
	return g.dir(d.Directives, "extends") != nil || g.fed2 && g.extension[name]
}

// checkExtensionsHaveBase reports a type that every subgraph only extends (`extend type`
// or @extends): then no subgraph owns its definition. Root types are exempt, since
// subgraphs commonly extend Query.
func (s *schema) checkExtensionsHaveBase() Errors {
	var errs Errors
	for _, name := range s.typeNames() {
		t := s.types[name]
		if isRoot(name) || !t.onlyExtended() {
			continue
		}
		for _, d := range t.defs {
			errs = append(errs, d.g.errorf(CodeExtensionWithNoBase, d.def.Position,
				"type %q is an extension type, but there is no type definition for %q in any subgraph", name, name))
		}
	}
	return errs
}

// onlyExtended tells whether every subgraph defining t only extends it.
func (t *mType) onlyExtended() bool {
	for _, d := range t.defs {
		if !d.g.extension[t.name] {
			return false
		}
	}
	return true
}
