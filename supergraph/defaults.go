package supergraph

import (
	"fmt"

	"github.com/vektah/gqlparser/v2/ast"
)

// checkDefaults validates the default values of arguments and input fields against their
// types, which the GraphQL validator used leaves unchecked; a wrong default would make
// the supergraph invalid.
func (g *subgraph) checkDefaults() Errors {
	var errs Errors
	for _, t := range g.userTypes() {
		for _, f := range t.Fields {
			at := t.Name + "." + f.Name
			if t.Kind == ast.InputObject && f.DefaultValue != nil {
				errs = append(errs, g.checkDefault(at, f.Type, f.DefaultValue)...)
			}
			for _, a := range f.Arguments {
				if a.DefaultValue != nil {
					errs = append(errs, g.checkDefault(at+"("+a.Name+":)", a.Type, a.DefaultValue)...)
				}
			}
		}
	}
	return errs
}

// checkDefault reports a default value that does not fit its type.
func (g *subgraph) checkDefault(at string, typ *ast.Type, v *ast.Value) Errors {
	if problem := g.valueProblem(typ, v); problem != "" {
		return Errors{g.errorf(CodeInvalidGraphQL, v.Position, "invalid default value %s for %q: %s",
			printValue(v), at, problem)}
	}
	return nil
}

// valueProblem returns why v is not a valid literal of typ, or "".
func (g *subgraph) valueProblem(typ *ast.Type, v *ast.Value) string {
	switch {
	case v.Kind == ast.NullValue && typ.NonNull:
		return "null for non-null type " + typ.String()
	case v.Kind == ast.NullValue:
		return ""
	case v.Kind == ast.Variable:
		return "a variable is not a constant"
	case typ.Elem != nil && v.Kind == ast.ListValue:
		for _, c := range v.Children {
			if p := g.valueProblem(typ.Elem, c.Value); p != "" {
				return p
			}
		}
		return ""
	case typ.Elem != nil:
		// A single value is accepted where a list is expected (input coercion).
		return g.valueProblem(typ.Elem, v)
	}
	def := g.schema.Types[typ.NamedType]
	if def == nil {
		return ""
	}
	switch def.Kind {
	case ast.Enum:
		if v.Kind != ast.EnumValue || def.EnumValues.ForName(v.Raw) == nil {
			return fmt.Sprintf("%s is not a value of enum %s", printValue(v), def.Name)
		}
	case ast.InputObject:
		return g.objectProblem(def, v)
	case ast.Scalar:
		if !scalarAccepts(def.Name, v.Kind) {
			return fmt.Sprintf("%s is not a valid %s", printValue(v), def.Name)
		}
	}
	return ""
}

// objectProblem returns why v is not a valid literal of input object def, or "".
func (g *subgraph) objectProblem(def *ast.Definition, v *ast.Value) string {
	if v.Kind != ast.ObjectValue {
		return fmt.Sprintf("%s is not an input object %s", printValue(v), def.Name)
	}
	for _, c := range v.Children {
		f := def.Fields.ForName(c.Name)
		if f == nil {
			return fmt.Sprintf("input object %s has no field %q", def.Name, c.Name)
		}
		if p := g.valueProblem(f.Type, c.Value); p != "" {
			return p
		}
	}
	for _, f := range def.Fields {
		if required(f.Type, f.DefaultValue) && v.Children.ForName(f.Name) == nil {
			return fmt.Sprintf("required field %q of %s is missing", f.Name, def.Name)
		}
	}
	return ""
}

// scalarAccepts tells whether a literal of kind k is valid for scalar name. Custom scalars
// accept any literal.
func scalarAccepts(name string, k ast.ValueKind) bool {
	switch name {
	case "Int":
		return k == ast.IntValue
	case "Float":
		return k == ast.IntValue || k == ast.FloatValue
	case "String":
		return k == ast.StringValue || k == ast.BlockValue
	case "Boolean":
		return k == ast.BooleanValue
	case "ID":
		return k == ast.StringValue || k == ast.BlockValue || k == ast.IntValue
	}
	return true
}
