-- +goose Up
-- One mark per trainee per session. No row = not marked yet.
CREATE TABLE attendance_marks (
    session_id      INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    registration_id INTEGER NOT NULL REFERENCES registrations (id),
    status          TEXT NOT NULL CHECK (status IN ('present', 'late', 'excused', 'absent')),
    updated_at      TEXT NOT NULL,
    updated_by      INTEGER REFERENCES users (id),
    PRIMARY KEY (session_id, registration_id)
);
CREATE INDEX attendance_marks_reg ON attendance_marks (registration_id);

-- Every change of a mark: who, when, old → new, and how (tap, scan, self, paper, api).
CREATE TABLE attendance_log (
    id              INTEGER PRIMARY KEY,
    session_id      INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    registration_id INTEGER NOT NULL REFERENCES registrations (id),
    old_status      TEXT NOT NULL DEFAULT '',
    new_status      TEXT NOT NULL,
    source          TEXT NOT NULL DEFAULT '',
    user_id         INTEGER REFERENCES users (id),
    at              TEXT NOT NULL
);
CREATE INDEX attendance_log_session ON attendance_log (session_id, at);

-- +goose Down
DROP TABLE attendance_log;
DROP TABLE attendance_marks;
