// Package graph is the registry module's GraphQL adapter: the modules query over the domain
// in the registry package, and Module, which plugs it into the platform's subgraph runner.
package graph

import "ergo/subgraphs/registry"

// Resolver is the root resolver; it only delegates to the domain service.
type Resolver struct {
	Registry *registry.Service
}
