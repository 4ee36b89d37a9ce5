-- +goose Up
-- PostgreSQL twin of ../00006_registrations_import_uploads.sql.
-- A roster file between its preview (a dry run) and the organizer's confirmation: the
-- confirmation imports exactly the file that was previewed, without uploading it again and
-- without keeping it in the server's memory. Rows older than a day are removed.
CREATE TABLE import_uploads (
    token      TEXT PRIMARY KEY,
    course_id  BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    filename   TEXT NOT NULL,
    data       BYTEA NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX import_uploads_created ON import_uploads (created_at);

-- +goose Down
DROP TABLE import_uploads;
