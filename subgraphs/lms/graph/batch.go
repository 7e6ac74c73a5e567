package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/google/uuid"
	"github.com/vektah/gqlparser/v2/ast"

	"ergo/subgraphs/lms"
)

// batchedSchema runs each query with loaders that batch its reads (lms.Service.BatchReads),
// so that a field under a list costs one SQL query for the whole list. Mutations run
// without: a value cached before a write would be stale after it.
type batchedSchema struct {
	graphql.ExecutableSchema
	svc *lms.Service
}

// Exec runs the operation, with batched reads for a query.
func (s batchedSchema) Exec(ctx context.Context) graphql.ResponseHandler {
	next := s.ExecutableSchema.Exec(ctx)
	if op := graphql.GetOperationContext(ctx).Operation; op == nil || op.Operation != ast.Query {
		return next
	}
	return func(ctx context.Context) *graphql.Response {
		return next(s.svc.BatchReads(ctx))
	}
}

// primeReferences tells the service which entities the _entities request being resolved
// holds, so that it loads them, and what lies below them, together.
func (r *Resolver) primeReferences(ctx context.Context) {
	r.LMS.PrimeReferences(ctx, func() lms.References {
		var refs lms.References
		fc := graphql.GetFieldContext(ctx)
		if fc == nil {
			return refs
		}
		reps, _ := fc.Args["representations"].([]map[string]any)
		for _, rep := range reps {
			s, _ := rep["id"].(string)
			id, err := uuid.Parse(s)
			if err != nil {
				continue // reported when that representation is resolved
			}
			switch rep["__typename"] {
			case "Course":
				refs.Courses = append(refs.Courses, id)
			case "Enrollment":
				refs.Enrollments = append(refs.Enrollments, id)
			case "OrgUnit":
				refs.Units = append(refs.Units, id)
			case "User":
				refs.Users = append(refs.Users, id)
			}
		}
		return refs
	})
}
