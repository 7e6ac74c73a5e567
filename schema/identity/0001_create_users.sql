-- Users of ERGO. Email is unique regardless of letter case; password_hash holds an
-- argon2id hash in the PHC string format (see subgraphs/identity/password.go).
CREATE TABLE users (
    id            uuid PRIMARY KEY,
    email         text NOT NULL CHECK (email <> ''),
    display_name  text NOT NULL CHECK (display_name <> ''),
    roles         text[] NOT NULL DEFAULT '{}',
    password_hash text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX users_email_key ON users (lower(email));
