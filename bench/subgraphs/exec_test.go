package subgraphs

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestExecute(t *testing.T) {
	cases := []struct {
		name, subgraph, body, want string
	}{
		{
			"root field with argument and alias", "accounts",
			`{"query":"{ u: user(id: \"2\") { id name __typename } nobody: user(id: \"9\") { id } }"}`,
			`{"data":{"u":{"id":"2","name":"Bruno Okafor","__typename":"User"},"nobody":null}}`,
		},
		{
			"default and explicit first", "products",
			`{"query":"query($n: Int = 2) { a: topProducts(first: $n) { upc } b: topProducts(first: 1) { name } }"}`,
			`{"data":{"a":[{"upc":"1"},{"upc":"2"}],"b":[{"name":"Table"}]}}`,
		},
		{
			"requires fields from the representation", "inventory",
			`{"query":"query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { inStock shippingEstimate } } }",` +
				`"variables":{"r":[{"__typename":"Product","upc":"3","price":10,"weight":8}]}}`,
			`{"data":{"_entities":[{"inStock":false,"shippingEstimate":4}]}}`,
		},
		{
			"requires fields missing", "inventory",
			`{"query":"{ _entities(representations: [{__typename: \"Product\", upc: \"1\"}]) { ... on Product { shippingEstimate } } }"}`,
			`{"data":{"_entities":[{"shippingEstimate":null}]},"errors":[{"message":"shippingEstimate: Product \"1\" needs price and weight in its representation"}]}`,
		},
		{
			"provided username and fragments merged", "reviews",
			`{"query":"{ _entities(representations: [{__typename: \"Review\", id: \"3\"}]) { ...A ... on Review { author { id } } } } fragment A on Review { author { username } }"}`,
			`{"data":{"_entities":[{"author":{"username":"bruno","id":"2"}}]}}`,
		},
		{
			"unknown field", "products",
			`{"query":"{ users { id } }"}`,
			`{"data":{"users":null},"errors":[{"message":"cannot query field \"users\" on type \"Query\""}]}`,
		},
		{"syntax error", "products", `{"query":"{"}`, ""},
		{"mutation", "products", `{"query":"mutation { x }"}`, `{"errors":[{"message":"mutation operations are not supported"}]}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := New(tc.subgraph)
			if err != nil {
				t.Fatal(err)
			}
			got := string(s.Execute([]byte(tc.body)))
			if tc.want == "" {
				if !strings.HasPrefix(got, `{"errors":[`) {
					t.Errorf("got %s, want an error response", got)
				}
				return
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestNewUnknown(t *testing.T) {
	if _, err := New("shipping"); err == nil {
		t.Error("New(shipping) succeeded, want an error")
	}
}

// TestServeCachesByBody checks that a repeated body is answered from the cache with the same
// bytes, over real HTTP, and that cmd/subgraphs' entry point serves until cancelled.
func TestServeCachesByBody(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out bytes.Buffer
	lns, err := Listen(0)
	if err != nil {
		t.Fatal(err)
	}
	set, err := Start(lns)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = set.Close() }()
	body := `{"query":"{ me { username } }"}`
	for range 2 {
		resp, err := http.Post(set.URLs["accounts"], "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if want := `{"data":{"me":{"username":"ada"}}}`; string(got) != want {
			t.Errorf("got %s, want %s", got, want)
		}
	}
	if n := set.Servers["accounts"].Requests.Load(); n != 2 {
		t.Errorf("requests = %d, want 2", n)
	}
	if n := set.Servers["accounts"].cached.Load(); n != 1 {
		t.Errorf("cached bodies = %d, want 1", n)
	}

	cancel()
	if code := Main(ctx, []string{"-port", "0"}, &out, io.Discard); code != 0 {
		t.Errorf("Main = %d, want 0", code)
	}
	if !strings.Contains(out.String(), "reviews http://127.0.0.1:") {
		t.Errorf("Main printed %q, want the reviews URL", out.String())
	}
}

// FuzzExecute checks that no request body makes a subgraph panic.
func FuzzExecute(f *testing.F) {
	f.Add(`{"query":"{ users { id reviews { id } } }"}`)
	f.Add(`{"query":"query($r: [_Any!]!) { _entities(representations: $r) { ... on User { reviews { body } } } }","variables":{"r":[{"__typename":"User","id":"1"},3,null]}}`)
	f.Add(`{"query":"{ topProducts(first: \"x\") { upc } }"}`)
	f.Add(`{"query":"{ ...F } fragment F on Query { me { id } }"}`)
	var servers []*Server
	for _, name := range append([]string{"monolith"}, Names...) {
		s, err := New(name)
		if err != nil {
			f.Fatal(err)
		}
		servers = append(servers, s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		for _, s := range servers {
			_ = s.Execute([]byte(body))
		}
	})
}

// BenchmarkServe measures one subgraph call over loopback HTTP as a router makes it: an
// _entities request whose response is in the cache. It is the per-call cost the subgraphs add
// to a load run.
func BenchmarkServe(b *testing.B) {
	lns, err := Listen(0)
	if err != nil {
		b.Fatal(err)
	}
	set, err := Start(lns)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = set.Close() })
	body := []byte(`{"query":"query($r: [_Any!]!) { _entities(representations: $r) { ... on User { reviews { id body product { upc } } } } }",` +
		`"variables":{"r":[{"__typename":"User","id":"1"},{"__typename":"User","id":"2"},{"__typename":"User","id":"3"}]}}`)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	b.ReportAllocs()
	b.SetParallelism(8)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := client.Post(set.URLs["reviews"], "application/json", bytes.NewReader(body))
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
		}
	})
}
