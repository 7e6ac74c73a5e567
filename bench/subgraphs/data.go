package subgraphs

import "strings"

// User is an account of the accounts subgraph.
type User struct {
	ID, Name, Username string
}

// Product is an item of the products subgraph; Price and Weight feed the inventory
// subgraph's shippingEstimate.
type Product struct {
	UPC, Name     string
	Price, Weight int
}

// Review is a review of the reviews subgraph.
type Review struct {
	ID, Body, AuthorID, ProductUPC string
}

// Users, Products and Reviews are the fixed data set: 6 users, 9 products and 11 reviews.
// Nothing changes it, so every response for a given request is always the same.
var (
	Users = []*User{
		{ID: "1", Name: "Ada Lindqvist", Username: "ada"},
		{ID: "2", Name: "Bruno Okafor", Username: "bruno"},
		{ID: "3", Name: "Chen Wei", Username: "chen"},
		{ID: "4", Name: "Dalia Moreno", Username: "dalia"},
		{ID: "5", Name: "Emil Novak", Username: "emil"},
		{ID: "6", Name: "Farah Haddad", Username: "farah"},
	}
	Products = []*Product{
		{UPC: "1", Name: "Table", Price: 899, Weight: 100},
		{UPC: "2", Name: "Couch", Price: 1299, Weight: 1000},
		{UPC: "3", Name: "Chair", Price: 54, Weight: 50},
		{UPC: "4", Name: "Lamp", Price: 39, Weight: 4},
		{UPC: "5", Name: "Shelf", Price: 149, Weight: 30},
		{UPC: "6", Name: "Desk", Price: 449, Weight: 60},
		{UPC: "7", Name: "Rug", Price: 199, Weight: 12},
		{UPC: "8", Name: "Mirror", Price: 89, Weight: 9},
		{UPC: "9", Name: "Wardrobe", Price: 1499, Weight: 140},
	}
	Reviews = []*Review{
		{ID: "1", AuthorID: "1", ProductUPC: "1"},
		{ID: "2", AuthorID: "1", ProductUPC: "2"},
		{ID: "3", AuthorID: "2", ProductUPC: "3"},
		{ID: "4", AuthorID: "2", ProductUPC: "1"},
		{ID: "5", AuthorID: "3", ProductUPC: "4"},
		{ID: "6", AuthorID: "3", ProductUPC: "2"},
		{ID: "7", AuthorID: "4", ProductUPC: "5"},
		{ID: "8", AuthorID: "4", ProductUPC: "6"},
		{ID: "9", AuthorID: "5", ProductUPC: "7"},
		{ID: "10", AuthorID: "5", ProductUPC: "8"},
		{ID: "11", AuthorID: "6", ProductUPC: "9"},
	}
	// outOfStock lists the UPCs the inventory subgraph reports as not in stock.
	outOfStock = map[string]bool{"3": true, "7": true}
)

// sentences are the material of the review bodies: each body is several of them, so that the
// deep query's response weighs tens of kilobytes, as real review text would.
var sentences = []string{
	"Arrived two days early and the packaging survived a rough trip without a single dent.",
	"Assembly took about forty minutes with the included tools, and the instructions were clear.",
	"The finish is even and the colour matches the photos closely in daylight.",
	"After three months of daily use nothing has loosened, creaked or started to wobble.",
	"It is heavier than it looks, so plan for two people when carrying it up the stairs.",
	"Customer service answered a question about spare parts within the same afternoon.",
	"The price felt high at first, but the build quality justifies it over cheaper options.",
	"One screw was missing from the bag; a hardware store replacement fit perfectly.",
	"Cleaning is easy with a damp cloth, and the surface has resisted coffee rings so far.",
	"I would buy it again and have already recommended it to two friends.",
	"The dimensions are exactly as listed, which made planning the room straightforward.",
	"A faint smell of varnish lingered for a week and then disappeared completely.",
}

// reviewBody returns review n's body: six sentences starting at a different place for each
// review, so that no two bodies are the same.
func reviewBody(n int) string {
	parts := make([]string, 6)
	for i := range parts {
		parts[i] = sentences[(n*5+i*7)%len(sentences)]
	}
	return strings.Join(parts, " ")
}

func init() {
	for i, r := range Reviews {
		r.Body = reviewBody(i)
	}
}

// shippingEstimate is free shipping above a price of 1000, half the weight otherwise.
func shippingEstimate(price, weight int) int {
	if price > 1000 {
		return 0
	}
	return weight / 2
}

func userByID(id string) *User {
	for _, u := range Users {
		if u.ID == id {
			return u
		}
	}
	return nil
}

func productByUPC(upc string) *Product {
	for _, p := range Products {
		if p.UPC == upc {
			return p
		}
	}
	return nil
}

func reviewByID(id string) *Review {
	for _, r := range Reviews {
		if r.ID == id {
			return r
		}
	}
	return nil
}
