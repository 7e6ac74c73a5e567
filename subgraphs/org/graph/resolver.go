// Package graph is the org module's GraphQL adapter: gqlgen resolvers over the domain in the
// org package, and Module, which plugs them into the platform's subgraph runner.
package graph

import (
	"github.com/google/uuid"

	"ergo/subgraphs/org"
)

// Resolver is the root resolver; it only delegates to the domain service.
type Resolver struct {
	Org *org.Service
}

// optionalID parses an optional id argument; nil stays nil.
func optionalID(field string, s *string) (*uuid.UUID, error) {
	if s == nil {
		return nil, nil
	}
	id, err := org.ParseID(field, *s)
	if err != nil {
		return nil, err
	}
	return &id, nil
}
