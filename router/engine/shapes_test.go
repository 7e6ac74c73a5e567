package engine

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
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

// TestSubgraphFieldTypes: a field's type in one subgraph may differ from its supergraph type
// (@join__field(type:)). Subgraph operations must be valid against the subgraph's own types.
func TestSubgraphFieldTypes(t *testing.T) {
	const types = `
type Query @join__type(graph: MEDIA) {
  pick: Highlight @join__field(graph: MEDIA, type: "Film")
  members: [Member] @join__field(graph: MEDIA)
}
union Highlight @join__type(graph: MEDIA) @join__unionMember(graph: MEDIA, member: "Film")
  @join__unionMember(graph: MEDIA, member: "Album") = Film | Album
type Film @join__type(graph: MEDIA) { title: String }
type Album @join__type(graph: MEDIA) { title: String }
union Member @join__type(graph: MEDIA) @join__unionMember(graph: MEDIA, member: "Student")
  @join__unionMember(graph: MEDIA, member: "Staff") = Student | Staff
type Student @join__type(graph: MEDIA) {
  id: ID @join__field(graph: MEDIA, type: "ID!")
  name: String
  peers: [Member] @join__field(graph: MEDIA)
}
type Staff @join__type(graph: MEDIA) { id: ID name: String }
`
	const media = `
type Query { pick: Film members: [Member] }
union Highlight = Film | Album
type Film { title: String }
type Album { title: String }
union Member = Student | Staff
type Student { id: ID! name: String peers: [Member] }
type Staff { id: ID name: String }
`
	ann := obj{"__typename": "Student", "id": "s1", "name": "Ann"}
	bob := obj{"__typename": "Staff", "id": "t1", "name": "Bob"}
	fx := &fixture{name: "media", root: map[string]resolveFn{
		"pick": func(map[string]any) any { return obj{"__typename": "Film", "title": "Dune"} },
		"members": func(map[string]any) any {
			return []any{obj{"__typename": "Student", "id": "s1", "name": "Ann", "peers": []any{ann, bob}}, bob}
		},
	}}
	s := newScene(t, types, sceneGraph{fx: fx, sdl: media})
	cases := []struct{ name, query, want string }{
		{
			name:  "object in the subgraph, union in the supergraph",
			query: `{ pick { __typename ... on Film { title } ... on Album { title } } }`,
			want:  `{"pick":{"__typename":"Film","title":"Dune"}}`,
		},
		{
			name:  "same key, different subgraph types in sibling fragments",
			query: `{ members { ... on Student { id name } ... on Staff { id name } } }`,
			want:  `{"members":[{"id":"s1","name":"Ann"},{"id":"t1","name":"Bob"}]}`,
		},
		{
			name: "the same one level down",
			query: `{ members { ... on Student { id peers { ... on Student { id name } ... on Staff { id } } }
				... on Staff { id } } }`,
			want: `{"members":[{"id":"s1","peers":[{"id":"s1","name":"Ann"},{"id":"t1"}]},{"id":"t1"}]}`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := s.run(t, tc.query, nil)
			wantData(t, resp, tc.want)
			if t.Failed() {
				t.Logf("plan:\n%s", resp.Extensions["queryPlan"])
			}
		})
	}
}

// TestInterfaceObjectWithoutImplementations: an interface entity has no implementing types;
// another subgraph adds a field to it as an @interfaceObject whose key is not resolvable.
// What that subgraph answers needs no runtime type, and a field only it has cannot be
// reached from the interface's own subgraph.
func TestInterfaceObjectWithoutImplementations(t *testing.T) {
	const types = `
type Query @join__type(graph: CATALOG) @join__type(graph: NOTES) {
  first: Asset @join__field(graph: CATALOG)
  latest: Asset @join__field(graph: NOTES)
}
interface Asset @join__type(graph: CATALOG, key: "id")
  @join__type(graph: NOTES, key: "id", resolvable: false, isInterfaceObject: true) {
  id: ID!
  note: String @join__field(graph: NOTES)
}
`
	catalog := &fixture{name: "catalog", root: map[string]resolveFn{
		"first": func(map[string]any) any { return nil },
	}}
	notes := &fixture{name: "notes", root: map[string]resolveFn{
		"latest": func(map[string]any) any { return obj{"__typename": "Asset", "id": "a1", "note": "hi"} },
	}}
	s := newScene(t, types, sceneGraph{fx: catalog}, sceneGraph{fx: notes})
	t.Run("fields of the interface object", func(t *testing.T) {
		wantData(t, s.run(t, `{ latest { id note } }`, nil), `{"latest":{"id":"a1","note":"hi"}}`)
		wantData(t, s.run(t, `{ latest { id } }`, nil), `{"latest":{"id":"a1"}}`)
		if n := len(catalog.requests()); n != 0 {
			t.Errorf("catalog received %d requests, want none", n)
		}
	})
	t.Run("field behind a key that is not resolvable", func(t *testing.T) {
		resp := s.run(t, `{ first { note } }`, nil)
		if resp.Data != nil || len(resp.Errors) != 1 || resp.Errors[0].Extensions["code"] != CodePlanningFailed {
			t.Errorf("want a planning error, got data %s errors %v", resp.Data, resp.Errors)
		}
	})
}

// TestIDVariableFromNumber: an ID variable may be sent as a JSON integer; input coercion of
// ID turns it into a string before it reaches a subgraph, at any depth of the input.
func TestIDVariableFromNumber(t *testing.T) {
	const types = `
type Query @join__type(graph: PEOPLE) {
  person(id: ID!): Person
  people(filter: PeopleFilter): [Person]
}
input PeopleFilter @join__type(graph: PEOPLE) { ids: [ID!] name: String }
type Person @join__type(graph: PEOPLE) { id: ID! }
`
	people := &fixture{name: "people", root: map[string]resolveFn{
		"person": func(a map[string]any) any { return obj{"id": a["id"]} },
		"people": func(map[string]any) any { return []any{} },
	}}
	s := newScene(t, types, sceneGraph{fx: people})
	resp := s.run(t, `query($id: ID!, $f: PeopleFilter) { person(id: $id) { id } people(filter: $f) { id } }`,
		map[string]any{"id": float64(7), "f": map[string]any{"ids": []any{json.Number("8"), "x9"}, "name": "n"}})
	wantData(t, resp, `{"person":{"id":"7"},"people":[]}`)
	calls := people.requests()
	if len(calls) != 1 {
		t.Fatalf("people received %d requests", len(calls))
	}
	want := map[string]any{"id": "7", "f": map[string]any{"ids": []any{"8", "x9"}, "name": "n"}}
	if diff := cmp.Diff(want, calls[0].Vars); diff != "" {
		t.Errorf("variables sent (-want +got):\n%s", diff)
	}
}

// TestShareableRootOverValueType: a root field offered by several subgraphs returns a type
// without keys whose fields are spread over those subgraphs. No single subgraph can answer
// the selection, and no key leads from one to another, so each subgraph is asked for its part
// of the same root field and the answers are merged.
func TestShareableRootOverValueType(t *testing.T) {
	const types = `
type Query @join__type(graph: DESK) @join__type(graph: TAGS) @join__type(graph: PRICES) {
  gadget: Gadget @join__field(graph: DESK) @join__field(graph: TAGS) @join__field(graph: PRICES)
  gadgets: [Gadget] @join__field(graph: DESK) @join__field(graph: TAGS) @join__field(graph: PRICES)
}
type Gadget @join__type(graph: DESK) @join__type(graph: TAGS) @join__type(graph: PRICES) {
  id: ID!
  label: String @join__field(graph: DESK)
  tag: Tag @join__field(graph: TAGS)
  cost: Int @join__field(graph: PRICES)
}
type Tag @join__type(graph: TAGS) { name: String }
`
	gadget := func(id string, extra obj) obj {
		out := obj{"__typename": "Gadget", "id": id}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	serve := func(name string, extra func(id string) obj) *fixture {
		return &fixture{name: name, root: map[string]resolveFn{
			"gadget":  func(map[string]any) any { return gadget("g1", extra("g1")) },
			"gadgets": func(map[string]any) any { return []any{gadget("g1", extra("g1")), gadget("g2", extra("g2"))} },
		}}
	}
	desk := serve("desk", func(id string) obj { return obj{"label": "label " + id} })
	tags := serve("tags", func(id string) obj { return obj{"tag": obj{"name": "tag " + id}} })
	prices := serve("prices", func(id string) obj { return obj{"cost": len(id) * 10} })
	s := newScene(t, types, sceneGraph{fx: desk}, sceneGraph{fx: tags}, sceneGraph{fx: prices})

	cases := []struct{ name, query, want string }{
		{
			name:  "one object",
			query: `{ gadget { id label tag { name } cost } }`,
			want:  `{"gadget":{"id":"g1","label":"label g1","tag":{"name":"tag g1"},"cost":20}}`,
		},
		{
			name:  "a list",
			query: `{ gadgets { id label cost } }`,
			want:  `{"gadgets":[{"id":"g1","label":"label g1","cost":20},{"id":"g2","label":"label g2","cost":20}]}`,
		},
		{
			name:  "fields of one subgraph stay in one fetch",
			query: `{ gadget { id label } }`,
			want:  `{"gadget":{"id":"g1","label":"label g1"}}`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := s.run(t, tc.query, nil)
			wantData(t, resp, tc.want)
			if t.Failed() {
				t.Logf("plan:\n%s", resp.Extensions["queryPlan"])
			}
		})
	}
	if n := len(tags.requests()); n != 1 {
		t.Errorf("tags received %d requests, want 1", n)
	}
}

// TestReenterThroughEntityAncestor: a field of a keyless type is only in a subgraph that
// reaches that type through an entity above it. The field is fetched from that subgraph by
// asking for the entity again and following the path down; from there keys may lead on.
func TestReenterThroughEntityAncestor(t *testing.T) {
	const types = `
type Query @join__type(graph: SHOP) @join__type(graph: EXTRAS) @join__type(graph: ALPHA)
  @join__type(graph: BETA) @join__type(graph: GAMMA) {
  orders: [Order] @join__field(graph: SHOP)
  item(id: ID!): Item @join__field(graph: SHOP)
}
type Order @join__type(graph: SHOP, key: "id") @join__type(graph: EXTRAS, key: "id") {
  id: ID!
  box: Box
}
type Box @join__type(graph: SHOP, key: "id") @join__type(graph: EXTRAS) {
  id: ID!
  contents: String @join__field(graph: EXTRAS)
}
type Item @join__type(graph: SHOP, key: "id") @join__type(graph: ALPHA, key: "id")
  @join__type(graph: BETA, key: "id") {
  id: ID! @join__field(graph: SHOP) @join__field(graph: ALPHA, external: true)
    @join__field(graph: BETA, external: true)
  info: Info @join__field(graph: ALPHA) @join__field(graph: BETA)
}
type Info @join__type(graph: ALPHA) @join__type(graph: BETA) @join__type(graph: GAMMA, key: "code") {
  notes: String @join__field(graph: ALPHA)
  code: String @join__field(graph: BETA) @join__field(graph: GAMMA)
  title: String @join__field(graph: GAMMA)
}
`
	shop := &fixture{name: "shop", root: map[string]resolveFn{
		"orders": func(map[string]any) any {
			return []any{
				obj{"__typename": "Order", "id": "o1", "box": obj{"id": "b1"}},
				obj{"__typename": "Order", "id": "o2", "box": obj{"id": "b2"}},
			}
		},
		"item": func(a map[string]any) any { return obj{"__typename": "Item", "id": a["id"]} },
	}}
	extras := &fixture{name: "extras", entities: map[string]func(map[string]any) any{
		"Order": func(r map[string]any) any {
			return obj{"__typename": "Order", "id": r["id"], "box": obj{"id": "b?", "contents": fmt.Sprint("for ", r["id"])}}
		},
	}}
	alpha := &fixture{name: "alpha", entities: map[string]func(map[string]any) any{
		"Item": func(r map[string]any) any {
			return obj{"__typename": "Item", "id": r["id"], "info": obj{"notes": fmt.Sprint("notes ", r["id"])}}
		},
	}}
	beta := &fixture{name: "beta", entities: map[string]func(map[string]any) any{
		"Item": func(r map[string]any) any {
			return obj{"__typename": "Item", "id": r["id"], "info": obj{"code": fmt.Sprint("code-", r["id"])}}
		},
	}}
	gamma := &fixture{name: "gamma", entities: map[string]func(map[string]any) any{
		"Info": func(r map[string]any) any {
			return obj{"__typename": "Info", "code": r["code"], "title": fmt.Sprint("title of ", r["code"])}
		},
	}}
	s := newScene(t, types, sceneGraph{fx: shop}, sceneGraph{fx: extras}, sceneGraph{fx: alpha},
		sceneGraph{fx: beta}, sceneGraph{fx: gamma})
	cases := []struct{ name, query, want string }{
		{
			name:  "field below the entity",
			query: `{ orders { id box { id contents } } }`,
			want: `{"orders":[{"id":"o1","box":{"id":"b1","contents":"for o1"}},
				{"id":"o2","box":{"id":"b2","contents":"for o2"}}]}`,
		},
		{
			// Item.id is external where Info is reached, so the re-entry starts from the
			// fetch that routed to Item there.
			name:  "and on through a key of the value's subgraph",
			query: `{ item(id: "i1") { id info { notes code title } } }`,
			want:  `{"item":{"id":"i1","info":{"notes":"notes i1","code":"code-i1","title":"title of code-i1"}}}`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := s.run(t, tc.query, nil)
			wantData(t, resp, tc.want)
			if t.Failed() {
				t.Logf("plan:\n%s", resp.Extensions["queryPlan"])
			}
		})
	}
}

// TestRequiresWithDifferentArguments: two fields of one subgraph require the same field with
// different arguments. A representation holds a field once, so each needs its own.
func TestRequiresWithDifferentArguments(t *testing.T) {
	const types = `
type Query @join__type(graph: CATALOG) @join__type(graph: POST) {
  parcels: [Parcel] @join__field(graph: CATALOG)
}
type Parcel @join__type(graph: CATALOG, key: "id") @join__type(graph: POST, key: "id") {
  id: ID!
  weight(unit: String!): Float @join__field(graph: CATALOG) @join__field(graph: POST, external: true)
  costLocal: Float @join__field(graph: POST, requires: "weight(unit: \"kg\")")
  costExport: Float @join__field(graph: POST, requires: "weight(unit: \"lb\")")
}
`
	catalog := &fixture{name: "catalog", root: map[string]resolveFn{
		"parcels": func(map[string]any) any {
			return []any{obj{"__typename": "Parcel", "id": "p1", "weight": resolveFn(func(a map[string]any) any {
				if a["unit"] == "lb" {
					return 4.5
				}
				return 2.0
			})}}
		},
	}}
	post := &fixture{name: "post", entities: map[string]func(map[string]any) any{
		"Parcel": func(r map[string]any) any {
			w, _ := r["weight"].(float64)
			return obj{"__typename": "Parcel", "id": r["id"], "costLocal": w * 10, "costExport": w * 100}
		},
	}}
	s := newScene(t, types, sceneGraph{fx: catalog}, sceneGraph{fx: post})
	resp := s.run(t, `{ parcels { id costLocal costExport } }`, nil)
	wantData(t, resp, `{"parcels":[{"id":"p1","costLocal":20,"costExport":450}]}`)
	if t.Failed() {
		t.Logf("plan:\n%s", resp.Extensions["queryPlan"])
	}
}

// TestKeyFromSeveralSubgraphs: an entity's key in the subgraph holding a field selects data
// that the position's own fetch does not have all of; the missing key fields come from
// another subgraph first, then the representation is built from the merged objects.
func TestKeyFromSeveralSubgraphs(t *testing.T) {
	const types = `
type Query @join__type(graph: LISTS) @join__type(graph: CODES) @join__type(graph: PICKS) {
  shelf: Shelf @join__field(graph: LISTS)
}
type Shelf @join__type(graph: LISTS, key: "books { isbn }")
  @join__type(graph: PICKS, key: "books { isbn code }") {
  books: [Book!]!
  highlight: Book @join__field(graph: PICKS)
}
type Book @join__type(graph: LISTS, key: "isbn") @join__type(graph: CODES, key: "isbn")
  @join__type(graph: PICKS, key: "isbn code") {
  isbn: ID!
  code: String @join__field(graph: CODES) @join__field(graph: PICKS)
}
`
	lists := &fixture{name: "lists", root: map[string]resolveFn{
		"shelf": func(map[string]any) any {
			return obj{"__typename": "Shelf", "books": []any{
				obj{"__typename": "Book", "isbn": "1"}, obj{"__typename": "Book", "isbn": "2"},
			}}
		},
	}}
	codes := &fixture{name: "codes", entities: map[string]func(map[string]any) any{
		"Book": func(r map[string]any) any {
			return obj{"__typename": "Book", "isbn": r["isbn"], "code": "c" + fmt.Sprint(r["isbn"])}
		},
	}}
	picks := &fixture{name: "picks", entities: map[string]func(map[string]any) any{
		"Shelf": func(r map[string]any) any {
			books, _ := r["books"].([]any)
			for _, b := range books {
				if b.(map[string]any)["code"] == nil {
					return nil // the key is incomplete
				}
			}
			return obj{"__typename": "Shelf", "highlight": books[len(books)-1]}
		},
	}}
	s := newScene(t, types, sceneGraph{fx: lists}, sceneGraph{fx: codes}, sceneGraph{fx: picks})
	resp := s.run(t, `{ shelf { books { isbn code } highlight { isbn } } }`, nil)
	wantData(t, resp, `{"shelf":{"books":[{"isbn":"1","code":"c1"},{"isbn":"2","code":"c2"}],"highlight":{"isbn":"2"}}}`)
	if t.Failed() {
		t.Logf("plan:\n%s", resp.Extensions["queryPlan"])
	}
}

// TestInterfaceFieldFromInterfaceObject: a field selected on an interface is resolved by an
// @interfaceObject subgraph for every implementation, and also, shareably, by one
// implementation in the subgraph that owns the interface. The interface-object subgraph
// answers it for all objects alike.
func TestInterfaceFieldFromInterfaceObject(t *testing.T) {
	const types = `
type Query @join__type(graph: PEOPLE) @join__type(graph: ROSTER) @join__type(graph: STATUS) {
  members: [Member] @join__field(graph: ROSTER)
}
interface Member @join__type(graph: PEOPLE, key: "id")
  @join__type(graph: ROSTER, key: "id", isInterfaceObject: true)
  @join__type(graph: STATUS, key: "id", isInterfaceObject: true) {
  id: ID!
  active: Boolean @join__field(graph: STATUS)
}
type Tutor implements Member @join__implements(graph: PEOPLE, interface: "Member")
  @join__type(graph: PEOPLE, key: "id") {
  id: ID!
  active: Boolean @join__field(graph: PEOPLE)
}
type Pupil implements Member @join__implements(graph: PEOPLE, interface: "Member")
  @join__type(graph: PEOPLE, key: "id") {
  id: ID!
  active: Boolean @join__field(graph: STATUS)
}
`
	people := &fixture{
		name: "people", interfaces: map[string][]string{"Tutor": {"Member"}, "Pupil": {"Member"}},
		entities: map[string]func(map[string]any) any{
			"Member": func(r map[string]any) any {
				if r["id"] == "t1" {
					return obj{"__typename": "Tutor", "id": "t1", "active": true}
				}
				return obj{"__typename": "Pupil", "id": r["id"]}
			},
		},
	}
	roster := &fixture{name: "roster", root: map[string]resolveFn{
		"members": func(map[string]any) any {
			return []any{obj{"__typename": "Member", "id": "t1"}, obj{"__typename": "Member", "id": "p1"}}
		},
	}}
	status := &fixture{name: "status", entities: map[string]func(map[string]any) any{
		"Member": func(r map[string]any) any { return obj{"__typename": "Member", "id": r["id"], "active": false} },
	}}
	s := newScene(t, types, sceneGraph{fx: people}, sceneGraph{fx: roster}, sceneGraph{fx: status})
	resp := s.run(t, `{ members { id active } }`, nil)
	wantData(t, resp, `{"members":[{"id":"t1","active":false},{"id":"p1","active":false}]}`)
	if t.Failed() {
		t.Logf("plan:\n%s", resp.Extensions["queryPlan"])
	}
}
