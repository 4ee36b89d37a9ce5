-- +goose Up
-- The official documents of a course (package documents). document_settings holds an
-- organization's defaults (legal bases, signer and recipients per kind of document, the
-- agency's symbol) as one JSON object; course_documents holds what a course changed before
-- drafting (a whole copy of the settings, or '' to follow the organization) and the
-- report's editable assessment and proposals.
CREATE TABLE document_settings (
    organization_id INTEGER PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE course_documents (
    course_id INTEGER PRIMARY KEY REFERENCES courses (id) ON DELETE CASCADE,
    settings TEXT NOT NULL DEFAULT '',
    assessment TEXT NOT NULL DEFAULT '',
    proposals TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);

-- +goose Down
DROP TABLE course_documents;
DROP TABLE document_settings;
