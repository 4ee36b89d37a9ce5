-- +goose Up
-- PostgreSQL twin of ../00010_certificates_printed_dates.sql.
-- With the title (00009), the course dates and the issuing agency as printed.
ALTER TABLE certificates ADD COLUMN course_starts_on TEXT NOT NULL DEFAULT '';
ALTER TABLE certificates ADD COLUMN course_ends_on TEXT NOT NULL DEFAULT '';
ALTER TABLE certificates ADD COLUMN agency TEXT NOT NULL DEFAULT '';

-- Certificates issued before these columns: today's values are the best record.
UPDATE certificates SET
    course_starts_on = (SELECT c.starts_on FROM courses c WHERE c.id = certificates.course_id),
    course_ends_on = (SELECT c.ends_on FROM courses c WHERE c.id = certificates.course_id),
    agency = (SELECT o.name FROM organizations o WHERE o.id = certificates.organization_id);

-- +goose Down
ALTER TABLE certificates DROP COLUMN agency;
ALTER TABLE certificates DROP COLUMN course_ends_on;
ALTER TABLE certificates DROP COLUMN course_starts_on;
