-- +goose Up
-- The money of a course (package finance): lecturer records, the organization's cost norms,
-- the estimate of a course and the settings of the personal income tax withheld.

-- Lecturers (báo cáo viên) of an organization. Tax code, ID number and bank account are for
-- the organizers who pay them. tier is central | provincial | district or a custom tier name.
CREATE TABLE lecturers (
    id              INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    full_name       TEXT NOT NULL,
    name_folded     TEXT NOT NULL DEFAULT '',
    title           TEXT NOT NULL DEFAULT '',   -- ThS., TS., PGS.TS. …
    position        TEXT NOT NULL DEFAULT '',
    workplace       TEXT NOT NULL DEFAULT '',
    tier            TEXT NOT NULL DEFAULT '',
    phone           TEXT NOT NULL DEFAULT '',
    email           TEXT NOT NULL DEFAULT '',
    tax_code        TEXT NOT NULL DEFAULT '',
    id_number       TEXT NOT NULL DEFAULT '',
    bank_account    TEXT NOT NULL DEFAULT '',
    bank_name       TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX lecturers_org ON lecturers (organization_id, name_folded);

-- A module points to its lecturer's record; modules.lecturer keeps the name as written.
ALTER TABLE modules ADD COLUMN lecturer_id INTEGER REFERENCES lecturers (id);

-- Existing free-text lecturers become records, one per organization and name (leading
-- academic titles such as "ThS." split off into the title), and their modules point to them.
-- The text on the modules is left as it was written. The tier stays empty: nobody guessed it.
CREATE TEMP TABLE lecturer_names AS
SELECT DISTINCT c.organization_id AS organization_id, m.lecturer AS written,
    CASE
        WHEN m.lecturer LIKE 'PGS.TS. %' THEN 'PGS.TS.'
        WHEN m.lecturer LIKE 'GS.TS. %' THEN 'GS.TS.'
        WHEN m.lecturer LIKE 'PGS. TS. %' THEN 'PGS.TS.'
        WHEN m.lecturer LIKE 'GS. TS. %' THEN 'GS.TS.'
        WHEN m.lecturer LIKE 'PGS. %' THEN 'PGS.'
        WHEN m.lecturer LIKE 'GS. %' THEN 'GS.'
        WHEN m.lecturer LIKE 'TS. %' THEN 'TS.'
        WHEN m.lecturer LIKE 'ThS. %' THEN 'ThS.'
        WHEN m.lecturer LIKE 'CN. %' THEN 'CN.'
        WHEN m.lecturer LIKE 'KS. %' THEN 'KS.'
        WHEN m.lecturer LIKE 'BS. %' THEN 'BS.'
        ELSE ''
    END AS title
FROM modules m JOIN courses c ON c.id = m.course_id
WHERE TRIM(m.lecturer) <> '';

UPDATE lecturer_names SET title = CASE WHEN title = 'PGS.TS.' AND written LIKE 'PGS. TS. %' THEN 'PGS. TS.'
    WHEN title = 'GS.TS.' AND written LIKE 'GS. TS. %' THEN 'GS. TS.' ELSE title END;

CREATE TEMP TABLE lecturer_keys AS
SELECT organization_id, written,
    CASE title WHEN 'PGS. TS.' THEN 'PGS.TS.' WHEN 'GS. TS.' THEN 'GS.TS.' ELSE title END AS title,
    TRIM(SUBSTR(written, LENGTH(title) + 1)) AS full_name
FROM lecturer_names;

INSERT INTO lecturers (organization_id, full_name, name_folded, title, created_at, updated_at)
SELECT organization_id, full_name, LOWER(full_name), MAX(title),
    strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
FROM lecturer_keys GROUP BY organization_id, full_name ORDER BY organization_id, MIN(written);

UPDATE modules SET lecturer_id = (
    SELECT l.id FROM lecturer_keys k
    JOIN courses c ON c.organization_id = k.organization_id
    JOIN lecturers l ON l.organization_id = k.organization_id AND l.full_name = k.full_name
    WHERE c.id = modules.course_id AND k.written = modules.lecturer)
WHERE TRIM(lecturer) <> '';

DROP TABLE lecturer_keys;
DROP TABLE lecturer_names;

-- Cost norms: dated rates of an organization. item: honorarium (tier = the lecturer's tier),
-- meal (per trainee per day), lodging (per night), travel (tier '' = a fixed amount, else a
-- distance band), materials (per trainee). valid_to NULL = still in force.
CREATE TABLE finance_rates (
    id              INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    item            TEXT NOT NULL CHECK (item IN ('honorarium', 'meal', 'lodging', 'travel', 'materials')),
    tier            TEXT NOT NULL DEFAULT '',
    amount          INTEGER NOT NULL CHECK (amount >= 0),
    valid_from      TEXT NOT NULL,   -- YYYY-MM-DD
    valid_to        TEXT,            -- YYYY-MM-DD, inclusive
    basis           TEXT NOT NULL DEFAULT '',
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX finance_rates_org ON finance_rates (organization_id, item, tier, valid_from);

-- Personal income tax withheld from a payment to a person without a labour contract.
CREATE TABLE finance_settings (
    organization_id INTEGER PRIMARY KEY REFERENCES organizations (id),
    pit_rate_bp     INTEGER NOT NULL DEFAULT 1000 CHECK (pit_rate_bp BETWEEN 0 AND 10000), -- 1000 = 10%
    pit_threshold   INTEGER NOT NULL DEFAULT 2000000 CHECK (pit_threshold >= 0),
    updated_at      TEXT NOT NULL
);

-- The estimate of a course: the planned figures, and what was actually spent on the items
-- attendance does not tell (NULL: not entered yet).
CREATE TABLE estimates (
    course_id          INTEGER PRIMARY KEY REFERENCES courses (id) ON DELETE CASCADE,
    expected_trainees  INTEGER NOT NULL DEFAULT 0 CHECK (expected_trainees >= 0),
    lodging_trainees   INTEGER NOT NULL DEFAULT 0 CHECK (lodging_trainees >= 0),
    lodging_nights     INTEGER NOT NULL DEFAULT 0 CHECK (lodging_nights >= 0),
    travel_trainees    INTEGER NOT NULL DEFAULT 0 CHECK (travel_trainees >= 0),
    travel_tier        TEXT NOT NULL DEFAULT '',
    actual_lodging     INTEGER CHECK (actual_lodging >= 0),
    actual_travel      INTEGER CHECK (actual_travel >= 0),
    updated_at         TEXT NOT NULL
);

-- Manual lines of an estimate (hall, banner, stationery, water …).
CREATE TABLE estimate_lines (
    id          INTEGER PRIMARY KEY,
    course_id   INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL DEFAULT 0,
    label       TEXT NOT NULL,
    unit        TEXT NOT NULL DEFAULT '',
    quantity    INTEGER NOT NULL CHECK (quantity >= 0),
    unit_price  INTEGER NOT NULL CHECK (unit_price >= 0),
    actual      INTEGER CHECK (actual >= 0)
);
CREATE INDEX estimate_lines_course ON estimate_lines (course_id, position);

-- +goose Down
DROP TABLE estimate_lines;
DROP TABLE estimates;
DROP TABLE finance_settings;
DROP TABLE finance_rates;
ALTER TABLE modules DROP COLUMN lecturer_id;
DROP TABLE lecturers;
