package supergraph

import (
	"slices"
	"sort"

	"github.com/vektah/gqlparser/v2/ast"
)

// mergeComposedDirectives keeps the definitions of directives named by @composeDirective
// and the @link of their specification. Subgraphs composing the same directive may define
// it differently: the supergraph's definition unites their arguments and locations.
func (s *schema) mergeComposedDirectives() Errors {
	var errs Errors
	for _, g := range s.graphs {
		names := make([]string, 0, len(g.composed))
		for name := range g.composed {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			def := g.schema.Directives[name]
			if prev := s.directives[name]; prev != nil {
				def, err := uniteDirectives(g, prev, def)
				if err != nil {
					errs = append(errs, err)
				}
				s.directives[name] = def
				continue
			}
			s.directives[name] = copyDirective(def)
			for _, link := range g.links {
				if imports(link, "@"+name) && !contains(s.links, argString(link, "url")) {
					s.links = append(s.links, argString(link, "url"))
				}
			}
		}
	}
	sort.Strings(s.links)
	return errs
}

// imports tells whether a @link imports name.
func imports(link *ast.Directive, name string) bool {
	arg := link.Arguments.ForName("import")
	if arg == nil || arg.Value == nil {
		return false
	}
	for _, item := range arg.Value.Children {
		if n, _, ok := importItem(item.Value); ok && n == name {
			return true
		}
	}
	return false
}

// copyDirective returns a copy of d that merging may change.
func copyDirective(d *ast.DirectiveDefinition) *ast.DirectiveDefinition {
	c := *d
	c.Arguments = append(ast.ArgumentDefinitionList(nil), d.Arguments...)
	c.Locations = append([]ast.DirectiveLocation(nil), d.Locations...)
	return &c
}

// uniteDirectives merges subgraph g's definition d into the merged definition into: it
// gains d's arguments and locations and is repeatable if either is. An argument defined
// with two types is an error.
func uniteDirectives(g *subgraph, into, d *ast.DirectiveDefinition) (*ast.DirectiveDefinition, *Error) {
	var err *Error
	for _, a := range d.Arguments {
		prev := into.Arguments.ForName(a.Name)
		switch {
		case prev == nil:
			into.Arguments = append(into.Arguments, a)
		case prev.Type.String() != a.Type.String() && err == nil:
			err = g.errorf(CodeDirectiveCompositionError, a.Position,
				"argument %q of composed directive @%s has type %q here but %q in another subgraph",
				a.Name, d.Name, a.Type.String(), prev.Type.String())
		}
	}
	for _, l := range d.Locations {
		if !slices.Contains(into.Locations, l) {
			into.Locations = append(into.Locations, l)
		}
	}
	into.IsRepeatable = into.IsRepeatable || d.IsRepeatable
	return into, err
}
