package subgraph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// EntityError puts err, the failure to resolve the typeName entity with id in an _entities
// request, at that entity's own path (_entities.i). gqlgen reports entity errors at
// _entities alone, which tells the router neither which entity failed nor that its siblings
// did not; with the index, the error lands on the one object whose reference did not
// resolve, and the rest of the client's answer stands. Outside an _entities field, or when
// no representation matches, err is returned as it is.
func EntityError(ctx context.Context, typeName, id string, err error) error {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil {
		return err
	}
	reps, _ := fc.Args["representations"].([]map[string]any)
	for i, rep := range reps {
		if rep["__typename"] == typeName && rep["id"] == id {
			return &gqlerror.Error{
				Err: err, Message: err.Error(),
				Path: append(fc.Path(), ast.PathIndex(i)),
			}
		}
	}
	return err
}
