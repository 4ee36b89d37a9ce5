-- +goose Up
-- The trainee directory across courses: one person, many courses. Matched by phone, else
-- email, else ID number.
CREATE TABLE people (
    id           INTEGER PRIMARY KEY,
    full_name    TEXT NOT NULL,
    name_folded  TEXT NOT NULL,
    sort_key     BLOB NOT NULL,
    sort_name    TEXT NOT NULL DEFAULT '',   -- explicit sort name where surname–middle–given does not apply
    gender       TEXT NOT NULL DEFAULT '',
    birth_date   TEXT NOT NULL DEFAULT '',   -- YYYY-MM-DD
    ethnicity    TEXT NOT NULL DEFAULT '',
    position     TEXT NOT NULL DEFAULT '',
    organization TEXT NOT NULL DEFAULT '',
    locality     TEXT NOT NULL DEFAULT '',
    phone        TEXT NOT NULL DEFAULT '',
    email        TEXT NOT NULL DEFAULT '',
    id_number    TEXT NOT NULL DEFAULT '',   -- CCCD, only where a course needs it
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE UNIQUE INDEX people_phone ON people (phone) WHERE phone <> '';
CREATE INDEX people_email ON people (email) WHERE email <> '';
CREATE INDEX people_id_number ON people (id_number) WHERE id_number <> '';
CREATE INDEX people_folded ON people (name_folded);

-- Seats per sending unit (chỉ tiêu), optional.
CREATE TABLE unit_quotas (
    course_id INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    unit      TEXT NOT NULL,        -- as written on registrations (NFC, cleaned)
    unit_folded TEXT NOT NULL,      -- match key
    seats     INTEGER NOT NULL CHECK (seats >= 0),
    PRIMARY KEY (course_id, unit_folded)
);

-- A registration keeps a snapshot of the person as written at the time (unit, locality …),
-- never rewritten when a unit is renamed.
CREATE TABLE registrations (
    id               INTEGER PRIMARY KEY,
    course_id        INTEGER NOT NULL REFERENCES courses (id),
    person_id        INTEGER NOT NULL REFERENCES people (id),
    code             TEXT NOT NULL UNIQUE,    -- ticket code (QR on the ticket)
    status           TEXT NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'pending', 'cancelled', 'rejected')),
    waitlist_seq     INTEGER,                 -- order on the waiting list; position is computed
    status_reason    TEXT NOT NULL DEFAULT '',
    full_name        TEXT NOT NULL,
    name_folded      TEXT NOT NULL,
    sort_key         BLOB NOT NULL,
    gender           TEXT NOT NULL DEFAULT '',
    birth_date       TEXT NOT NULL DEFAULT '',
    ethnicity        TEXT NOT NULL DEFAULT '',
    position         TEXT NOT NULL DEFAULT '',
    organization     TEXT NOT NULL DEFAULT '',   -- sending unit as written
    unit_folded      TEXT NOT NULL DEFAULT '',
    locality         TEXT NOT NULL DEFAULT '',
    phone            TEXT NOT NULL DEFAULT '',
    email            TEXT NOT NULL DEFAULT '',
    id_number        TEXT NOT NULL DEFAULT '',
    source           TEXT NOT NULL DEFAULT 'web',  -- web | api | import
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
-- The same phone may register once per course (a cancelled registration frees it).
CREATE UNIQUE INDEX registrations_course_phone ON registrations (course_id, phone)
    WHERE phone <> '' AND status NOT IN ('cancelled', 'rejected');
CREATE INDEX registrations_course_status ON registrations (course_id, status, sort_key);
CREATE INDEX registrations_course_sort ON registrations (course_id, sort_key);
CREATE INDEX registrations_waitlist ON registrations (course_id, waitlist_seq) WHERE status = 'waitlisted';
CREATE INDEX registrations_person ON registrations (person_id);

-- Every move between statuses, with who and why.
CREATE TABLE registration_events (
    id              INTEGER PRIMARY KEY,
    registration_id INTEGER NOT NULL REFERENCES registrations (id),
    old_status      TEXT NOT NULL DEFAULT '',
    new_status      TEXT NOT NULL,
    reason          TEXT NOT NULL DEFAULT '',
    user_id         INTEGER REFERENCES users (id),
    at              TEXT NOT NULL
);
CREATE INDEX registration_events_reg ON registration_events (registration_id);

-- +goose Down
DROP TABLE registration_events;
DROP TABLE registrations;
DROP TABLE unit_quotas;
DROP TABLE people;
