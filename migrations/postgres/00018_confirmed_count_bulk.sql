-- +goose Up
-- A transaction that writes many registrations of one course (an import of thousands) keeps
-- the seat counter itself, once at its end: it sets taphuan.count_at_end for the
-- transaction (SET LOCAL) and the triggers leave the counter alone. On PostgreSQL every
-- update of one row in one transaction makes a new version that the next update must walk
-- past, so thousands of counter updates cost time quadratic in their number. Elsewhere the
-- triggers count as before. Same trigger names, same WHEN conditions: only the functions
-- behind them change.

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION registrations_confirmed_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF COALESCE(current_setting('taphuan.count_at_end', true), '') <> 'on' THEN
        UPDATE courses SET confirmed_count = confirmed_count + 1 WHERE id = NEW.course_id;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION registrations_confirmed_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF COALESCE(current_setting('taphuan.count_at_end', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
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

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION registrations_confirmed_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF COALESCE(current_setting('taphuan.count_at_end', true), '') <> 'on' THEN
        UPDATE courses SET confirmed_count = confirmed_count - 1 WHERE id = OLD.course_id;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION registrations_confirmed_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE courses SET confirmed_count = confirmed_count + 1 WHERE id = NEW.course_id;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION registrations_confirmed_update() RETURNS trigger LANGUAGE plpgsql AS $$
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

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION registrations_confirmed_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE courses SET confirmed_count = confirmed_count - 1 WHERE id = OLD.course_id;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
