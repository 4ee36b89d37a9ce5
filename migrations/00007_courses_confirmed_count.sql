-- +goose Up
-- The number of confirmed seats of a course, kept by triggers in the same transaction as
-- every change of a registration, so the seat check of a registration reads one row instead
-- of counting the roster (a 2,000-person course costs the same as a 20-person one). Derived
-- data: the triggers are the only writers.
ALTER TABLE courses ADD COLUMN confirmed_count INTEGER NOT NULL DEFAULT 0;

UPDATE courses SET confirmed_count = (SELECT COUNT(*) FROM registrations r
    WHERE r.course_id = courses.id AND r.status = 'confirmed');

-- +goose StatementBegin
CREATE TRIGGER registrations_confirmed_insert AFTER INSERT ON registrations
WHEN NEW.status = 'confirmed'
BEGIN
    UPDATE courses SET confirmed_count = confirmed_count + 1 WHERE id = NEW.course_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER registrations_confirmed_update AFTER UPDATE OF status, course_id ON registrations
WHEN (OLD.status = 'confirmed') <> (NEW.status = 'confirmed') OR OLD.course_id <> NEW.course_id
BEGIN
    UPDATE courses SET confirmed_count = confirmed_count - 1
        WHERE id = OLD.course_id AND OLD.status = 'confirmed';
    UPDATE courses SET confirmed_count = confirmed_count + 1
        WHERE id = NEW.course_id AND NEW.status = 'confirmed';
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER registrations_confirmed_delete AFTER DELETE ON registrations
WHEN OLD.status = 'confirmed'
BEGIN
    UPDATE courses SET confirmed_count = confirmed_count - 1 WHERE id = OLD.course_id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER registrations_confirmed_delete;
DROP TRIGGER registrations_confirmed_update;
DROP TRIGGER registrations_confirmed_insert;
ALTER TABLE courses DROP COLUMN confirmed_count;
