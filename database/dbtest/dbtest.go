// Package dbtest gives each test a fresh, migrated database of its own: a SQLite file in the
// test's temporary directory, or — when TAPHUAN_TEST_ENGINE=postgres, as in the second half
// of the README's test command — a PostgreSQL database cloned from a migrated template
// (peterldowns/pgtestdb) on the server of package pgtest.
package dbtest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/peterldowns/pgtestdb"

	"taphuan/database"
	"taphuan/database/pgtest"
	"taphuan/migrations"
)

// EnvEngine selects the engine of New: "postgres", or anything else for SQLite.
const EnvEngine = "TAPHUAN_TEST_ENGINE"

// engine is the engine New gives.
func engine() database.Engine {
	if os.Getenv(EnvEngine) == string(database.Postgres) {
		return database.Postgres
	}
	return database.SQLite
}

// New opens a new migrated database of the engine under test and closes it when t ends.
func New(t testing.TB) *database.DB {
	t.Helper()
	if engine() == database.Postgres {
		return NewPostgres(t)
	}
	return NewSQLite(t)
}

// NewSQLite opens a new migrated SQLite file, whatever the engine under test.
func NewSQLite(t testing.TB) *database.DB {
	t.Helper()
	return open(t, filepath.Join(t.TempDir(), "test.db"))
}

// NewPostgres opens a new migrated PostgreSQL database, whatever the engine under test.
func NewPostgres(t testing.TB) *database.DB {
	t.Helper()
	return open(t, PostgresURL(t))
}

func open(t testing.TB, target string) *database.DB {
	t.Helper()
	db, err := database.Open(context.Background(), target)
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// PostgresURL creates a new migrated PostgreSQL database and returns its URL; the database is
// dropped when t passes (and kept for a look when it fails).
func PostgresURL(t testing.TB) string {
	t.Helper()
	return pgtestdb.Custom(t, config(t), migrator{}).URL()
}

// EmptyPostgresURL creates a new PostgreSQL database with no tables at all.
func EmptyPostgresURL(t testing.TB) string {
	t.Helper()
	return pgtestdb.Custom(t, config(t), pgtestdb.NoopMigrator{}).URL()
}

// config is the pgtestdb configuration for the test server.
func config(t testing.TB) pgtestdb.Config {
	t.Helper()
	u, err := url.Parse(pgtest.URL(t))
	if err != nil {
		t.Fatalf("dbtest: %s: %v", pgtest.EnvURL, err)
	}
	pass, _ := u.User.Password()
	return pgtestdb.Config{
		DriverName: "pgx",
		Host:       u.Hostname(),
		Port:       u.Port(),
		User:       u.User.Username(),
		Password:   pass,
		Database:   u.Path[1:],
		Options:    u.RawQuery,
		// The instances share one server: leftover connections of a test's child processes
		// must not keep its database from being dropped.
		ForceTerminateConnections: true,
	}
}

// migrator builds pgtestdb's template with taphuan's PostgreSQL migrations; the template is
// rebuilt whenever a migration file changes.
type migrator struct{}

func (migrator) Hash() (string, error) {
	fsys, err := migrations.Files(migrations.Postgres)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	err = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		h.Write([]byte(p))
		h.Write(b)
		return err
	})
	return hex.EncodeToString(h.Sum(nil)), err
}

func (migrator) Migrate(ctx context.Context, db *sql.DB, _ pgtestdb.Config) error {
	_, err := migrations.Apply(ctx, db, migrations.Postgres)
	return err
}
