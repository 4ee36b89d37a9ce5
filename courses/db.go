package courses

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

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func isNotFound(err error) bool { return errs.CodeOf(err) == errs.NotFound }
