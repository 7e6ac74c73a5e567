package supergraph

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
)

// federationDirectives are the directives of the federation specification this composer
// understands, by their specification name (without @).
var federationDirectives = []string{
	"key", "requires", "provides", "external", "shareable", "override", "inaccessible",
	"tag", "extends", "interfaceObject", "composeDirective",
	"authenticated", "requiresScopes", "policy", "context", "fromContext", "cost", "listSize",
}

// unsupportedDirectives parse but are rejected with UNSUPPORTED_FEATURE when used.
//
// TODO(#3): compose the authorization (@authenticated, @requiresScopes, @policy), context
// (@context, @fromContext) and demand control (@cost, @listSize) directives, which need
// join v0.5 and their own specification links.
var unsupportedDirectives = map[string]bool{
	"authenticated": true, "requiresScopes": true, "policy": true, "context": true,
	"fromContext": true, "cost": true, "listSize": true,
}

// federationDefinitions declares the federation directives for validating a subgraph. The
// placeholder @@name is replaced by the directive's local name in that subgraph.
const federationDefinitions = `
scalar federation__FieldSet
scalar federation__Scope
scalar federation__Policy
scalar federation__ContextFieldValue
scalar link__Import
enum link__Purpose { SECURITY EXECUTION }
directive @link(url: String, as: String, import: [link__Import], for: link__Purpose) repeatable on SCHEMA
directive @@key(fields: federation__FieldSet!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE
directive @@requires(fields: federation__FieldSet!) on FIELD_DEFINITION
directive @@provides(fields: federation__FieldSet!) on FIELD_DEFINITION
directive @@external(reason: String) on OBJECT | FIELD_DEFINITION
directive @@shareable repeatable on OBJECT | FIELD_DEFINITION
directive @@override(from: String!, label: String) on FIELD_DEFINITION
directive @@inaccessible on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION
directive @@tag(name: String!) repeatable on FIELD_DEFINITION | INTERFACE | OBJECT | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION | SCHEMA
directive @@extends on OBJECT | INTERFACE
directive @@interfaceObject on OBJECT
directive @@composeDirective(name: String!) repeatable on SCHEMA
directive @@authenticated on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
directive @@requiresScopes(scopes: [[federation__Scope!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
directive @@policy(policies: [[federation__Policy!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
directive @@context(name: String!) repeatable on INTERFACE | OBJECT | UNION
directive @@fromContext(field: federation__ContextFieldValue) on ARGUMENT_DEFINITION
directive @@cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR
directive @@listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
`

// federationURL matches the URL of the federation specification in @link.
var federationURL = regexp.MustCompile(`^https://specs\.apollo\.dev/federation/v(\d+)\.(\d+)/?$`)

// machineryTypes are the types a subgraph library adds for the federation protocol; they
// are not part of the subgraph's API and never reach the supergraph.
var machineryTypes = map[string]bool{
	"_Service": true, "_Entity": true, "_Any": true, "_FieldSet": true, "FieldSet": true,
}

// subgraph is one loaded and validated subgraph.
type subgraph struct {
	name string
	url  string
	enum string // its join__Graph value

	// fed2 tells whether the subgraph links the Federation 2 specification.
	fed2 bool
	// local maps a federation directive's specification name to its name in this subgraph.
	local map[string]string
	// extension lists types this subgraph only extends (`extend type`, or @extends).
	extension map[string]bool
	// sharedByType lists the fields declared in a type definition or extension that is
	// marked @shareable: the mark covers those fields only, not the other extensions'.
	sharedByType map[coord]bool
	// externalByType is the same for type-level @external.
	externalByType map[coord]bool
	// links are the @link directives to specifications other than link and federation,
	// kept for @composeDirective.
	links []*ast.Directive
	// composed are the custom directives named by @composeDirective, by local name.
	composed map[string]bool

	schema *ast.Schema
	facts  *facts
}

// load parses, cleans and validates one subgraph. It returns nil when the subgraph cannot
// be used at all.
func load(s Subgraph) (*subgraph, Errors) {
	g := &subgraph{name: s.Name, url: s.URL, enum: graphEnum(s.Name)}
	if s.Name == "" {
		return nil, Errors{{Code: CodeInvalidSubgraphName, Message: "a subgraph has no name"}}
	}

	// Step 1: parse every file; a syntax error stops this subgraph only.
	doc, errs := parseSources(s)
	if len(errs) > 0 {
		return nil, errs
	}

	// Step 2: learn how the subgraph names the federation directives, then drop the
	// definitions and types a subgraph library adds for the federation protocol. A bad
	// import is reported with what the later steps find.
	linkErrs := g.readLinks(doc)
	g.extension = extensionOnly(doc, g.local["extends"])
	g.sharedByType = fieldsUnder(doc, g.local["shareable"])
	g.externalByType = fieldsUnder(doc, g.local["external"])
	strip(doc, g)

	// Step 3: validate as GraphQL with our own federation definitions.
	schema, err := validate(doc, g)
	if err != nil {
		return nil, append(linkErrs, g.graphQLError(err))
	}
	g.schema = schema
	dropIntrospection(schema)
	if errs := g.renameRoots(); len(errs) > 0 {
		return nil, append(linkErrs, errs...)
	}

	// Step 4: federation rules that concern this subgraph alone.
	errs = slices.Concat(linkErrs, g.checkDefaults(), g.checkFederation())
	if len(errs) > 0 {
		return nil, errs
	}
	return g, nil
}

// graphEnum turns a subgraph name into its join__Graph enum value: upper case, with every
// character that cannot appear in a name replaced by an underscore.
func graphEnum(name string) string {
	var b strings.Builder
	for i, r := range strings.ToUpper(name) {
		switch {
		case r >= 'A' && r <= 'Z', r == '_', r >= '0' && r <= '9' && i > 0:
			b.WriteRune(r)
		case r >= '0' && r <= '9':
			b.WriteString("_" + string(r))
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

// parseSources parses each file of s and joins them into one document.
func parseSources(s Subgraph) (*ast.SchemaDocument, Errors) {
	doc := &ast.SchemaDocument{}
	var errs Errors
	for _, src := range s.Sources {
		d, err := parser.ParseSchema(&ast.Source{Name: src.Name, Input: src.Body})
		if err != nil {
			errs = append(errs, syntaxError(s.Name, src.Name, err))
			continue
		}
		doc.Merge(d)
	}
	if len(s.Sources) == 0 {
		errs = append(errs, &Error{
			Code: CodeInvalidGraphQL, Subgraph: s.Name,
			Message: "subgraph has no schema files",
		})
	}
	return doc, errs
}

// syntaxError converts a parser error into an INVALID_GRAPHQL problem.
func syntaxError(subgraph, file string, err error) *Error {
	e := &Error{
		Code: CodeInvalidGraphQL, Subgraph: subgraph, Pos: Position{File: file},
		Message: err.Error(),
	}
	var gerr *gqlerror.Error
	if errors.As(err, &gerr) {
		e.Message = gerr.Message
		if len(gerr.Locations) > 0 {
			e.Pos.Line, e.Pos.Column = gerr.Locations[0].Line, gerr.Locations[0].Column
		}
	}
	return e
}

// graphQLError converts a validation error into an INVALID_GRAPHQL problem.
func (g *subgraph) graphQLError(err error) *Error {
	e := &Error{Code: CodeInvalidGraphQL, Subgraph: g.name, Message: err.Error()}
	var gerr *gqlerror.Error
	if !errors.As(err, &gerr) {
		return e
	}
	e.Message = gerr.Message
	if file, ok := gerr.Extensions["file"].(string); ok {
		e.Pos.File = file
	}
	if len(gerr.Locations) > 0 && gerr.Locations[0].Line > 0 {
		e.Pos.Line, e.Pos.Column = gerr.Locations[0].Line, gerr.Locations[0].Column
	}
	return e
}

// readLinks finds the @link to the federation specification and fills g.local. Without it
// the subgraph is Federation 1 style and every directive has its plain name.
//
// TODO(#3): a subgraph that renames @link itself (by linking the link specification with
// `as:` or an import alias) is not recognised; its federation link is then missed.
func (g *subgraph) readLinks(doc *ast.SchemaDocument) Errors {
	g.local = map[string]string{}
	for _, name := range federationDirectives {
		g.local[name] = name
	}
	var errs Errors
	for _, link := range schemaDirectives(doc, "link") {
		url := argString(link, "url")
		m := federationURL.FindStringSubmatch(url)
		if m == nil {
			if !strings.HasPrefix(url, "https://specs.apollo.dev/link/") {
				g.links = append(g.links, link)
			}
			continue
		}
		if major, _ := strconv.Atoi(m[1]); major != 2 {
			errs = append(errs, g.errorf(CodeUnknownFederationLinkVersion, link.Position,
				"unknown federation version in %q", url))
			continue
		}
		g.fed2 = true
		errs = append(errs, g.readImports(link)...)
	}
	return errs
}

// readImports applies the namespace (`as:`) and `import:` list of the federation @link:
// imported directives keep their name or take their alias, the rest are namespaced.
func (g *subgraph) readImports(link *ast.Directive) Errors {
	ns := "federation"
	if as := argString(link, "as"); as != "" {
		ns = as
	}
	for _, name := range federationDirectives {
		g.local[name] = ns + "__" + name
	}
	arg := link.Arguments.ForName("import")
	if arg == nil || arg.Value == nil {
		return nil
	}
	var errs Errors
	for _, item := range arg.Value.Children {
		name, alias, ok := importItem(item.Value)
		if !ok {
			errs = append(errs, g.errorf(CodeInvalidLinkDirectiveUsage, item.Value.Position,
				"invalid import %s", item.Value.String()))
			continue
		}
		if _, known := g.local[strings.TrimPrefix(name, "@")]; known && strings.HasPrefix(name, "@") {
			g.local[strings.TrimPrefix(name, "@")] = strings.TrimPrefix(alias, "@")
		}
	}
	return errs
}

// importItem reads one element of @link(import:): "@key" or {name: "@key", as: "@id"}.
func importItem(v *ast.Value) (name, alias string, ok bool) {
	switch v.Kind {
	case ast.StringValue:
		return v.Raw, v.Raw, true
	case ast.ObjectValue:
		for _, c := range v.Children {
			switch {
			case c.Name == "name" && c.Value.Kind == ast.StringValue:
				name = c.Value.Raw
			case c.Name == "as" && c.Value.Kind == ast.StringValue:
				alias = c.Value.Raw
			}
		}
		if alias == "" {
			alias = name
		}
		return name, alias, name != "" && strings.HasPrefix(name, "@") == strings.HasPrefix(alias, "@")
	}
	return "", "", false
}

// schemaDirectives returns the directives with the given name on the schema definition
// and schema extensions.
func schemaDirectives(doc *ast.SchemaDocument, name string) []*ast.Directive {
	var out []*ast.Directive
	for _, list := range [][]*ast.SchemaDefinition{doc.Schema, doc.SchemaExtension} {
		for _, s := range list {
			for _, d := range s.Directives {
				if d.Name == name {
					out = append(out, d)
				}
			}
		}
	}
	return out
}

// extensionOnly returns the types that the document only extends, or marks with @extends.
func extensionOnly(doc *ast.SchemaDocument, extends string) map[string]bool {
	defined := map[string]bool{}
	out := map[string]bool{}
	for _, d := range doc.Definitions {
		defined[d.Name] = true
		if d.Directives.ForName(extends) != nil {
			out[d.Name] = true
		}
	}
	for _, e := range doc.Extensions {
		if !defined[e.Name] {
			out[e.Name] = true
		}
	}
	return out
}

// fieldsUnder returns the fields declared inside a definition or extension that carries
// the directive called name.
func fieldsUnder(doc *ast.SchemaDocument, name string) map[coord]bool {
	out := map[coord]bool{}
	for _, list := range []ast.DefinitionList{doc.Definitions, doc.Extensions} {
		for _, d := range list {
			if d.Directives.ForName(name) == nil {
				continue
			}
			for _, f := range d.Fields {
				out[coord{d.Name, f.Name}] = true
			}
		}
	}
	return out
}

// strip removes the federation machinery a subgraph library may have printed: definitions of
// the federation and link directives, _Service, _Entity, _Any, FieldSet and friends, and the
// _service and _entities query fields.
func strip(doc *ast.SchemaDocument, g *subgraph) {
	isFed := map[string]bool{"link": true}
	for _, local := range g.local {
		isFed[local] = true
	}
	var dirs ast.DirectiveDefinitionList
	for _, d := range doc.Directives {
		if !isFed[d.Name] && !machineryName(d.Name) {
			dirs = append(dirs, d)
		}
	}
	doc.Directives = dirs
	doc.Definitions = stripDefinitions(doc.Definitions)
	doc.Extensions = stripDefinitions(doc.Extensions)
}

// stripDefinitions drops machinery types and fields from a definition list.
func stripDefinitions(defs ast.DefinitionList) ast.DefinitionList {
	var out ast.DefinitionList
	for _, d := range defs {
		if machineryTypes[d.Name] || machineryName(d.Name) {
			continue
		}
		if d.Name == "Query" {
			var fields ast.FieldList
			for _, f := range d.Fields {
				if f.Name != "_service" && f.Name != "_entities" {
					fields = append(fields, f)
				}
			}
			if len(fields) == 0 && len(d.Fields) > 0 {
				continue
			}
			d.Fields = fields
		}
		out = append(out, d)
	}
	return out
}

// machineryName tells whether a name belongs to the link or federation namespaces.
func machineryName(name string) bool {
	return strings.HasPrefix(name, "federation__") || strings.HasPrefix(name, "link__")
}

// validate checks doc as a GraphQL schema, with the built-in definitions and our federation
// directive definitions added.
//
// TODO(#3): the GraphQL validator stops at the first invalid definition, so a subgraph with
// several GraphQL errors reports one per run (other subgraphs still report theirs).
func validate(doc *ast.SchemaDocument, g *subgraph) (*ast.Schema, error) {
	defs := federationDefinitions
	for _, name := range federationDirectives {
		defs = strings.ReplaceAll(defs, "@@"+name+"(", "@"+g.local[name]+"(")
		defs = strings.ReplaceAll(defs, "@@"+name+" ", "@"+g.local[name]+" ")
	}
	fed, err := parser.ParseSchema(&ast.Source{Name: "federation.graphql", Input: defs, BuiltIn: true})
	if err != nil {
		return nil, fmt.Errorf("federation definitions: %w", err)
	}
	full := validator.PreludeDocument()
	full.Merge(fed)
	full.Merge(doc)
	return validator.ValidateSchemaDocument(full)
}

// errorf builds a problem found in this subgraph at pos.
func (g *subgraph) errorf(code string, pos *ast.Position, format string, args ...any) *Error {
	return &Error{Code: code, Subgraph: g.name, Pos: position(pos), Message: fmt.Sprintf(format, args...)}
}

// position converts a gqlparser position.
func position(p *ast.Position) Position {
	if p == nil || p.Src == nil {
		return Position{}
	}
	return Position{File: p.Src.Name, Line: p.Line, Column: p.Column}
}

// argString returns the string value of a directive argument, or "".
func argString(d *ast.Directive, name string) string {
	a := d.Arguments.ForName(name)
	if a == nil || a.Value == nil || a.Value.Kind != ast.StringValue {
		return ""
	}
	return a.Value.Raw
}

// dir returns the first use of the federation directive fed (specification name) in dirs.
func (g *subgraph) dir(dirs ast.DirectiveList, fed string) *ast.Directive {
	return dirs.ForName(g.local[fed])
}

// dirs returns every use of the federation directive fed in dirs.
func (g *subgraph) dirs(dirs ast.DirectiveList, fed string) ast.DirectiveList {
	return dirs.ForNames(g.local[fed])
}

// dropIntrospection removes the __schema and __type fields the validator adds to the query
// type: they belong to every GraphQL server, not to a subgraph's API.
func dropIntrospection(schema *ast.Schema) {
	for _, t := range schema.Types {
		if t.BuiltIn {
			continue
		}
		var fields ast.FieldList
		for _, f := range t.Fields {
			if !strings.HasPrefix(f.Name, "__") {
				fields = append(fields, f)
			}
		}
		t.Fields = fields
	}
}

// renameRoots gives the root operation types their standard names (Query, Mutation,
// Subscription): a router sends every subgraph operations on those names.
func (g *subgraph) renameRoots() Errors {
	roots := []struct {
		def  *ast.Definition
		name string
		code string
	}{
		{g.schema.Query, "Query", CodeRootQueryUsed},
		{g.schema.Mutation, "Mutation", CodeRootMutationUsed},
		{g.schema.Subscription, "Subscription", CodeRootSubscriptionUsed},
	}
	var errs Errors
	for _, r := range roots {
		if r.def == nil || r.def.Name == r.name {
			continue
		}
		if other := g.schema.Types[r.name]; other != nil {
			errs = append(errs, g.errorf(r.code, other.Position,
				"the schema has a type named %q but it is not set as the %s root type (%q is instead): "+
					"this is not supported by federation", r.name, strings.ToLower(r.name), r.def.Name))
			continue
		}
		g.renameType(r.def.Name, r.name)
	}
	return errs
}

// renameType renames a type and every reference to it.
func (g *subgraph) renameType(from, to string) {
	def := g.schema.Types[from]
	delete(g.schema.Types, from)
	def.Name = to
	g.schema.Types[to] = def
	g.extension[to] = g.extension[from]
	rename := func(t *ast.Type) {
		for ; t != nil; t = t.Elem {
			if t.NamedType == from {
				t.NamedType = to
			}
		}
	}
	for _, t := range g.schema.Types {
		for _, f := range t.Fields {
			rename(f.Type)
			for _, a := range f.Arguments {
				rename(a.Type)
			}
		}
		for i, m := range t.Types {
			if m == from {
				t.Types[i] = to
			}
		}
	}
}
