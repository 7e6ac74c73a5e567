package engine

import (
	"fmt"
	"hash/fnv"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/vektah/gqlparser/v2/ast"
)

// planNode is a node of a query plan: *sequenceNode, *parallelNode or *fetchNode.
type planNode interface{ isPlanNode() }

type (
	sequenceNode struct{ nodes []planNode }
	parallelNode struct{ nodes []planNode }
)

// batchNode sends the entity fetches of one plan step that go to one subgraph in a single
// request, each part under its own alias of _entities.
type batchNode struct {
	graph int
	parts []*fetchNode
	query string
	// head is the start of the request body, up to the variables (requestHead).
	head string
	vars []string
}

func (*batchNode) isPlanNode()    {}
func (*sequenceNode) isPlanNode() {}
func (*parallelNode) isPlanNode() {}
func (*fetchNode) isPlanNode()    {}

// fetchNode is one subgraph request. An entity fetch (entity != "") is flattened into the
// objects found at path: it sends their representations and merges the results back.
type fetchNode struct {
	id       int
	graph    int
	mutation bool
	// path locates the objects of an entity fetch: response keys, "@" for list items and
	// "|T" to keep only objects whose __typename is T.
	path   []string
	entity string
	repr   []reprField
	sel    *qsel
	deps   []*fetchNode
	query  string
	// head is the start of the request body, up to the variables (requestHead).
	head  string
	vars  []string
	stage int
	level int
	// aliased is set when sel holds private aliases to rename in the answer (restoreKeys).
	aliased bool
	// fields are the response keys of the client fields an entity fetch resolves at the top
	// of its selection; an error that names no entity is reported at the field when there is
	// only one (see fallbackPath).
	fields []string
}

// note records cf when it is a client field at the top of entity fetch f's selection.
func (f *fetchNode) note(q *qsel, cf *cfield) {
	if f.entity != "" && q == f.sel && !cf.extra && !slices.Contains(f.fields, cf.key) {
		f.fields = append(f.fields, cf.key)
	}
}

// reprField reads one field of a representation from a merged object.
type reprField struct {
	key  string // response key in the merged data
	name string // field name in the representation
	set  ast.SelectionSet
}

// plan is a cached query plan.
type plan struct {
	root    planNode
	fetches []*fetchNode
	names   []string
	// rootField is the root of the field collection of response building, which its fields
	// cache.
	rootField *cfield
	// dataSize is the length of the last response written from the plan: responses to one
	// plan are usually alike, so the next one's buffer is allocated at that size at once.
	dataSize atomic.Int64
}

// qsel is a subgraph selection set being built; items keep insertion order. cond is the
// type condition of a fragment's selection, empty elsewhere.
type qsel struct {
	fields []*qfield
	frags  []*qfrag
	cond   string
}

// qfield is one field of a subgraph selection. key is the response key in the subgraph
// operation; out, when set, is the response key in the merged data, and key a private alias
// that the fetch's answer is renamed from.
type qfield struct {
	key, name string
	out       string
	args      ast.ArgumentList
	sub       *qsel
}

// respKey is the field's response key in the merged data.
func (f *qfield) respKey() string {
	if f.out != "" {
		return f.out
	}
	return f.key
}

type qfrag struct {
	typeName string
	sel      *qsel
}

func (q *qsel) field(key, name string, args ast.ArgumentList, composite bool) *qfield {
	for _, f := range q.fields {
		if f.respKey() == key {
			return f
		}
	}
	f := &qfield{key: key, name: name, args: args}
	if composite {
		f.sub = &qsel{}
	}
	q.fields = append(q.fields, f)
	return f
}

func (q *qsel) frag(typeName string) *qsel {
	for _, f := range q.frags {
		if f.typeName == typeName {
			return f.sel
		}
	}
	f := &qfrag{typeName: typeName, sel: &qsel{cond: typeName}}
	q.frags = append(q.frags, f)
	return f.sel
}

// planner builds one plan. It is used by one goroutine.
type planner struct {
	sg      *Supergraph
	c       *collector
	labels  map[string]bool
	fetches []*fetchNode
	stage   int
	err     error
	// stack holds the positions being planned, outermost first.
	stack []*frame
}

// frame is a position being planned: fetch f selects fields of typeName there into q.
type frame struct {
	f              *fetchNode
	q              *qsel
	typeName, meta string
	fields         []*cfield
	path           []string
	prov           []ast.SelectionSet
	// step is the field of this position whose sub-selection is being planned, nil
	// between fields; cond is set when that sub-selection is under a type condition.
	step *cfield
	cond bool
	// reentered holds the entity fetches made from this position, per subgraph.
	reentered map[int]*fetchNode
}

// target is a subgraph that resolves a field of an entity, as entity type (the type itself or
// an interface it implements that the subgraph declares with @interfaceObject).
type target struct {
	graph  int
	entity string
}

// hop is one entity fetch on the way to a target.
type hop struct {
	target
	key *key
}

// group is the set of fields fetched by one entity fetch from one position.
type group struct {
	chain    []hop
	fields   []*cfield
	requires bool
	// keyed is set when the fetch's own subgraph cannot provide the key: its fields are
	// then planned at the position like @requires selections, and the fetch waits for them.
	keyed bool
}

func (e *Engine) planFor(o *operation) (*plan, error) {
	if v, ok := e.cache.get(o.key); ok {
		return v.(*plan), nil
	}
	p := &planner{
		sg:     e.sg,
		c:      &collector{sg: e.sg, doc: o.doc.doc, vars: o.vars, skip: o.rejected},
		labels: o.labels,
	}
	pl, err := p.build(o.op)
	if err != nil {
		return nil, err
	}
	e.cache.put(o.key, pl)
	return pl, nil
}

func (p *planner) fail(format string, args ...any) {
	if p.err == nil {
		p.err = fmt.Errorf(format, args...)
	}
}

func (p *planner) rootType(op ast.Operation) string {
	switch op {
	case ast.Mutation:
		return p.sg.full.Mutation.Name
	case ast.Subscription:
		if p.sg.full.Subscription != nil {
			return p.sg.full.Subscription.Name
		}
	}
	return p.sg.full.Query.Name
}

// build plans an operation: root fields grouped per subgraph, then everything below them.
func (p *planner) build(op *ast.OperationDefinition) (*plan, error) {
	if op.Operation == ast.Subscription {
		// TODO(#4): subscriptions need a streaming transport to subgraphs; they are refused.
		return nil, fmt.Errorf("subscriptions are not supported")
	}
	root := p.rootType(op.Operation)
	mutation := op.Operation == ast.Mutation

	// Each root group is one fetch; for a mutation each is also a stage of its own, so that
	// a field and everything below it completes before the next field starts.
	for i, rg := range p.assignRoots(root, op.SelectionSet, mutation) {
		if mutation {
			p.stage = i
		}
		f := p.newFetch(rg.graph, "", nil)
		f.mutation = mutation
		p.planLevel(f, f.sel, root, root, rg.fields, nil, nil, false)
	}
	if p.err != nil {
		return nil, p.err
	}
	pl := p.finish()
	pl.rootField = &cfield{sets: []ast.SelectionSet{op.SelectionSet}}
	return pl, nil
}

// rootGroup is the root fields one fetch resolves.
type rootGroup struct {
	graph  int
	fields []*cfield
}

// assignRoots assigns each root field to a subgraph. Query fields of one subgraph share a
// fetch; mutation fields keep their order, so only consecutive fields share one.
func (p *planner) assignRoots(root string, set ast.SelectionSet, mutation bool) []*rootGroup {
	var groups []*rootGroup
	open := func(g int) *rootGroup {
		if mutation && len(groups) > 0 && groups[len(groups)-1].graph == g {
			return groups[len(groups)-1]
		}
		for _, rg := range groups {
			if !mutation && rg.graph == g {
				return rg
			}
		}
		return nil
	}
	for _, cf := range p.c.collect(root, []ast.SelectionSet{set}) {
		if strings.HasPrefix(cf.name, "__") {
			continue // __typename and introspection are answered without a subgraph
		}
		g, planned := p.chooseRoot(root, cf, func(g int) bool { return open(g) != nil })
		if g < 0 {
			p.fail("no subgraph resolves %s.%s", root, cf.name)
			return nil
		}
		parts := []rootPart{{g, cf}}
		if !planned && !mutation {
			if split := p.splitRoot(root, cf); split != nil {
				parts = split
			}
		}
		for _, part := range parts {
			rg := open(part.graph)
			if rg == nil {
				rg = &rootGroup{graph: part.graph}
				groups = append(groups, rg)
			}
			rg.fields = append(rg.fields, part.field)
		}
	}
	return groups
}

// rootPart is a root field, or part of its sub-selection, to fetch from one subgraph.
type rootPart struct {
	graph int
	field *cfield
}

// splitRoot divides the sub-selection of a shareable root field that no one subgraph can
// plan among the subgraphs offering the field, when its type is an object type that no key
// lets a fetch leave: each part is fetched with the same field and arguments, and the
// answers merge into one object. Parts go to the subgraphs that plan most of the remaining
// fields first. It returns nil when some field cannot be planned by any of them.
// TODO(#4): only root fields are split; the same shape below a field of a value type or of
// an entity (re-entering through the nearest entity ancestor) still fails planning.
func (p *planner) splitRoot(root string, cf *cfield) []rootPart {
	def := p.sg.fieldDef(root, cf.name)
	child := p.sg.full.Types[def.Type.Name()]
	if child == nil || child.Kind != ast.Object {
		return nil
	}
	var cands []int
	for g := range p.sg.graphs {
		if _, ok := p.sg.fieldIn(g, root, cf.name, p.labels); ok {
			cands = append(cands, g)
		}
	}

	// 1. Which subgraph plans which sub-field on its own.
	subs := p.c.collect(child.Name, cf.sets)
	can := map[int][]int{} // graph -> indexes into subs
	for i, sub := range subs {
		found := false
		for _, g := range cands {
			if p.plans(root, g, restrictField(cf, subs[i:i+1])) {
				can[g] = append(can[g], i)
				found = true
			}
		}
		if !found && !strings.HasPrefix(sub.name, "__") {
			return nil
		}
	}

	// 2. Cover the sub-fields greedily.
	done := make([]bool, len(subs))
	var parts []rootPart
	for left := len(subs); left > 0; {
		best, bestN := -1, 0
		for _, g := range cands {
			n := 0
			for _, i := range can[g] {
				if !done[i] {
					n++
				}
			}
			if n > bestN {
				best, bestN = g, n
			}
		}
		if best < 0 {
			return nil
		}
		var mine []*cfield
		for _, i := range can[best] {
			if !done[i] {
				done[i] = true
				mine = append(mine, subs[i])
			}
		}
		left -= bestN
		parts = append(parts, rootPart{best, restrictField(cf, mine)})
	}
	return parts
}

// plans reports whether subgraph g can plan root field cf with everything below it.
func (p *planner) plans(root string, g int, cf *cfield) bool {
	trial := &planner{sg: p.sg, c: p.c, labels: p.labels}
	f := trial.newFetch(g, "", nil)
	trial.planLevel(f, f.sel, root, root, []*cfield{cf}, nil, nil, false)
	return trial.err == nil
}

// restrictField returns cf with its sub-selection reduced to the fields subs.
func restrictField(cf *cfield, subs []*cfield) *cfield {
	var set ast.SelectionSet
	for _, sub := range subs {
		for _, f := range sub.fields {
			set = append(set, f)
		}
	}
	return &cfield{
		key: cf.key, name: cf.name, args: cf.args, fields: cf.fields, extra: cf.extra,
		sets: []ast.SelectionSet{set},
	}
}

// chooseRoot picks the subgraph for a root field (several for @shareable fields): the one
// whose plan for the field needs the fewest fetches, counting none for the root fetch when
// the subgraph already has one; ties go to a subgraph in use, then to subgraph order.
// planned is false when no subgraph can plan everything below the field.
func (p *planner) chooseRoot(root string, cf *cfield, used func(int) bool) (g int, planned bool) {
	var cands []int
	for g := range p.sg.graphs {
		if _, ok := p.sg.fieldIn(g, root, cf.name, p.labels); ok {
			cands = append(cands, g)
		}
	}
	if len(cands) == 1 {
		return cands[0], true
	}
	best, bestCost, bestUsed := -1, 0, false
	for _, g := range cands {
		trial := &planner{sg: p.sg, c: p.c, labels: p.labels}
		f := trial.newFetch(g, "", nil)
		trial.planLevel(f, f.sel, root, root, []*cfield{cf}, nil, nil, false)
		if trial.err != nil {
			continue
		}
		cost, u := len(trial.fetches), used(g)
		if u {
			cost--
		}
		if best < 0 || cost < bestCost || cost == bestCost && u && !bestUsed {
			best, bestCost, bestUsed = g, cost, u
		}
	}
	if best < 0 && len(cands) > 0 {
		return cands[0], false
	}
	return best, true
}

func (p *planner) newFetch(g int, entity string, path []string) *fetchNode {
	f := &fetchNode{id: len(p.fetches), graph: g, entity: entity, sel: &qsel{}, stage: p.stage}
	f.path = append([]string(nil), path...)
	p.fetches = append(p.fetches, f)
	return f
}

// planLevel plans the fields selected at one position whose concrete type is typeName, in
// fetch f, whose selection at this position is q. meta is the type name used for join
// lookups (an interface for @interfaceObject fetches). prov holds the selections the parent
// field @provides here. entityRoot allows fields whose @requires the fetch's representation
// carries. It returns every fetch created below this position.
func (p *planner) planLevel(f *fetchNode, q *qsel, typeName, meta string, fields []*cfield,
	path []string, prov []ast.SelectionSet, entityRoot bool,
) []*fetchNode {
	if p.err != nil {
		return nil
	}

	// 1. Split and route, with the requirements of routed fields; first-hop keys are local.
	// A field no key leads to is fetched again from an ancestor (reenter).
	local, groups, stranded := p.settle(f, typeName, meta, fields, prov, entityRoot)
	if p.err != nil {
		return nil
	}
	for _, g := range groups {
		if !g.keyed {
			g.chain[0].key.extras(fields, &local)
		}
	}
	fr := &frame{f: f, q: q, typeName: typeName, meta: meta, fields: fields, path: path, prov: prov}
	var created []*fetchNode
	from := map[string][]*fetchNode{}
	for _, cf := range stranded {
		out, ok := p.reenter(typeName, cf, path)
		if !ok {
			p.fail("cannot plan field %s.%s: no subgraph reachable through keys", typeName, cf.name)
			return nil
		}
		from[cf.key] = append(from[cf.key], out...)
		created = append(created, out...)
	}
	p.stack = append(p.stack, fr)
	defer func() { p.stack = p.stack[:len(p.stack)-1] }()

	// 2. Plan what f resolves here and the fetches that need no requirement, noting which
	// fetches each field's value comes from.
	for _, cf := range local {
		fr.step, fr.cond = cf, false
		out := p.planLocal(f, q, meta, cf, path, prov)
		from[cf.key] = append(from[cf.key], out...)
		created = append(created, out...)
	}
	fr.step = nil
	nodes := map[string]*fetchNode{}
	for _, g := range groups {
		if !g.requires {
			out := p.planGroup(g, fields, typeName, path, f, nil, nodes)
			for _, cf := range g.fields {
				from[cf.key] = append(from[cf.key], out...)
			}
			created = append(created, out...)
		}
	}

	// 3. Then the fetches with requirements.
	lp := &levelPlan{
		p: p, f: f, fields: fields, typeName: typeName, path: path, nodes: nodes,
		base: append([]*fetchNode(nil), created...), from: from,
		byKey: map[string]*group{}, done: map[*group][]*fetchNode{},
	}
	for _, g := range groups {
		for _, cf := range g.fields {
			lp.byKey[cf.key] = g
		}
	}
	for _, g := range groups {
		if g.requires {
			created = append(created, lp.requiring(g, 0)...)
		}
	}
	return created
}

// settle splits fields into those f resolves at this position and groups routed to entity
// fetches. The requirements of routed fields join the position until nothing new is required.
func (p *planner) settle(f *fetchNode, typeName, meta string, fields []*cfield, prov []ast.SelectionSet,
	entityRoot bool,
) (local []*cfield, groups []*group, stranded []*cfield) {
	all := append([]*cfield(nil), fields...)
	seen := map[string]bool{}
	for round := 0; round <= 16; round++ {
		local, groups, stranded = p.split(f, typeName, meta, all, prov, entityRoot)
		grown := false
		for _, g := range groups {
			for _, req := range p.requirements(g) {
				if !seen[req.graphKey] {
					seen[req.graphKey] = true
					grown = true
					addExtras(req.set, fields, &all)
				}
			}
		}
		if !grown || p.err != nil {
			return local, groups, stranded
		}
	}
	p.fail("requirements of %s do not settle", typeName)
	return nil, nil, nil
}

// levelPlan orders the fetches with requirements of one position.
type levelPlan struct {
	p        *planner
	f        *fetchNode
	fields   []*cfield
	typeName string
	path     []string
	nodes    map[string]*fetchNode
	// base are the fetches created before the requirements; from maps a response key to
	// the fetches among them its value comes from; byKey finds the group of a field; done
	// memoizes the fetches created per group.
	base  []*fetchNode
	from  map[string][]*fetchNode
	byKey map[string]*group
	done  map[*group][]*fetchNode
}

// requiring plans a group with requirements after the fetches its required fields come
// from, including groups of requirements that have requirements themselves. When the parent
// fetch alone provides them, the group shares the entity fetch of the fields that need none.
func (lp *levelPlan) requiring(g *group, depth int) []*fetchNode {
	if out, ok := lp.done[g]; ok || depth > 16 {
		return out
	}
	var deps []*fetchNode
	for _, req := range lp.p.requirements(g) {
		for _, sel := range req.set {
			rf, ok := sel.(*ast.Field)
			if !ok {
				// A type-conditioned requirement may come from anywhere at this position.
				deps = append(deps, lp.base...)
				continue
			}
			k := extraKey(rf, lp.fields)
			deps = append(deps, lp.from[k]...)
			if dg := lp.byKey[k]; dg != nil && dg.requires && dg != g {
				deps = append(deps, lp.requiring(dg, depth+1)...)
			}
		}
	}
	out := lp.p.planGroup(g, lp.fields, lp.typeName, lp.path, lp.f, deps, lp.nodes)
	lp.done[g] = out
	return out
}

// requirement is the @requires selection of one routed field.
type requirement struct {
	graphKey string
	set      ast.SelectionSet
}

// requirements lists the @requires selections of a group's fields.
func (p *planner) requirements(g *group) []requirement {
	if !g.requires {
		return nil
	}
	last := g.chain[len(g.chain)-1]
	var out []requirement
	if g.keyed {
		out = append(out, requirement{graphKey: strconv.Itoa(last.graph) + "/key " + last.key.text, set: last.key.set})
	}
	for _, cf := range g.fields {
		if fg, _ := p.sg.fieldIn(last.graph, last.entity, cf.name, p.labels); fg != nil && fg.requires != nil {
			out = append(out, requirement{graphKey: strconv.Itoa(last.graph) + "/" + cf.key, set: fg.requires})
		}
	}
	return out
}

// split separates the fields f resolves at this position from those it cannot, and routes
// the latter into groups; stranded are those no key leads to.
func (p *planner) split(f *fetchNode, typeName, meta string, fields []*cfield, prov []ast.SelectionSet,
	entityRoot bool,
) ([]*cfield, []*group, []*cfield) {
	var local, remote []*cfield
	for _, cf := range fields {
		if p.isLocal(f.graph, meta, cf.name, prov, entityRoot) {
			local = append(local, cf)
		} else {
			remote = append(remote, cf)
		}
	}
	groups, stranded := p.route(f.graph, typeName, remote, prov)
	return local, groups, stranded
}

// planGroup creates the fetches of one group's chain and plans its fields in the last one.
func (p *planner) planGroup(g *group, levelFields []*cfield, typeName string, path []string,
	from *fetchNode, req []*fetchNode, nodes map[string]*fetchNode,
) []*fetchNode {
	var created []*fetchNode
	var prefix strings.Builder
	prev := from
	for i, h := range g.chain {
		last := i == len(g.chain)-1
		fmt.Fprintf(&prefix, "%d/%s/%s;", h.graph, h.entity, h.key.text)
		id := prefix.String()
		deps := []*fetchNode{prev}
		if last && len(req) > 0 {
			// Requirements fetched elsewhere delay this fetch; keep it apart from fields that
			// need not wait.
			id += "requires"
			deps = append(deps, req...)
		}
		node := func(id string) *fetchNode {
			n := nodes[id]
			if n == nil {
				n = p.newFetch(h.graph, h.entity, path)
				n.deps = deps
				n.repr = h.key.repr(levelFields)
				nodes[id] = n
				created = append(created, n)
			}
			return n
		}
		if !last {
			// An intermediate hop fetches the next hop's key.
			n := node(id)
			var extras []*cfield
			g.chain[i+1].key.extras(levelFields, &extras)
			created = append(created, p.planLevel(n, n.sel, typeName, h.entity, extras, path, nil, true)...)
			prev = n
			continue
		}
		if !g.requires {
			n := node(id)
			created = append(created, p.planLevel(n, n.sel, typeName, h.entity, g.fields, path, nil, true)...)
			continue
		}
		for i, part := range p.requireParts(g.fields, h, levelFields) {
			n := node(id)
			if i > 0 {
				n = node(id + "#" + strconv.Itoa(i))
			}
			n.repr = mergeRepr(n.repr, part.repr)
			created = append(created, p.planLevel(n, n.sel, typeName, h.entity, part.fields, path, nil, true)...)
		}
	}
	return created
}

// requirePart is fields with requirements fetched together, and their representation fields.
type requirePart struct {
	fields []*cfield
	repr   []reprField
}

// requireParts splits fields with requirements into fetches whose representations never
// carry one field name twice: fields requiring the same field with different arguments
// (under different private keys) each need a representation of their own.
func (p *planner) requireParts(fields []*cfield, h hop, level []*cfield) []*requirePart {
	var parts []*requirePart
	for _, cf := range fields {
		var repr []reprField
		if fg, _ := p.sg.fieldIn(h.graph, h.entity, cf.name, p.labels); fg != nil {
			repr = reprOf(fg.requires, level)
		}
		var into *requirePart
		for _, part := range parts {
			if !reprConflict(part.repr, repr) {
				into = part
				break
			}
		}
		if into == nil {
			into = &requirePart{}
			parts = append(parts, into)
		}
		into.fields = append(into.fields, cf)
		into.repr = mergeRepr(into.repr, repr)
	}
	return parts
}

// reprConflict reports whether two representations give one field name different values.
func reprConflict(a, b []reprField) bool {
	for _, x := range a {
		for _, y := range b {
			if x.name == y.name && x.key != y.key {
				return true
			}
		}
	}
	return false
}

// planLocal adds a field f resolves at this position and plans its sub-selection.
func (p *planner) planLocal(f *fetchNode, q *qsel, meta string, cf *cfield, path []string,
	prov []ast.SelectionSet,
) []*fetchNode {
	if cf.name == "__typename" {
		q.field(cf.key, cf.name, nil, false)
		return nil
	}
	def := p.sg.fieldDef(meta, cf.name)
	if def == nil {
		p.fail("unknown field %s.%s", meta, cf.name)
		return nil
	}
	f.note(q, cf)
	child := p.sg.full.Types[def.Type.Name()]
	composite := child != nil && child.IsCompositeType()
	qf := q.field(cf.key, cf.name, cf.args, composite)
	fg, _ := p.sg.fieldIn(f.graph, meta, cf.name, p.labels)
	if fg != nil && fg.typ != "" && q.cond != "" && qf.out == "" {
		// Sibling fragments may select the same key with another type in this subgraph,
		// which the subgraph refuses (overlapping fields must have the same response shape);
		// a field typed differently there gets a private alias, renamed back on receipt.
		qf.out, qf.key = cf.key, "_"+q.cond+"_"+cf.key
	}
	if !composite {
		return nil
	}

	childProv := p.childProvided(f.graph, meta, cf.name, prov)
	childPath := append(append([]string(nil), path...), cf.key)
	for t := def.Type; t.Elem != nil; t = t.Elem {
		childPath = append(childPath, "@")
	}
	if !child.IsAbstractType() {
		return p.planLevel(f, qf.sub, child.Name, child.Name, p.c.collect(child.Name, cf.sets),
			childPath, p.narrow(childProv, child.Name), false)
	}

	// Abstract: __typename to dispatch, then one fragment per runtime type the subgraph knows.
	// TODO(#4): nested abstract selections multiply fragments per level (types^depth); only
	// leaf-only interface selections are asked on the interface itself so far.
	qf.sub.field("__typename", "__typename", nil, false)
	if obj := p.subgraphObject(fg); obj != "" {
		// The subgraph declares the field with one object type: only its fields apply.
		return p.planLevel(f, qf.sub, obj, obj, p.c.collect(obj, cf.sets), childPath,
			p.narrow(childProv, obj), false)
	}
	if len(p.sg.full.PossibleTypes[child.Name]) == 0 {
		// No object implements the interface: there is no runtime type to resolve, only the
		// interface's own fields, planned (and routed) like an object's.
		return p.planLevel(f, qf.sub, child.Name, child.Name, p.c.collect(child.Name, cf.sets),
			childPath, childProv, false)
	}
	// Fields below are planned under type conditions: no fetch re-enters through them.
	p.stack[len(p.stack)-1].cond = true
	var created []*fetchNode
	if tg := p.sg.types[child.Name].graphs[f.graph]; tg != nil && tg.interfaceObject {
		return p.planInterfaceObject(f, qf, child.Name, cf, childPath, childProv)
	}
	if p.interfaceLeaves(f.graph, child, cf.sets, childProv) {
		for _, x := range p.c.collect(child.Name, cf.sets) {
			qf.sub.field(x.key, x.name, x.args, false)
		}
		return nil
	}
	// TODO(#4): for a shareable field, members that only the chosen subgraph's union knows
	// are fetched with their fields; routers that plan by the members common to every
	// subgraph offering the field answer only __typename for them (their fields null). Which
	// is right is undecided; see docs/conformance.md.
	for _, pt := range p.sg.full.PossibleTypes[child.Name] {
		if !p.sg.knowsMember(f.graph, child.Name, pt.Name) {
			continue
		}
		fields := p.c.collect(pt.Name, cf.sets)
		if len(fields) == 0 {
			continue
		}
		typed := append(append([]string(nil), childPath...), "|"+pt.Name)
		created = append(created, p.planLevel(f, qf.sub.frag(pt.Name), pt.Name, pt.Name, fields,
			typed, p.narrow(childProv, pt.Name), false)...)
	}
	return created
}

// subgraphObject returns the object type a subgraph gives a field whose supergraph type is
// abstract, or "" when the subgraph's type is abstract too.
func (p *planner) subgraphObject(fg *fieldInGraph) string {
	if fg == nil || fg.typ == "" {
		return ""
	}
	name := strings.Trim(fg.typ, "[]!")
	if def := p.sg.full.Types[name]; def != nil && def.Kind == ast.Object {
		return name
	}
	return ""
}

// reenter plans a field that no key leads to from the current position: typeName is a type
// without a key the fetch could leave through. It walks up to the nearest ancestor position
// of an object type with a key into a subgraph that resolves the path from there down to the
// field, and fetches that path again from the ancestor, whose objects then get the field
// merged in. Positions under type conditions end the walk. It returns the fetches created.
func (p *planner) reenter(typeName string, cf *cfield, path []string) ([]*fetchNode, bool) {
	var chain []*frame // nearest first
	for i := len(p.stack) - 1; i >= 0; i-- {
		fr := p.stack[i]
		switch {
		case fr.cond:
			return nil, false
		case fr.step != nil:
			chain = append(chain, fr)
		case len(chain) == 0 || !slices.Equal(fr.path, chain[len(chain)-1].path):
			return nil, false
		}
		// A frame between fields is the position an entity fetch of the frame above was
		// routed from: the same objects in another fetch, so another way to re-enter.
		if def := p.sg.full.Types[fr.typeName]; def == nil || def.Kind != ast.Object {
			continue
		}
		for g := range p.sg.graphs {
			if g == fr.f.graph || !p.chainIn(g, chain) || !p.reachable(g, typeName, cf) {
				continue
			}
			if k := p.keyFrom(fr.f.graph, fr.typeName, target{g, fr.typeName}, fr.prov); k != nil {
				return p.reenterFrom(fr, chain, g, k, typeName, cf, path), true
			}
		}
	}
	return nil, false
}

// chainIn reports whether subgraph g resolves the fields leading down from chain's positions,
// each of an object type.
func (p *planner) chainIn(g int, chain []*frame) bool {
	for _, fr := range chain {
		def := p.sg.fieldDef(fr.typeName, fr.step.name)
		if def == nil || !p.isLocal(g, fr.typeName, fr.step.name, nil, false) {
			return false
		}
		if child := p.sg.full.Types[def.Type.Name()]; child == nil || child.Kind != ast.Object {
			return false
		}
	}
	return true
}

// reachable reports whether field cf of typeName can be planned from subgraph g: g resolves
// it, or a key chain leads from g to a subgraph that does.
func (p *planner) reachable(g int, typeName string, cf *cfield) bool {
	if p.isLocal(g, typeName, cf.name, nil, false) {
		return true
	}
	for _, t := range p.targets(typeName, cf.name) {
		if p.hops(g, typeName, t, nil) != nil {
			return true
		}
	}
	return false
}

// reenterFrom fetches cf from subgraph g through an entity fetch of the ancestor position fr
// (reused per subgraph), selecting chain's fields down to the field's position.
func (p *planner) reenterFrom(fr *frame, chain []*frame, g int, k *key, typeName string, cf *cfield,
	path []string,
) []*fetchNode {
	var created []*fetchNode
	n := fr.reentered[g]
	if n == nil {
		n = p.newFetch(g, fr.typeName, fr.path)
		n.deps = []*fetchNode{fr.f}
		n.repr = k.repr(fr.fields)
		created = append(created, n)
		if fr.reentered == nil {
			fr.reentered = map[int]*fetchNode{}
		}
		fr.reentered[g] = n

		// The ancestor's fetch adds the key; the field being planned there stays current.
		var keys []*cfield
		k.extras(fr.fields, &keys)
		step, cond := fr.step, fr.cond
		for _, x := range keys {
			created = append(created, p.planLocal(fr.f, fr.q, fr.meta, x, fr.path, fr.prov)...)
		}
		fr.step, fr.cond = step, cond
	}
	q := n.sel
	for i := len(chain) - 1; i >= 0; i-- {
		s := chain[i].step
		n.note(q, s)
		q = q.field(s.key, s.name, s.args, true).sub
	}
	return append(created, p.planLevel(n, q, typeName, typeName, []*cfield{cf}, path, nil, false)...)
}

// narrow keeps the provided selections that apply to object type typeName: its fields and
// the contents of inline fragments whose type condition applies.
func (p *planner) narrow(prov []ast.SelectionSet, typeName string) []ast.SelectionSet {
	var out []ast.SelectionSet
	for _, set := range prov {
		var flat ast.SelectionSet
		var walk func(ast.SelectionSet)
		walk = func(set ast.SelectionSet) {
			for _, s := range set {
				switch s := s.(type) {
				case *ast.Field:
					flat = append(flat, s)
				case *ast.InlineFragment:
					if p.sg.applies(s.TypeCondition, typeName) {
						walk(s.SelectionSet)
					}
				}
			}
		}
		walk(set)
		if len(flat) > 0 {
			out = append(out, flat)
		}
	}
	return out
}

// interfaceLeaves reports whether an interface selection can be asked as written: it selects
// only leaf fields, without fragments, that subgraph g resolves on the interface and on every
// implementation it knows. This keeps subgraph queries small for interfaces with many
// implementations.
func (p *planner) interfaceLeaves(g int, iface *ast.Definition, sets []ast.SelectionSet,
	prov []ast.SelectionSet,
) bool {
	if iface.Kind != ast.Interface {
		return false
	}
	for _, set := range sets {
		for _, s := range set {
			f, ok := s.(*ast.Field)
			if !ok || len(f.SelectionSet) > 0 {
				return false
			}
			if f.Name == "__typename" {
				continue
			}
			if !p.isLocal(g, iface.Name, f.Name, prov, false) {
				return false
			}
			for _, pt := range p.sg.full.PossibleTypes[iface.Name] {
				if p.sg.knowsMember(g, iface.Name, pt.Name) && !p.isLocal(g, pt.Name, f.Name, prov, false) {
					return false
				}
			}
		}
	}
	return true
}

// childProvided returns the selections provided below field name: from an ancestor's
// @provides and from the field's own.
func (p *planner) childProvided(g int, meta, name string, prov []ast.SelectionSet) []ast.SelectionSet {
	var out []ast.SelectionSet
	for _, set := range childSets(prov, name) {
		if len(set) > 0 {
			out = append(out, set)
		}
	}
	if fg, _ := p.sg.fieldIn(g, meta, name, p.labels); fg != nil && fg.provides != nil {
		out = append(out, fg.provides)
	}
	return out
}

// planInterfaceObject plans an interface that subgraph f declares with @interfaceObject: f
// answers __typename with the interface name, so a subgraph that knows the implementations
// is asked for the real __typename first; fields of the implementations that f cannot
// resolve are then planned from that fetch per runtime type.
func (p *planner) planInterfaceObject(f *fetchNode, qf *qfield, iface string, cf *cfield,
	path []string, prov []ast.SelectionSet,
) []*fetchNode {
	level := p.c.collect(iface, cf.sets)
	owner, k := p.interfaceOwner(f.graph, iface, prov)
	if k == nil {
		p.fail("cannot resolve the runtime type of %s from subgraph %s", iface, p.sg.graphs[f.graph].Name)
		return nil
	}

	// 1. f returns the key; the owner answers the real __typename.
	var keys []*cfield
	k.extras(level, &keys)
	created := p.planLevel(f, qf.sub, iface, iface, keys, path, prov, false)
	n := p.newFetch(owner, iface, path)
	n.deps = []*fetchNode{f}
	n.repr = k.repr(level)
	n.sel.field("__typename", "__typename", nil, false)
	created = append(created, n)

	// 2. Per runtime type: what f resolves on the interface stays in f (merged over the
	// types, since f answers it for every object), and so do fields selected on the
	// interface that another @interfaceObject subgraph resolves: they are routed there for
	// every object alike. The rest is planned from the owner's fetch under a type condition.
	var local []*cfield
	byKey := map[string]*cfield{}
	for _, x := range level {
		if !p.isLocal(f.graph, iface, x.name, prov, false) && p.otherInterfaceObject(f.graph, iface, x.name, prov) {
			byKey[x.key] = x
			local = append(local, x)
		}
	}
	for _, pt := range p.sg.full.PossibleTypes[iface] {
		var rest []*cfield
		for _, x := range p.c.collect(pt.Name, cf.sets) {
			if m := byKey[x.key]; m != nil && m.name == x.name && !p.isLocal(f.graph, iface, x.name, prov, false) {
				m.sets = append(m.sets, x.sets...)
				continue
			}
			if !p.isLocal(f.graph, iface, x.name, prov, false) {
				rest = append(rest, x)
				continue
			}
			if m := byKey[x.key]; m != nil {
				m.sets = append(m.sets, x.sets...)
				continue
			}
			byKey[x.key] = x
			local = append(local, x)
		}
		if len(rest) > 0 {
			typed := append(append([]string(nil), path...), "|"+pt.Name)
			created = append(created, p.planLevel(n, n.sel.frag(pt.Name), pt.Name, pt.Name, rest, typed, nil, false)...)
		}
	}
	return append(created, p.planLevel(f, qf.sub, iface, iface, local, path, prov, false)...)
}

// otherInterfaceObject reports whether a subgraph other than g declares iface with
// @interfaceObject, resolves field name on it, and has a key g can provide.
func (p *planner) otherInterfaceObject(g int, iface, name string, prov []ast.SelectionSet) bool {
	for h, tg := range p.sg.types[iface].graphs {
		if h == g || tg == nil || !tg.interfaceObject {
			continue
		}
		if _, ok := p.sg.fieldIn(h, iface, name, p.labels); ok &&
			p.keyFrom(g, iface, target{h, iface}, prov) != nil {
			return true
		}
	}
	return false
}

// interfaceOwner returns a subgraph declaring iface as a real interface with a resolvable key
// that subgraph g can provide.
func (p *planner) interfaceOwner(g int, iface string, prov []ast.SelectionSet) (int, *key) {
	tm := p.sg.types[iface]
	for h, tg := range tm.graphs {
		if tg == nil || tg.interfaceObject {
			continue
		}
		for _, k := range tg.keys {
			if k.resolvable && p.provides(g, iface, k.set, prov) {
				return h, k
			}
		}
	}
	return -1, nil
}

// isLocal reports whether subgraph g resolves field name of type meta at this position.
func (p *planner) isLocal(g int, meta, name string, prov []ast.SelectionSet, entityRoot bool) bool {
	if name == "__typename" || provided(prov, name) {
		return true
	}
	fg, ok := p.sg.fieldIn(g, meta, name, p.labels)
	return ok && (fg.requires == nil || entityRoot)
}

func provided(prov []ast.SelectionSet, name string) bool {
	for _, set := range prov {
		for _, s := range set {
			if f, ok := s.(*ast.Field); ok && f.Name == name {
				return true
			}
		}
	}
	return false
}

// route groups remote fields by the chain of entity fetches that reaches a subgraph
// resolving them: fewest hops first, then a group already chosen, then the subgraph that
// resolves most of the other remote fields, then subgraph order.
func (p *planner) route(from int, typeName string, remote []*cfield, prov []ast.SelectionSet,
) (groups []*group, stranded []*cfield) {
	for _, cf := range remote {
		var best *routeChoice
		for _, t := range p.targets(typeName, cf.name) {
			c := p.choice(from, typeName, t, cf, remote, groups, prov)
			if c != nil && c.better(best) {
				best = c
			}
		}
		if best == nil {
			best = p.keyedChoice(typeName, cf, groups)
		}
		if best == nil {
			stranded = append(stranded, cf)
			continue
		}
		if best.group == nil {
			best.group = &group{chain: best.chain, requires: best.requires, keyed: best.keyed}
			groups = append(groups, best.group)
		}
		best.group.fields = append(best.group.fields, cf)
	}
	return groups, stranded
}

// keyedChoice routes a field that no key chain reaches to a subgraph whose key the position
// cannot provide from one fetch: the key's fields become requirements of the position,
// planned from wherever they come from. A key that selects the field itself is no way to it.
func (p *planner) keyedChoice(typeName string, cf *cfield, groups []*group) *routeChoice {
	for _, t := range p.targets(typeName, cf.name) {
		if t.entity != typeName {
			continue
		}
		for _, k := range p.sg.types[typeName].graphs[t.graph].keys {
			if !k.resolvable || provided([]ast.SelectionSet{k.set}, cf.name) {
				continue
			}
			c := &routeChoice{chain: []hop{{target: t, key: k}}, requires: true, keyed: true}
			for _, x := range groups {
				if x.keyed && sameChain(x.chain, c.chain) {
					c.group = x
				}
			}
			return c
		}
	}
	return nil
}

// routeChoice is one way to fetch a remote field.
type routeChoice struct {
	chain    []hop
	keyed    bool
	requires bool
	group    *group // an existing group on the same chain
	coverage int    // how many of the position's remote fields the target resolves
}

func (c *routeChoice) better(than *routeChoice) bool {
	switch {
	case than == nil:
		return true
	case len(c.chain) != len(than.chain):
		return len(c.chain) < len(than.chain)
	case (c.group != nil) != (than.group != nil):
		return c.group != nil
	}
	return c.coverage > than.coverage
}

func (p *planner) choice(from int, typeName string, t target, cf *cfield, remote []*cfield,
	groups []*group, prov []ast.SelectionSet,
) *routeChoice {
	chain := p.hops(from, typeName, t, prov)
	if chain == nil {
		return nil
	}
	fg, _ := p.sg.fieldIn(t.graph, t.entity, cf.name, p.labels)
	c := &routeChoice{chain: chain, requires: fg != nil && fg.requires != nil}
	for _, x := range groups {
		if sameChain(x.chain, chain) && x.requires == c.requires {
			c.group = x
		}
	}
	for _, r := range remote {
		if _, ok := p.sg.fieldIn(t.graph, t.entity, r.name, p.labels); ok {
			c.coverage++
		}
	}
	return c
}

func sameChain(a, b []hop) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].target != b[i].target || a[i].key != b[i].key {
			return false
		}
	}
	return true
}

// targets lists the subgraphs that resolve typeName.field through _entities.
func (p *planner) targets(typeName, field string) []target {
	var out []target
	for g := range p.sg.graphs {
		if _, ok := p.sg.fieldIn(g, typeName, field, p.labels); ok && p.sg.resolvableKey(g, typeName) {
			out = append(out, target{g, typeName})
		}
	}
	def := p.sg.full.Types[typeName]
	if def == nil {
		return out
	}
	for _, iface := range def.Interfaces {
		tm := p.sg.types[iface]
		for g := range p.sg.graphs {
			if tm == nil || tm.graphs[g] == nil || !tm.graphs[g].interfaceObject {
				continue
			}
			if _, ok := p.sg.fieldIn(g, iface, field, p.labels); ok && p.sg.resolvableKey(g, iface) {
				out = append(out, target{g, iface})
			}
		}
	}
	return out
}

// hops finds the shortest chain of entity fetches from subgraph from to target t, where each
// hop's key is resolvable by the previous subgraph.
// TODO(#4): chains are limited to three hops; longer ones fail planning.
func (p *planner) hops(from int, typeName string, t target, prov []ast.SelectionSet) []hop {
	type state struct {
		graph int
		chain []hop
	}
	queue := []state{{graph: from}}
	seen := map[int]bool{from: true}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		var sprov []ast.SelectionSet
		if s.graph == from {
			sprov = prov
		}
		if k := p.keyFrom(s.graph, typeName, t, sprov); k != nil {
			return append(append([]hop(nil), s.chain...), hop{target: t, key: k})
		}
		if len(s.chain) >= 2 {
			continue
		}
		for g := range p.sg.graphs {
			if seen[g] {
				continue
			}
			if k := p.keyFrom(s.graph, typeName, target{g, typeName}, sprov); k != nil {
				seen[g] = true
				next := append(append([]hop(nil), s.chain...), hop{target: target{g, typeName}, key: k})
				queue = append(queue, state{graph: g, chain: next})
			}
		}
	}
	return nil
}

// keyFrom returns a resolvable key of t whose fields subgraph g can provide on typeName.
func (p *planner) keyFrom(g int, typeName string, t target, prov []ast.SelectionSet) *key {
	tg := p.sg.types[t.entity].graphs[t.graph]
	if tg == nil {
		return nil
	}
	for _, k := range tg.keys {
		if k.resolvable && p.provides(g, typeName, k.set, prov) {
			return k
		}
	}
	return nil
}

// provides reports whether subgraph g resolves every field of set on typeName.
func (p *planner) provides(g int, typeName string, set ast.SelectionSet, prov []ast.SelectionSet) bool {
	for _, s := range set {
		switch s := s.(type) {
		case *ast.Field:
			if !p.isLocal(g, typeName, s.Name, prov, false) {
				return false
			}
			if len(s.SelectionSet) == 0 {
				continue
			}
			def := p.sg.fieldDef(typeName, s.Name)
			if def == nil || !p.provides(g, def.Type.Name(), s.SelectionSet, childSets(prov, s.Name)) {
				return false
			}
		case *ast.InlineFragment:
			if !p.provides(g, s.TypeCondition, s.SelectionSet, prov) {
				return false
			}
		}
	}
	return true
}

func childSets(prov []ast.SelectionSet, name string) []ast.SelectionSet {
	var out []ast.SelectionSet
	for _, set := range prov {
		for _, s := range set {
			if f, ok := s.(*ast.Field); ok && f.Name == name {
				out = append(out, f.SelectionSet)
			}
		}
	}
	return out
}

// extras adds the key's fields to list as planner fields, under private keys where a client
// field at the same position could clash.
func (k *key) extras(level []*cfield, list *[]*cfield) { addExtras(k.set, level, list) }

func addExtras(set ast.SelectionSet, level []*cfield, list *[]*cfield) {
	for _, s := range set {
		f, ok := s.(*ast.Field)
		if !ok {
			continue
		}
		k := extraKey(f, level)
		dup := false
		for _, x := range *list {
			if x.key == k {
				if len(f.SelectionSet) > 0 {
					x.sets = append(x.sets, f.SelectionSet)
				}
				dup = true
			}
		}
		if dup {
			continue
		}
		cf := &cfield{key: k, name: f.Name, args: f.Arguments, extra: true}
		if len(f.SelectionSet) > 0 {
			cf.sets = []ast.SelectionSet{f.SelectionSet}
		}
		*list = append(*list, cf)
	}
}

// extraKey is the response key of a planner field. A field without arguments uses its own
// name unless a client field at the same position uses that key for something else. A field
// with arguments uses its name only where the client selects exactly that field there, and
// otherwise an alias derived from its arguments, so that planner fields with different
// arguments never share a key.
func extraKey(f *ast.Field, level []*cfield) string {
	args := argsText(f.Arguments)
	taken, same := false, false
	for _, cf := range level {
		if cf.key == f.Name && !cf.extra {
			taken = true
			same = cf.name == f.Name && argsText(cf.args) == args
		}
	}
	switch {
	case same || !taken && len(f.Arguments) == 0:
		return f.Name
	case len(f.Arguments) == 0:
		return "_x_" + f.Name
	}
	h := fnv.New32a()
	h.Write([]byte(args))
	return "_x_" + f.Name + "_" + strconv.FormatUint(uint64(h.Sum32()), 36)
}

func argsText(args ast.ArgumentList) string {
	var b strings.Builder
	for _, a := range args {
		b.WriteString(a.Name + ":" + a.Value.String() + ",")
	}
	return b.String()
}

func (k *key) repr(level []*cfield) []reprField { return reprOf(k.set, level) }

func reprOf(set ast.SelectionSet, level []*cfield) []reprField {
	var out []reprField
	for _, s := range set {
		if f, ok := s.(*ast.Field); ok {
			out = append(out, reprField{key: extraKey(f, level), name: f.Name, set: f.SelectionSet})
		}
	}
	return out
}

func mergeRepr(a, b []reprField) []reprField {
	for _, r := range b {
		dup := false
		for _, x := range a {
			dup = dup || x.key == r.key
		}
		if !dup {
			a = append(a, r)
		}
	}
	return a
}

// finish orders fetches into stages of parallel levels and renders their queries.
// TODO(#4): a fetch waits for the whole previous level rather than only for the fetches it
// depends on; a dependency-shaped tree would start some fetches earlier, at the cost of
// fewer batched requests.
func (p *planner) finish() *plan {
	p.mergeSiblings()
	pl := &plan{fetches: p.fetches}
	for _, g := range p.sg.graphs {
		pl.names = append(pl.names, g.Name)
	}
	stages := map[int][][]*fetchNode{}
	maxStage := 0
	for _, f := range p.fetches {
		for _, d := range f.deps {
			if d.level+1 > f.level {
				f.level = d.level + 1
			}
		}
		for len(stages[f.stage]) <= f.level {
			stages[f.stage] = append(stages[f.stage], nil)
		}
		stages[f.stage][f.level] = append(stages[f.stage][f.level], f)
		maxStage = max(maxStage, f.stage)
	}
	seq := &sequenceNode{}
	for s := 0; s <= maxStage; s++ {
		for _, lvl := range stages[s] {
			lvl := p.batch(lvl)
			switch len(lvl) {
			case 0:
			case 1:
				seq.nodes = append(seq.nodes, lvl[0])
			default:
				seq.nodes = append(seq.nodes, &parallelNode{nodes: lvl})
			}
		}
	}
	switch len(seq.nodes) {
	case 0:
	case 1:
		pl.root = seq.nodes[0]
	default:
		pl.root = seq
	}
	return pl
}

// mergeSiblings renders every fetch and merges entity fetches that differ only in the
// runtime type they filter on (one request for all implementations of an interface).
func (p *planner) mergeSiblings() {
	index := map[string]*fetchNode{}
	replaced := map[*fetchNode]*fetchNode{}
	kept := p.fetches[:0]
	for _, f := range p.fetches {
		deps := make([]*fetchNode, 0, len(f.deps))
		var ids []string
		for _, d := range f.deps {
			if r := replaced[d]; r != nil {
				d = r
			}
			deps = append(deps, d)
			ids = append(ids, strconv.Itoa(d.id))
		}
		f.deps = deps
		f.render(p)
		if n := len(f.path); f.entity != "" && n > 0 && strings.HasPrefix(f.path[n-1], "|") {
			k := fmt.Sprint(f.graph, f.stage, f.query, f.reprString(), ids, f.path[:n-1])
			if o := index[k]; o != nil {
				o.path[n-1] += "," + f.path[n-1][1:]
				replaced[f] = o
				continue
			}
			index[k] = f
		}
		kept = append(kept, f)
	}
	p.fetches = kept
}

// batch turns the fetches of one plan step into nodes, one request per subgraph: entity
// fetches to the same subgraph become one batch.
func (p *planner) batch(level []*fetchNode) []planNode {
	var out []planNode
	byGraph := map[int]*batchNode{}
	for _, f := range level {
		if f.entity == "" {
			out = append(out, f)
			continue
		}
		b := byGraph[f.graph]
		if b == nil {
			b = &batchNode{graph: f.graph}
			byGraph[f.graph] = b
			out = append(out, b)
		}
		b.parts = append(b.parts, f)
	}
	for i, n := range out {
		if b, ok := n.(*batchNode); ok {
			if len(b.parts) == 1 {
				out[i] = b.parts[0]
				continue
			}
			b.render(p)
		}
	}
	return out
}

func (b *batchNode) render(p *planner) {
	vars := map[string]bool{}
	var body strings.Builder
	var decls []string
	body.WriteByte('{')
	for i, f := range b.parts {
		if i > 0 {
			body.WriteByte(' ')
		}
		fmt.Fprintf(&body, "e%d:_entities(representations:$r%d){... on %s", i, i, f.entity)
		writeSel(&body, f.sel, vars)
		body.WriteByte('}')
		decls = append(decls, fmt.Sprintf("$r%d:[_Any!]!", i))
	}
	body.WriteByte('}')
	b.vars = sortedKeys(vars)
	b.query = "query(" + strings.Join(append(decls, p.c.varDecls(b.vars)...), ",") + ")" + body.String()
	b.head = requestHead(b.query)
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// varDecls declares the client variables a subgraph operation uses, with their defaults: a
// nullable variable with a default may fill a non-null argument (GraphQL "All Variable Usages
// Are Allowed"), and the subgraph validates that only when it sees the default.
func (c *collector) varDecls(names []string) []string {
	var out []string
	for _, v := range names {
		if vd := c.varDef(v); vd != nil {
			decl := "$" + v + ":" + vd.Type.String()
			if vd.DefaultValue != nil {
				decl += "=" + vd.DefaultValue.String()
			}
			out = append(out, decl)
		}
	}
	return out
}

// render writes the subgraph operation text of a fetch.
func (f *fetchNode) render(p *planner) {
	f.vars = nil
	var body strings.Builder
	vars := map[string]bool{}
	if f.entity == "" {
		writeSel(&body, f.sel, vars)
	} else {
		body.WriteString("{_entities(representations:$representations){... on ")
		body.WriteString(f.entity)
		writeSel(&body, f.sel, vars)
		body.WriteString("}}")
	}
	f.vars = sortedKeys(vars)
	f.aliased = hasAlias(f.sel)

	var b strings.Builder
	if f.mutation {
		b.WriteString("mutation")
	} else {
		b.WriteString("query")
	}
	var decls []string
	if f.entity != "" {
		decls = append(decls, "$representations:[_Any!]!")
	}
	decls = append(decls, p.c.varDecls(f.vars)...)
	if len(decls) > 0 {
		b.WriteString("(" + strings.Join(decls, ",") + ")")
	}
	b.WriteString(body.String())
	f.query = b.String()
	f.head = requestHead(f.query)
}

func (c *collector) varDef(name string) *ast.VariableDefinition {
	if c.doc == nil {
		return nil
	}
	for _, op := range c.doc.Operations {
		if vd := op.VariableDefinitions.ForName(name); vd != nil {
			return vd
		}
	}
	return nil
}

func writeSel(b *strings.Builder, q *qsel, vars map[string]bool) {
	b.WriteByte('{')
	for i, f := range q.fields {
		if i > 0 {
			b.WriteByte(' ')
		}
		if f.key != f.name {
			b.WriteString(f.key + ":")
		}
		b.WriteString(f.name)
		if len(f.args) > 0 {
			b.WriteByte('(')
			for j, a := range f.args {
				if j > 0 {
					b.WriteByte(',')
				}
				b.WriteString(a.Name + ":" + a.Value.String())
				collectVars(a.Value, vars)
			}
			b.WriteByte(')')
		}
		if f.sub != nil {
			writeSel(b, f.sub, vars)
		}
	}
	for i, fr := range q.frags {
		if i > 0 || len(q.fields) > 0 {
			b.WriteByte(' ')
		}
		b.WriteString("... on " + fr.typeName)
		writeSel(b, fr.sel, vars)
	}
	b.WriteByte('}')
}

// hasAlias reports whether q or a selection below it holds a private alias.
func hasAlias(q *qsel) bool {
	for _, f := range q.fields {
		if f.out != "" || f.sub != nil && hasAlias(f.sub) {
			return true
		}
	}
	for _, fr := range q.frags {
		if hasAlias(fr.sel) {
			return true
		}
	}
	return false
}

func collectVars(v *ast.Value, vars map[string]bool) {
	if v == nil {
		return
	}
	if v.Kind == ast.Variable {
		vars[v.Raw] = true
	}
	for _, c := range v.Children {
		collectVars(c.Value, vars)
	}
}

// fieldDef returns the definition of typeName.name in the full schema.
func (s *Supergraph) fieldDef(typeName, name string) *ast.FieldDefinition {
	def := s.full.Types[typeName]
	if def == nil {
		return nil
	}
	return def.Fields.ForName(name)
}

// resolvableKey reports whether subgraph g declares a resolvable key on typeName.
func (s *Supergraph) resolvableKey(g int, typeName string) bool {
	tm := s.types[typeName]
	if tm == nil || tm.graphs[g] == nil {
		return false
	}
	for _, k := range tm.graphs[g].keys {
		if k.resolvable {
			return true
		}
	}
	return false
}

// knowsMember reports whether subgraph g may return object type member for abstract type
// abstract.
func (s *Supergraph) knowsMember(g int, abstract, member string) bool {
	if !s.present(g, member) {
		return false
	}
	at, mt := s.types[abstract], s.types[member]
	if s.full.Types[abstract].Kind == ast.Union {
		if anySet(at.members) {
			return at.members[g][member]
		}
		return true
	}
	if anySet(mt.implements) {
		return mt.implements[g][abstract]
	}
	return true
}

func anySet(ms []map[string]bool) bool {
	for _, m := range ms {
		if len(m) > 0 {
			return true
		}
	}
	return false
}

// labels lists every progressive-override label in the supergraph.
func (s *Supergraph) labels() []string { return s.labelList }

func (s *Supergraph) findLabels() []string {
	seen := map[string]bool{}
	var out []string
	for _, tm := range s.types {
		for _, fm := range tm.fields {
			for _, fg := range fm.byGraph {
				if fg.overrideLabel != "" && !seen[fg.overrideLabel] {
					seen[fg.overrideLabel] = true
					out = append(out, fg.overrideLabel)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}
