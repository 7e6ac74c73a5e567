// Package graph is the identity module's GraphQL adapter: gqlgen resolvers over the domain in
// the identity package, and Module, which plugs them into the platform's subgraph runner.
package graph

import "ergo/subgraphs/identity"

// Resolver is the root resolver; it only delegates to the domain service.
type Resolver struct {
	Users *identity.Service
}
