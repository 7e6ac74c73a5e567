package engine

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
)

// handlerTransport serves subgraph requests in process, by host name.
type handlerTransport map[string]http.Handler

func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	h, ok := t[r.URL.Host]
	if !ok {
		return nil, http.ErrServerClosed
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec.Result(), nil
}

// newInProcessCampus builds an engine whose subgraphs are the fixtures, called in process.
func newInProcessCampus(tb testing.TB, configure func(*Options)) *campus {
	tb.Helper()
	c := &campus{identity: identityFixture(), org: orgFixture(), lms: lmsFixture(), bi: biFixture()}
	c.sg = loadCampus(tb)
	tr := handlerTransport{}
	for name, fx := range c.fixtures() {
		tr[name+".invalid"] = fx
	}
	opts := Options{Client: &http.Client{Transport: tr}}
	if configure != nil {
		configure(&opts)
	}
	c.engine = New(c.sg, opts)
	return c
}

func FuzzExecute(f *testing.F) {
	seeds := []string{
		`{ me { id name } }`,
		`{ courses { title teacher { email } enrollments { student { name role } } workload label rating } }`,
		`query($s: Boolean!) { materials { ... on Video { minutes } views title @skip(if: $s) } }`,
		`{ search(text: "a") { __typename ... on Department { budget } ... F } } fragment F on Course { code }`,
		`mutation { rename(id: "u1", name: "x") { name } }`,
		`{ __schema { types { name } } __type(name: "User") { fields { name } } }`,
		`{ a: me { ...on User { id } } a: me { name } }`,
		`query { course(id: 1) { id @include(if: true) } }`,
		`fragment A on User { ...A } { me { ...A } }`,
		`{`,
		"",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	c := newInProcessCampus(f, nil)
	f.Fuzz(func(t *testing.T, query string) {
		resp := c.engine.Execute(context.Background(), &Request{
			Query:     query,
			Variables: map[string]any{"s": true},
		})
		if resp == nil {
			t.Fatal("nil response")
		}
		for _, e := range resp.Errors {
			if e.Extensions["code"] == CodeInternal {
				t.Fatalf("internal error for %q: %s", query, e.Message)
			}
		}
	})
}

func FuzzRepresentations(f *testing.F) {
	seeds := []string{
		`{"data":{"_entities":[{"__typename":"Course","rating":1.5,"popularity":3}]}}`,
		`{"data":{"_entities":[null,{"rating":"x"},[1],3]}}`,
		`{"data":{"_entities":{}}}`,
		`{"data":null,"errors":[{"message":"x","path":["_entities",7,"rating"]}]}`,
		`{"errors":[{"message":"x","path":["_entities","a"]},null]}`,
		`{"data":{"departments":[{"__typename":"Department","code":null,"name":5}]}}`,
		`{"data":{"departments":[{"code":"CS","budget":{"a":1}}]}}`,
		`[]`,
		`{"data":{"_entities":[{"rating":1e999}]}}`,
		`not json`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	var body []byte
	c := newInProcessCampus(f, nil)
	c.bi.fail = func(w http.ResponseWriter, r *http.Request) bool {
		_, _ = w.Write(body)
		return true
	}
	queries := []string{
		`{ courses { id title rating popularity } }`,
		`{ departments { code name budget } }`,
		`{ materials { id views } }`,
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		body = data
		for _, q := range queries {
			resp := c.engine.Execute(context.Background(), &Request{Query: q})
			for _, e := range resp.Errors {
				if e.Extensions["code"] == CodeInternal {
					t.Fatalf("internal error for %s: %s", data, e.Message)
				}
			}
		}
	})
}
