//go:build !cgo

package database

// Without cgo, mattn/go-sqlite3 is a stub that opens nothing: Open returns ErrNoCgo and the
// program says so at start, instead of failing to build.
const cgoEnabled = false

func sqliteUniqueViolation(error) bool { return false }

func sqliteForeignKeyViolation(error) bool { return false }
