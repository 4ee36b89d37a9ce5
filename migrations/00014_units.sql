-- +goose Up
-- The directory of sending units (đơn vị cử người), shared by the whole deployment. A unit
-- merged into another keeps its row (merged_into) so that what pointed at it can be told.
CREATE TABLE units (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    short_name  TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL DEFAULT 'other'
                CHECK (kind IN ('commune', 'centre', 'press', 'office', 'department', 'other')),
    locality    TEXT NOT NULL DEFAULT '',
    parent_id   INTEGER REFERENCES units (id),
    merged_into INTEGER REFERENCES units (id),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX units_parent ON units (parent_id);

-- Every spelling that names a unit: its name, its short name and its aliases, by match key
-- (units.Key: no diacritics, case, spaces or abbreviation differences). A key names one
-- unit only, so that matching never has to guess.
CREATE TABLE unit_keys (
    match_key TEXT PRIMARY KEY,
    unit_id   INTEGER NOT NULL REFERENCES units (id),
    source    TEXT NOT NULL CHECK (source IN ('name', 'short_name', 'alias')),
    text      TEXT NOT NULL              -- as written (NFC, cleaned)
);
CREATE INDEX unit_keys_unit ON unit_keys (unit_id);

-- The log of merges: what moved from which unit into which, by whom.
CREATE TABLE unit_merges (
    id                  INTEGER PRIMARY KEY,
    from_unit_id        INTEGER NOT NULL REFERENCES units (id),
    into_unit_id        INTEGER NOT NULL REFERENCES units (id),
    moved_registrations INTEGER NOT NULL DEFAULT 0,
    moved_quotas        INTEGER NOT NULL DEFAULT 0,
    user_id             INTEGER REFERENCES users (id),
    at                  TEXT NOT NULL
);

-- Seats per sending unit and course (chỉ tiêu), by unit id.
CREATE TABLE course_unit_quotas (
    course_id INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    unit_id   INTEGER NOT NULL REFERENCES units (id),
    seats     INTEGER NOT NULL CHECK (seats >= 0),
    PRIMARY KEY (course_id, unit_id)
);
CREATE INDEX course_unit_quotas_unit ON course_unit_quotas (unit_id);

-- A registration keeps the unit as written (organization) next to the unit it was matched
-- to (NULL: matched nothing, for the organizer to map). substitute_for is the nominee a
-- substitute (người dự thay) replaced.
ALTER TABLE registrations ADD COLUMN unit_id INTEGER REFERENCES units (id);
ALTER TABLE registrations ADD COLUMN substitute_for INTEGER REFERENCES registrations (id);
CREATE INDEX registrations_unit ON registrations (course_id, unit_id, status);

-- Focal point accounts (cán bộ đầu mối): role 'unit', tied to one unit, no organization.
ALTER TABLE users ADD COLUMN unit_id INTEGER REFERENCES units (id);
-- SQLite cannot alter a CHECK constraint; widening it in the stored schema is the documented
-- way for a change that leaves every existing row valid (sqlite.org/lang_altertable.html).
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(replace(sql,
    'CHECK (role IN (''admin'', ''organizer'', ''staff''))',
    'CHECK (role IN (''admin'', ''organizer'', ''staff'', ''unit''))'),
    'CHECK (role = ''admin'' OR organization_id IS NOT NULL)',
    'CHECK (role IN (''admin'', ''unit'') OR organization_id IS NOT NULL)')
    WHERE type = 'table' AND name = 'users';
PRAGMA writable_schema = RESET;

-- Personal invitation links for a unit's focal point: only the hash of the token is kept.
CREATE TABLE unit_invitations (
    token_hash      TEXT PRIMARY KEY,
    unit_id         INTEGER NOT NULL REFERENCES units (id),
    email           TEXT NOT NULL,
    name            TEXT NOT NULL,
    created_by      INTEGER REFERENCES users (id),
    created_at      TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    used_at         TEXT
);

-- The text quotas become units and quotas by unit id, nothing lost: one unit per distinct
-- (folded) text; its key here is the folded text, which courses.ReconcileUnits replaces by
-- the full match key on start (merging texts that name the same unit, keeping the larger
-- quota) and then matches the registrations to the units.
INSERT INTO units (name, kind, created_at, updated_at)
    SELECT MIN(unit), 'other', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    FROM unit_quotas GROUP BY unit_folded ORDER BY MIN(unit);
INSERT INTO unit_keys (match_key, unit_id, source, text)
    SELECT 'legacy:' || q.unit_folded, u.id, 'name', u.name
    FROM units u JOIN unit_quotas q ON q.unit = u.name GROUP BY u.id;
INSERT INTO course_unit_quotas (course_id, unit_id, seats)
    SELECT q.course_id, k.unit_id, q.seats FROM unit_quotas q
    JOIN unit_keys k ON k.match_key = 'legacy:' || q.unit_folded;
UPDATE registrations SET unit_id = (SELECT k.unit_id FROM unit_keys k
    WHERE k.match_key = 'legacy:' || registrations.unit_folded);
DROP TABLE unit_quotas;

-- +goose Down
CREATE TABLE unit_quotas (
    course_id INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    unit      TEXT NOT NULL,
    unit_folded TEXT NOT NULL,
    seats     INTEGER NOT NULL CHECK (seats >= 0),
    PRIMARY KEY (course_id, unit_folded)
);
DROP TABLE unit_invitations;
DROP INDEX registrations_unit;
ALTER TABLE registrations DROP COLUMN substitute_for;
ALTER TABLE registrations DROP COLUMN unit_id;
ALTER TABLE users DROP COLUMN unit_id;
DROP TABLE course_unit_quotas;
DROP TABLE unit_merges;
DROP TABLE unit_keys;
DROP TABLE units;
