package supergraph

import (
	"sort"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// state is a subgraph position of a query plan: a type as seen by one subgraph, with the
// @external fields that a @provides on the way made available there (a FieldSet, "" for
// none).
type state struct {
	typ      string
	graph    *subgraph
	provided string
}

// node is a supergraph position: a type some query path reaches, with every state a plan
// may be in there. The states are closed under jumps between subgraphs, so a field is
// plannable at the node when one of them can read it.
type node struct {
	typ    string
	states []state
	path   []string
}

// checkSatisfiability explores every query path of the supergraph, from the root types
// down, and reports a field that no plan for a path reaching its type can read. A plan
// may read a field its subgraph resolves (or that a @provides on the path made available),
// narrow an interface or union to an implementation in the same subgraph, or jump to
// another subgraph through a resolvable @key (of the type, or of an @interfaceObject
// standing for one of its interfaces) whose fields, nested ones included, it can read; a
// root type can move to any subgraph. Paths that reach the same type with the same states
// are explored once. Each field is reported once, with the first (shortest) failing path.
//
// TODO(#3): only the first level of a @requires selection is checked; @shareable fields
// whose subgraphs return different runtime types are not analysed.
func checkSatisfiability(s *schema) Errors {
	var errs Errors
	reported := map[coord]bool{}
	seen := map[string]bool{}
	var queue []node
	push := func(n node) {
		if k := n.key(); !seen[k] {
			seen[k] = true
			queue = append(queue, n)
		}
	}
	for _, root := range []string{"Query", "Mutation", "Subscription"} {
		var states []state
		for _, g := range s.graphs {
			if d := g.schema.Types[root]; d != nil && !d.BuiltIn {
				states = append(states, state{typ: root, graph: g})
			}
		}
		if len(states) > 0 {
			push(node{typ: root, states: s.closure(states), path: []string{root}})
		}
	}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		next, nerrs := s.expand(n, reported)
		errs = append(errs, nerrs...)
		for _, m := range next {
			push(m)
		}
	}
	return errs
}

// key identifies a node by its type and states.
func (n node) key() string {
	var b strings.Builder
	b.WriteString(n.typ)
	for _, st := range n.states {
		b.WriteString("|" + st.typ + "@" + st.graph.name + ":" + st.provided)
	}
	return b.String()
}

// expand returns the nodes one step below n and reports the fields of n's type that no
// state of n can read.
func (s *schema) expand(n node, reported map[coord]bool) ([]node, Errors) {
	t := s.types[n.typ]
	switch {
	case t == nil:
		return nil, nil
	case t.kind == ast.Interface || t.kind == ast.Union:
		return s.narrowNode(n, t), nil
	case t.kind != ast.Object:
		return nil, nil
	}
	var out []node
	var errs Errors
	for _, f := range t.fields {
		readable := false
		var next []state
		for _, st := range n.states {
			readable = readable || s.canReadLeaf(st, f.name)
			if ns, ok := s.fieldState(st, f.name); ok {
				next = append(next, ns)
			}
		}
		c := coord{t.name, f.name}
		switch {
		case !readable && !reported[c]:
			reported[c] = true
			errs = append(errs, unsatisfiable(n, t, f))
		case readable && !reported[c]:
			rerrs := append(s.checkRequires(t, f), checkLabelledOverride(t, f)...)
			if len(rerrs) > 0 {
				reported[c] = true
				errs = append(errs, rerrs...)
			}
		}
		if len(next) > 0 {
			out = append(out, node{typ: f.typ.Name(), states: s.closure(next), path: appendPath(n.path, f.name)})
		}
	}
	return out, errs
}

// narrowNode returns, for each implementation of abstract type t, the node of the states of
// n that can narrow to it. An implementation no state knows is left out: no subgraph on
// the path can return it.
func (s *schema) narrowNode(n node, t *mType) []node {
	impls := t.unionTypes
	if t.kind == ast.Interface {
		impls = nil
		for _, impl := range s.implementations(t.name) {
			impls = append(impls, impl.name)
		}
	}
	var out []node
	for _, impl := range impls {
		var states []state
		for _, st := range n.states {
			if ns, ok := narrowState(st, impl); ok {
				states = append(states, ns)
			}
		}
		if len(states) > 0 {
			out = append(out, node{typ: impl, states: s.closure(states), path: appendPath(n.path, "... on "+impl)})
		}
	}
	return out
}

// narrowState returns st narrowed to implementation impl, if its subgraph knows impl as a
// possible type of st's type.
func narrowState(st state, impl string) (state, bool) {
	if st.typ == impl {
		return st, true
	}
	for _, p := range st.graph.schema.PossibleTypes[st.typ] {
		if p.Name == impl {
			return state{typ: impl, graph: st.graph, provided: narrow(st.provided, impl)}, true
		}
	}
	return state{}, false
}

// closure returns states with every state reachable from them by jumps, sorted.
func (s *schema) closure(states []state) []state {
	seen := map[state]bool{}
	var out []state
	queue := append([]state(nil), states...)
	for len(queue) > 0 {
		st := queue[0]
		queue = queue[1:]
		if seen[st] {
			continue
		}
		seen[st] = true
		out = append(out, st)
		queue = append(queue, s.jumps(st)...)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.graph.name != b.graph.name {
			return a.graph.name < b.graph.name
		}
		if a.typ != b.typ {
			return a.typ < b.typ
		}
		return a.provided < b.provided
	})
	return out
}

// appendPath returns path with one more element, without sharing path's array.
func appendPath(path []string, elem string) []string {
	return append(append([]string(nil), path...), elem)
}

// unsatisfiable reports field f of t, unreadable at node n.
func unsatisfiable(n node, t *mType, f *mField) *Error {
	graphs := make([]string, 0, len(n.states))
	for _, st := range n.states {
		if !contains(graphs, st.graph.name) {
			graphs = append(graphs, st.graph.name)
		}
	}
	at, where := t.defs[0].g, t.defs[0].def.Position
	if src := resolver(f); src != nil {
		at, where = src.g, src.def.Position
	}
	what := "resolves " + quote(t.name+"."+f.name) + " or can jump to a subgraph that does"
	if f.fromInterfaceObject {
		what = "can jump to the @interfaceObject that provides " + quote(t.name+"."+f.name)
	}
	return at.errorf(CodeSatisfiability, where,
		"the supergraph query %s cannot be satisfied: at type %q a query plan can only be in subgraph%s %s, "+
			"and none of them %s (a jump needs a resolvable @key whose fields the plan can provide)",
		exampleQuery(n.path, f.name), t.name, plural(graphs), graphList(graphs), what)
}

// checkRequires reports the fields that f's @requires names and that the requiring
// subgraph cannot obtain: the router fetches them from that subgraph's entity, itself or
// through jumps to other subgraphs.
func (s *schema) checkRequires(t *mType, f *mField) Errors {
	var errs Errors
	for _, src := range f.sources {
		set, err := parseFieldSet(src.requires)
		if src.requires == "" || err != nil || src.dropped {
			continue
		}
		from := s.closure([]state{{typ: t.name, graph: src.g}})
		for _, sel := range set {
			field, ok := sel.(*ast.Field)
			if !ok || s.anyCanRead(from, field.Name) {
				continue
			}
			errs = append(errs, src.g.errorf(CodeSatisfiability, src.def.Position,
				"field %q requires %q, which subgraph %q cannot obtain: no subgraph it can jump to from type %q "+
					"resolves it", t.name+"."+f.name, t.name+"."+field.Name, src.g.name, t.name))
		}
	}
	return errs
}

// anyCanRead tells whether some state reads field from its own subgraph.
func (s *schema) anyCanRead(states []state, field string) bool {
	for _, st := range states {
		if s.canReadLeaf(state{typ: st.typ, graph: st.graph}, field) {
			return true
		}
	}
	return false
}

// exampleQuery prints a query selecting field at the end of path, whose first element is
// the root type.
func exampleQuery(path []string, field string) string {
	op := map[string]string{"Query": "", "Mutation": "mutation ", "Subscription": "subscription "}[path[0]]
	sel := append(append([]string(nil), path[1:]...), field)
	return op + "{ " + strings.Join(sel, " { ") + strings.Repeat(" }", len(sel)-1) + " }"
}

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

// fields st can read.
func (s *schema) canJump(st state, h *subgraph, typ string) bool {
	def := h.schema.Types[typ]
	if def == nil {
		return false
	}
	if typ != st.typ && (h.dir(def.Directives, "interfaceObject") == nil || !st.graph.isEntity(st.typ)) {
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

// resolver returns the first subgraph definition that resolves f, or nil.
func resolver(f *mField) *fieldSource {
	for _, src := range f.sources {
		if src.resolves() || src.overrideLabel != "" {
			return src
		}
	}
	return nil
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

// checkLabelledOverride reports a progressive @override (with a label) from a subgraph
// that does not define the field: the requests the label leaves with that subgraph would
// find nothing to resolve the field.
func checkLabelledOverride(t *mType, f *mField) Errors {
	var errs Errors
	for _, src := range f.sources {
		if src.override == "" || src.overrideLabel == "" || definedIn(f, src.override) {
			continue
		}
		errs = append(errs, src.g.errorf(CodeSatisfiability, src.def.Position,
			"field %q is progressively overridden (label %q) from subgraph %q, which does not define it: "+
				"requests the label leaves with %q cannot resolve it", t.name+"."+f.name, src.overrideLabel,
			src.override, src.override))
	}
	return errs
}

// definedIn tells whether the subgraph called name defines f.
func definedIn(f *mField, name string) bool {
	for _, src := range f.sources {
		if src.g.name == name {
			return true
		}
	}
	return false
}
