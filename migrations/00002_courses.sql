-- +goose Up
-- The funding programme tree: program → project → sub-project. Courses keep the path as it was
-- when they were filed (program_path), so renaming a node never rewrites history.
CREATE TABLE programs (
    id         INTEGER PRIMARY KEY,
    parent_id  INTEGER REFERENCES programs (id),
    name       TEXT NOT NULL,
    position   INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE INDEX programs_parent ON programs (parent_id);

CREATE TABLE courses (
    id                      INTEGER PRIMARY KEY,
    organization_id         INTEGER NOT NULL REFERENCES organizations (id),
    title                   TEXT NOT NULL,
    title_folded            TEXT NOT NULL DEFAULT '',
    co_organizer            TEXT NOT NULL DEFAULT '',
    program_id              INTEGER REFERENCES programs (id),
    program                 TEXT NOT NULL DEFAULT '',  -- program path as filed, e.g. "CTMTQG … / Dự án 6"
    venue                   TEXT NOT NULL DEFAULT '',
    place_name              TEXT NOT NULL DEFAULT '',  -- for date lines: "Khánh Hòa"
    starts_on               TEXT NOT NULL,             -- YYYY-MM-DD
    ends_on                 TEXT NOT NULL,
    capacity                INTEGER NOT NULL CHECK (capacity >= 1),
    registration_mode       TEXT NOT NULL DEFAULT 'open' CHECK (registration_mode IN ('open', 'approval')),
    registration_opens_at   TEXT,                      -- RFC 3339 UTC; NULL = when the course opens
    registration_closes_at  TEXT,
    min_attendance_percent  INTEGER NOT NULL DEFAULT 80 CHECK (min_attendance_percent BETWEEN 0 AND 100),
    support_amount_per_day  INTEGER NOT NULL DEFAULT 0,  -- VND per attended day, for the payment list
    description             TEXT NOT NULL DEFAULT '',
    target_audience         TEXT NOT NULL DEFAULT '',
    status                  TEXT NOT NULL DEFAULT 'draft'
                            CHECK (status IN ('draft', 'open', 'closed', 'completed', 'cancelled')),
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL
);
CREATE INDEX courses_org ON courses (organization_id, starts_on);
CREATE INDEX courses_status ON courses (status, starts_on);

-- Modules (chuyên đề) with their lecturer (báo cáo viên).
CREATE TABLE modules (
    id               INTEGER PRIMARY KEY,
    course_id        INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    title            TEXT NOT NULL,
    lecturer         TEXT NOT NULL DEFAULT '',
    position         INTEGER NOT NULL DEFAULT 0,
    duration_minutes INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX modules_course ON modules (course_id, position);

-- Sessions (buổi): a course day usually has a morning and an afternoon session.
CREATE TABLE sessions (
    id             INTEGER PRIMARY KEY,
    course_id      INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    module_id      INTEGER REFERENCES modules (id) ON DELETE SET NULL,
    starts_at      TEXT NOT NULL,   -- RFC 3339 UTC
    ends_at        TEXT NOT NULL,
    room           TEXT NOT NULL DEFAULT '',
    mandatory      INTEGER NOT NULL DEFAULT 0,  -- a certificate requires presence at this session
    checkin_secret TEXT NOT NULL DEFAULT '',    -- seeds the rotating self check-in code
    CHECK (ends_at > starts_at)
);
CREATE INDEX sessions_course ON sessions (course_id, starts_at);
CREATE INDEX sessions_room ON sessions (room, starts_at);

-- +goose Down
DROP TABLE sessions;
DROP TABLE modules;
DROP TABLE courses;
DROP TABLE programs;
