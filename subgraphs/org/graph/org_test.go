package graph_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ergo/platform/server"
)

var admin = server.Principal{UserID: "0b1d6a52-3c1e-4b1a-9a55-2d8c7a4b9e01", Roles: []string{"admin"}}

const createUnit = `mutation($in: CreateOrgUnitInput!) { createOrgUnit(input: $in) { id } }`

// tree creates university > faculty > department > group and returns their ids by name.
func tree(t testing.TB, e *env) map[string]string {
	t.Helper()
	ids := map[string]string{}
	var parent any
	for _, u := range []struct{ name, kind string }{
		{"Uni", "UNIVERSITY"}, {"Science", "FACULTY"}, {"Physics", "DEPARTMENT"}, {"P-1", "GROUP"},
	} {
		var d struct{ CreateOrgUnit struct{ ID string } }
		e.do(t, admin, createUnit, map[string]any{"in": map[string]any{
			"name": u.name,
			"kind": u.kind, "parentId": parent,
		}}).decode(t, &d)
		ids[u.name] = d.CreateOrgUnit.ID
		parent = d.CreateOrgUnit.ID
	}
	return ids
}

func names(units []struct{ Name string }) string {
	var out []string
	for _, u := range units {
		out = append(out, u.Name)
	}
	return strings.Join(out, ">")
}

func TestTreeQueries(t *testing.T) {
	e := start(t)
	ids := tree(t, e)
	// A second department sorts before Physics in the subtree.
	e.do(t, admin, createUnit, map[string]any{"in": map[string]any{
		"name": "Chemistry",
		"kind": "DEPARTMENT", "parentId": ids["Science"],
	}}).decode(t, &struct{}{})

	var d struct {
		OrgUnit struct {
			Kind      string
			Parent    struct{ Name string }
			Ancestors []struct{ Name string }
			Subtree   []struct{ Name string }
			Shallow   []struct{ Name string }
			Children  []struct{ Name string }
		}
		OrgRoots []struct{ Name string }
	}
	q := `query($id: ID!) { orgUnit(id: $id) { kind parent { name } ancestors { name }
	  subtree { name } shallow: subtree(maxDepth: 1) { name } children { name } } orgRoots { name } }`
	e.do(t, admin, q, map[string]any{"id": ids["Science"]}).decode(t, &d)

	got := map[string]string{
		"kind": d.OrgUnit.Kind, "parent": d.OrgUnit.Parent.Name,
		"ancestors": names(d.OrgUnit.Ancestors), "subtree": names(d.OrgUnit.Subtree),
		"shallow": names(d.OrgUnit.Shallow), "children": names(d.OrgUnit.Children),
		"roots": names(d.OrgRoots),
	}
	want := map[string]string{
		"kind": "FACULTY", "parent": "Uni", "ancestors": "Uni",
		"subtree": "Science>Chemistry>Physics>P-1", "shallow": "Science>Chemistry>Physics",
		"children": "Chemistry>Physics", "roots": "Uni",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}

	var deep struct {
		OrgUnit struct{ Ancestors []struct{ Name string } }
	}
	e.do(t, admin, `query($id: ID!) { orgUnit(id: $id) { ancestors { name } } }`,
		map[string]any{"id": ids["P-1"]}).decode(t, &deep)
	if got := names(deep.OrgUnit.Ancestors); got != "Uni>Science>Physics" {
		t.Errorf("ancestors of P-1 = %s, want Uni>Science>Physics (root first)", got)
	}
}

func TestMoveUnit(t *testing.T) {
	e := start(t)
	ids := tree(t, e)
	move := `mutation($id: ID!, $p: ID) { moveOrgUnit(id: $id, parentId: $p) { id parent { name } } }`
	tests := []struct {
		name      string
		principal server.Principal
		id, to    string
		code      string
	}{
		{"under itself", admin, ids["Science"], ids["Science"], "CONFLICT"},
		{"under its child", admin, ids["Science"], ids["Physics"], "CONFLICT"},
		{"under a deep descendant", admin, ids["Uni"], ids["P-1"], "CONFLICT"},
		{"unknown unit", admin, "00000000-0000-4000-8000-000000000009", ids["Uni"], "NOT_FOUND"},
		{"unknown parent", admin, ids["Physics"], "00000000-0000-4000-8000-000000000009", "NOT_FOUND"},
		{"malformed id", admin, "nope", ids["Uni"], "INVALID_ARGUMENT"},
		{"anonymous", server.Principal{}, ids["P-1"], ids["Uni"], "UNAUTHENTICATED"},
		{
			"not an admin",
			server.Principal{UserID: "0b1d6a52-3c1e-4b1a-9a55-2d8c7a4b9e02"},
			ids["P-1"], ids["Uni"], "FORBIDDEN",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(t, tt.principal, move, map[string]any{"id": tt.id, "p": tt.to})
			if r.code() != tt.code {
				t.Fatalf("code = %q (%+v), want %s", r.code(), r.Errors, tt.code)
			}
			// Nothing moved: the tree keeps its shape.
			var d struct {
				OrgUnit struct{ Subtree []struct{ Name string } }
			}
			e.do(t, admin, `query($id: ID!) { orgUnit(id: $id) { subtree { name } } }`,
				map[string]any{"id": ids["Uni"]}).decode(t, &d)
			if got := names(d.OrgUnit.Subtree); got != "Uni>Science>Physics>P-1" {
				t.Errorf("tree after refused move = %s", got)
			}
		})
	}

	t.Run("message names both units", func(t *testing.T) {
		r := e.do(t, admin, move, map[string]any{"id": ids["Science"], "p": ids["P-1"]})
		if msg := r.Errors[0].Message; !strings.Contains(msg, `"Science"`) || !strings.Contains(msg, `"P-1"`) {
			t.Errorf("message %q should name the unit and the new parent", msg)
		}
	})

	t.Run("allowed move", func(t *testing.T) {
		var d struct {
			MoveOrgUnit struct{ Parent struct{ Name string } }
		}
		e.do(t, admin, move, map[string]any{"id": ids["P-1"], "p": ids["Science"]}).decode(t, &d)
		if d.MoveOrgUnit.Parent.Name != "Science" {
			t.Errorf("parent after move = %q, want Science", d.MoveOrgUnit.Parent.Name)
		}
	})
}

func TestUnitAdminsManageTheirSubtree(t *testing.T) {
	e := start(t)
	ids := tree(t, e)
	head := server.Principal{UserID: "0b1d6a52-3c1e-4b1a-9a55-2d8c7a4b9e03"}
	set := `mutation($u: ID!, $user: ID!, $r: MemberRole!) { setMembership(unitId: $u, userId: $user, role: $r) { role } }`
	e.do(t, admin, set, map[string]any{"u": ids["Science"], "user": head.UserID, "r": "ADMIN"}).decode(t, &struct{}{})

	tests := []struct {
		name   string
		parent string
		code   string
	}{
		{"below own unit", ids["Physics"], ""},
		{"own unit", ids["Science"], ""},
		{"above own unit", ids["Uni"], "FORBIDDEN"},
		{"new root", "", "FORBIDDEN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := map[string]any{"name": "New " + tt.name, "kind": "GROUP"}
			if tt.parent != "" {
				in["parentId"] = tt.parent
			}
			before := e.count(t, "org.units")
			r := e.do(t, head, createUnit, map[string]any{"in": in})
			if r.code() != tt.code {
				t.Fatalf("code = %q (%+v), want %q", r.code(), r.Errors, tt.code)
			}
			if want := before + map[bool]int{true: 1, false: 0}[tt.code == ""]; e.count(t, "org.units") != want {
				t.Errorf("units = %d, want %d", e.count(t, "org.units"), want)
			}
		})
	}
}

func TestMembershipsAndEntities(t *testing.T) {
	e := start(t)
	ids := tree(t, e)
	user := "0b1d6a52-3c1e-4b1a-9a55-2d8c7a4b9e04"
	set := `mutation($u: ID!, $user: ID!, $r: MemberRole!) { setMembership(unitId: $u, userId: $user, role: $r) { role } }`
	e.do(t, admin, set, map[string]any{"u": ids["P-1"], "user": user, "r": "STUDENT"}).decode(t, &struct{}{})
	e.do(t, admin, set, map[string]any{"u": ids["Physics"], "user": user, "r": "TEACHER"}).decode(t, &struct{}{})
	e.do(t, admin, set, map[string]any{"u": ids["Physics"], "user": user, "r": "HEAD"}).decode(t, &struct{}{})

	query := `query($r: [_Any!]!) { _entities(representations: $r) {
	  ... on User { id memberships { role unit { name } } }
	  ... on OrgUnit { id name members { role user { id } } } } }`
	reps := []map[string]any{
		{"__typename": "User", "id": user},
		{"__typename": "OrgUnit", "id": ids["Physics"]},
	}
	var d struct {
		Entities []map[string]any `json:"_entities"`
	}
	e.do(t, admin, query, map[string]any{"r": reps}).decode(t, &d)

	want := []map[string]any{
		{"id": user, "memberships": []any{
			map[string]any{"role": "HEAD", "unit": map[string]any{"name": "Physics"}},
			map[string]any{"role": "STUDENT", "unit": map[string]any{"name": "P-1"}},
		}},
		{"id": ids["Physics"], "name": "Physics", "members": []any{
			map[string]any{"role": "HEAD", "user": map[string]any{"id": user}},
		}},
	}
	if diff := cmp.Diff(want, d.Entities); diff != "" {
		t.Errorf("entities (-want +got):\n%s", diff)
	}

	t.Run("unknown unit entity", func(t *testing.T) {
		r := e.do(t, admin, query, map[string]any{"r": []map[string]any{
			{"__typename": "OrgUnit", "id": "00000000-0000-4000-8000-000000000009"},
		}})
		if r.code() != "NOT_FOUND" {
			t.Errorf("code = %q, want NOT_FOUND", r.code())
		}
	})
	t.Run("bad role", func(t *testing.T) {
		r := e.do(t, admin, set, map[string]any{"u": ids["P-1"], "user": user, "r": "KING"})
		if len(r.Errors) == 0 {
			t.Errorf("role KING accepted")
		}
	})
}

// TestEntitiesUnknownUnit resolves a batch in which one unit does not exist and one id is
// malformed (other modules hold references org cannot vouch for): those two entities are
// null with an error at their own path, and their siblings resolve.
func TestEntitiesUnknownUnit(t *testing.T) {
	e := start(t)
	ids := tree(t, e)
	query := `query($r: [_Any!]!) { _entities(representations: $r) { ... on OrgUnit { id name } } }`
	r := e.do(t, admin, query, map[string]any{"r": []map[string]any{
		{"__typename": "OrgUnit", "id": ids["Physics"]},
		{"__typename": "OrgUnit", "id": "00000000-0000-4000-8000-000000000009"},
		{"__typename": "OrgUnit", "id": "not-a-uuid"},
		{"__typename": "OrgUnit", "id": ids["P-1"]},
	}})

	want := `{"_entities":[{"id":"` + ids["Physics"] + `","name":"Physics"},null,null,` +
		`{"id":"` + ids["P-1"] + `","name":"P-1"}]}`
	if string(r.Data) != want {
		t.Errorf("data = %s, want %s", r.Data, want)
	}
	got := map[string]string{}
	for _, err := range r.Errors {
		code, _ := err.Extensions["code"].(string)
		got[fmt.Sprint(err.Path)] = code
	}
	wantErrs := map[string]string{"[_entities 1]": "NOT_FOUND", "[_entities 2]": "INVALID_ARGUMENT"}
	if diff := cmp.Diff(wantErrs, got); diff != "" {
		t.Errorf("error codes by path (-want +got):\n%s", diff)
	}
}
