package database

import (
	"context"
	"fmt"
)

// Column is a column of a table as the catalog of the engine describes it.
type Column struct {
	Name string `db:"name"`
	Type string `db:"type"` // as declared: INTEGER, TEXT, BLOB on SQLite; bigint, text, bytea on PostgreSQL
}

// Tables lists taphuan's tables (not goose's, not the engine's own), by name.
func (db *DB) Tables(ctx context.Context) ([]string, error) {
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
		AND name <> 'goose_db_version' ORDER BY name`
	if db.Engine == Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()
			AND table_type = 'BASE TABLE' AND table_name <> 'goose_db_version' ORDER BY table_name`
	}
	var names []string
	if err := db.R.SelectContext(ctx, &names, q); err != nil {
		return nil, fmt.Errorf("database: tables: %w", err)
	}
	return names, nil
}

// Columns lists the columns of table in their order.
func (db *DB) Columns(ctx context.Context, table string) ([]Column, error) {
	q := `SELECT name, type FROM pragma_table_info(?) ORDER BY cid`
	if db.Engine == Postgres {
		q = `SELECT column_name AS name, data_type AS type FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position`
	}
	var cols []Column
	if err := db.R.SelectContext(ctx, &cols, q, table); err != nil {
		return nil, fmt.Errorf("database: columns of %s: %w", table, err)
	}
	return cols, nil
}
