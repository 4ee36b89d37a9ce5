-- +goose Up
-- PostgreSQL twin of ../00008_attendance_marks_status.sql.
-- The live count of a check-in page counts a session's present and late marks from this
-- index alone.
CREATE INDEX attendance_marks_session_status ON attendance_marks (session_id, status);

-- +goose Down
DROP INDEX attendance_marks_session_status;
