package engine

import (
	"fmt"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
)

// Subgraph names one subgraph of a supergraph and where it is served.
type Subgraph struct {
	// Name is the subgraph name from @join__graph(name:).
	Name string
	// URL is the subgraph endpoint from @join__graph(url:).
	URL string
}

// Supergraph is a loaded supergraph: the full schema with its join metadata, and the API
// schema that clients see. It is immutable and safe for concurrent use.
type Supergraph struct {
	full   *ast.Schema
	api    *ast.Schema
	graphs []Subgraph
	types  map[string]*typeMeta
	// labelList holds every progressive-override label, sorted.
	labelList []string
}

// typeMeta is what the join directives say about one type.
type typeMeta struct {
	name string
	// graphs holds per subgraph index the type's presence and keys; nil when absent.
	graphs []*typeInGraph
	// anyJoin is false when the type carries no @join__type at all (then it is everywhere).
	anyJoin bool
	fields  map[string]*fieldMeta
	// implements[g] lists interfaces the type implements in subgraph g (@join__implements).
	implements []map[string]bool
	// members[g] lists union members known to subgraph g (@join__unionMember).
	members []map[string]bool
}

type typeInGraph struct {
	keys            []*key
	interfaceObject bool
}

// key is one @key of a type in one subgraph.
type key struct {
	text       string
	set        ast.SelectionSet
	resolvable bool
}

type fieldMeta struct {
	// joined is true when the field carries @join__field; then only graphs in byGraph serve it.
	joined  bool
	byGraph map[int]*fieldInGraph
}

type fieldInGraph struct {
	external       bool
	usedOverridden bool
	override       string
	overrideLabel  string
	requires       ast.SelectionSet
	requiresText   string
	provides       ast.SelectionSet
	// typ is the field's type in this subgraph when it differs from the supergraph's, as
	// written in @join__field(type:); empty otherwise.
	typ string
}

// joinDirectives are removed from the API schema together with @link and @inaccessible.
func isJoinDirective(name string) bool {
	return strings.HasPrefix(name, "join__") || name == "link" || name == "inaccessible" ||
		strings.HasPrefix(name, "link__")
}

// Load parses a supergraph SDL in the standard join v0.3+ form and builds its API schema.
// It returns an error naming the position of the first problem.
func Load(sdl []byte) (*Supergraph, error) {
	src := &ast.Source{Name: "supergraph.graphql", Input: string(sdl)}
	full, err := validator.LoadSchema(validator.Prelude, src)
	if err != nil {
		return nil, fmt.Errorf("load supergraph: %w", err)
	}
	s := &Supergraph{full: full, types: map[string]*typeMeta{}}

	if err := s.readGraphs(); err != nil {
		return nil, err
	}
	for _, def := range full.Types {
		if err := s.readType(def); err != nil {
			return nil, err
		}
	}

	s.labelList = s.findLabels()

	api, err := buildAPISchema(src)
	if err != nil {
		return nil, fmt.Errorf("build api schema: %w", err)
	}
	s.api = api
	return s, nil
}

// APISchema returns the schema clients see: join machinery and @inaccessible elements removed.
func (s *Supergraph) APISchema() *ast.Schema { return s.api }

// Subgraphs returns the subgraphs in the order of the join__Graph enum.
func (s *Supergraph) Subgraphs() []Subgraph { return append([]Subgraph(nil), s.graphs...) }

func (s *Supergraph) readGraphs() error {
	enum := s.full.Types["join__Graph"]
	if enum == nil {
		return fmt.Errorf("load supergraph: no join__Graph enum")
	}
	for _, v := range enum.EnumValues {
		d := v.Directives.ForName("join__graph")
		if d == nil {
			return fmt.Errorf("load supergraph: %s: join__Graph.%s has no @join__graph", pos(v.Position), v.Name)
		}
		s.graphs = append(s.graphs, Subgraph{Name: argString(d, "name"), URL: argString(d, "url")})
	}
	return nil
}

func (s *Supergraph) graphIndex(d *ast.Directive) int {
	arg := d.Arguments.ForName("graph")
	if arg == nil || arg.Value == nil {
		return -1
	}
	for i, v := range s.full.Types["join__Graph"].EnumValues {
		if v.Name == arg.Value.Raw {
			return i
		}
	}
	return -1
}

func (s *Supergraph) readType(def *ast.Definition) error {
	n := len(s.graphs)
	tm := &typeMeta{
		name: def.Name, graphs: make([]*typeInGraph, n), fields: map[string]*fieldMeta{},
		implements: make([]map[string]bool, n), members: make([]map[string]bool, n),
	}
	for _, d := range def.Directives {
		g := s.graphIndex(d)
		if g < 0 {
			continue
		}
		switch d.Name {
		case "join__type":
			if err := s.readJoinType(tm, def, d, g); err != nil {
				return err
			}
		case "join__implements":
			tm.implements[g] = setAdd(tm.implements[g], argString(d, "interface"))
		case "join__unionMember":
			tm.members[g] = setAdd(tm.members[g], argString(d, "member"))
		}
	}
	for _, f := range def.Fields {
		fm, err := s.readField(def, f)
		if err != nil {
			return err
		}
		tm.fields[f.Name] = fm
	}
	s.types[def.Name] = tm
	return nil
}

func (s *Supergraph) readJoinType(tm *typeMeta, def *ast.Definition, d *ast.Directive, g int) error {
	tm.anyJoin = true
	tg := tm.graphs[g]
	if tg == nil {
		tg = &typeInGraph{}
		tm.graphs[g] = tg
	}
	if argBool(d, "isInterfaceObject", false) {
		tg.interfaceObject = true
	}
	text := argString(d, "key")
	if text == "" {
		return nil
	}
	set, err := parseFieldSet(text)
	if err != nil {
		return fmt.Errorf("load supergraph: %s: @key on %s: %w", pos(d.Position), def.Name, err)
	}
	tg.keys = append(tg.keys, &key{text: text, set: set, resolvable: argBool(d, "resolvable", true)})
	return nil
}

func (s *Supergraph) readField(def *ast.Definition, f *ast.FieldDefinition) (*fieldMeta, error) {
	fm := &fieldMeta{byGraph: map[int]*fieldInGraph{}}
	for _, d := range f.Directives.ForNames("join__field") {
		fm.joined = true
		g := s.graphIndex(d)
		if g < 0 {
			continue
		}
		fg := &fieldInGraph{
			external:       argBool(d, "external", false),
			usedOverridden: argBool(d, "usedOverridden", false),
			override:       argString(d, "override"),
			overrideLabel:  argString(d, "overrideLabel"),
			requiresText:   argString(d, "requires"),
		}
		if t := argString(d, "type"); t != f.Type.String() {
			fg.typ = t
		}
		var err error
		if fg.requiresText != "" {
			if fg.requires, err = parseFieldSet(fg.requiresText); err != nil {
				return nil, fmt.Errorf("load supergraph: %s: @requires on %s.%s: %w", pos(d.Position), def.Name, f.Name, err)
			}
		}
		if p := argString(d, "provides"); p != "" {
			if fg.provides, err = parseFieldSet(p); err != nil {
				return nil, fmt.Errorf("load supergraph: %s: @provides on %s.%s: %w", pos(d.Position), def.Name, f.Name, err)
			}
		}
		fm.byGraph[g] = fg
	}
	return fm, nil
}

// parseFieldSet parses a join__FieldSet such as "id org { id }" into a selection set.
func parseFieldSet(text string) (ast.SelectionSet, error) {
	doc, err := parser.ParseQuery(&ast.Source{Input: "{" + text + "}"})
	if err != nil {
		return nil, err
	}
	if len(doc.Operations) != 1 {
		return nil, fmt.Errorf("invalid field set %q", text)
	}
	return doc.Operations[0].SelectionSet, nil
}

// buildAPISchema re-parses the SDL and drops join machinery, @link types and everything
// marked @inaccessible, then validates what is left.
func buildAPISchema(src *ast.Source) (*ast.Schema, error) {
	doc, err := parser.ParseSchemas(validator.Prelude, src)
	if err != nil {
		return nil, err
	}
	inaccessible := map[string]bool{}
	for _, def := range doc.Definitions {
		if def.Directives.ForName("inaccessible") != nil {
			inaccessible[def.Name] = true
		}
	}
	keep := doc.Definitions[:0]
	for _, def := range doc.Definitions {
		if inaccessible[def.Name] || strings.HasPrefix(def.Name, "join__") ||
			strings.HasPrefix(def.Name, "link__") {
			continue
		}
		cleanDefinition(def, inaccessible)
		keep = append(keep, def)
	}
	doc.Definitions = keep
	dirs := doc.Directives[:0]
	for _, d := range doc.Directives {
		if !isJoinDirective(d.Name) {
			dirs = append(dirs, d)
		}
	}
	doc.Directives = dirs
	for _, sd := range doc.Schema {
		sd.Directives = dropJoin(sd.Directives)
	}
	for _, sd := range doc.SchemaExtension {
		sd.Directives = dropJoin(sd.Directives)
	}
	return validator.ValidateSchemaDocument(doc)
}

func cleanDefinition(def *ast.Definition, inaccessible map[string]bool) {
	def.Directives = dropJoin(def.Directives)
	fields := def.Fields[:0]
	for _, f := range def.Fields {
		if f.Directives.ForName("inaccessible") != nil || inaccessible[f.Type.Name()] {
			continue
		}
		args := f.Arguments[:0]
		for _, a := range f.Arguments {
			if a.Directives.ForName("inaccessible") == nil {
				a.Directives = dropJoin(a.Directives)
				args = append(args, a)
			}
		}
		f.Arguments = args
		f.Directives = dropJoin(f.Directives)
		fields = append(fields, f)
	}
	def.Fields = fields
	values := def.EnumValues[:0]
	for _, v := range def.EnumValues {
		if v.Directives.ForName("inaccessible") == nil {
			v.Directives = dropJoin(v.Directives)
			values = append(values, v)
		}
	}
	def.EnumValues = values
	var ifaces []string
	for _, i := range def.Interfaces {
		if !inaccessible[i] {
			ifaces = append(ifaces, i)
		}
	}
	def.Interfaces = ifaces
	var types []string
	for _, t := range def.Types {
		if !inaccessible[t] {
			types = append(types, t)
		}
	}
	def.Types = types
}

func dropJoin(list ast.DirectiveList) ast.DirectiveList {
	var out ast.DirectiveList
	for _, d := range list {
		if !isJoinDirective(d.Name) {
			out = append(out, d)
		}
	}
	return out
}

func argString(d *ast.Directive, name string) string {
	a := d.Arguments.ForName(name)
	if a == nil || a.Value == nil {
		return ""
	}
	return a.Value.Raw
}

func argBool(d *ast.Directive, name string, def bool) bool {
	a := d.Arguments.ForName(name)
	if a == nil || a.Value == nil {
		return def
	}
	return a.Value.Raw == "true"
}

func setAdd(m map[string]bool, v string) map[string]bool {
	if m == nil {
		m = map[string]bool{}
	}
	m[v] = true
	return m
}

func pos(p *ast.Position) string {
	if p == nil {
		return "supergraph.graphql"
	}
	return fmt.Sprintf("%s:%d:%d", p.Src.Name, p.Line, p.Column)
}

// present reports whether subgraph g defines type name.
func (s *Supergraph) present(g int, name string) bool {
	tm := s.types[name]
	if tm == nil {
		return false
	}
	return !tm.anyJoin || tm.graphs[g] != nil
}

// fieldIn returns how subgraph g serves field typeName.field, or nil when it cannot resolve
// it itself. labels holds the enabled progressive-override labels.
func (s *Supergraph) fieldIn(g int, typeName, field string, labels map[string]bool) (*fieldInGraph, bool) {
	tm := s.types[typeName]
	if tm == nil || !s.present(g, typeName) {
		return nil, false
	}
	fm := tm.fields[field]
	if fm == nil {
		return nil, false
	}
	if !fm.joined {
		return &fieldInGraph{}, true
	}
	fg := fm.byGraph[g]
	if fg == nil || fg.external || fg.usedOverridden {
		return fg, false
	}
	if fg.overrideLabel != "" {
		on := labels[fg.overrideLabel]
		if fg.override != "" {
			return fg, on
		}
		return fg, !on
	}
	return fg, true
}
