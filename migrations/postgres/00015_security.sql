-- +goose Up
-- PostgreSQL twin of ../00015_security.sql.
-- Rate limits (package limits): one counter per bucket and key in a fixed window, counted by
-- one INSERT … ON CONFLICT DO UPDATE, so concurrent requests and several instances agree.
CREATE TABLE rate_limits (
    bucket       TEXT NOT NULL,
    key          TEXT NOT NULL,
    window_start BIGINT NOT NULL,           -- unix seconds
    count        BIGINT NOT NULL,
    prev_count   BIGINT NOT NULL DEFAULT 0, -- the window before, weighted in (a sliding window)
    PRIMARY KEY (bucket, key)
);
CREATE INDEX rate_limits_window ON rate_limits (window_start);

-- A disabled user cannot sign in; a user whose password was reset must change it.
ALTER TABLE users ADD COLUMN disabled_at TEXT;
ALTER TABLE users ADD COLUMN must_change_password BIGINT NOT NULL DEFAULT 0;

-- API tokens expire and can be revoked.
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
ALTER TABLE api_tokens ADD COLUMN revoked_at TEXT;

-- Self check-in takes the ticket code only, unless the organizer allows phone numbers.
ALTER TABLE sessions ADD COLUMN self_phone_allowed BIGINT NOT NULL DEFAULT 0;

-- Registrations from the public form remember the address they came from (hashed).
ALTER TABLE registrations ADD COLUMN source_addr TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE registrations DROP COLUMN source_addr;
ALTER TABLE sessions DROP COLUMN self_phone_allowed;
ALTER TABLE api_tokens DROP COLUMN revoked_at;
ALTER TABLE api_tokens DROP COLUMN expires_at;
ALTER TABLE users DROP COLUMN must_change_password;
ALTER TABLE users DROP COLUMN disabled_at;
DROP TABLE rate_limits;
