package supergraph

import (
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// state is a query planner position: a type as seen by one subgraph.
type state struct {
	typ   string
	graph *subgraph
}

// step records how a state was first reached, to print an example query.
type step struct {
	from  *state
	field string // empty for an entity jump between subgraphs
}

// reach explores, from every root type, which (type, subgraph) pairs a query plan can
// reach: by following a field a subgraph resolves, or by jumping to another subgraph
// through a resolvable @key whose fields the current subgraph can provide.
//
// TODO(#3): fields made available by @provides on a path, @requires chains and
// @interfaceObject jumps from implementations are not followed; such fields may be
// reported unreachable, or their requirements not checked, where a full planner-based
// analysis would decide otherwise.
func reach(s *schema) map[state]*step {
	seen := map[state]*step{}
	var queue []state
	visit := func(st state, how *step) {
		if _, ok := seen[st]; !ok {
			seen[st] = how
			queue = append(queue, st)
		}
	}
	for _, g := range s.graphs {
		for _, root := range []string{"Query", "Mutation", "Subscription"} {
			if d := g.schema.Types[root]; d != nil && !d.BuiltIn {
				visit(state{root, g}, nil)
			}
		}
	}
	for len(queue) > 0 {
		st := queue[0]
		queue = queue[1:]
		from := st
		s.follow(st, func(next state, field string) { visit(next, &step{from: &from, field: field}) })
	}
	return seen
}

// follow calls visit for each state reachable in one step from st.
func (s *schema) follow(st state, visit func(state, string)) {
	g := st.graph
	def := g.schema.Types[st.typ]
	for _, f := range def.Fields {
		if !s.resolvable(g, st.typ, f.Name) {
			continue
		}
		target := g.schema.Types[f.Type.Name()]
		if target == nil || target.Kind == ast.Scalar || target.Kind == ast.Enum {
			continue
		}
		visit(state{target.Name, g}, f.Name)
		for _, impl := range g.schema.PossibleTypes[target.Name] {
			visit(state{impl.Name, g}, f.Name)
		}
	}
	for _, h := range s.graphs {
		if h != g && s.canJump(st, h) {
			visit(state{st.typ, h}, "")
		}
	}
}

// canJump tells whether a plan at st can fetch the same entity from subgraph h: h needs a
// resolvable @key on the type whose fields st's subgraph resolves.
func (s *schema) canJump(st state, h *subgraph) bool {
	def := h.schema.Types[st.typ]
	if def == nil {
		return false
	}
	for _, k := range h.dirs(def.Directives, "key") {
		if r := k.Arguments.ForName("resolvable"); r != nil && r.Value.Raw == "false" {
			continue
		}
		if s.providesKey(st.graph, st.typ, argString(k, "fields")) {
			return true
		}
	}
	return false
}

// providesKey tells whether g resolves the top-level fields of the FieldSet fields on typ.
//
// TODO(#3): nested key selections are only checked at their first level.
func (s *schema) providesKey(g *subgraph, typ, fields string) bool {
	def := g.schema.Types[typ]
	set, err := parseFieldSet(fields)
	if def == nil || err != nil {
		return false
	}
	for _, sel := range set {
		f, ok := sel.(*ast.Field)
		if !ok || def.Fields.ForName(f.Name) == nil || !s.resolvable(g, typ, f.Name) {
			return false
		}
	}
	return true
}

// checkSatisfiability reports fields of reachable object types that no query plan can
// resolve, and @requires whose fields no reachable subgraph resolves.
func checkSatisfiability(s *schema) Errors {
	seen := reach(s)
	var errs Errors
	for _, name := range s.typeNames() {
		t := s.types[name]
		if t.kind != ast.Object || !reachedAnywhere(seen, s, name) {
			continue
		}
		for _, f := range t.fields {
			errs = append(errs, checkField(s, seen, t, f)...)
		}
	}
	return errs
}

// reachedAnywhere tells whether some subgraph's plan reaches type name.
func reachedAnywhere(seen map[state]*step, s *schema, name string) bool {
	for _, g := range s.graphs {
		if _, ok := seen[state{name, g}]; ok {
			return true
		}
	}
	return false
}

// checkField reports field f of t when no reached subgraph resolves it, and a @requires
// of f whose fields no reached subgraph resolves.
func checkField(s *schema, seen map[state]*step, t *mType, f *mField) Errors {
	if f.fromInterfaceObject {
		return nil
	}
	var resolver *fieldSource
	for _, src := range f.sources {
		if !src.resolves() && src.overrideLabel == "" {
			continue
		}
		if _, ok := seen[state{t.name, src.g}]; ok {
			return checkRequires(s, seen, t, src)
		}
		resolver = src
	}
	if resolver == nil {
		return nil
	}
	example := exampleQuery(seen, t.name, f.name, s)
	return Errors{resolver.g.errorf(CodeSatisfiability, resolver.def.Position,
		"the supergraph query %s cannot be satisfied: field %q is only resolved by subgraph %s, "+
			"and no query plan reaches type %q there (it needs a resolvable @key whose fields another "+
			"subgraph on the path can provide)", example, t.name+"."+f.name, quote(resolver.g.name), t.name)}
}

// checkRequires reports the required fields of src that no subgraph reaching the type
// resolves.
func checkRequires(s *schema, seen map[state]*step, t *mType, src *fieldSource) Errors {
	set, err := parseFieldSet(src.requires)
	if src.requires == "" || err != nil {
		return nil
	}
	var errs Errors
	for _, sel := range set {
		f, ok := sel.(*ast.Field)
		if !ok || requiredAvailable(s, seen, t.name, f.Name) {
			continue
		}
		errs = append(errs, src.g.errorf(CodeSatisfiability, src.def.Position,
			"field %q requires %q, but no subgraph that a query plan reaches for type %q resolves it",
			t.name+"."+src.def.Name, t.name+"."+f.Name, t.name))
	}
	return errs
}

// requiredAvailable tells whether some reached subgraph resolves field of typ.
func requiredAvailable(s *schema, seen map[state]*step, typ, field string) bool {
	for _, g := range s.graphs {
		def := g.schema.Types[typ]
		if _, ok := seen[state{typ, g}]; !ok || def == nil || def.Fields.ForName(field) == nil {
			continue
		}
		if s.resolvable(g, typ, field) {
			return true
		}
	}
	return false
}

// exampleQuery prints a query that selects field on typ along the first path found to typ.
func exampleQuery(seen map[state]*step, typ, field string, s *schema) string {
	var st *state
	for _, g := range s.graphs {
		if _, ok := seen[state{typ, g}]; ok {
			st = &state{typ, g}
			break
		}
	}
	path := []string{field}
	root := "Query"
	for st != nil {
		how := seen[*st]
		root = st.typ
		if how == nil {
			break
		}
		if how.field != "" {
			path = append([]string{how.field}, path...)
		}
		st = how.from
	}
	op := map[string]string{"Query": "", "Mutation": "mutation ", "Subscription": "subscription "}[root]
	return op + "{ " + strings.Join(path, " { ") + strings.Repeat(" }", len(path)-1) + " }"
}

// resolvable tells whether subgraph g resolves field of typ: it defines it, not as
// @external, and no other subgraph took it over with @override.
func (s *schema) resolvable(g *subgraph, typ, field string) bool {
	if g.facts.external[coord{typ, field}] {
		return false
	}
	t := s.types[typ]
	if t == nil {
		return true
	}
	f := t.field(field)
	if f == nil {
		return true
	}
	for _, src := range f.sources {
		if src.g == g {
			return !src.dropped && !src.usedOverridden
		}
	}
	return true
}
