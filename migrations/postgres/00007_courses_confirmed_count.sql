-- +goose Up
-- PostgreSQL twin of ../00007_courses_confirmed_count.sql.
-- The number of confirmed seats of a course, kept by triggers in the same transaction as
-- every change of a registration, so the seat check of a registration reads one row instead
-- of counting the roster. Derived data: the triggers are the only writers. Each trigger has
-- the name of its SQLite twin and a PL/pgSQL function of the same name.
ALTER TABLE courses ADD COLUMN confirmed_count BIGINT NOT NULL DEFAULT 0;

UPDATE courses SET confirmed_count = (SELECT COUNT(*) FROM registrations r
    WHERE r.course_id = courses.id AND r.status = 'confirmed');

-- +goose StatementBegin
CREATE FUNCTION registrations_confirmed_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE courses SET confirmed_count = confirmed_count + 1 WHERE id = NEW.course_id;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER registrations_confirmed_insert AFTER INSERT ON registrations
FOR EACH ROW WHEN (NEW.status = 'confirmed')
EXECUTE FUNCTION registrations_confirmed_insert();

-- +goose StatementBegin
CREATE FUNCTION registrations_confirmed_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'confirmed' THEN
        UPDATE courses SET confirmed_count = confirmed_count - 1 WHERE id = OLD.course_id;
    END IF;
    IF NEW.status = 'confirmed' THEN
        UPDATE courses SET confirmed_count = confirmed_count + 1 WHERE id = NEW.course_id;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER registrations_confirmed_update AFTER UPDATE OF status, course_id ON registrations
FOR EACH ROW WHEN ((OLD.status = 'confirmed') <> (NEW.status = 'confirmed') OR OLD.course_id <> NEW.course_id)
EXECUTE FUNCTION registrations_confirmed_update();

-- +goose StatementBegin
CREATE FUNCTION registrations_confirmed_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE courses SET confirmed_count = confirmed_count - 1 WHERE id = OLD.course_id;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER registrations_confirmed_delete AFTER DELETE ON registrations
FOR EACH ROW WHEN (OLD.status = 'confirmed')
EXECUTE FUNCTION registrations_confirmed_delete();

-- +goose Down
DROP TRIGGER registrations_confirmed_delete ON registrations;
DROP TRIGGER registrations_confirmed_update ON registrations;
DROP TRIGGER registrations_confirmed_insert ON registrations;
DROP FUNCTION registrations_confirmed_delete();
DROP FUNCTION registrations_confirmed_update();
DROP FUNCTION registrations_confirmed_insert();
ALTER TABLE courses DROP COLUMN confirmed_count;
