package graph_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"ergo/platform/server"
)

// TestProfilesNeedSignIn checks that users' names, roles and creation times reach signed-in
// callers only (and the caller of the sign-in that returned them), that a refusal nulls the
// refused field alone, and that the email stays for the user and admins.
func TestProfilesNeedSignIn(t *testing.T) {
	e := start(t)
	root := admin(t, e)
	var c struct{ CreateUser struct{ ID string } }
	e.do(t, root, createQuery, map[string]any{"in": map[string]any{
		"email": "bo@example.org", "displayName": "Bo", "password": "long enough",
		"roles": []string{"student"},
	}}).decode(t, &c)
	bo := server.Principal{UserID: c.CreateUser.ID, Roles: []string{"student"}}

	const lookUp = `query($id: ID!) { user(id: $id) { id displayName roles email } }`
	const byEntity = `query($r: [_Any!]!) { _entities(representations: $r) {
	  ... on User { id displayName roles createdAt } } }`
	rootID := map[string]any{"id": root.UserID}
	rootRep := map[string]any{"r": []map[string]any{{"__typename": "User", "id": root.UserID}}}
	signIn := map[string]any{"e": "bo@example.org", "p": "long enough"}

	tests := []struct {
		name      string
		principal server.Principal
		query     string
		vars      map[string]any
		want      string   // the data, with createdAt left out
		errors    []string // "path code" of each error, sorted
	}{
		{
			"anonymous lookup",
			server.Principal{},
			lookUp, rootID, `{"user":null}`,
			[]string{"user UNAUTHENTICATED"},
		},
		{
			"anonymous entity",
			server.Principal{},
			byEntity, rootRep,
			`{"_entities":[{"id":"` + root.UserID + `","displayName":null,"roles":null,"createdAt":null}]}`,
			[]string{
				"_entities.0.createdAt UNAUTHENTICATED", "_entities.0.displayName UNAUTHENTICATED",
				"_entities.0.roles UNAUTHENTICATED",
			},
		},
		{
			"anonymous sign-in shows the user signed in",
			server.Principal{},
			`mutation($e: String!, $p: String!) { login(email: $e, password: $p) {
			  user { displayName roles email } } }`, signIn,
			`{"login":{"user":{"displayName":"Bo","roles":["student"],"email":"bo@example.org"}}}`, nil,
		},
		{
			"student lookup", bo, lookUp, rootID,
			`{"user":{"id":"` + root.UserID + `","displayName":"Administrator","roles":["admin"],` +
				`"email":null}}`,
			nil,
		},
		{
			"student entity", bo, byEntity, rootRep,
			`{"_entities":[{"id":"` + root.UserID + `","displayName":"Administrator",` +
				`"roles":["admin"]}]}`, nil,
		},
		{
			"admin lookup", root, lookUp,
			map[string]any{"id": bo.UserID},
			`{"user":{"id":"` + bo.UserID + `","displayName":"Bo","roles":["student"],` +
				`"email":"bo@example.org"}}`,
			nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(t, tt.principal, tt.query, tt.vars)
			if got := withoutCreatedAt(r.Data); got != tt.want {
				t.Errorf("data = %s, want %s", got, tt.want)
			}
			var got []string
			for _, err := range r.Errors {
				got = append(got, fmt.Sprintf("%s %s", pathOf(err.Path), err.Extensions["code"]))
			}
			slices.Sort(got) // resolvers run concurrently, so errors come in any order
			if strings.Join(got, "\n") != strings.Join(tt.errors, "\n") {
				t.Errorf("errors = %q, want %q", got, tt.errors)
			}
		})
	}
}

// createdAt matches a given creation time, which differs from run to run.
var createdAt = regexp.MustCompile(`,"createdAt":"[^"]+"`)

// withoutCreatedAt drops given creation times from data; a null one stays.
func withoutCreatedAt(data []byte) string {
	return createdAt.ReplaceAllString(string(data), "")
}

// pathOf joins an error's path with dots.
func pathOf(path []any) string {
	parts := make([]string, len(path))
	for i, p := range path {
		parts[i] = fmt.Sprint(p)
	}
	return strings.Join(parts, ".")
}
