package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"ergo/platform/errcode"
)

// oneLoginPerOperation refuses an operation that signs in more than once: aliased login
// fields would otherwise try many emails or passwords in one request. Each refused field
// gets the error and no password is checked.
//
// TODO(#5): the router sends consecutive mutation fields of one subgraph in one request but
// splits them around fields of other subgraphs, so logins interleaved with other modules'
// mutations arrive one per request here; the per-client sign-in limit still counts them.
func oneLoginPerOperation(ctx context.Context) error {
	oc := graphql.GetOperationContext(ctx)
	if oc == nil || oc.Operation == nil {
		return nil
	}
	if n := countLogins(oc.Operation.SelectionSet); n > 1 {
		return errcode.New(errcode.InvalidArgument,
			"an operation may sign in once, and this one has %d login fields", n)
	}
	return nil
}

// countLogins counts the login fields at the root of set, inside fragments too.
func countLogins(set ast.SelectionSet) int {
	n := 0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Name == "login" {
				n++
			}
		case *ast.InlineFragment:
			n += countLogins(s.SelectionSet)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				n += countLogins(s.Definition.SelectionSet)
			}
		}
	}
	return n
}
