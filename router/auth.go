package router

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"ergo/platform/logging"
	"ergo/platform/server"
)

// Headers the router reads from clients or sets on subgraph requests. Subgraphs trust the
// identity headers only together with a matching HeaderRouterSecret (server.FromRouter checks
// it); the router drops any X-Ergo-* header a client sends.
const (
	HeaderUserID       = server.HeaderUserID
	HeaderUserRoles    = server.HeaderUserRoles
	HeaderRouterSecret = server.HeaderRouterSecret
	HeaderClientAddr   = server.HeaderClientAddr
	HeaderRequestID    = logging.RequestIDHeader
	// HeaderQueryPlan set to "include" asks for the query plan in extensions.queryPlan.
	HeaderQueryPlan = "X-Ergo-Query-Plan"
)

// claims is the payload of an ERGO bearer token: sub is the user's ID, roles their roles.
type claims struct {
	jwt.RegisteredClaims
	Roles []string `json:"roles"`
}

// rolePattern keeps role names safe inside a comma-separated header value.
var rolePattern = regexp.MustCompile(`^[A-Za-z0-9_.:-]{1,64}$`)

// authenticator verifies HS256 bearer tokens.
//
// TODO(#4): one shared key with no issuer or audience check and no rotation; move to keys
// published by the identity module (RS256/EdDSA with kid) when it issues tokens.
type authenticator struct {
	secret []byte
	now    func() time.Time
}

// authenticate returns the caller named by the Authorization header: anonymous without one,
// UNAUTHENTICATED when there are several, or when the token is malformed, badly signed,
// expired or cannot be verified.
func (a *authenticator) authenticate(h http.Header) (server.Principal, *requestError) {
	values := h.Values("Authorization")
	if len(values) > 1 {
		// Proxies and servers disagree on which of several to use; refuse rather than guess.
		return server.Principal{}, unauthenticated(fmt.Sprintf(
			"the request has %d Authorization headers; send one", len(values)))
	}
	value := h.Get("Authorization")
	if value == "" {
		return server.Principal{}, nil
	}
	scheme, token, ok := strings.Cut(value, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return server.Principal{}, unauthenticated("the Authorization header must be: Bearer <token>")
	}
	if len(a.secret) == 0 {
		return server.Principal{}, unauthenticated("this router verifies no tokens: ERGO_JWT_SECRET is not set")
	}

	var c claims
	_, err := jwt.ParseWithClaims(strings.TrimSpace(token), &c, a.key,
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithExpirationRequired(), jwt.WithTimeFunc(a.now))
	if err != nil {
		return server.Principal{}, unauthenticated(tokenProblem(err))
	}
	if c.Subject == "" {
		return server.Principal{}, unauthenticated("the token has no subject (sub)")
	}
	for _, r := range c.Roles {
		if !rolePattern.MatchString(r) {
			return server.Principal{}, unauthenticated(fmt.Sprintf("the token has an invalid role %q", r))
		}
	}
	return server.Principal{UserID: c.Subject, Roles: c.Roles}, nil
}

func (a *authenticator) key(*jwt.Token) (any, error) { return a.secret, nil }

// tokenProblem says what is wrong with a token without echoing it.
func tokenProblem(err error) string {
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return "the token has expired"
	case errors.Is(err, jwt.ErrTokenNotValidYet), errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return "the token is not valid yet"
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return "the token has no expiry (exp)"
	case errors.Is(err, jwt.ErrTokenSignatureInvalid), errors.Is(err, jwt.ErrTokenUnverifiable):
		return "the token's signature is invalid"
	}
	return "the token is malformed"
}

func unauthenticated(msg string) *requestError {
	return &requestError{
		status: http.StatusUnauthorized, code: CodeUnauthenticated, message: msg,
		header: http.Header{"Www-Authenticate": {`Bearer error="invalid_token"`}},
	}
}

// clientHeaders copies the client's headers without credentials and without X-Ergo-*
// headers, which only the router may set.
func clientHeaders(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, vs := range h {
		ck := http.CanonicalHeaderKey(k)
		if ck == "Authorization" || ck == "Cookie" || strings.HasPrefix(ck, "X-Ergo-") {
			continue
		}
		out[ck] = vs
	}
	return out
}

// subgraphHeaders are the headers added to each subgraph request made for ctx's request: the
// caller that server.WithPrincipal put in ctx, the client address of server.WithClientAddr,
// the router secret and the request ID.
func (rt *Router) subgraphHeaders(ctx context.Context, name string) http.Header {
	h := http.Header{}
	if p := server.PrincipalFrom(ctx); !p.Anonymous() {
		h.Set(HeaderUserID, p.UserID)
		h.Set(HeaderUserRoles, strings.Join(p.Roles, ","))
	}
	if addr := server.ClientAddrFrom(ctx); addr != "" {
		h.Set(HeaderClientAddr, addr)
	}
	if rt.cfg.RouterSecret != "" {
		h.Set(HeaderRouterSecret, rt.cfg.RouterSecret)
	}
	if id := logging.RequestID(ctx); id != "" {
		h.Set(HeaderRequestID, id)
	}
	return h
}
