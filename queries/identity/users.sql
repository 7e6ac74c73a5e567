-- CreateUser inserts a user; a duplicate email (any letter case) violates users_email_key.
-- name: CreateUser :one
INSERT INTO users (id, email, display_name, roles, password_hash)
VALUES ($1, $2, $3, $4, $5)
RETURNING id, email, display_name, roles, created_at;

-- UserByID returns one user without the password hash.
-- name: UserByID :one
SELECT id, email, display_name, roles, created_at
FROM users
WHERE id = $1;

-- UsersByIDs returns the users among ids, in no particular order.
-- name: UsersByIDs :many
SELECT id, email, display_name, roles, created_at
FROM users
WHERE id = ANY(@ids::uuid[]);

-- CredentialsByEmail returns the id, roles and password hash of the user with this email,
-- compared without letter case.
-- name: CredentialsByEmail :one
SELECT id, roles, password_hash
FROM users
WHERE lower(email) = lower(@email);

-- CountUsers returns how many users exist; demo data loads only into an empty table.
-- name: CountUsers :one
SELECT count(*) FROM users;
