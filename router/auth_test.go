package router

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"ergo/platform/server"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/go-cmp/cmp"
)

// signToken makes an HS256 token for user with roles, expiring at exp.
func signToken(tb testing.TB, secret, user string, roles []string, exp time.Time) string {
	tb.Helper()
	c := claims{RegisteredClaims: jwt.RegisteredClaims{
		Subject:   user,
		ExpiresAt: jwt.NewNumericDate(exp),
	}, Roles: roles}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString([]byte(secret))
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func TestAuthenticate(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	a := &authenticator{secret: []byte(testSecret), now: func() time.Time { return now }}
	valid := signToken(t, testSecret, "u-1", []string{"student", "tutor"}, now.Add(time.Hour))
	noExp, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": "u-1"}).
		SignedString([]byte(testSecret))
	if err != nil {
		t.Fatal(err)
	}
	none, err := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims{
		"sub": "u-1",
		"exp": now.Add(time.Hour).Unix(),
	}).SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		header  string
		want    server.Principal
		wantMsg string
	}{
		{"anonymous", "", server.Principal{}, ""},
		{"valid", "Bearer " + valid, server.Principal{UserID: "u-1", Roles: []string{"student", "tutor"}}, ""},
		{"scheme case", "bearer " + valid, server.Principal{UserID: "u-1", Roles: []string{"student", "tutor"}}, ""},
		{"basic", "Basic dXNlcjpwYXNz", server.Principal{}, "the Authorization header must be: Bearer <token>"},
		{"empty token", "Bearer ", server.Principal{}, "the Authorization header must be: Bearer <token>"},
		{
			"expired", "Bearer " + signToken(t, testSecret, "u-1", nil, now.Add(-time.Second)),
			server.Principal{},
			"the token has expired",
		},
		{
			"wrong key", "Bearer " + signToken(t, strings.Repeat("k", 32), "u-1", nil, now.Add(time.Hour)),
			server.Principal{},
			"the token's signature is invalid",
		},
		{"alg none", "Bearer " + none, server.Principal{}, "the token's signature is invalid"},
		{"no expiry", "Bearer " + noExp, server.Principal{}, "the token has no expiry (exp)"},
		{
			"no subject", "Bearer " + signToken(t, testSecret, "", nil, now.Add(time.Hour)),
			server.Principal{},
			"the token has no subject (sub)",
		},
		{
			"role with comma", "Bearer " + signToken(t, testSecret, "u-1", []string{"a,b"}, now.Add(time.Hour)),
			server.Principal{},
			`the token has an invalid role "a,b"`,
		},
		{"garbage", "Bearer not.a.jwt", server.Principal{}, "the token is malformed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.header != "" {
				h.Set("Authorization", tt.header)
			}
			got, rerr := a.authenticate(h)
			var msg string
			if rerr != nil {
				msg = rerr.message
				if rerr.code != CodeUnauthenticated || rerr.status != http.StatusUnauthorized {
					t.Errorf("error %s/%d, want UNAUTHENTICATED/401", rerr.code, rerr.status)
				}
			}
			if diff := cmp.Diff([]any{tt.want, tt.wantMsg}, []any{got, msg}); diff != "" {
				t.Errorf("authenticate (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAuthenticateRefusesSeveralHeaders checks that a second Authorization header is refused,
// not ignored, whether the tokens are valid or not.
func TestAuthenticateRefusesSeveralHeaders(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	a := &authenticator{secret: []byte(testSecret), now: func() time.Time { return now }}
	user := "Bearer " + signToken(t, testSecret, "u-1", nil, now.Add(time.Hour))
	admin := "Bearer " + signToken(t, testSecret, "u-2", []string{"admin"}, now.Add(time.Hour))
	tests := []struct {
		name   string
		values []string
	}{
		{"two valid tokens", []string{user, admin}},
		{"valid then empty", []string{user, ""}},
		{"garbage then valid", []string{"Bearer x", user}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, rerr := a.authenticate(http.Header{"Authorization": tt.values})
			if rerr == nil {
				t.Fatalf("authenticate = %+v, want an error", got)
			}
			want := "the request has 2 Authorization headers; send one"
			if rerr.code != CodeUnauthenticated || rerr.status != http.StatusUnauthorized ||
				rerr.message != want {
				t.Errorf("error %s/%d %q, want UNAUTHENTICATED/401 %q", rerr.code, rerr.status,
					rerr.message, want)
			}
		})
	}
}

func TestAuthenticateWithoutSecret(t *testing.T) {
	a := &authenticator{now: time.Now}
	h := http.Header{"Authorization": {"Bearer " + signToken(t, testSecret, "u", nil,
		time.Now().Add(time.Hour))}}
	if _, rerr := a.authenticate(h); rerr == nil || rerr.code != CodeUnauthenticated {
		t.Errorf("authenticate = %v, want UNAUTHENTICATED", rerr)
	}
}

// TestIdentityReachesSubgraphs follows a token through the router to the people subgraph,
// and checks that headers a client forges never get there.
func TestIdentityReachesSubgraphs(t *testing.T) {
	env := newTestEnv(t, nil)
	token := signToken(t, testSecret, "u-9", []string{"teacher", "admin"}, time.Now().Add(time.Hour))
	forged := map[string]string{
		HeaderUserID: "root", HeaderUserRoles: "admin",
		HeaderRouterSecret: "guess", "X-Ergo-Anything": "x",
	}
	query := gqlBody(t, `{ me { id roles } }`, nil, "")
	tests := []struct {
		name       string
		header     map[string]string
		wantStatus int
		wantBody   string
		wantUser   string
	}{
		{
			"signed in",
			map[string]string{"Authorization": "Bearer " + token},
			200,
			`{"data":{"me":{"id":"u-9","roles":["teacher","admin"]}}}`, "u-9",
		},
		{"forged headers dropped", forged, 200, `{"data":{"me":null}}`, ""},
		{
			"forged with token", merge(forged, map[string]string{"Authorization": "Bearer " + token}),
			200, `{"data":{"me":{"id":"u-9","roles":["teacher","admin"]}}}`, "u-9",
		},
		{
			"expired",
			map[string]string{"Authorization": "Bearer " + signToken(t, testSecret, "u-9",
				nil, time.Now().Add(-time.Minute))},
			401,
			`{"errors":[{"message":"the token has expired","extensions":{"code":"UNAUTHENTICATED"}}]}`, "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(env.people.calls())
			got := env.post(t, mediaGraphQLResponse, query, tt.header)
			if got.status != tt.wantStatus || got.raw != tt.wantBody {
				t.Errorf("got %d %s, want %d %s", got.status, got.raw, tt.wantStatus, tt.wantBody)
			}
			calls := env.people.calls()[before:]
			if tt.wantStatus != 200 {
				if len(calls) != 0 {
					t.Errorf("a refused request reached the subgraph")
				}
				if got.header.Get("WWW-Authenticate") == "" {
					t.Error("401 without WWW-Authenticate")
				}
				return
			}
			if len(calls) != 1 {
				t.Fatalf("subgraph got %d calls, want 1", len(calls))
			}
			h := calls[0]
			gotHeaders := map[string]string{
				"user": h.Get(HeaderUserID), "secret": h.Get(HeaderRouterSecret),
				"authorization": h.Get("Authorization"), "other": h.Get("X-Ergo-Anything"),
			}
			want := map[string]string{
				"user": tt.wantUser, "secret": "router-secret",
				"authorization": "", "other": "",
			}
			if diff := cmp.Diff(want, gotHeaders); diff != "" {
				t.Errorf("subgraph headers (-want +got):\n%s", diff)
			}
		})
	}
}

func merge(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

func TestClientHeaders(t *testing.T) {
	in := http.Header{
		"Authorization": {"Bearer x"}, "Cookie": {"s=1"}, "X-Ergo-User-Id": {"root"},
		"X-Ergo-Router-Secret": {"guess"}, "x-ergo-lower": {"1"}, "Accept-Language": {"de"},
		"X-Request-Id": {"r1"},
	}
	want := http.Header{"Accept-Language": {"de"}, "X-Request-Id": {"r1"}}
	if diff := cmp.Diff(want, clientHeaders(in)); diff != "" {
		t.Errorf("clientHeaders (-want +got):\n%s", diff)
	}
}
