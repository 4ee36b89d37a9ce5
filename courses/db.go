package courses

// The package's database plumbing, in one place. SQL is written once for both engines:
// `?` placeholders (the database package rebinds them for PostgreSQL), RETURNING id for new
// rows, explicit column lists. A list in a query is one `?` expanded by sqlx.In, never a
// placeholder list built by hand.

import (
	"context"
	"database/sql"
	"errors"

	"taphuan/errs"
)

// sqlxQuerier is what reads need: the reader pool or a write transaction.
type sqlxQuerier interface {
	SelectContext(ctx context.Context, dest any, query string, args ...any) error
	GetContext(ctx context.Context, dest any, query string, args ...any) error
}

// isNoRows reports whether a Get found no row.
func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// isNotFound reports whether err is a not-found error of any package (a lecturer record of
// finance, a module of this package).
func isNotFound(err error) bool { return errs.CodeOf(err) == errs.NotFound }

// nullID stores an id of 0 as NULL (an optional reference).
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
