-- +goose Up
-- Every session has the secret that seeds its rotating self check-in code. Sessions planned
-- before self check-in existed have none; until now attendance wrote one on first use, so
-- two packages wrote sessions.checkin_secret. Here the old rows get theirs once (16 random
-- bytes as 32 hex digits, as courses writes for a new session), and from now on only
-- courses writes the column.
UPDATE sessions SET checkin_secret = lower(hex(randomblob(16))) WHERE checkin_secret = '';

-- +goose Down
-- Nothing to undo: a session keeps the secret it was given.
SELECT 1;
