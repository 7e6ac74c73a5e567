package subgraphs

import (
	"fmt"
)

// stock is a product as the inventory subgraph sees it: its key and the fields that
// shippingEstimate requires, taken from the representation the router sent.
type stock struct {
	upc           string
	price, weight int
	// required is set when the representation carried price and weight.
	required bool
}

// Names are the subgraphs of the workload, in the order cmd/subgraphs gives them ports.
var Names = []string{"accounts", "products", "inventory", "reviews"}

// schemaFor returns the fields and entities of the named subgraph, or of all four merged
// into one server when name is "monolith": that server answers client queries directly and
// is the reference the routers' responses are checked against.
func schemaFor(name string) (*schema, error) {
	switch name {
	case "accounts":
		return &schema{
			fields:   map[string]map[string]resolveFunc{"Query": accountsQuery, "User": userFields},
			entities: map[string]func(map[string]any) (any, error){"User": findUser},
		}, nil
	case "products":
		return &schema{
			fields:   map[string]map[string]resolveFunc{"Query": productsQuery, "Product": productFields},
			entities: map[string]func(map[string]any) (any, error){"Product": findProduct},
		}, nil
	case "inventory":
		return &schema{
			fields:   map[string]map[string]resolveFunc{"Product": stockFields},
			entities: map[string]func(map[string]any) (any, error){"Product": findStock},
		}, nil
	case "reviews":
		return &schema{
			fields: map[string]map[string]resolveFunc{
				"Review":  reviewFields,
				"User":    merged(pick(userFields, "id", "username"), userReviewFields),
				"Product": merged(pick(productFields, "upc"), productReviewFields),
			},
			entities: map[string]func(map[string]any) (any, error){
				"Review": findReview, "User": findUser, "Product": findProduct,
			},
		}, nil
	case "monolith":
		return &schema{fields: map[string]map[string]resolveFunc{
			"Query":   merged(accountsQuery, productsQuery),
			"User":    merged(userFields, userReviewFields),
			"Product": merged(productFields, productReviewFields, monolithStockFields),
			"Review":  reviewFields,
		}}, nil
	}
	return nil, fmt.Errorf("unknown subgraph %q", name)
}

func pick(table map[string]resolveFunc, names ...string) map[string]resolveFunc {
	out := map[string]resolveFunc{}
	for _, n := range names {
		out[n] = table[n]
	}
	return out
}

func merged(tables ...map[string]resolveFunc) map[string]resolveFunc {
	out := map[string]resolveFunc{}
	for _, t := range tables {
		for k, v := range t {
			out[k] = v
		}
	}
	return out
}

var accountsQuery = map[string]resolveFunc{
	"me": func(any, map[string]any) (any, error) { return Users[0], nil },
	"user": func(_ any, args map[string]any) (any, error) {
		id, _ := args["id"].(string)
		return orNil(userByID(id)), nil
	},
	"users": func(any, map[string]any) (any, error) { return list(Users), nil },
}

var userFields = map[string]resolveFunc{
	"id":       func(p any, _ map[string]any) (any, error) { return p.(*User).ID, nil },
	"name":     func(p any, _ map[string]any) (any, error) { return p.(*User).Name, nil },
	"username": func(p any, _ map[string]any) (any, error) { return p.(*User).Username, nil },
}

var productsQuery = map[string]resolveFunc{
	"topProducts": func(_ any, args map[string]any) (any, error) {
		n := 5 // the schema's default for first
		if v, ok := args["first"]; ok {
			f, ok := number(v)
			if !ok {
				return nil, fmt.Errorf("topProducts: first must be an Int, got %v", v)
			}
			n = f
		}
		return list(Products[:max(0, min(n, len(Products)))]), nil
	},
}

var productFields = map[string]resolveFunc{
	"upc":    func(p any, _ map[string]any) (any, error) { return p.(*Product).UPC, nil },
	"name":   func(p any, _ map[string]any) (any, error) { return p.(*Product).Name, nil },
	"price":  func(p any, _ map[string]any) (any, error) { return p.(*Product).Price, nil },
	"weight": func(p any, _ map[string]any) (any, error) { return p.(*Product).Weight, nil },
}

var stockFields = map[string]resolveFunc{
	"upc":     func(p any, _ map[string]any) (any, error) { return p.(*stock).upc, nil },
	"inStock": func(p any, _ map[string]any) (any, error) { return !outOfStock[p.(*stock).upc], nil },
	"shippingEstimate": func(p any, _ map[string]any) (any, error) {
		s := p.(*stock)
		if !s.required {
			return nil, fmt.Errorf("shippingEstimate: Product %q needs price and weight in its representation", s.upc)
		}
		return shippingEstimate(s.price, s.weight), nil
	},
}

// monolithStockFields answer the inventory fields from the product itself.
var monolithStockFields = map[string]resolveFunc{
	"inStock": func(p any, _ map[string]any) (any, error) { return !outOfStock[p.(*Product).UPC], nil },
	"shippingEstimate": func(p any, _ map[string]any) (any, error) {
		pr := p.(*Product)
		return shippingEstimate(pr.Price, pr.Weight), nil
	},
}

var reviewFields = map[string]resolveFunc{
	"id":   func(p any, _ map[string]any) (any, error) { return p.(*Review).ID, nil },
	"body": func(p any, _ map[string]any) (any, error) { return p.(*Review).Body, nil },
	"author": func(p any, _ map[string]any) (any, error) {
		return orNil(userByID(p.(*Review).AuthorID)), nil
	},
	"product": func(p any, _ map[string]any) (any, error) {
		return orNil(productByUPC(p.(*Review).ProductUPC)), nil
	},
}

var userReviewFields = map[string]resolveFunc{
	"reviews": func(p any, _ map[string]any) (any, error) {
		id := p.(*User).ID
		return filter(func(r *Review) bool { return r.AuthorID == id }), nil
	},
}

var productReviewFields = map[string]resolveFunc{
	"reviews": func(p any, _ map[string]any) (any, error) {
		upc := p.(*Product).UPC
		return filter(func(r *Review) bool { return r.ProductUPC == upc }), nil
	},
}

// The entity resolvers find an object from its representation. A key that matches nothing
// resolves to null, as federation expects.
func findUser(rep map[string]any) (any, error) {
	id, _ := rep["id"].(string)
	return orNil(userByID(id)), nil
}

func findProduct(rep map[string]any) (any, error) {
	upc, _ := rep["upc"].(string)
	return orNil(productByUPC(upc)), nil
}

func findReview(rep map[string]any) (any, error) {
	id, _ := rep["id"].(string)
	return orNil(reviewByID(id)), nil
}

// findStock takes price and weight from the representation (they are @requires fields), so
// a router that forgets to send them gets an error for shippingEstimate rather than a
// made-up estimate.
func findStock(rep map[string]any) (any, error) {
	upc, _ := rep["upc"].(string)
	price, ok1 := number(rep["price"])
	weight, ok2 := number(rep["weight"])
	return &stock{upc: upc, price: price, weight: weight, required: ok1 && ok2}, nil
}

// number reads a whole number from a decoded JSON value or a GraphQL literal.
func number(v any) (int, bool) {
	switch n := v.(type) {
	case float64:
		return int(n), n == float64(int(n))
	case int64:
		return int(n), true
	case int:
		return n, true
	}
	return 0, false
}

func filter(keep func(*Review) bool) []any {
	out := []any{}
	for _, r := range Reviews {
		if keep(r) {
			out = append(out, r)
		}
	}
	return out
}

func list[T any](items []T) []any {
	out := make([]any, len(items))
	for i, v := range items {
		out[i] = v
	}
	return out
}

// orNil turns a nil pointer into an untyped nil, which writeResult writes as null.
func orNil[T any](p *T) any {
	if p == nil {
		return nil
	}
	return p
}
