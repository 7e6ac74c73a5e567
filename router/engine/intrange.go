package engine

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/validator/core"
	"github.com/vektah/gqlparser/v2/validator/rules"
)

// validationRules are gqlparser's default rules plus intLiteralRange.
var validationRules = func() *rules.Rules {
	r := rules.NewDefaultRules()
	r.AddRule("IntLiteralRange", intLiteralRange)
	return r
}()

// intLiteralRange rejects Int literals outside the 32-bit signed range (GraphQL spec, "Int":
// input coercion raises a request error for such values). The default rules catch only
// literals beyond 64 bits; this rule reports the rest, so each literal gets one error.
func intLiteralRange(observers *core.Events, addError core.AddErrFunc) {
	observers.OnValue(func(_ *core.Walker, v *ast.Value) {
		if v.Kind != ast.IntValue || v.Definition == nil || v.Definition.Name != "Int" {
			return
		}
		if _, err := strconv.ParseInt(v.Raw, 10, 64); err != nil {
			return
		}
		if _, err := strconv.ParseInt(v.Raw, 10, 32); err != nil {
			addError(core.Message("Int cannot represent non 32-bit signed integer value: %s", v.Raw),
				core.At(v.Position))
		}
	})
}

// checkIntRange returns an error for the first Int in v, an input value of type t, that is
// outside the 32-bit signed range (GraphQL spec, "Int", input coercion). path names v, as
// gqlparser names variables ("variable", name, ...).
func checkIntRange(schema *ast.Schema, t *ast.Type, v any, path ast.Path) error {
	switch {
	case v == nil:
		return nil
	case t.Elem != nil:
		list, ok := v.([]any)
		if !ok {
			// A single value stands for a list of one (input coercion of lists).
			return checkIntRange(schema, t.Elem, v, path)
		}
		for i, item := range list {
			if err := checkIntRange(schema, t.Elem, item, append(path, ast.PathIndex(i))); err != nil {
				return err
			}
		}
		return nil
	case t.NamedType == "Int":
		if !int32Value(v) {
			return gqlerror.ErrorPathf(path, "Int cannot represent non 32-bit signed integer value: %s",
				numberText(v))
		}
		return nil
	}
	def := schema.Types[t.NamedType]
	m, ok := v.(map[string]any)
	if def == nil || def.Kind != ast.InputObject || !ok {
		return nil
	}
	for _, f := range def.Fields {
		if fv, ok := m[f.Name]; ok {
			if err := checkIntRange(schema, f.Type, fv, append(path, ast.PathName(f.Name))); err != nil {
				return err
			}
		}
	}
	return nil
}

// int32Value reports whether an Int value that passed gqlparser's coercion is in the 32-bit
// signed range; values of other shapes were already refused or are left to gqlparser.
func int32Value(v any) bool {
	switch n := v.(type) {
	case int:
		return n >= math.MinInt32 && n <= math.MaxInt32
	case int64:
		return n >= math.MinInt32 && n <= math.MaxInt32
	case float64:
		return n >= math.MinInt32 && n <= math.MaxInt32
	case float32:
		return n >= math.MinInt32 && n <= math.MaxInt32
	case json.Number:
		_, err := strconv.ParseInt(string(n), 10, 32)
		return err == nil
	case string:
		_, err := strconv.ParseInt(n, 10, 32)
		return err == nil
	}
	return true
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
