-- +goose Up
-- Organizations are the provincial departments (Sở …) that run courses.
CREATE TABLE organizations (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    short_name  TEXT NOT NULL DEFAULT '',
    parent_name TEXT NOT NULL DEFAULT '',   -- the governing body printed above the name (UBND TỈNH KHÁNH HÒA)
    created_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX organizations_name ON organizations (name);

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    email           TEXT NOT NULL,
    name            TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('admin', 'organizer', 'staff')),
    organization_id INTEGER REFERENCES organizations (id),
    password_hash   TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    CHECK (role = 'admin' OR organization_id IS NOT NULL)
);
CREATE UNIQUE INDEX users_email ON users (email);

-- Login sessions live in the database so that no request state is kept in process memory.
CREATE TABLE login_sessions (
    token_hash TEXT PRIMARY KEY,            -- SHA-256 of the cookie value
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX login_sessions_user ON login_sessions (user_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash   TEXT NOT NULL UNIQUE,      -- SHA-256 of the token
    created_at   TEXT NOT NULL,
    last_used_at TEXT
);

-- Failed logins, for the throttle per account and per address.
CREATE TABLE login_failures (
    id    INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    ip    TEXT NOT NULL,
    at    TEXT NOT NULL
);
CREATE INDEX login_failures_email ON login_failures (email, at);
CREATE INDEX login_failures_ip ON login_failures (ip, at);

-- +goose Down
DROP TABLE login_failures;
DROP TABLE api_tokens;
DROP TABLE login_sessions;
DROP TABLE users;
DROP TABLE organizations;
