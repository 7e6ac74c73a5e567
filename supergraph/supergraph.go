// Package supergraph composes Federation 2 subgraph schemas into one supergraph schema.
//
// Compose reads each subgraph's SDL (Federation 2 with @link, or Federation 1 style with
// `extend type X @key(...)`), validates the federation directives of each subgraph, merges
// the types of all subgraphs, checks that every field can be reached by some query plan and
// prints the supergraph in the public form understood by federation routers: the link and
// join specifications (join v0.4) on top of the merged API schema.
//
// Diff compares two supergraphs and lists the changes that break existing clients.
package supergraph

import (
	"sort"
)

// Source is one SDL file of a subgraph. Name is the file path used in diagnostics.
type Source struct {
	Name string
	Body string
}

// Subgraph is one service of the federation: its name (unique, used in join__Graph), the URL
// of its GraphQL endpoint and the SDL files that together form its schema.
type Subgraph struct {
	Name    string
	URL     string
	Sources []Source
}

// Supergraph is the result of a successful composition.
type Supergraph struct {
	sdl []byte
}

// SDL returns the supergraph schema text. The output is deterministic: the same subgraphs,
// in any order, give the same bytes.
func (s *Supergraph) SDL() []byte {
	return append([]byte(nil), s.sdl...)
}

// Compose composes subgraphs into a supergraph. It reports every problem it finds, not only
// the first: the error is of type Errors, each entry carrying a stable code, the subgraph and
// the file:line:col where the problem is.
func Compose(subgraphs []Subgraph) (*Supergraph, error) {
	var errs Errors
	if len(subgraphs) == 0 {
		return nil, append(errs, &Error{Code: CodeNoSubgraphs, Message: "no subgraphs to compose"})
	}

	// Step 1: load and validate each subgraph on its own, in name order so that output and
	// diagnostics do not depend on the order of the input.
	sorted := append([]Subgraph(nil), subgraphs...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	graphs, errs := loadAll(sorted)
	if len(errs) > 0 {
		return nil, errs.sorted()
	}

	// Step 2: merge the subgraphs' types, then check that every field is reachable (on a
	// merge that failed, unreachable fields would only repeat the merge errors).
	sg, errs := merge(graphs)
	if len(errs) > 0 {
		return nil, errs.sorted()
	}
	if errs := checkSatisfiability(sg); len(errs) > 0 {
		return nil, errs.sorted()
	}
	return &Supergraph{sdl: print(sg)}, nil
}

// loadAll loads every subgraph and checks that names and join__Graph values are unique.
func loadAll(subgraphs []Subgraph) ([]*subgraph, Errors) {
	var graphs []*subgraph
	var errs Errors
	enums := map[string]string{}
	for _, s := range subgraphs {
		enum := graphEnum(s.Name)
		if prev, dup := enums[enum]; dup {
			errs = append(errs, &Error{
				Code: CodeInvalidSubgraphName, Subgraph: s.Name,
				Message: "subgraph name " + quote(s.Name) + " collides with " + quote(prev) +
					" (both become join__Graph value " + enum + ")",
			})
		}
		enums[enum] = s.Name
		g, gerrs := load(s)
		errs = append(errs, gerrs...)
		if g != nil {
			graphs = append(graphs, g)
		}
	}
	return graphs, errs
}
