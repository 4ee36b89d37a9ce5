// Package dbtest gives each test a fresh, migrated SQLite file of its own.
package dbtest

import (
	"context"
	"path/filepath"
	"testing"

	"taphuan/database"
)

// New opens a new migrated database in t's temporary directory and closes it when t ends.
func New(t testing.TB) *database.DB {
	t.Helper()
	db, err := database.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
