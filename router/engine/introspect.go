package engine

import (
	"sort"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// resolver is an object whose fields are computed on demand; introspection uses it so that
// __schema and __type are answered from the API schema without a subgraph call.
type resolver interface {
	resolve(field string, args map[string]any) any
}

type schemaRes struct{ s *ast.Schema }

type typeRes struct {
	s   *ast.Schema
	typ *ast.Type // a wrapping type; nil for a named definition
	def *ast.Definition
}

type fieldRes struct {
	s *ast.Schema
	f *ast.FieldDefinition
}

type inputRes struct {
	s *ast.Schema
	a *ast.ArgumentDefinition
}

type enumValueRes struct{ v *ast.EnumValueDefinition }

type directiveRes struct {
	s *ast.Schema
	d *ast.DirectiveDefinition
}

func (r schemaRes) resolve(field string, _ map[string]any) any {
	switch field {
	case "__typename":
		return "__Schema"
	case "description":
		return nilIfEmpty(r.s.Description)
	case "types":
		names := make([]string, 0, len(r.s.Types))
		for n := range r.s.Types {
			names = append(names, n)
		}
		sort.Strings(names)
		out := make([]any, 0, len(names))
		for _, n := range names {
			out = append(out, typeRes{s: r.s, def: r.s.Types[n]})
		}
		return out
	case "queryType":
		return defRes(r.s, r.s.Query)
	case "mutationType":
		return defRes(r.s, r.s.Mutation)
	case "subscriptionType":
		return defRes(r.s, r.s.Subscription)
	case "directives":
		names := make([]string, 0, len(r.s.Directives))
		for n := range r.s.Directives {
			names = append(names, n)
		}
		sort.Strings(names)
		out := make([]any, 0, len(names))
		for _, n := range names {
			out = append(out, directiveRes{r.s, r.s.Directives[n]})
		}
		return out
	}
	return nil
}

func defRes(s *ast.Schema, def *ast.Definition) any {
	if def == nil {
		return nil
	}
	return typeRes{s: s, def: def}
}

// namedType returns the __Type of a named type, or nil when the API schema lacks it.
func namedType(s *ast.Schema, name string) any {
	return defRes(s, s.Types[name])
}

func typeOf(s *ast.Schema, t *ast.Type) any {
	if t.NonNull || t.Elem != nil {
		return typeRes{s: s, typ: t}
	}
	return namedType(s, t.NamedType)
}

func (r typeRes) resolve(field string, args map[string]any) any {
	if r.typ != nil {
		return r.wrapper(field)
	}
	switch field {
	case "__typename":
		return "__Type"
	case "kind":
		return string(r.def.Kind)
	case "name":
		return r.def.Name
	case "description":
		return nilIfEmpty(r.def.Description)
	case "specifiedByURL":
		if d := r.def.Directives.ForName("specifiedBy"); d != nil {
			return argString(d, "url")
		}
		return nil
	case "isOneOf":
		if r.def.Kind != ast.InputObject {
			return nil
		}
		return r.def.Directives.ForName("oneOf") != nil
	case "fields":
		return r.fields(args)
	case "interfaces":
		if r.def.Kind != ast.Object && r.def.Kind != ast.Interface {
			return nil
		}
		out := []any{}
		for _, i := range r.def.Interfaces {
			out = append(out, namedType(r.s, i))
		}
		return out
	case "possibleTypes":
		if !r.def.IsAbstractType() {
			return nil
		}
		out := []any{}
		for _, d := range r.s.PossibleTypes[r.def.Name] {
			out = append(out, typeRes{s: r.s, def: d})
		}
		return out
	case "enumValues":
		if r.def.Kind != ast.Enum {
			return nil
		}
		out := []any{}
		for _, v := range r.def.EnumValues {
			if args["includeDeprecated"] == true || v.Directives.ForName("deprecated") == nil {
				out = append(out, enumValueRes{v})
			}
		}
		return out
	case "inputFields":
		if r.def.Kind != ast.InputObject {
			return nil
		}
		out := []any{}
		for _, f := range r.def.Fields {
			if args["includeDeprecated"] == true || f.Directives.ForName("deprecated") == nil {
				out = append(out, inputRes{r.s, &ast.ArgumentDefinition{
					Name:        f.Name,
					Description: f.Description, Type: f.Type, DefaultValue: f.DefaultValue,
					Directives: f.Directives,
				}})
			}
		}
		return out
	}
	return nil
}

func (r typeRes) fields(args map[string]any) any {
	if r.def.Kind != ast.Object && r.def.Kind != ast.Interface {
		return nil
	}
	out := []any{}
	for _, f := range r.def.Fields {
		if strings.HasPrefix(f.Name, "__") {
			continue
		}
		if args["includeDeprecated"] == true || f.Directives.ForName("deprecated") == nil {
			out = append(out, fieldRes{r.s, f})
		}
	}
	return out
}

func (r typeRes) wrapper(field string) any {
	switch field {
	case "__typename":
		return "__Type"
	case "kind":
		if r.typ.NonNull {
			return "NON_NULL"
		}
		return "LIST"
	case "ofType":
		if r.typ.NonNull {
			inner := *r.typ
			inner.NonNull = false
			return typeOf(r.s, &inner)
		}
		return typeOf(r.s, r.typ.Elem)
	}
	return nil
}

func (r fieldRes) resolve(field string, args map[string]any) any {
	switch field {
	case "__typename":
		return "__Field"
	case "name":
		return r.f.Name
	case "description":
		return nilIfEmpty(r.f.Description)
	case "args":
		out := []any{}
		for _, a := range r.f.Arguments {
			if args["includeDeprecated"] == true || a.Directives.ForName("deprecated") == nil {
				out = append(out, inputRes{r.s, a})
			}
		}
		return out
	case "type":
		return typeOf(r.s, r.f.Type)
	case "isDeprecated":
		return r.f.Directives.ForName("deprecated") != nil
	case "deprecationReason":
		return deprecation(r.f.Directives)
	}
	return nil
}

func (r inputRes) resolve(field string, _ map[string]any) any {
	switch field {
	case "__typename":
		return "__InputValue"
	case "name":
		return r.a.Name
	case "description":
		return nilIfEmpty(r.a.Description)
	case "type":
		return typeOf(r.s, r.a.Type)
	case "defaultValue":
		if r.a.DefaultValue == nil {
			return nil
		}
		return r.a.DefaultValue.String()
	case "isDeprecated":
		return r.a.Directives.ForName("deprecated") != nil
	case "deprecationReason":
		return deprecation(r.a.Directives)
	}
	return nil
}

func (r enumValueRes) resolve(field string, _ map[string]any) any {
	switch field {
	case "__typename":
		return "__EnumValue"
	case "name":
		return r.v.Name
	case "description":
		return nilIfEmpty(r.v.Description)
	case "isDeprecated":
		return r.v.Directives.ForName("deprecated") != nil
	case "deprecationReason":
		return deprecation(r.v.Directives)
	}
	return nil
}

func (r directiveRes) resolve(field string, args map[string]any) any {
	switch field {
	case "__typename":
		return "__Directive"
	case "name":
		return r.d.Name
	case "description":
		return nilIfEmpty(r.d.Description)
	case "isRepeatable":
		return r.d.IsRepeatable
	case "locations":
		out := make([]any, 0, len(r.d.Locations))
		for _, l := range r.d.Locations {
			out = append(out, string(l))
		}
		return out
	case "args":
		out := []any{}
		for _, a := range r.d.Arguments {
			if args["includeDeprecated"] == true || a.Directives.ForName("deprecated") == nil {
				out = append(out, inputRes{r.s, a})
			}
		}
		return out
	}
	return nil
}

func deprecation(dirs ast.DirectiveList) any {
	d := dirs.ForName("deprecated")
	if d == nil {
		return nil
	}
	if a := d.Arguments.ForName("reason"); a != nil && a.Value != nil {
		return a.Value.Raw
	}
	return "No longer supported"
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
