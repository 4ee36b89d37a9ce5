-- +goose Up
-- The outbox of notify: every message to a trainee is a row, written in the same
-- transaction as the change it reports, so it is never lost and never sent for a change
-- that was rolled back. A sender claims due rows with a lease (lease_until), so several
-- instances never send the same row at once, and a row whose sender died is claimed again
-- once its lease runs out; message_id is fixed at enqueue, so a retry of a message the
-- mail server already took carries the same Message-ID and the receiving side can drop it.
CREATE TABLE notify_messages (
    id              INTEGER PRIMARY KEY,
    course_id       INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    registration_id INTEGER REFERENCES registrations (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL,
    channel         TEXT NOT NULL DEFAULT 'email',
    to_addr         TEXT NOT NULL,
    lang            TEXT NOT NULL DEFAULT 'vi' CHECK (lang IN ('vi', 'en')),
    params          TEXT NOT NULL DEFAULT '{}',      -- JSON: reason, session change, broadcast text
    status          TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    next_at         TEXT NOT NULL,                   -- not before this time (backoff)
    lease_owner     TEXT NOT NULL DEFAULT '',
    lease_until     TEXT NOT NULL DEFAULT '',        -- '' = not claimed
    message_id      TEXT NOT NULL,
    dedupe_key      TEXT,                            -- one reminder per registration and course start
    created_at      TEXT NOT NULL,
    sent_at         TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX notify_messages_message_id ON notify_messages (message_id);
CREATE UNIQUE INDEX notify_messages_dedupe ON notify_messages (dedupe_key);
CREATE INDEX notify_messages_due ON notify_messages (status, next_at);
CREATE INDEX notify_messages_course ON notify_messages (course_id, id);

-- The language each trainee registered in, when not Vietnamese (the default): their
-- messages are written in it.
CREATE TABLE notify_recipients (
    registration_id INTEGER PRIMARY KEY REFERENCES registrations (id) ON DELETE CASCADE,
    lang            TEXT NOT NULL DEFAULT 'vi' CHECK (lang IN ('vi', 'en'))
);

-- Per course: how many days before its start the reminder goes (0 = none).
CREATE TABLE notify_course_settings (
    course_id           INTEGER PRIMARY KEY REFERENCES courses (id) ON DELETE CASCADE,
    reminder_days_before INTEGER NOT NULL DEFAULT 1 CHECK (reminder_days_before BETWEEN 0 AND 30)
);

-- Per organization: the sender name and reply-to address of its messages.
CREATE TABLE notify_org_settings (
    organization_id INTEGER PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
    sender_name     TEXT NOT NULL DEFAULT '',
    reply_to        TEXT NOT NULL DEFAULT ''
);

-- +goose Down
DROP TABLE notify_org_settings;
DROP TABLE notify_course_settings;
DROP TABLE notify_recipients;
DROP TABLE notify_messages;
