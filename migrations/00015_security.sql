-- +goose Up
-- Rate limits (package limits): one counter per bucket and key (an address, a course, a
-- ticket…) in a fixed window. Counted by one INSERT … ON CONFLICT DO UPDATE, so concurrent
-- requests and several server instances agree.
CREATE TABLE rate_limits (
    bucket       TEXT NOT NULL,
    key          TEXT NOT NULL,
    window_start INTEGER NOT NULL,          -- unix seconds
    count        INTEGER NOT NULL,
    prev_count   INTEGER NOT NULL DEFAULT 0, -- the window before, weighted in (a sliding window)
    PRIMARY KEY (bucket, key)
);
CREATE INDEX rate_limits_window ON rate_limits (window_start);

-- A disabled user cannot sign in and their sessions and tokens are gone; a user whose
-- password was reset by an administrator or organizer must change it at the next login.
ALTER TABLE users ADD COLUMN disabled_at TEXT;
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;

-- API tokens expire (taphuan token create -expires 90d) and can be revoked.
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
ALTER TABLE api_tokens ADD COLUMN revoked_at TEXT;

-- Self check-in takes the ticket code only, unless the organizer allows phone numbers for
-- the session.
ALTER TABLE sessions ADD COLUMN self_phone_allowed INTEGER NOT NULL DEFAULT 0;

-- Registrations from the public form remember the address they came from (hashed), so an
-- organizer can see and remove a burst.
ALTER TABLE registrations ADD COLUMN source_addr TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE registrations DROP COLUMN source_addr;
ALTER TABLE sessions DROP COLUMN self_phone_allowed;
ALTER TABLE api_tokens DROP COLUMN revoked_at;
ALTER TABLE api_tokens DROP COLUMN expires_at;
ALTER TABLE users DROP COLUMN must_change_password;
ALTER TABLE users DROP COLUMN disabled_at;
DROP TABLE rate_limits;
