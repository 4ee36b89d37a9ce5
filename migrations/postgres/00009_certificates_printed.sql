-- +goose Up
-- PostgreSQL twin of ../00009_certificates_printed.sql.
-- What a certificate printed stays with it: the course title as printed at issue, and who
-- revoked it, beside when and why.
ALTER TABLE certificates ADD COLUMN course_title TEXT NOT NULL DEFAULT '';
ALTER TABLE certificates ADD COLUMN revoked_by BIGINT REFERENCES users (id);

-- Certificates issued before this column: the course's title now is the best record of the
-- title they printed.
UPDATE certificates SET course_title = (SELECT c.title FROM courses c WHERE c.id = certificates.course_id);

-- +goose Down
ALTER TABLE certificates DROP COLUMN revoked_by;
ALTER TABLE certificates DROP COLUMN course_title;
