// Package migrations owns the database schema: numbered SQL files, embedded in the binary and
// applied in order by pressly/goose, each in its own transaction, with the applied versions
// recorded in goose_db_version. An applied file is never edited; a change is a new file.
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
)

//go:embed *.sql
var files embed.FS

// Apply brings db to the newest schema and returns the versions it applied (none when the
// schema was already current).
func Apply(ctx context.Context, db *sql.DB) ([]int64, error) {
	p, err := goose.NewProvider(goose.DialectSQLite3, db, files)
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
		num, _, _ := strings.Cut(e.Name(), "_")
		v, err := strconv.ParseInt(num, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("migrations: file %s: no version number", e.Name())
		}
		latest = max(latest, v)
	}
	return latest, nil
}
