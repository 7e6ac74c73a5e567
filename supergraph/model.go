package supergraph

import (
	"github.com/vektah/gqlparser/v2/ast"
)

// schema is the merged supergraph before printing.
type schema struct {
	graphs []*subgraph
	types  map[string]*mType
	// directives are custom directives kept by @composeDirective, by name.
	directives map[string]*ast.DirectiveDefinition
	// links are the @link URLs of composed directives' specifications.
	links []string
}

// mType is one merged type.
type mType struct {
	name        string
	kind        ast.DefinitionKind
	description string
	marks       marks

	joins      []joinType
	fields     []*mField
	interfaces []string
	implements []graphRef // @join__implements(graph:, interface:)
	members    []graphRef // @join__unionMember(graph:, member:)
	unionTypes []string
	values     []*mValue

	// defs are the type's definitions per subgraph, in subgraph order.
	defs []typeDef
}

// typeDef is a type's definition in one subgraph.
type typeDef struct {
	g   *subgraph
	def *ast.Definition
}

// marks are the API directives a merged element carries into the supergraph.
type marks struct {
	inaccessible bool
	tags         []string
	deprecated   *string
	builtin      ast.DirectiveList // @specifiedBy, @oneOf
	custom       ast.DirectiveList // composed directives
}

// joinType is one @join__type.
type joinType struct {
	graph           string
	key             string
	hasKey          bool
	extension       bool
	resolvable      bool
	interfaceObject bool
}

// graphRef is a (graph, name) pair for @join__implements and @join__unionMember.
type graphRef struct {
	graph string
	name  string
}

// mField is a merged field, argument-bearing for objects and interfaces, a plain input
// field for input objects.
type mField struct {
	name        string
	description string
	typ         *ast.Type
	args        []*mArg
	def         *ast.Value // default value (input fields)
	marks       marks
	sources     []*fieldSource
	// fromInterfaceObject marks fields an implementation gets from an @interfaceObject: no
	// subgraph resolves them on the implementation itself.
	fromInterfaceObject bool
}

// fieldSource is a field's definition in one subgraph, with its @join__field arguments.
type fieldSource struct {
	g              *subgraph
	parent         *ast.Definition
	def            *ast.FieldDefinition
	external       bool
	requires       string
	provides       string
	override       string
	overrideLabel  string
	usedOverridden bool
	typeDiffers    bool
	// dropped sources are fully overridden and leave no trace in the supergraph.
	dropped bool
}

// resolves tells whether the source's subgraph can resolve the field.
func (s *fieldSource) resolves() bool {
	return !s.external && !s.dropped && !s.usedOverridden
}

// mArg is a merged argument.
type mArg struct {
	name        string
	description string
	typ         *ast.Type
	def         *ast.Value
	marks       marks
}

// mValue is a merged enum value.
type mValue struct {
	name        string
	description string
	marks       marks
	graphs      []string
}

// field returns the merged field called name, or nil.
func (t *mType) field(name string) *mField {
	for _, f := range t.fields {
		if f.name == name {
			return f
		}
	}
	return nil
}

// def returns the type's definition in subgraph g, or nil.
func (t *mType) def(g *subgraph) *ast.Definition {
	for _, d := range t.defs {
		if d.g == g {
			return d.def
		}
	}
	return nil
}
