package supergraph

import (
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// coord names a field of a type, as in `Course.title`.
type coord struct {
	Type  string
	Field string
}

// String returns Type.field.
func (c coord) String() string { return c.Type + "." + c.Field }

// parseFieldSet parses the value of a `fields:` argument (a FieldSet such as
// "id organization { id }") into a selection set.
func parseFieldSet(fields string) (ast.SelectionSet, error) {
	doc, err := parser.ParseQuery(&ast.Source{Name: "fields", Input: "{" + fields + "}"})
	if err != nil {
		return nil, err
	}
	if len(doc.Operations) != 1 || len(doc.Fragments) > 0 {
		return nil, errFieldSetShape
	}
	return doc.Operations[0].SelectionSet, nil
}

// errFieldSetShape reports a FieldSet that is not a single selection set.
var errFieldSetShape = fieldSetError("a field set must be a list of fields")

// fieldSetError is an error about the shape of a FieldSet.
type fieldSetError string

// Error returns the message.
func (e fieldSetError) Error() string { return string(e) }

// selected is one field reached by a FieldSet: its coordinate, its definition and its
// depth (0 for fields of the type the FieldSet applies to).
type selected struct {
	at    coord
	def   *ast.FieldDefinition
	field *ast.Field
	depth int
}

// fieldSetProblem is what walkFieldSet finds wrong in a FieldSet.
type fieldSetProblem struct {
	kind    problemKind
	message string
}

// problemKind classifies fieldSetProblem so each directive can map it to its own code.
type problemKind int

const (
	problemInvalid     problemKind = iota // unknown field, bad sub-selection
	problemHasArgs                        // selects a field defined with arguments
	problemInvalidType                    // selects a list, interface or union (keys only)
)

// walkFieldSet resolves set against parent in schema, returning every selected field and
// the problems found. Inline fragments (`... on T`) are followed.
func walkFieldSet(schema *ast.Schema, parent *ast.Definition, set ast.SelectionSet, depth int) ([]selected, []fieldSetProblem) {
	var out []selected
	var probs []fieldSetProblem
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			o, p := walkField(schema, parent, s, depth)
			out, probs = append(out, o...), append(probs, p...)
		case *ast.InlineFragment:
			target := parent
			if s.TypeCondition != "" {
				target = schema.Types[s.TypeCondition]
			}
			if target == nil {
				probs = append(probs, fieldSetProblem{problemInvalid, "unknown type " + s.TypeCondition})
				continue
			}
			o, p := walkFieldSet(schema, target, s.SelectionSet, depth)
			out, probs = append(out, o...), append(probs, p...)
		default:
			probs = append(probs, fieldSetProblem{problemInvalid, "fragment spreads are not allowed"})
		}
	}
	return out, probs
}

// walkField resolves one selected field and its sub-selection.
func walkField(schema *ast.Schema, parent *ast.Definition, f *ast.Field, depth int) ([]selected, []fieldSetProblem) {
	def := parent.Fields.ForName(f.Name)
	if def == nil || f.Alias != f.Name && f.Alias != "" {
		return nil, []fieldSetProblem{{
			problemInvalid,
			"cannot query field \"" + f.Name + "\" on type \"" + parent.Name + "\"",
		}}
	}
	out := []selected{{at: coord{parent.Name, f.Name}, def: def, field: f, depth: depth}}
	var probs []fieldSetProblem
	if len(def.Arguments) > 0 || len(f.Arguments) > 0 {
		probs = append(probs, fieldSetProblem{
			problemHasArgs,
			"field \"" + parent.Name + "." + f.Name + "\" has arguments",
		})
	}
	typ := schema.Types[def.Type.Name()]
	if typ == nil {
		return out, probs
	}
	leaf := typ.Kind == ast.Scalar || typ.Kind == ast.Enum
	switch {
	case leaf && len(f.SelectionSet) > 0:
		probs = append(probs, fieldSetProblem{
			problemInvalid,
			"field \"" + parent.Name + "." + f.Name + "\" of leaf type has a sub-selection",
		})
	case !leaf && len(f.SelectionSet) == 0:
		probs = append(probs, fieldSetProblem{
			problemInvalid,
			"field \"" + parent.Name + "." + f.Name + "\" of type " + typ.Name + " needs a sub-selection",
		})
	case !leaf:
		o, p := walkFieldSet(schema, typ, f.SelectionSet, depth+1)
		out, probs = append(out, o...), append(probs, p...)
	}
	return out, probs
}
