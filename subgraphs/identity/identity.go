// Package identity is ERGO's identity module: users, password sign-in and the signed access
// tokens the router verifies. Its GraphQL adapter is in graph/, its database access (sqlc) in
// postgres/.
package identity

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"ergo/platform/errcode"
	"ergo/platform/server"
	"ergo/subgraphs/identity/postgres"
)

// RoleAdmin is the platform-wide role allowed to manage users.
const RoleAdmin = "admin"

// Bounds of a password createUser accepts: at least MinPasswordLength characters and at
// most MaxPasswordBytes bytes of UTF-8, which bounds the work of hashing it.
const (
	MinPasswordLength = 8
	MaxPasswordBytes  = 1024
)

// User is a person who can sign in. The password hash never leaves the database layer.
type User struct {
	ID          uuid.UUID
	Email       string
	DisplayName string
	Roles       []string
	CreatedAt   time.Time

	// signedIn marks the user a sign-in just returned: its caller is still anonymous, but
	// has proved to be this user.
	signedIn bool
}

// NewUser is the input of Service.CreateUser.
type NewUser struct {
	Email       string
	DisplayName string
	Password    string
	Roles       []string
}

// Service holds the identity module's operations.
type Service struct {
	pool   *pgxpool.Pool
	q      *postgres.Queries
	tokens *Tokens
	hasher Hasher
	logins *LoginLimiter

	decoyOnce sync.Once
	decoyHash string
}

// NewService returns a Service on pool (search path: the identity schema) issuing tokens.
// Sign-ins are limited with the default LoginLimiter until LimitLogins replaces it.
func NewService(pool *pgxpool.Pool, tokens *Tokens, hasher Hasher) *Service {
	return &Service{
		pool: pool, q: postgres.New(pool), tokens: tokens, hasher: hasher,
		logins: NewLoginLimiter(DefaultLoginLimits, time.Now),
	}
}

// LimitLogins makes the service limit failed sign-ins with l. Call it before serving.
func (s *Service) LimitLogins(l *LoginLimiter) { s.logins = l }

// ParseID parses a user id given by a client; a malformed one is INVALID_ARGUMENT on field.
func ParseID(field, s string) (uuid.UUID, error) {
	id, err := uuid.Parse(s)
	if err != nil {
		return uuid.Nil, errcode.Invalid(field, "%s must be a UUID", field)
	}
	return id, nil
}

// User returns the user with id, or a NOT_FOUND error naming the id field.
func (s *Service) User(ctx context.Context, id uuid.UUID) (*User, error) {
	row, err := s.q.UserByID(ctx, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, &errcode.Error{
			Code: errcode.NotFound, Field: "id", Message: fmt.Sprintf("no user with id %s", id),
		}
	}
	if err != nil {
		return nil, fmt.Errorf("load user: %w", err)
	}
	return &User{
		ID: row.ID, Email: row.Email, DisplayName: row.DisplayName,
		Roles: row.Roles, CreatedAt: row.CreatedAt,
	}, nil
}

// Users returns the users among ids keyed by id; unknown ids are absent.
func (s *Service) Users(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]*User, error) {
	rows, err := s.q.UsersByIDs(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("load users: %w", err)
	}
	out := make(map[uuid.UUID]*User, len(rows))
	for _, r := range rows {
		out[r.ID] = &User{
			ID: r.ID, Email: r.Email, DisplayName: r.DisplayName,
			Roles: r.Roles, CreatedAt: r.CreatedAt,
		}
	}
	return out, nil
}

// Me returns the signed-in user, or nil for an anonymous request or a user since deleted.
func (s *Service) Me(ctx context.Context) (*User, error) {
	p := server.PrincipalFrom(ctx)
	if p.Anonymous() {
		return nil, nil
	}
	id, err := uuid.Parse(p.UserID)
	if err != nil {
		return nil, errcode.New(errcode.Unauthenticated, "the access token names no valid user")
	}
	u, err := s.User(ctx, id)
	if errcode.Of(err) == errcode.NotFound {
		return nil, nil
	}
	return u, err
}

// CanSeeEmail reports whether the caller may read u's email: u themselves or an admin.
func CanSeeEmail(ctx context.Context, u *User) bool {
	p := server.PrincipalFrom(ctx)
	return u.signedIn || p.UserID == u.ID.String() || p.HasRole(RoleAdmin)
}

// errSignInToSee refuses personal data to anonymous callers.
var errSignInToSee = errcode.New(errcode.Unauthenticated,
	"sign in to see users' names, roles and memberships")

// AuthorizeProfile lets signed-in callers read u's profile (display name, roles, creation
// time), as a university's intranet directory would, and the caller of the sign-in that
// returned u. Errors: UNAUTHENTICATED for anyone else.
func AuthorizeProfile(ctx context.Context, u *User) error {
	if u.signedIn || !server.PrincipalFrom(ctx).Anonymous() {
		return nil
	}
	return errSignInToSee
}

// LookUp is User for a client's lookup by id: it needs a signed-in caller. Errors:
// UNAUTHENTICATED, NOT_FOUND.
func (s *Service) LookUp(ctx context.Context, id uuid.UUID) (*User, error) {
	if server.PrincipalFrom(ctx).Anonymous() {
		return nil, errSignInToSee
	}
	return s.User(ctx, id)
}

// CreateUser creates a user; only admins may. Errors: FORBIDDEN, INVALID_ARGUMENT naming the
// field, CONFLICT when the email is taken (in any letter case).
func (s *Service) CreateUser(ctx context.Context, in NewUser) (*User, error) {
	if !server.PrincipalFrom(ctx).HasRole(RoleAdmin) {
		return nil, errcode.New(errcode.Forbidden, "only admins may create users")
	}
	return s.createUser(ctx, in)
}

// Bootstrap creates the first admin from configuration when no user has that email yet.
func (s *Service) Bootstrap(ctx context.Context, email, password string) error {
	_, err := s.q.CredentialsByEmail(ctx, email)
	if err == nil {
		return nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("look up admin: %w", err)
	}
	_, err = s.createUser(ctx, NewUser{
		Email: email, DisplayName: "Administrator",
		Password: password, Roles: []string{RoleAdmin},
	})
	if errcode.Of(err) == errcode.Conflict {
		return nil // another instance created it first
	}
	return err
}

func (s *Service) createUser(ctx context.Context, in NewUser) (*User, error) {
	in, err := validateNewUser(in)
	if err != nil {
		return nil, err
	}
	hash, err := s.hasher.Hash(in.Password)
	if err != nil {
		return nil, err
	}

	row, err := s.q.CreateUser(ctx, postgres.CreateUserParams{
		ID: uuid.New(), Email: in.Email,
		DisplayName: in.DisplayName, Roles: in.Roles, PasswordHash: hash,
	})
	if isUniqueViolation(err) {
		return nil, &errcode.Error{
			Code: errcode.Conflict, Field: "email",
			Message: "a user with this email already exists",
		}
	}
	if err != nil {
		return nil, fmt.Errorf("create user: %w", err)
	}
	return &User{
		ID: row.ID, Email: row.Email, DisplayName: row.DisplayName,
		Roles: row.Roles, CreatedAt: row.CreatedAt,
	}, nil
}

var roleName = regexp.MustCompile(`^[a-z][a-z_]{1,30}$`)

// validateNewUser trims and checks in, returning the cleaned input.
func validateNewUser(in NewUser) (NewUser, error) {
	email, err := NormalizeEmail(in.Email)
	if err != nil {
		return in, err
	}
	in.Email = email
	in.DisplayName = strings.TrimSpace(in.DisplayName)
	if in.DisplayName == "" || len(in.DisplayName) > 200 {
		return in, errcode.Invalid("displayName", "display name must have 1 to 200 characters")
	}
	if err := validatePassword(in.Password); err != nil {
		return in, err
	}
	for _, r := range in.Roles {
		if !roleName.MatchString(r) {
			return in, errcode.Invalid("roles", "role %q must be lower-case letters", r)
		}
	}
	in.Roles = slices.Compact(slices.Sorted(slices.Values(in.Roles)))
	if in.Roles == nil {
		in.Roles = []string{}
	}
	return in, nil
}

// validatePassword checks a new password's length; the message names the bound it breaks.
func validatePassword(p string) error {
	if utf8.RuneCountInString(p) < MinPasswordLength {
		return errcode.Invalid("password", "password must have at least %d characters",
			MinPasswordLength)
	}
	if len(p) > MaxPasswordBytes {
		return errcode.Invalid("password", "password must have at most %d bytes (it has %d)",
			MaxPasswordBytes, len(p))
	}
	return nil
}

// NormalizeEmail trims an email and checks its shape (one @, something on each side, no
// spaces, at most 254 bytes). Letter case is kept; uniqueness ignores it.
func NormalizeEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || domain == "" || strings.Contains(domain, "@") ||
		strings.ContainsAny(s, " \t\r\n") || len(s) > 254 || !strings.Contains(domain, ".") {
		return "", errcode.Invalid("email", "email must look like name@example.org")
	}
	return s, nil
}

func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505"
}

// IsEntity marks User as a federation entity (gqlgen's fedruntime.Entity).
func (User) IsEntity() {}
