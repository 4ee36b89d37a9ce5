-- +goose Up
-- SQLite twin of postgres/00018_confirmed_count_bulk.sql: nothing changes here. SQLite's
-- triggers keep the seat counter at every row however many rows one transaction writes;
-- on PostgreSQL a bulk writer (an import) counts once at the end instead.
SELECT 1;

-- +goose Down
SELECT 1;
