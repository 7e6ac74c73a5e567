package engine

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// checkScalars returns an error for the first built-in scalar in v, a variable's value of
// type t as the request gave it, that input coercion must refuse (GraphQL spec, "Scalars",
// input coercion of Int, Float, String, Boolean and ID). It runs before gqlparser's variable
// validation, which takes a string of digits for an Int, Float or ID, a JSON number for a
// String, and names a wrong Int as "value 0". path names v ("variable", name, ...); enums,
// custom scalars, unknown fields and missing values are left to gqlparser.
func checkScalars(schema *ast.Schema, t *ast.Type, v any, path ast.Path) error {
	switch {
	case v == nil:
		return nil
	case t.Elem != nil:
		list, ok := v.([]any)
		if !ok {
			// A single value stands for a list of one (input coercion of lists).
			return checkScalars(schema, t.Elem, v, path)
		}
		for i, item := range list {
			if err := checkScalars(schema, t.Elem, item, append(path, ast.PathIndex(i))); err != nil {
				return err
			}
		}
		return nil
	}
	if msg := scalarProblem(t.NamedType, v); msg != "" {
		return gqlerror.ErrorPathf(path, "%s", msg)
	}
	return checkFields(schema, t, v, path)
}

// checkFields applies checkScalars to the fields of v when t is an input object type.
func checkFields(schema *ast.Schema, t *ast.Type, v any, path ast.Path) error {
	def := schema.Types[t.NamedType]
	m, ok := v.(map[string]any)
	if def == nil || def.Kind != ast.InputObject || !ok {
		return nil
	}
	for _, f := range def.Fields {
		fv, ok := m[f.Name]
		if !ok {
			continue
		}
		if err := checkScalars(schema, f.Type, fv, append(path, ast.PathName(f.Name))); err != nil {
			return err
		}
	}
	return nil
}

// scalarProblem returns why v cannot be a value of the built-in scalar called name, showing
// v as the request gave it, or "" when it can (or name is not a built-in scalar).
func scalarProblem(name string, v any) string {
	switch name {
	case "Int":
		n, ok := number(v)
		switch {
		case !ok || n != math.Trunc(n):
			return "Int cannot represent a non-integer value: " + valueText(v)
		case n < math.MinInt32 || n > math.MaxInt32:
			return "Int cannot represent non 32-bit signed integer value: " + valueText(v)
		}
	case "Float":
		if _, ok := number(v); !ok {
			return "Float cannot represent a non-numeric value: " + valueText(v)
		}
	case "String":
		if _, ok := v.(string); !ok {
			return "String cannot represent a non-string value: " + valueText(v)
		}
	case "Boolean":
		if _, ok := v.(bool); !ok {
			return "Boolean cannot represent a non-boolean value: " + valueText(v)
		}
	case "ID":
		if !idValue(v) {
			return "ID cannot represent a value that is not a string or an integer: " + valueText(v)
		}
	}
	return ""
}

// idValue reports whether v is a string or an integer that fits 64 bits, the values an ID
// takes as input (spec, "ID", input coercion).
func idValue(v any) bool {
	switch n := v.(type) {
	case string, int, int32, int64:
		return true
	case json.Number:
		_, err := strconv.ParseInt(string(n), 10, 64)
		return err == nil
	}
	f, ok := number(v)
	return ok && f == math.Trunc(f) && f >= math.MinInt64 && f < math.MaxInt64
}

// number returns v as a finite float64 when v is a number: a json.Number (as the HTTP layer
// decodes variables) or a Go number (as library callers pass them). Strings are not numbers.
func number(v any) (float64, bool) {
	var f float64
	switch n := v.(type) {
	case json.Number:
		var err error
		if f, err = strconv.ParseFloat(string(n), 64); err != nil {
			return 0, false
		}
	case float64:
		f = n
	case float32:
		f = float64(n)
	case int:
		f = float64(n)
	case int32:
		f = float64(n)
	case int64:
		f = float64(n)
	default:
		return 0, false
	}
	return f, !math.IsInf(f, 0) && !math.IsNaN(f)
}

// valueText writes v for an error message as the client sent it: JSON numbers as written,
// strings quoted, lists and objects as JSON cut to a readable length.
func valueText(v any) string {
	switch n := v.(type) {
	case json.Number:
		return string(n)
	case float64, float32:
		return numberText(n)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "(not JSON)"
	}
	const limit = 60
	if len(b) > limit {
		return string(b[:limit]) + "..."
	}
	return string(b)
}

// numberText writes a number for an error message, floats without an exponent.
func numberText(v any) string {
	switch n := v.(type) {
	case float64:
		return strconv.FormatFloat(n, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(n), 'f', -1, 32)
	}
	return fmt.Sprint(v)
}
