package server

import (
	"context"
	"crypto/subtle"
	"net/http"
	"slices"
	"strings"
)

// Headers the router sets on every subgraph request. Subgraphs trust them only when the
// request also carries the router's shared secret; the router strips them from client requests.
const (
	HeaderUserID       = "X-Ergo-User-ID"
	HeaderUserRoles    = "X-Ergo-User-Roles"
	HeaderRouterSecret = "X-Ergo-Router-Secret"
)

// Principal is the caller as the router verified it. The zero Principal is anonymous.
type Principal struct {
	UserID string
	Roles  []string
}

// Anonymous reports whether no user is signed in.
func (p Principal) Anonymous() bool { return p.UserID == "" }

// HasRole reports whether the principal holds role.
func (p Principal) HasRole(role string) bool { return slices.Contains(p.Roles, role) }

type principalKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the principal carried by ctx; anonymous when there is none.
func PrincipalFrom(ctx context.Context) Principal {
	p, _ := ctx.Value(principalKey{}).(Principal)
	return p
}

// FromRouter is middleware for subgraphs: it refuses with 403 any request that lacks the
// router's secret (when secret is set), so a subgraph cannot be called around the router, and
// puts the principal the router passed into the request context.
func FromRouter(secret string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := r.Header.Get(HeaderRouterSecret)
		if secret != "" && subtle.ConstantTimeCompare([]byte(got), []byte(secret)) != 1 {
			writeJSON(w, http.StatusForbidden, map[string]any{"errors": []map[string]any{{
				"message":    "subgraphs answer only the router",
				"extensions": map[string]string{"code": "FORBIDDEN"},
			}}})
			return
		}

		p := Principal{UserID: r.Header.Get(HeaderUserID)}
		if roles := r.Header.Get(HeaderUserRoles); roles != "" {
			p.Roles = strings.Split(roles, ",")
		}
		next.ServeHTTP(w, r.WithContext(WithPrincipal(r.Context(), p)))
	})
}
