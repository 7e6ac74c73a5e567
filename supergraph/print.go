package supergraph

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/vektah/gqlparser/v2/ast"
)

// Specification URLs the supergraph links.
const (
	linkSpec         = "https://specs.apollo.dev/link/v1.0"
	joinSpec         = "https://specs.apollo.dev/join/v0.4"
	inaccessibleSpec = "https://specs.apollo.dev/inaccessible/v0.2"
	tagSpec          = "https://specs.apollo.dev/tag/v0.3"
)

// joinDefinitions declares the link and join v0.4 machinery of every supergraph.
const joinDefinitions = `directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE

directive @join__field(graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, type: String, external: Boolean, override: String, usedOverridden: Boolean, overrideLabel: String) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION

directive @join__graph(name: String!, url: String!) on ENUM_VALUE

directive @join__implements(graph: join__Graph!, interface: String!) repeatable on OBJECT | INTERFACE

directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = false, resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR

directive @join__unionMember(graph: join__Graph!, member: String!) repeatable on UNION

directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA

scalar join__FieldSet

scalar link__Import

enum link__Purpose {
  """
  SECURITY features provide metadata necessary to securely resolve fields.
  """
  SECURITY

  """
  EXECUTION features provide metadata necessary for operation execution.
  """
  EXECUTION
}
`

// Definitions of the API directives, printed when some element uses them.
const (
	inaccessibleDefinition = "directive @inaccessible on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | " +
		"ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION\n"
	tagDefinition = "directive @tag(name: String!) repeatable on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | " +
		"ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION | SCHEMA\n"
)

// oneOfDefinition declares @oneOf, which not every GraphQL library predefines yet.
const oneOfDefinition = "directive @oneOf on INPUT_OBJECT\n"

// printer writes the supergraph SDL.
type printer struct {
	bytes.Buffer
	s *schema
}

// print renders the merged schema: schema definition with its @link list, the machinery
// definitions, join__Graph, then every type in name order.
func print(s *schema) []byte {
	p := &printer{s: s}
	inaccessible, tag := s.usesMarks()
	p.schemaDefinition(inaccessible, tag)
	if inaccessible {
		p.WriteString("\n" + inaccessibleDefinition)
	}
	p.WriteString("\n" + joinDefinitions)
	if tag {
		p.WriteString("\n" + tagDefinition)
	}
	if s.usesOneOf() {
		p.WriteString("\n" + oneOfDefinition)
	}
	p.composedDirectives()
	p.graphEnum()
	for _, name := range s.typeNames() {
		p.WriteString("\n")
		p.typeDefinition(s.types[name])
	}
	return p.Bytes()
}

// usesMarks tells whether any element is @inaccessible or tagged.
func (s *schema) usesMarks() (inaccessible, tag bool) {
	visit := func(m marks) {
		inaccessible = inaccessible || m.inaccessible
		tag = tag || len(m.tags) > 0
	}
	for _, t := range s.types {
		visit(t.marks)
		for _, f := range t.fields {
			visit(f.marks)
			for _, a := range f.args {
				visit(a.marks)
			}
		}
		for _, v := range t.values {
			visit(v.marks)
		}
	}
	return inaccessible, tag
}

// usesOneOf tells whether an input object is @oneOf.
func (s *schema) usesOneOf() bool {
	for _, t := range s.types {
		if t.marks.builtin.ForName("oneOf") != nil {
			return true
		}
	}
	return false
}

// schemaDefinition prints the schema block with its links and root operation types.
func (p *printer) schemaDefinition(inaccessible, tag bool) {
	p.WriteString("schema\n")
	p.WriteString("  @link(url: \"" + linkSpec + "\")\n")
	p.WriteString("  @link(url: \"" + joinSpec + "\", for: EXECUTION)\n")
	if inaccessible {
		p.WriteString("  @link(url: \"" + inaccessibleSpec + "\", for: SECURITY)\n")
	}
	if tag {
		p.WriteString("  @link(url: \"" + tagSpec + "\")\n")
	}
	for _, url := range p.s.links {
		p.WriteString("  @link(url: " + quote(url) + ", import: [" + p.s.importsOf(url) + "])\n")
	}
	p.WriteString("{\n")
	for _, root := range [][2]string{{"query", "Query"}, {"mutation", "Mutation"}, {"subscription", "Subscription"}} {
		if t := p.s.types[root[1]]; t != nil && t.kind == ast.Object {
			p.WriteString("  " + root[0] + ": " + root[1] + "\n")
		}
	}
	p.WriteString("}\n")
}

// importsOf lists the composed directives that the specification at url provides.
func (s *schema) importsOf(url string) string {
	var names []string
	for _, g := range s.graphs {
		for _, link := range g.links {
			if argString(link, "url") != url {
				continue
			}
			for name := range g.composed {
				if imports(link, "@"+name) && !contains(names, quote("@"+name)) {
					names = append(names, quote("@"+name))
				}
			}
		}
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// composedDirectives prints the definitions of directives kept by @composeDirective.
func (p *printer) composedDirectives() {
	names := make([]string, 0, len(p.s.directives))
	for name := range p.s.directives {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		d := p.s.directives[name]
		p.WriteString("\n")
		p.description(d.Description, "")
		p.WriteString(directiveDefinition(d) + "\n")
	}
}

// directiveDefinition prints a directive definition on one line, without description.
func directiveDefinition(d *ast.DirectiveDefinition) string {
	var args []*mArg
	for _, a := range d.Arguments {
		args = append(args, &mArg{name: a.Name, description: a.Description, typ: a.Type, def: a.DefaultValue})
	}
	out := "directive @" + d.Name + printArgs(args)
	if d.IsRepeatable {
		out += " repeatable"
	}
	locs := make([]string, len(d.Locations))
	for i, l := range d.Locations {
		locs[i] = string(l)
	}
	return out + " on " + strings.Join(locs, " | ")
}

// graphEnum prints join__Graph with one value per subgraph.
func (p *printer) graphEnum() {
	p.WriteString("\nenum join__Graph {\n")
	for _, g := range p.s.graphs {
		fmt.Fprintf(p, "  %s @join__graph(name: %s, url: %s)\n", g.enum, quote(g.name), quote(g.url))
	}
	p.WriteString("}\n")
}

// typeDefinition prints one merged type with its join directives.
func (p *printer) typeDefinition(t *mType) {
	p.description(t.description, "")
	keyword := map[ast.DefinitionKind]string{
		ast.Object: "type", ast.Interface: "interface",
		ast.Union: "union", ast.Enum: "enum", ast.InputObject: "input", ast.Scalar: "scalar",
	}[t.kind]
	p.WriteString(keyword + " " + t.name)
	if len(t.interfaces) > 0 {
		p.WriteString(" implements " + strings.Join(t.interfaces, " & "))
	}
	for _, j := range t.joins {
		p.WriteString(" " + j.String())
	}
	for _, i := range t.implements {
		fmt.Fprintf(p, " @join__implements(graph: %s, interface: %s)", i.graph, quote(i.name))
	}
	for _, m := range t.members {
		fmt.Fprintf(p, " @join__unionMember(graph: %s, member: %s)", m.graph, quote(m.name))
	}
	p.marks(t.marks)
	p.typeBody(t)
}

// typeBody prints the fields, values or members of t.
func (p *printer) typeBody(t *mType) {
	switch t.kind {
	case ast.Union:
		p.WriteString(" = " + strings.Join(t.unionTypes, " | ") + "\n")
	case ast.Scalar:
		p.WriteString("\n")
	case ast.Enum:
		p.WriteString(" {\n")
		for _, v := range t.values {
			p.description(v.description, "  ")
			p.WriteString("  " + v.name)
			for _, g := range v.graphs {
				p.WriteString(" @join__enumValue(graph: " + g + ")")
			}
			p.marks(v.marks)
			p.WriteString("\n")
		}
		p.WriteString("}\n")
	default:
		p.WriteString(" {\n")
		for _, f := range t.fields {
			p.field(t, f)
		}
		p.WriteString("}\n")
	}
}

// field prints one field line.
func (p *printer) field(t *mType, f *mField) {
	p.description(f.description, "  ")
	p.WriteString("  " + f.name + printArgs(f.args) + ": " + f.typ.String())
	if f.def != nil {
		p.WriteString(" = " + printValue(f.def))
	}
	for _, j := range joinFields(t, f) {
		p.WriteString(" " + j)
	}
	p.marks(f.marks)
	p.WriteString("\n")
}

// joinFields returns the @join__field directives of f: none when every subgraph of the
// type defines the field plainly (always so for input fields, unless their types differ),
// else one per subgraph that defines it.
func joinFields(t *mType, f *mField) []string {
	if f.fromInterfaceObject {
		return []string{"@join__field"}
	}
	var out []string
	plain := true
	for _, src := range f.sources {
		if src.dropped {
			plain = false
			continue
		}
		j, attrs := src.join()
		plain = plain && !attrs
		out = append(out, j)
	}
	if plain && len(out) == t.graphCount() {
		return nil
	}
	return out
}

// join prints the @join__field of one source and tells whether it has more than a graph.
func (src *fieldSource) join() (string, bool) {
	args := []string{"graph: " + src.g.enum}
	if src.requires != "" {
		args = append(args, "requires: "+quote(src.requires))
	}
	if src.provides != "" {
		args = append(args, "provides: "+quote(src.provides))
	}
	if src.typeDiffers {
		args = append(args, "type: "+quote(src.def.Type.String()))
	}
	if src.external {
		args = append(args, "external: true")
	}
	if src.override != "" {
		args = append(args, "override: "+quote(src.override))
	}
	if src.usedOverridden {
		args = append(args, "usedOverridden: true")
	}
	if src.overrideLabel != "" {
		args = append(args, "overrideLabel: "+quote(src.overrideLabel))
	}
	return "@join__field(" + strings.Join(args, ", ") + ")", len(args) > 1
}

// String prints the @join__type directive.
func (j joinType) String() string {
	args := []string{"graph: " + j.graph}
	if j.hasKey {
		args = append(args, "key: "+quote(j.key))
	}
	if j.extension {
		args = append(args, "extension: true")
	}
	if !j.resolvable {
		args = append(args, "resolvable: false")
	}
	if j.interfaceObject {
		args = append(args, "isInterfaceObject: true")
	}
	return "@join__type(" + strings.Join(args, ", ") + ")"
}

// printArgs prints a merged argument list, one argument a line when some have descriptions.
func printArgs(args []*mArg) string {
	if len(args) == 0 {
		return ""
	}
	multiline := false
	parts := make([]string, len(args))
	for i, a := range args {
		multiline = multiline || a.description != ""
		parts[i] = a.name + ": " + a.typ.String()
		if a.def != nil {
			parts[i] += " = " + printValue(a.def)
		}
		parts[i] += marksString(a.marks)
	}
	if !multiline {
		return "(" + strings.Join(parts, ", ") + ")"
	}
	var b strings.Builder
	b.WriteString("(\n")
	for i, a := range args {
		b.WriteString(blockString(a.description, "    "))
		b.WriteString("    " + parts[i] + "\n")
	}
	return b.String() + "  )"
}

// marks prints the API directives of an element.
func (p *printer) marks(m marks) {
	p.WriteString(marksString(m))
}

// marksString returns the API directives of an element, each preceded by a space.
func marksString(m marks) string {
	var b strings.Builder
	if m.inaccessible {
		b.WriteString(" @inaccessible")
	}
	for _, tag := range m.tags {
		b.WriteString(" @tag(name: " + quote(tag) + ")")
	}
	if m.deprecated != nil {
		b.WriteString(" @deprecated(reason: " + quote(*m.deprecated) + ")")
	}
	for _, d := range append(m.builtin, m.custom...) {
		b.WriteString(" " + printDirective(d))
	}
	return b.String()
}

// printDirective prints a directive use with its arguments in source order.
func printDirective(d *ast.Directive) string {
	if len(d.Arguments) == 0 {
		return "@" + d.Name
	}
	args := make([]string, len(d.Arguments))
	for i, a := range d.Arguments {
		args[i] = a.Name + ": " + printValue(a.Value)
	}
	return "@" + d.Name + "(" + strings.Join(args, ", ") + ")"
}

// description prints a block-string description at indent, if any.
func (p *printer) description(text, indent string) {
	p.WriteString(blockString(text, indent))
}

// blockString formats text as a GraphQL block string on its own lines, or as a quoted
// string when it holds characters a block string cannot carry unchanged.
func blockString(text, indent string) string {
	if text == "" {
		return ""
	}
	if !blockSafe(text) {
		return indent + quote(text) + "\n"
	}
	text = strings.ReplaceAll(text, `"""`, `\"""`)
	lines := strings.Split(text, "\n")
	var b strings.Builder
	b.WriteString(indent + "\"\"\"\n")
	for _, l := range lines {
		if l == "" {
			b.WriteString("\n")
			continue
		}
		b.WriteString(indent + l + "\n")
	}
	b.WriteString(indent + "\"\"\"\n")
	return b.String()
}

// blockSafe tells whether text survives a block string: valid UTF-8, no control
// characters but newline and tab, no leading or trailing blank space that block string
// indentation rules would remove.
func blockSafe(text string) bool {
	if !utf8.ValidString(text) || strings.TrimSpace(text) != text {
		return false
	}
	for _, r := range text {
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f {
			return false
		}
	}
	for _, l := range strings.Split(text, "\n") {
		if strings.TrimSpace(l) != l {
			return false
		}
	}
	return true
}

// printValue prints a GraphQL value literal.
func printValue(v *ast.Value) string {
	switch v.Kind {
	case ast.StringValue, ast.BlockValue:
		return quote(v.Raw)
	case ast.Variable:
		return "$" + v.Raw
	case ast.ListValue:
		items := make([]string, len(v.Children))
		for i, c := range v.Children {
			items[i] = printValue(c.Value)
		}
		return "[" + strings.Join(items, ", ") + "]"
	case ast.ObjectValue:
		items := make([]string, len(v.Children))
		for i, c := range v.Children {
			items[i] = c.Name + ": " + printValue(c.Value)
		}
		return "{" + strings.Join(items, ", ") + "}"
	}
	return v.Raw
}
