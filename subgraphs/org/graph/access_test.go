package graph_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"ergo/platform/server"
)

// TestMembersNeedSignIn checks that who belongs where reaches signed-in callers only, while
// the tree stays public, and that a refusal nulls the refused field alone.
func TestMembersNeedSignIn(t *testing.T) {
	e := start(t)
	ids := tree(t, e)
	user := "0b1d6a52-3c1e-4b1a-9a55-2d8c7a4b9e04"
	set := `mutation($u: ID!, $user: ID!) { setMembership(unitId: $u, userId: $user, role: ` +
		`STUDENT) { role } }`
	e.do(t, admin, set, map[string]any{"u": ids["P-1"], "user": user}).decode(t, &struct{}{})
	student := server.Principal{UserID: "0b1d6a52-3c1e-4b1a-9a55-2d8c7a4b9e05", Roles: []string{"student"}}

	const byUnit = `{ orgRoots { name subtree { name members { role user { id } } } } }`
	const byUser = `query($r: [_Any!]!) { _entities(representations: $r) {
	  ... on User { id memberships { role unit { name } } } } }`
	userRep := map[string]any{"r": []map[string]any{{"__typename": "User", "id": user}}}
	members := `[{"role":"STUDENT","user":{"id":"` + user + `"}}]`
	tree := func(groupMembers string) string {
		return `{"orgRoots":[{"name":"Uni","subtree":[{"name":"Uni","members":[]},` +
			`{"name":"Science","members":[]},{"name":"Physics","members":[]},` +
			`{"name":"P-1","members":` + groupMembers + `}]}]}`
	}
	memberships := `{"_entities":[{"id":"` + user + `","memberships":[{"role":"STUDENT",` +
		`"unit":{"name":"P-1"}}]}]}`

	tests := []struct {
		name      string
		principal server.Principal
		query     string
		vars      map[string]any
		want      string   // the data
		errors    []string // "path code" of each error, sorted
	}{
		{
			"anonymous unit members",
			server.Principal{},
			byUnit, nil,
			`{"orgRoots":[{"name":"Uni","subtree":[{"name":"Uni","members":null},` +
				`{"name":"Science","members":null},{"name":"Physics","members":null},` +
				`{"name":"P-1","members":null}]}]}`,
			[]string{
				"orgRoots.0.subtree.0.members " +
					"UNAUTHENTICATED", "orgRoots.0.subtree.1.members UNAUTHENTICATED",
				"orgRoots.0.subtree.2.members " +
					"UNAUTHENTICATED", "orgRoots.0.subtree.3.members UNAUTHENTICATED",
			},
		},
		{
			"anonymous user memberships",
			server.Principal{},
			byUser, userRep,
			`{"_entities":[{"id":"` + user + `","memberships":null}]}`,
			[]string{"_entities.0.memberships UNAUTHENTICATED"},
		},
		{"student unit members", student, byUnit, nil, tree(members), nil},
		{"student user memberships", student, byUser, userRep, memberships, nil},
		{"admin unit members", admin, byUnit, nil, tree(members), nil},
		{"admin user memberships", admin, byUser, userRep, memberships, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(t, tt.principal, tt.query, tt.vars)
			if string(r.Data) != tt.want {
				t.Errorf("data = %s, want %s", r.Data, tt.want)
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

// pathOf joins an error's path with dots.
func pathOf(path []any) string {
	parts := make([]string, len(path))
	for i, p := range path {
		parts[i] = fmt.Sprint(p)
	}
	return strings.Join(parts, ".")
}
