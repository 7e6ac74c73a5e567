package engine

import (
	"fmt"
	"testing"
)

// TestVariableDefaultForwarded: a variable with a default, declared nullable, is passed to a
// non-null argument of another subgraph. The subgraph only accepts that because of the default,
// so the forwarded declaration must keep it.
func TestVariableDefaultForwarded(t *testing.T) {
	const types = `
type Query @join__type(graph: LIBRARY) @join__type(graph: LOANS) {
  shelf: Shelf @join__field(graph: LIBRARY)
}
type Shelf @join__type(graph: LIBRARY, key: "id") @join__type(graph: LOANS, key: "id") {
  id: ID!
  books(max: Int!): [Book!]! @join__field(graph: LOANS)
}
type Book @join__type(graph: LOANS) { title: String! }
`
	library := &fixture{name: "library", root: map[string]resolveFn{
		"shelf": func(map[string]any) any { return obj{"__typename": "Shelf", "id": "s1"} },
	}}
	loans := &fixture{name: "loans", entities: map[string]func(map[string]any) any{
		"Shelf": func(r map[string]any) any {
			return obj{"__typename": "Shelf", "id": r["id"], "books": resolveFn(func(a map[string]any) any {
				var out []any
				for i := range int(a["max"].(float64)) {
					out = append(out, obj{"title": fmt.Sprintf("book %d", i+1)})
				}
				return out
			})}
		},
	}}
	s := newScene(t, types,
		sceneGraph{fx: library},
		sceneGraph{fx: loans, entities: []string{"Shelf"}, sdl: `
type Query { none: Int }
type Shelf { id: ID! books(max: Int!): [Book!]! }
type Book { title: String! }`})
	resp := s.run(t, `query($n: Int = 2) { shelf { id books(max: $n) { title } } }`, nil)
	wantData(t, resp, `{"shelf":{"id":"s1","books":[{"title":"book 1"},{"title":"book 2"}]}}`)
}

// TestRequiresSharesFetch: one subgraph adds two fields to an entity, one plain and one that
// @requires a field the parent fetch already returns. Both belong in one entity fetch whose
// representation carries the required field.
func TestRequiresSharesFetch(t *testing.T) {
	const types = `
type Query @join__type(graph: SHOP) @join__type(graph: STOCK) {
  item(id: ID!): Item @join__field(graph: SHOP)
}
type Item @join__type(graph: SHOP, key: "id") @join__type(graph: STOCK, key: "id") {
  id: ID!
  name: String! @join__field(graph: SHOP)
  price: Float! @join__field(graph: SHOP) @join__field(graph: STOCK, external: true)
  inStock: Boolean! @join__field(graph: STOCK)
  pricey: Boolean! @join__field(graph: STOCK, requires: "price")
}
`
	shop := &fixture{name: "shop", root: map[string]resolveFn{
		"item": func(a map[string]any) any {
			return obj{"__typename": "Item", "id": a["id"], "name": "lamp", "price": 120.0}
		},
	}}
	stock := &fixture{name: "stock", entities: map[string]func(map[string]any) any{
		"Item": func(r map[string]any) any {
			out := obj{"__typename": "Item", "id": r["id"], "inStock": true}
			if p, ok := r["price"].(float64); ok {
				out["pricey"] = p > 100
			}
			return out
		},
	}}
	s := newScene(t, types, sceneGraph{fx: shop}, sceneGraph{fx: stock})
	resp := s.run(t, `{ item(id: "i1") { id name price pricey inStock } }`, nil)
	wantData(t, resp, `{"item":{"id":"i1","name":"lamp","price":120,"pricey":true,"inStock":true}}`)
	if n := len(stock.requests()); n != 1 {
		t.Errorf("stock received %d requests, want 1; plan:\n%s", n, resp.Extensions["queryPlan"])
	}
}
