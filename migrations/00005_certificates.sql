-- +goose Up
-- Per-organization certificate settings (the official pattern of DOMAIN.md).
CREATE TABLE certificate_settings (
    organization_id INTEGER PRIMARY KEY REFERENCES organizations (id),
    number_format   TEXT NOT NULL DEFAULT '%03d/GCN',  -- fmt verb for the yearly sequence number
    place_name      TEXT NOT NULL DEFAULT '',          -- "Khánh Hòa"
    signer_name     TEXT NOT NULL DEFAULT '',
    signer_title    TEXT NOT NULL DEFAULT 'GIÁM ĐỐC',  -- "KT. GIÁM ĐỐC"
    signer_subtitle TEXT NOT NULL DEFAULT '',          -- "PHÓ GIÁM ĐỐC"
    wording         TEXT NOT NULL DEFAULT 'Đã hoàn thành lớp tập huấn',
    logo_png        BLOB,
    updated_at      TEXT NOT NULL
);

-- The register's counter: numbers are sequential per organization per year and never repeat
-- or skip; taken inside the issuing transaction.
CREATE TABLE certificate_counters (
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    year            INTEGER NOT NULL,
    last_number     INTEGER NOT NULL,
    PRIMARY KEY (organization_id, year)
);

CREATE TABLE certificates (
    id              INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    course_id       INTEGER NOT NULL REFERENCES courses (id),
    registration_id INTEGER NOT NULL REFERENCES registrations (id),
    year            INTEGER NOT NULL,
    seq             INTEGER NOT NULL,
    number          TEXT NOT NULL,           -- "012/GCN-STTTT"
    code            TEXT NOT NULL UNIQUE,    -- random verification code (QR)
    status          TEXT NOT NULL CHECK (status IN ('valid', 'revoked', 'superseded')),
    full_name       TEXT NOT NULL,           -- as printed
    issued_on       TEXT NOT NULL,           -- YYYY-MM-DD, the date printed
    issued_at       TEXT NOT NULL,
    issued_by       INTEGER REFERENCES users (id),
    pdf             BLOB NOT NULL,           -- the unchanging rendered file
    sha256          TEXT NOT NULL,
    revoked_at      TEXT,
    revoke_reason   TEXT NOT NULL DEFAULT '',
    replaces_id     INTEGER REFERENCES certificates (id),
    superseded_by   INTEGER REFERENCES certificates (id),
    UNIQUE (organization_id, year, seq)
);
-- At most one valid certificate per registration.
CREATE UNIQUE INDEX certificates_one_valid ON certificates (registration_id) WHERE status = 'valid';
CREATE INDEX certificates_course ON certificates (course_id, status);

-- An organizer's decision to grant (or deny) eligibility despite the rule, with a reason.
CREATE TABLE eligibility_overrides (
    course_id       INTEGER NOT NULL REFERENCES courses (id),
    registration_id INTEGER NOT NULL REFERENCES registrations (id),
    eligible        INTEGER NOT NULL,
    reason          TEXT NOT NULL,
    user_id         INTEGER REFERENCES users (id),
    at              TEXT NOT NULL,
    PRIMARY KEY (course_id, registration_id)
);

-- +goose Down
DROP TABLE eligibility_overrides;
DROP TABLE certificates;
DROP TABLE certificate_counters;
DROP TABLE certificate_settings;
