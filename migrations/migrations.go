// Package migrations owns the database schema: numbered SQL files, embedded in the binary and
// applied in order by pressly/goose, each in its own transaction, with the applied versions
// recorded in goose_db_version. An applied file is never edited; a change is a new file.
//
// Each engine has its own copy of every file: the SQLite ones at the top of this directory,
// the PostgreSQL ones under postgres/ with the same number and name. Both end at the same
// schema (same tables, columns, indexes and constraints by name; a test in package
// database compares them).
package migrations

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed *.sql postgres
var files embed.FS

// Dialect names the engine a migration is written for.
type Dialect string

// The dialects.
const (
	SQLite   Dialect = "sqlite3"
	Postgres Dialect = "postgres"
)

// Files returns the migration files of d.
func Files(d Dialect) (fs.FS, error) {
	switch d {
	case SQLite:
		return files, nil
	case Postgres:
		return fs.Sub(files, "postgres")
	}
	return nil, fmt.Errorf("migrations: unknown dialect %q", d)
}

// Apply brings db to the newest schema of dialect d and returns the versions it applied
// (none when the schema was already current).
func Apply(ctx context.Context, db *sql.DB, d Dialect) ([]int64, error) {
	fsys, err := Files(d)
	if err != nil {
		return nil, err
	}
	var opts []goose.ProviderOption
	if d == Postgres {
		// Instances starting together on one database: the first migrates under a session
		// advisory lock, the others wait for it (checking every second, for 5 minutes) and
		// then find nothing left to apply.
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 300))
		if err != nil {
			return nil, fmt.Errorf("migrations: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(goose.Dialect(d), db, fsys, opts...)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	applied := make([]int64, 0, len(results))
	for _, r := range results {
		applied = append(applied, r.Source.Version)
	}
	return applied, nil
}

// Latest returns the version of the newest embedded migration (the number its file name starts with).
func Latest() (int64, error) {
	entries, err := fs.ReadDir(files, ".")
	if err != nil {
		return 0, fmt.Errorf("migrations: %w", err)
	}
	var latest int64
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		num, _, _ := strings.Cut(e.Name(), "_")
		v, err := strconv.ParseInt(num, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("migrations: file %s: no version number", e.Name())
		}
		latest = max(latest, v)
	}
	return latest, nil
}
