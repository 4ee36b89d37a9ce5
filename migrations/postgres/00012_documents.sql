-- +goose Up
-- PostgreSQL twin of ../00012_documents.sql.
-- The official documents of a course (package documents): an organization's defaults as one
-- JSON object, and what a course changed before drafting.
CREATE TABLE document_settings (
    organization_id BIGINT PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE course_documents (
    course_id BIGINT PRIMARY KEY REFERENCES courses (id) ON DELETE CASCADE,
    settings TEXT NOT NULL DEFAULT '',
    assessment TEXT NOT NULL DEFAULT '',
    proposals TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);

-- +goose Down
DROP TABLE course_documents;
DROP TABLE document_settings;
