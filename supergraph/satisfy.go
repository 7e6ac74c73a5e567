package supergraph

import (
	"sort"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// state is a query planner position: a type as seen by one subgraph, with the @external
// fields that a @provides on the way made available there (a FieldSet, "" for none).
type state struct {
	typ      string
	graph    *subgraph
	provided string
}

// step records how a state was first reached, to print an example query.
type step struct {
	from  *state
	field string // "... on T" to an implementation, empty for a jump between subgraphs
}

// reach explores, from every root type, which states a query plan can reach: by reading a
// field the subgraph resolves (or that a @provides made available), by narrowing an
// abstract type to its implementations in the same subgraph, or by jumping to another
// subgraph through a resolvable @key (of the type, or of an @interfaceObject standing for
// one of its interfaces) whose fields the current state can read.
//
// TODO(#3): @requires is checked as "some reached subgraph resolves the required fields",
// not by planning the fetch that provides them; @shareable fields whose resolving
// subgraphs return different runtime types are not analysed.
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
				visit(state{typ: root, graph: g}, nil)
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
	if def == nil {
		return
	}
	if def.Kind == ast.Interface || def.Kind == ast.Union {
		for _, impl := range g.schema.PossibleTypes[def.Name] {
			if impl.Name != def.Name {
				visit(state{typ: impl.Name, graph: g, provided: narrow(st.provided, impl.Name)}, "... on "+impl.Name)
			}
		}
	}
	for _, f := range def.Fields {
		if next, ok := s.fieldState(st, f.Name); ok {
			visit(next, f.Name)
		}
	}
	for _, next := range s.jumps(st) {
		visit(next, "")
	}
}

// fieldState returns the state reached by reading field of st, if st can read it and it
// returns a composite type.
func (s *schema) fieldState(st state, field string) (state, bool) {
	g := st.graph
	f := g.schema.Types[st.typ].Fields.ForName(field)
	sub, wasProvided := providedFields(st.provided, st.typ)[field]
	if f == nil || !wasProvided && !s.resolvable(g, st.typ, field) {
		return state{}, false
	}
	target := g.schema.Types[f.Type.Name()]
	if target == nil || target.Kind == ast.Scalar || target.Kind == ast.Enum {
		return state{}, false
	}
	next := state{typ: target.Name, graph: g, provided: sub}
	if !wasProvided {
		next.provided = normalizeFieldSet(g.facts.provides[coord{st.typ, field}])
	}
	return next, true
}

// jumps returns the states of other subgraphs that st can fetch the same entity from. A
// root type can move to any subgraph's root type: an operation may start anywhere.
func (s *schema) jumps(st state) []state {
	var out []state
	if isRoot(st.typ) {
		for _, h := range s.graphs {
			if d := h.schema.Types[st.typ]; h != st.graph && d != nil && !d.BuiltIn {
				out = append(out, state{typ: st.typ, graph: h})
			}
		}
		return out
	}
	targets := []string{st.typ}
	if t := s.types[st.typ]; t != nil {
		targets = append(targets, t.interfaces...)
	}
	for _, h := range s.graphs {
		for _, typ := range targets {
			if h != st.graph && s.canJump(st, h, typ) {
				out = append(out, state{typ: typ, graph: h})
			}
		}
	}
	return out
}

// canJump tells whether a plan at st can fetch typ (st's type, or an interface of it that
// h declares with @interfaceObject) from subgraph h: h needs a resolvable @key on typ whose
// fields st can read.
func (s *schema) canJump(st state, h *subgraph, typ string) bool {
	def := h.schema.Types[typ]
	if def == nil || typ != st.typ && h.dir(def.Directives, "interfaceObject") == nil {
		return false
	}
	for _, k := range h.dirs(def.Directives, "key") {
		if r := k.Arguments.ForName("resolvable"); r != nil && r.Value.Raw == "false" {
			continue
		}
		set, err := parseFieldSet(argString(k, "fields"))
		if err == nil && s.canRead(st, set) {
			return true
		}
	}
	return false
}

// canRead tells whether a plan at st can read every field of the selection set.
func (s *schema) canRead(st state, set ast.SelectionSet) bool {
	for _, sel := range set {
		f, ok := sel.(*ast.Field)
		if !ok {
			return false
		}
		if len(f.SelectionSet) == 0 {
			if !s.canReadLeaf(st, f.Name) {
				return false
			}
			continue
		}
		next, ok := s.fieldState(st, f.Name)
		if !ok || !s.canRead(next, f.SelectionSet) {
			return false
		}
	}
	return true
}

// canReadLeaf tells whether a plan at st can read field, a leaf.
func (s *schema) canReadLeaf(st state, field string) bool {
	if _, ok := providedFields(st.provided, st.typ)[field]; ok {
		return true
	}
	def := st.graph.schema.Types[st.typ]
	return def != nil && def.Fields.ForName(field) != nil && s.resolvable(st.graph, st.typ, field)
}

// providedFields returns the fields of typ that a provided FieldSet names, each with its
// sub-selection printed as a FieldSet.
func providedFields(provided, typ string) map[string]string {
	if provided == "" {
		return nil
	}
	set, err := parseFieldSet(provided)
	if err != nil {
		return nil
	}
	out := map[string]string{}
	for _, sel := range set {
		switch x := sel.(type) {
		case *ast.Field:
			out[x.Name] = printSelections(x.SelectionSet)
		case *ast.InlineFragment:
			if x.TypeCondition == "" || x.TypeCondition == typ {
				for name, sub := range providedFields(printSelections(x.SelectionSet), typ) {
					out[name] = sub
				}
			}
		}
	}
	return out
}

// narrow keeps the part of a provided FieldSet that applies to implementation typ: plain
// fields and fragments on typ.
func narrow(provided, typ string) string {
	fields := providedFields(provided, typ)
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, name := range names {
		parts[i] = name
		if fields[name] != "" {
			parts[i] += " { " + fields[name] + " }"
		}
	}
	return strings.Join(parts, " ")
}

// checkSatisfiability reports, for every reached state of an object type, the fields of
// the supergraph type that a plan at that state cannot read, even after jumping to other
// subgraphs; and @requires whose fields no reached subgraph resolves. Each field is
// reported once, with an example query along the first failing path.
func checkSatisfiability(s *schema) Errors {
	seen := reach(s)
	byType := map[string][]state{}
	for st := range seen {
		byType[st.typ] = append(byType[st.typ], st)
	}
	var errs Errors
	for _, name := range s.typeNames() {
		t := s.types[name]
		if t.kind != ast.Object || len(byType[name]) == 0 {
			continue
		}
		sortStates(byType[name])
		for _, f := range t.fields {
			errs = append(errs, s.checkField(seen, byType[name], t, f)...)
		}
	}
	return errs
}

// checkField reports field f of t when some reached state of t cannot read it, directly or
// after jumps; then checks f's @requires.
func (s *schema) checkField(seen map[state]*step, states []state, t *mType, f *mField) Errors {
	for _, st := range states {
		if s.readableFrom(st, f.name) {
			continue
		}
		example := exampleQuery(seen, st, f.name)
		if f.fromInterfaceObject {
			impl := t.defs[0]
			return Errors{impl.g.errorf(CodeSatisfiability, impl.def.Position,
				"the supergraph query %s cannot be satisfied: field %q comes from an @interfaceObject that "+
					"a query plan at type %q in subgraph %q cannot jump to", example, t.name+"."+f.name, t.name,
				st.graph.name)}
		}
		src := resolver(f)
		if src == nil {
			return nil
		}
		return Errors{src.g.errorf(CodeSatisfiability, src.def.Position,
			"the supergraph query %s cannot be satisfied: a query plan reaching type %q in subgraph %q "+
				"cannot read field %q there, nor jump to a subgraph that resolves it (it needs a resolvable @key "+
				"whose fields subgraph %q can provide)", example, t.name, st.graph.name, t.name+"."+f.name,
			st.graph.name)}
	}
	return s.checkRequires(states, t, f)
}

// readableFrom tells whether a plan at st can read field, itself or after jumping to other
// subgraphs (transitively).
func (s *schema) readableFrom(st state, field string) bool {
	visited := map[state]bool{st: true}
	queue := []state{st}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		if s.canReadLeaf(cur, field) {
			return true
		}
		for _, next := range s.jumps(cur) {
			if !visited[next] {
				visited[next] = true
				queue = append(queue, next)
			}
		}
	}
	return false
}

// sortStates orders states by subgraph name and provided fields, for stable reports.
func sortStates(states []state) {
	sort.Slice(states, func(i, j int) bool {
		a, b := states[i], states[j]
		if a.graph.name != b.graph.name {
			return a.graph.name < b.graph.name
		}
		return a.provided < b.provided
	})
}

// resolver returns the first subgraph definition that resolves f, or nil.
func resolver(f *mField) *fieldSource {
	for _, src := range f.sources {
		if src.resolves() || src.overrideLabel != "" {
			return src
		}
	}
	return nil
}

// checkRequires reports the fields that f's @requires names and that no reached state of
// its type can read.
func (s *schema) checkRequires(states []state, t *mType, f *mField) Errors {
	var errs Errors
	for _, src := range f.sources {
		set, err := parseFieldSet(src.requires)
		if src.requires == "" || err != nil || src.dropped {
			continue
		}
		for _, sel := range set {
			field, ok := sel.(*ast.Field)
			if !ok || s.readableSomewhere(states, field.Name) {
				continue
			}
			errs = append(errs, src.g.errorf(CodeSatisfiability, src.def.Position,
				"field %q requires %q, but no subgraph that a query plan reaches for type %q resolves it",
				t.name+"."+f.name, t.name+"."+field.Name, t.name))
		}
	}
	return errs
}

// readableSomewhere tells whether some state of states reads field from its own subgraph.
func (s *schema) readableSomewhere(states []state, field string) bool {
	for _, st := range states {
		if s.canReadLeaf(state{typ: st.typ, graph: st.graph}, field) {
			return true
		}
	}
	return false
}

// exampleQuery prints a query that selects field along the path that first reached st.
func exampleQuery(seen map[state]*step, st state, field string) string {
	path := []string{field}
	root := "Query"
	for cur := &st; cur != nil; {
		how := seen[*cur]
		root = cur.typ
		if how == nil {
			break
		}
		if how.field != "" {
			path = append([]string{how.field}, path...)
		}
		cur = how.from
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

// isRoot tells whether name is a root operation type name.
func isRoot(name string) bool {
	return name == "Query" || name == "Mutation" || name == "Subscription"
}
