-- +goose Up
-- PostgreSQL twin of ../00017_certificate_course_signers.sql.
-- A course may be signed by someone else than the organization's usual signer, and may
-- carry a second signature block for a co-organizer (đơn vị phối hợp). Owned by the
-- certificates package; empty texts mean "as in the organization's settings" / "no second
-- block". Certificates already issued keep what they were drawn with.
CREATE TABLE certificate_course_signers (
    course_id       BIGINT PRIMARY KEY REFERENCES courses (id) ON DELETE CASCADE,
    signer_title    TEXT NOT NULL DEFAULT '',
    signer_subtitle TEXT NOT NULL DEFAULT '',
    signer_name     TEXT NOT NULL DEFAULT '',
    co_agency       TEXT NOT NULL DEFAULT '',
    co_title        TEXT NOT NULL DEFAULT '',
    co_subtitle     TEXT NOT NULL DEFAULT '',
    co_name         TEXT NOT NULL DEFAULT '',
    updated_at      TEXT NOT NULL
);

-- +goose Down
DROP TABLE certificate_course_signers;
