package graph_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/go-cmp/cmp"

	"ergo/platform/server"
	"ergo/subgraphs/identity"
)

const loginQuery = `mutation($e: String!, $p: String!) {
  login(email: $e, password: $p) { accessToken tokenType expiresAt user { id displayName roles } }
}`

const createQuery = `mutation($in: CreateUserInput!) {
  createUser(input: $in) { id email displayName roles }
}`

type loginData struct {
	Login struct {
		AccessToken string
		TokenType   string
		ExpiresAt   time.Time
		User        struct {
			ID          string
			DisplayName string
			Roles       []string
		}
	}
}

// admin signs in as the bootstrap admin and returns its principal.
func admin(t testing.TB, e *env) server.Principal {
	t.Helper()
	var d loginData
	e.do(t, server.Principal{}, loginQuery, map[string]any{"e": adminEmail, "p": adminPass}).decode(t, &d)
	return server.Principal{UserID: d.Login.User.ID, Roles: d.Login.User.Roles}
}

func TestLoginIssuesVerifiableToken(t *testing.T) {
	e := start(t)
	var d loginData
	// Email lookup ignores letter case and surrounding spaces.
	e.do(t, server.Principal{}, loginQuery,
		map[string]any{"e": " ADMIN@example.org", "p": adminPass}).decode(t, &d)

	var claims identity.Claims
	_, err := jwt.ParseWithClaims(d.Login.AccessToken, &claims, func(*jwt.Token) (any, error) {
		return []byte(jwtSecret), nil
	}, jwt.WithValidMethods([]string{"HS256"}), jwt.WithIssuer("ergo"))
	if err != nil {
		t.Fatalf("token does not verify: %v", err)
	}
	if claims.Subject != d.Login.User.ID || !cmp.Equal(claims.Roles, []string{"admin"}) {
		t.Errorf("claims sub=%q roles=%v, want sub=%q roles=[admin]", claims.Subject, claims.Roles,
			d.Login.User.ID)
	}
	if got := claims.ExpiresAt.Sub(claims.IssuedAt.Time); got != time.Hour {
		t.Errorf("token lifetime = %v, want 1h", got)
	}
	if d.Login.TokenType != "Bearer" || !d.Login.ExpiresAt.Equal(claims.ExpiresAt.Time) {
		t.Errorf("tokenType=%q expiresAt=%v, want Bearer and %v", d.Login.TokenType,
			d.Login.ExpiresAt, claims.ExpiresAt.Time)
	}
}

func TestLoginFailuresLookAlike(t *testing.T) {
	e := start(t)
	tests := []struct{ name, email, password string }{
		{"unknown email", "nobody@example.org", adminPass},
		{"wrong password", adminEmail, "not-the-password"},
		{"empty password", adminEmail, ""},
	}
	var messages []string
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(t, server.Principal{}, loginQuery, map[string]any{"e": tt.email, "p": tt.password})
			if r.code() != "UNAUTHENTICATED" {
				t.Fatalf("code = %q (%+v), want UNAUTHENTICATED", r.code(), r.Errors)
			}
			messages = append(messages, r.Errors[0].Message)
		})
	}
	for _, m := range messages[1:] {
		if m != messages[0] {
			t.Errorf("messages differ: %q vs %q; they must not reveal which emails exist", m, messages[0])
		}
	}
}

// TestLoginRateLimited checks that the limit on failed sign-ins reaches the client as
// RATE_LIMITED with a message, and that it holds for the right password too.
func TestLoginRateLimited(t *testing.T) {
	e := start(t)
	for i := range 5 {
		r := e.do(t, server.Principal{}, loginQuery, map[string]any{"e": adminEmail, "p": "guess"})
		if r.code() != "UNAUTHENTICATED" {
			t.Fatalf("failure %d: code = %q (%+v), want UNAUTHENTICATED", i+1, r.code(), r.Errors)
		}
	}
	r := e.do(t, server.Principal{}, loginQuery, map[string]any{"e": adminEmail, "p": adminPass})
	if r.code() != "RATE_LIMITED" || !strings.Contains(r.Errors[0].Message, "try again in 15 minutes") {
		t.Fatalf("after 5 failures: %+v, want RATE_LIMITED saying when to try again", r.Errors)
	}
	if string(r.Data) != "null" {
		t.Errorf("data = %s, want null", r.Data)
	}
}

// TestLoginLimitPerClientAddress checks that the sign-in limit keys on the client address
// the router passes: failures from one address lock the email there only, so a stranger
// cannot lock the admin out.
func TestLoginLimitPerClientAddress(t *testing.T) {
	e := start(t)
	const stranger, owner = "203.0.113.66", "198.51.100.7"
	for i := range 5 {
		r := e.doFrom(
			t,
			stranger,
			server.Principal{},
			loginQuery,
			map[string]any{"e": adminEmail, "p": "guess"},
		)
		if r.code() != "UNAUTHENTICATED" {
			t.Fatalf("failure %d: code = %q (%+v), want UNAUTHENTICATED", i+1, r.code(), r.Errors)
		}
	}
	r := e.doFrom(
		t,
		stranger,
		server.Principal{},
		loginQuery,
		map[string]any{"e": adminEmail, "p": adminPass},
	)
	if r.code() != "RATE_LIMITED" {
		t.Errorf("stranger after 5 failures: %+v, want RATE_LIMITED", r.Errors)
	}
	var d loginData
	e.doFrom(t, owner, server.Principal{}, loginQuery, map[string]any{"e": adminEmail, "p": adminPass}).
		decode(t, &d)
	if d.Login.AccessToken == "" {
		t.Errorf("the owner from another address got no token")
	}
}

// TestLoginOncePerOperation checks that an operation with several login fields signs in
// nobody, however the fields are spelled.
func TestLoginOncePerOperation(t *testing.T) {
	e := start(t)
	tests := []struct {
		name   string
		query  string
		errors int // one per response key
	}{
		{"aliases", `mutation($e: String!, $p: String!) { a: login(email: $e, password: $p) { accessToken }
		  b: login(email: $e, password: $p) { accessToken } }`, 2},
		{
			"fragments",
			`mutation($e: String!, $p: String!) { ...F ... on Mutation { login(email: $e, password: $p) {
		  accessToken } } } fragment F on Mutation { login(email: $e, password: $p) { tokenType } }`,
			1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(t, server.Principal{}, tt.query, map[string]any{"e": adminEmail, "p": adminPass})
			if string(r.Data) != "null" || len(r.Errors) != tt.errors {
				t.Fatalf("got %s %+v, want no data and %d errors", r.Data, r.Errors, tt.errors)
			}
			for _, err := range r.Errors {
				if err.Extensions["code"] != "INVALID_ARGUMENT" ||
					err.Message != "an operation may sign in once, and this one has 2 login fields" {
					t.Errorf("error %+v, want INVALID_ARGUMENT saying one login per operation", err)
				}
			}
		})
	}
}

func TestCreateUser(t *testing.T) {
	e := start(t)
	root := admin(t, e)
	valid := map[string]any{
		"email": "Ada@Example.org", "displayName": " Ada ",
		"password": "correct horse", "roles": []string{"teacher"},
	}

	var d struct{ CreateUser map[string]any }
	e.do(t, root, createQuery, map[string]any{"in": valid}).decode(t, &d)
	want := map[string]any{
		"id": d.CreateUser["id"], "email": "Ada@Example.org",
		"displayName": "Ada", "roles": []any{"teacher"},
	}
	if diff := cmp.Diff(want, d.CreateUser); diff != "" {
		t.Errorf("created user (-want +got):\n%s", diff)
	}

	// The new user can sign in.
	var l loginData
	e.do(t, server.Principal{}, loginQuery, map[string]any{"e": "ada@example.org", "p": "correct horse"}).
		decode(t, &l)
	if l.Login.User.ID != d.CreateUser["id"] {
		t.Errorf("login returned user %q, want %q", l.Login.User.ID, d.CreateUser["id"])
	}
}

func TestCreateUserRefusesBadInput(t *testing.T) {
	e := start(t)
	root := admin(t, e)
	with := func(k string, v any) map[string]any {
		in := map[string]any{
			"email": "new@example.org", "displayName": "New",
			"password": "long enough", "roles": []string{},
		}
		in[k] = v
		return in
	}
	tests := []struct {
		name      string
		principal server.Principal
		input     map[string]any
		code      string
		field     string
		message   string // a part of the message, when it matters
	}{
		{"anonymous", server.Principal{}, with("email", "a@example.org"), "FORBIDDEN", "", ""},
		{
			"not admin",
			server.Principal{UserID: root.UserID, Roles: []string{"teacher"}},
			with("email", "a@example.org"), "FORBIDDEN", "", "",
		},
		{"email without at", root, with("email", "example.org"), "INVALID_ARGUMENT", "email", ""},
		{"email with space", root, with("email", "a b@example.org"), "INVALID_ARGUMENT", "email", ""},
		{
			"short password", root, with("password", "short"), "INVALID_ARGUMENT", "password",
			"at least 8 characters",
		},
		{
			"long password", root, with("password", strings.Repeat("p", 100_000)), "INVALID_ARGUMENT",
			"password", "at most 1024 bytes",
		},
		{"blank name", root, with("displayName", "  "), "INVALID_ARGUMENT", "displayName", ""},
		{"bad role", root, with("roles", []string{"Admin!"}), "INVALID_ARGUMENT", "roles", ""},
		{"email taken in other case", root, with("email", "ADMIN@EXAMPLE.ORG"), "CONFLICT", "email", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(t, tt.principal, createQuery, map[string]any{"in": tt.input})
			if r.code() != tt.code {
				t.Fatalf("code = %q (%+v), want %s", r.code(), r.Errors, tt.code)
			}
			if f, _ := r.Errors[0].Extensions["field"].(string); f != tt.field {
				t.Errorf("field = %q, want %q", f, tt.field)
			}
			if !strings.Contains(r.Errors[0].Message, tt.message) {
				t.Errorf("message = %q, want it to say %q", r.Errors[0].Message, tt.message)
			}
			if n := e.count(t, "users"); n != 1 {
				t.Errorf("users = %d after a refused create, want only the admin", n)
			}
		})
	}
}

func TestMeAndEmailVisibility(t *testing.T) {
	e := start(t)
	root := admin(t, e)
	var c struct{ CreateUser struct{ ID string } }
	e.do(t, root, createQuery, map[string]any{"in": map[string]any{
		"email":       "bo@example.org",
		"displayName": "Bo", "password": "long enough",
	}}).decode(t, &c)
	bo := server.Principal{UserID: c.CreateUser.ID}

	tests := []struct {
		name      string
		principal server.Principal
		query     string
		want      string
	}{
		{"anonymous me", server.Principal{}, `{ me { id } }`, `{"me":null}`},
		{"me", bo, `{ me { displayName email } }`, `{"me":{"displayName":"Bo","email":"bo@example.org"}}`},
		{
			"other user's email hidden", bo, `{ user(id: "` + root.UserID + `") { displayName email } }`,
			`{"user":{"displayName":"Administrator","email":null}}`,
		},
		{
			"admin sees email", root, `{ user(id: "` + bo.UserID + `") { email } }`,
			`{"user":{"email":"bo@example.org"}}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(t, tt.principal, tt.query, nil)
			if len(r.Errors) > 0 || string(r.Data) != tt.want {
				t.Errorf("got %s %+v, want %s", r.Data, r.Errors, tt.want)
			}
		})
	}
}

func TestUserLookupErrors(t *testing.T) {
	e := start(t)
	root := admin(t, e)
	tests := []struct{ name, id, code string }{
		{"malformed", "not-a-uuid", "INVALID_ARGUMENT"},
		{"unknown", "00000000-0000-4000-8000-000000000001", "NOT_FOUND"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(t, root, `query($id: ID!) { user(id: $id) { id } }`,
				map[string]any{"id": tt.id})
			if r.code() != tt.code {
				t.Fatalf("code = %q (%+v), want %s", r.code(), r.Errors, tt.code)
			}
			// Both errors name the argument at fault, as the other modules' errors do.
			if f, _ := r.Errors[0].Extensions["field"].(string); f != "id" {
				t.Errorf("field = %q, want id", f)
			}
		})
	}
}

func TestEntitiesUser(t *testing.T) {
	e := start(t)
	root := admin(t, e)
	query := `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id displayName } } }`
	reps := []map[string]any{
		{"__typename": "User", "id": root.UserID},
		{"__typename": "User", "id": "00000000-0000-4000-8000-000000000001"},
		{"__typename": "User", "id": "not-a-uuid"},
		{"__typename": "User", "id": root.UserID},
	}
	r := e.do(t, root, query, map[string]any{"r": reps})
	found := `{"id":"` + root.UserID + `","displayName":"Administrator"}`
	want := `{"_entities":[` + found + `,null,null,` + found + `]}`
	if string(r.Data) != want {
		t.Errorf("data = %s, want %s", r.Data, want)
	}
	// Each failure is reported at its own entity, so the router can null only that one.
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
