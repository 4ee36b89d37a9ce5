package database

import (
	"context"
	"fmt"
)

// Column is a column of a table as the catalog of the engine describes it.
type Column struct {
	Name string `db:"name"`
	Type string `db:"type"` // as declared: INTEGER, TEXT, BLOB on SQLite; bigint, text, bytea on PostgreSQL
	Key  bool   `db:"key"`  // part of the primary key
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
	q := `SELECT name, type, pk > 0 AS key FROM pragma_table_info(?) ORDER BY cid`
	if db.Engine == Postgres {
		q = `SELECT c.column_name AS name, c.data_type AS type,
			EXISTS (SELECT 1 FROM information_schema.table_constraints t
				JOIN information_schema.key_column_usage k ON k.constraint_schema = t.constraint_schema
					AND k.constraint_name = t.constraint_name
				WHERE t.constraint_type = 'PRIMARY KEY' AND t.table_schema = c.table_schema
					AND t.table_name = c.table_name AND k.column_name = c.column_name) AS key
			FROM information_schema.columns c
			WHERE c.table_schema = current_schema() AND c.table_name = ? ORDER BY c.ordinal_position`
	}
	var cols []Column
	if err := db.R.SelectContext(ctx, &cols, q, table); err != nil {
		return nil, fmt.Errorf("database: columns of %s: %w", table, err)
	}
	return cols, nil
}
