package identity

import (
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Issuer is the iss claim of every ERGO access token.
const Issuer = "ergo"

// Claims are the claims of an ERGO access token: sub (user id), roles, iat, exp and iss.
type Claims struct {
	Roles []string `json:"roles"`
	jwt.RegisteredClaims
}

// Tokens signs access tokens with HS256.
type Tokens struct {
	secret []byte
	ttl    time.Duration
	now    func() time.Time
}

// NewTokens returns a signer using secret whose tokens live for ttl; now is the clock.
func NewTokens(secret []byte, ttl time.Duration, now func() time.Time) *Tokens {
	return &Tokens{secret: secret, ttl: ttl, now: now}
}

// Issue returns a signed token for user and its expiry time.
func (t *Tokens) Issue(u *User) (string, time.Time, error) {
	now := t.now().Truncate(time.Second)
	exp := now.Add(t.ttl)
	claims := Claims{
		Roles: u.Roles,
		RegisteredClaims: jwt.RegisteredClaims{
			Subject:   u.ID.String(),
			Issuer:    Issuer,
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(exp),
		},
	}
	signed, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(t.secret)
	return signed, exp, err
}
