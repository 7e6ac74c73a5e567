// Package graph is the bi module's GraphQL adapter: gqlgen resolvers over the domain in the bi
// package, Module for the platform's subgraph runner, and Run, which also serves /events.
package graph

import "ergo/subgraphs/bi"

// Resolver is the root resolver; it only delegates to the domain service.
type Resolver struct {
	BI *bi.Service
}

// ptrs returns pointers to the elements of s, as gqlgen's list fields want.
func ptrs[T any](s []T) []*T {
	out := make([]*T, len(s))
	for i := range s {
		out[i] = &s[i]
	}
	return out
}
