package e2e_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// gqlError is one entry of a GraphQL response's errors.
type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// where is the error's path and code, such as "course.analytics FORBIDDEN".
func (e gqlError) where() string {
	parts := make([]string, len(e.Path))
	for i, p := range e.Path {
		parts[i] = fmt.Sprint(p)
	}
	return fmt.Sprintf("%s %v", strings.Join(parts, "."), e.Extensions["code"])
}

// response is a GraphQL response from the router.
type response struct {
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
}

// errorsAt lists the errors' paths and codes, sorted.
func (r response) errorsAt() []string {
	var out []string
	for _, e := range r.Errors {
		out = append(out, e.where())
	}
	slices.Sort(out)
	return out
}

// decode decodes the data into v.
func (r response) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Data, v); err != nil {
		t.Fatalf("decode %s: %v", r.Data, err)
	}
}

// must fails the test when the response has errors, and decodes its data into v.
func (r response) must(t testing.TB, v any) {
	t.Helper()
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %+v", r.Errors)
	}
	r.decode(t, v)
}

// client posts GraphQL to the router as one user (token empty: anonymous).
type client struct {
	url   string
	token string
}

// do posts the operation and returns the response; it fails the test on a transport error
// or a status other than 200.
func (c client) do(t testing.TB, query string, vars map[string]any) response {
	t.Helper()
	r, err := c.try(query, vars)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// try is do that returns its failure, for polling.
func (c client) try(query string, vars map[string]any) (response, error) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, err := http.NewRequest(http.MethodPost, c.url+"/graphql", bytes.NewReader(body))
	if err != nil {
		return response{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/graphql-response+json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return response{}, err
	}
	defer func() { _ = res.Body.Close() }()
	var out response
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		return response{}, fmt.Errorf("%s: decode: %w", res.Status, err)
	}
	if res.StatusCode != http.StatusOK {
		return out, fmt.Errorf("%s: %+v", res.Status, out.Errors)
	}
	return out, nil
}

// login signs in through the router and returns a client for that user.
func login(t testing.TB, router, email, password string) client {
	t.Helper()
	var d struct{ Login struct{ AccessToken string } }
	client{url: router}.do(t, `mutation($e: String!, $p: String!) {
	  login(email: $e, password: $p) { accessToken } }`,
		map[string]any{"e": email, "p": password}).must(t, &d)
	return client{url: router, token: d.Login.AccessToken}
}
