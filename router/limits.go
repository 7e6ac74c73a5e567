package router

import (
	"fmt"
	"math"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// Limits bounds what one operation may ask for before it reaches the subgraphs.
type Limits struct {
	// MaxDepth is the deepest nesting of fields allowed; 0 means no limit.
	MaxDepth int
	// MaxCost is the highest estimated cost allowed; 0 means no limit.
	MaxCost int
	// MaxAliases is the most aliased fields allowed, counting each spread of a fragment; 0
	// means no limit. Aliases let one request run a field many times (fifty password guesses
	// in one login mutation, say), which the cost estimate alone does not stop.
	MaxAliases int
}

// TODO(#4): list sizes and field costs are conventions of this file; read them from schema
// directives (such as @listSize and @cost) once composition carries them into the supergraph.

// defaultListSize is the number of items assumed for a list field whose size is not given by
// one of listSizeArgs.
const defaultListSize = 10

// listSizeArgs are the argument names that, by convention in ERGO's schemas, bound how many
// items a list field returns.
var listSizeArgs = []string{"first", "last", "limit", "pageSize"}

// check measures op and returns QUERY_TOO_DEEP, TOO_MANY_ALIASES or QUERY_TOO_COMPLEX when it
// is over a limit.
// schema may be nil, in which case no field is known to be a list. Introspection fields
// (names starting with "__") are not counted: the router answers them without subgraphs.
func (l Limits) check(schema *ast.Schema, doc *ast.QueryDocument, op *ast.OperationDefinition,
	vars map[string]any,
) *requestError {
	m := measurer{schema: schema, doc: doc, vars: vars, frags: map[string]measure{}}
	got := m.selectionSet(op.SelectionSet, rootType(schema, op.Operation), nil)

	if l.MaxDepth > 0 && got.depth > l.MaxDepth {
		return &requestError{status: 400, graphQL: true, code: CodeQueryTooDeep, message: fmt.Sprintf(
			"operation is %d levels deep, more than the limit of %d", got.depth, l.MaxDepth)}
	}
	if l.MaxAliases > 0 && got.aliases > l.MaxAliases {
		return &requestError{status: 400, graphQL: true, code: CodeTooManyAliases, message: fmt.Sprintf(
			"operation uses %d aliases, more than the limit of %d", got.aliases, l.MaxAliases)}
	}
	if l.MaxCost > 0 && got.cost > float64(l.MaxCost) {
		return &requestError{status: 400, graphQL: true, code: CodeQueryTooComplex, message: fmt.Sprintf(
			"operation costs about %s, more than the limit of %d", costString(got.cost), l.MaxCost)}
	}
	return nil
}

// costString prints a cost without exponent notation for the usual sizes.
func costString(c float64) string {
	if c > 1e15 {
		return "more than 10^15"
	}
	return fmt.Sprintf("%.0f", c)
}

func rootType(schema *ast.Schema, op ast.Operation) *ast.Definition {
	if schema == nil {
		return nil
	}
	switch op {
	case ast.Mutation:
		return schema.Mutation
	case ast.Subscription:
		return schema.Subscription
	}
	return schema.Query
}

// measure is the depth, estimated cost and alias count of a selection set.
type measure struct {
	depth   int
	cost    float64
	aliases int
}

// measurer walks an operation. Each fragment is measured once and remembered, so documents
// that spread the same fragment many times cost linear time; a fragment that spreads itself
// (invalid, rejected later by validation) is counted as empty instead of looping.
type measurer struct {
	schema *ast.Schema
	doc    *ast.QueryDocument
	vars   map[string]any
	frags  map[string]measure
}

// selectionSet measures set, whose fields belong to parent (nil when unknown). visiting holds
// the fragments being measured further up, to stop cycles.
func (m *measurer) selectionSet(set ast.SelectionSet, parent *ast.Definition,
	visiting []string,
) measure {
	var total measure
	for _, sel := range set {
		var got measure
		switch s := sel.(type) {
		case *ast.Field:
			got = m.field(s, parent, visiting)
		case *ast.InlineFragment:
			got = m.selectionSet(s.SelectionSet, m.typeOr(s.TypeCondition, parent), visiting)
		case *ast.FragmentSpread:
			got = m.fragment(s.Name, parent, visiting)
		}
		total.depth = max(total.depth, got.depth)
		total.cost += got.cost
		total.aliases += got.aliases
	}
	return total
}

// field counts one for the field itself plus its children, times the list size when the
// field returns a list of objects. A list of scalars or enums counts one: it comes whole with
// its parent.
func (m *measurer) field(f *ast.Field, parent *ast.Definition, visiting []string) measure {
	aliased := 0
	if f.Alias != "" && f.Alias != f.Name {
		aliased = 1
	}
	if strings.HasPrefix(f.Name, "__") {
		return measure{aliases: aliased}
	}
	def := m.fieldDefinition(parent, f.Name)
	var childType *ast.Definition
	size := 1.0
	if def != nil && m.schema != nil && len(f.SelectionSet) > 0 {
		childType = m.schema.Types[def.Type.Name()]
		size = m.listSize(f, def.Type)
	}
	children := m.selectionSet(f.SelectionSet, childType, visiting)
	return measure{
		depth: children.depth + 1, cost: size * (1 + children.cost),
		aliases: aliased + children.aliases,
	}
}

func (m *measurer) fragment(name string, parent *ast.Definition, visiting []string) measure {
	if got, ok := m.frags[name]; ok {
		return got
	}
	for _, v := range visiting {
		if v == name {
			return measure{}
		}
	}
	frag := m.doc.Fragments.ForName(name)
	if frag == nil {
		return measure{}
	}
	got := m.selectionSet(frag.SelectionSet, m.typeOr(frag.TypeCondition, parent),
		append(visiting, name))
	m.frags[name] = got
	return got
}

func (m *measurer) typeOr(name string, fallback *ast.Definition) *ast.Definition {
	if m.schema == nil || name == "" {
		return fallback
	}
	if def := m.schema.Types[name]; def != nil {
		return def
	}
	return fallback
}

func (m *measurer) fieldDefinition(parent *ast.Definition, name string) *ast.FieldDefinition {
	if parent == nil {
		return nil
	}
	return parent.Fields.ForName(name)
}

// listSize multiplies the sizes of every list level of t: [[T]] with first: 5 counts as 5*10.
// The first list level takes its size from a size argument when the operation gives one.
func (m *measurer) listSize(f *ast.Field, t *ast.Type) float64 {
	size := 1.0
	first := true
	for ; t != nil; t = t.Elem {
		if t.Elem == nil {
			break
		}
		n := float64(defaultListSize)
		if first {
			if given, ok := m.sizeArgument(f); ok {
				n = given
			}
			first = false
		}
		size *= n
	}
	return size
}

// sizeArgument reads the first size argument given as a literal or a variable.
func (m *measurer) sizeArgument(f *ast.Field) (float64, bool) {
	for _, name := range listSizeArgs {
		arg := f.Arguments.ForName(name)
		if arg == nil || arg.Value == nil {
			continue
		}
		v, err := arg.Value.Value(m.vars)
		if err != nil {
			continue
		}
		if n, ok := number(v); ok && n >= 0 && !math.IsInf(n, 0) {
			return n, true
		}
	}
	return 0, false
}
