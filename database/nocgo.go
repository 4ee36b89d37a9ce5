//go:build !cgo

package database

// Without cgo, mattn/go-sqlite3 is a stub that opens nothing: Open returns ErrNoCgo and the
// program says so at start, instead of failing to build.
const cgoEnabled = false

// IsUniqueViolation is never true without SQLite.
func IsUniqueViolation(error) bool { return false }

// IsForeignKeyViolation is never true without SQLite.
func IsForeignKeyViolation(error) bool { return false }
