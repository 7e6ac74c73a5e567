package identity

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"ergo/platform/errcode"
	"ergo/platform/server"
)

// Session is the result of a successful login.
type Session struct {
	AccessToken string
	TokenType   string
	ExpiresAt   time.Time
	User        *User
}

// errBadCredentials is the one answer for an unknown email and a wrong password, so a caller
// cannot learn which emails exist.
var errBadCredentials = errcode.New(errcode.Unauthenticated, "wrong email or password")

// Login checks email and password and returns a signed access token. Errors: UNAUTHENTICATED
// for an unknown email or a wrong password alike; RATE_LIMITED, without checking the
// password, after too many failed sign-ins with email from the client address the router
// passed, or from that address with any emails (see LoginLimiter).
func (s *Service) Login(ctx context.Context, email, password string) (*Session, error) {
	done, err := s.logins.Begin(email, server.ClientAddrFrom(ctx))
	if err != nil {
		return nil, err
	}
	session, err := s.login(ctx, email, password)
	done(err == nil)
	return session, err
}

func (s *Service) login(ctx context.Context, email, password string) (*Session, error) {
	cred, err := s.q.CredentialsByEmail(ctx, strings.TrimSpace(email))
	if errors.Is(err, pgx.ErrNoRows) {
		// Spend the same work as a real check so timing does not reveal unknown emails.
		_, _ = s.hasher.Verify(password, s.decoy())
		return nil, errBadCredentials
	}
	if err != nil {
		return nil, fmt.Errorf("load credentials: %w", err)
	}

	ok, err := s.hasher.Verify(password, cred.PasswordHash)
	if err != nil {
		return nil, fmt.Errorf("verify password of user %s: %w", cred.ID, err)
	}
	if !ok {
		return nil, errBadCredentials
	}

	u, err := s.User(ctx, cred.ID)
	if err != nil {
		return nil, err
	}
	u.signedIn = true
	token, exp, err := s.tokens.Issue(u)
	if err != nil {
		return nil, fmt.Errorf("sign token: %w", err)
	}
	return &Session{AccessToken: token, TokenType: "Bearer", ExpiresAt: exp, User: u}, nil
}

// decoy returns a hash with the service's parameters that no password matches in practice.
func (s *Service) decoy() string {
	s.decoyOnce.Do(func() {
		s.decoyHash = s.hasher.hashWithSalt("decoy", []byte("ergo-decoy-salt!"))
	})
	return s.decoyHash
}
