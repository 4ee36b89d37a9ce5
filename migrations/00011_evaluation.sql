-- +goose Up
-- Course evaluation (package evaluation): the trainees' survey and the knowledge test.

-- One survey per course. secret is the HMAC key of the response keys (see survey_responses);
-- it never leaves the evaluation package. opens_at / closes_at NULL: derived from the
-- timetable (the start of the last session) and close_after_days.
CREATE TABLE surveys (
    id               INTEGER PRIMARY KEY,
    course_id        INTEGER NOT NULL UNIQUE REFERENCES courses (id),
    status           TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed')),
    opens_at         TEXT,
    closes_at        TEXT,
    close_after_days INTEGER NOT NULL DEFAULT 7 CHECK (close_after_days BETWEEN 1 AND 90),
    secret           TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);

-- Questions. Once a question has answers it is never changed: an edit retires it and adds a
-- new question (replaces = the old one), so old answers keep the meaning they were given.
CREATE TABLE survey_questions (
    id        INTEGER PRIMARY KEY,
    survey_id INTEGER NOT NULL REFERENCES surveys (id),
    position  INTEGER NOT NULL,
    section   TEXT NOT NULL,
    module_id INTEGER,                          -- a module block; no FK: deleting a module keeps the answers
    lecturer  TEXT NOT NULL DEFAULT '',         -- the module's lecturer when the block was made
    kind      TEXT NOT NULL CHECK (kind IN ('rating', 'choice', 'text')),
    text      TEXT NOT NULL,
    options   TEXT NOT NULL DEFAULT '[]',       -- JSON array of the choices (kind choice)
    retired   INTEGER NOT NULL DEFAULT 0,
    replaces  INTEGER REFERENCES survey_questions (id)
);
CREATE INDEX survey_questions_survey ON survey_questions (survey_id, position);

-- Anonymity: who has answered and what was answered live in two tables with nothing in
-- common but the survey. survey_respondents has no time and no row order (WITHOUT ROWID,
-- keyed by registration) so it cannot be lined up with the responses.
CREATE TABLE survey_respondents (
    survey_id       INTEGER NOT NULL REFERENCES surveys (id),
    registration_id INTEGER NOT NULL REFERENCES registrations (id),
    PRIMARY KEY (survey_id, registration_id)
) WITHOUT ROWID;

-- A response has a random id. response_key = HMAC-SHA256(surveys.secret, ticket code): the
-- ticket finds its own response again to correct it, while the tables alone (and every page
-- and API) cannot tell whose it is. Paper forms have no key. submitted_on is a date only.
-- reader = SHA-256 of a random token kept in a cookie of the phone that first answered: only
-- that phone is shown the answers again (organizers know ticket codes; they may overwrite a
-- response through its ticket but never read it).
CREATE TABLE survey_responses (
    id           TEXT PRIMARY KEY,
    survey_id    INTEGER NOT NULL REFERENCES surveys (id),
    response_key TEXT UNIQUE,
    reader       TEXT,
    paper        INTEGER NOT NULL DEFAULT 0,
    submitted_on TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX survey_responses_survey ON survey_responses (survey_id);

CREATE TABLE survey_answers (
    response_id TEXT NOT NULL REFERENCES survey_responses (id) ON DELETE CASCADE,
    question_id INTEGER NOT NULL REFERENCES survey_questions (id),
    value       INTEGER,                -- rating 1–5, or the index of the choice
    text        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (response_id, question_id)
) WITHOUT ROWID;
CREATE INDEX survey_answers_question ON survey_answers (question_id);

-- The optional knowledge test of a course: the same multiple-choice form before the first
-- session (pre) and after the last (post). min_post_percent > 0 makes a post-test score of
-- at least that percent a condition of the certificate.
CREATE TABLE knowledge_tests (
    id               INTEGER PRIMARY KEY,
    course_id        INTEGER NOT NULL UNIQUE REFERENCES courses (id),
    min_post_percent INTEGER NOT NULL DEFAULT 0 CHECK (min_post_percent BETWEEN 0 AND 100),
    created_at       TEXT NOT NULL
);

CREATE TABLE knowledge_questions (
    id       INTEGER PRIMARY KEY,
    test_id  INTEGER NOT NULL REFERENCES knowledge_tests (id),
    position INTEGER NOT NULL,
    text     TEXT NOT NULL,
    options  TEXT NOT NULL,             -- JSON array
    correct  INTEGER NOT NULL           -- index into options
);

CREATE TABLE knowledge_attempts (
    test_id         INTEGER NOT NULL REFERENCES knowledge_tests (id),
    registration_id INTEGER NOT NULL REFERENCES registrations (id),
    phase           TEXT NOT NULL CHECK (phase IN ('pre', 'post')),
    correct         INTEGER NOT NULL,
    total           INTEGER NOT NULL,
    submitted_at    TEXT NOT NULL,
    PRIMARY KEY (test_id, registration_id, phase)
);

-- +goose Down
DROP TABLE knowledge_attempts;
DROP TABLE knowledge_questions;
DROP TABLE knowledge_tests;
DROP TABLE survey_answers;
DROP TABLE survey_responses;
DROP TABLE survey_respondents;
DROP TABLE survey_questions;
DROP TABLE surveys;
