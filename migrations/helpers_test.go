package migrations

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3"
	"github.com/pressly/goose/v3"
)

// beforeMigration opens a fresh SQLite database migrated up to the version before the file
// whose name ends with suffix, and returns it with a provider (to go on with p.UpTo(ctx,
// version) and back with p.DownTo) and that file's version. The database closes with t.
func beforeMigration(t *testing.T, suffix string) (*sql.DB, *goose.Provider, int64) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(t.TempDir(), "m.db")+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	version := versionOf(t, suffix)
	p, err := goose.NewProvider(goose.DialectSQLite3, db, files)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(context.Background(), version-1); err != nil {
		t.Fatal(err)
	}
	return db, p, version
}

// execAll runs the statements in order, failing t at the first that fails.
func execAll(t *testing.T, db *sql.DB, statements ...string) {
	t.Helper()
	for _, q := range statements {
		if _, err := db.ExecContext(context.Background(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// versionOf returns the version of the migration file whose name ends with suffix.
func versionOf(t *testing.T, suffix string) int64 {
	t.Helper()
	entries, err := fs.ReadDir(files, ".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), suffix) {
			num, _, _ := strings.Cut(e.Name(), "_")
			v, err := strconv.ParseInt(num, 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
	}
	t.Fatalf("no migration *%s", suffix)
	return 0
}
