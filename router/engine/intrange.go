package engine

import (
	"strconv"

	"github.com/vektah/gqlparser/v2/ast"
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
