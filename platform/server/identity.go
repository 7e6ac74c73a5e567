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
	// HeaderClientAddr is the IP address of the client the router answers (its connection's
	// peer, or the address a trusted proxy named), for limits per client such as sign-in.
	HeaderClientAddr = "X-Ergo-Client-Addr"
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

type clientAddrKey struct{}

// WithClientAddr returns ctx carrying the client's IP address addr.
func WithClientAddr(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, clientAddrKey{}, addr)
}

// ClientAddrFrom returns the client's IP address carried by ctx; "" when unknown (a request
// that did not come through the router, or a router that did not say).
func ClientAddrFrom(ctx context.Context) string {
	addr, _ := ctx.Value(clientAddrKey{}).(string)
	return addr
}

// FromRouter is middleware for subgraphs: it refuses with 403 any request that lacks the
// router's secret (when secret is set), so a subgraph cannot be called around the router, and
// puts the principal and the client address the router passed into the request context.
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
		ctx := WithClientAddr(WithPrincipal(r.Context(), p), r.Header.Get(HeaderClientAddr))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}
