// Package database opens the database the way every part of taphuan needs it: a SQLite file
// (the embedded default: one writer pool of a single connection with BEGIN IMMEDIATE, one
// reader pool, WAL, foreign keys, a busy timeout) or, given a postgres:// URL, a PostgreSQL
// database through jackc/pgx (postgres.go). It applies the embedded migrations of the
// engine, takes consistent online backups and keeps what differs between the engines (time
// format, placeholders, constraint errors, row locks) in this package, so the domain
// packages write one SQL text.
package database

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/jmoiron/sqlx"

	"taphuan/migrations"
	"taphuan/vn"
)

// Engine names the database engine behind a DB.
type Engine string

// The engines.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// DB holds the two pools. Writes go through W (on SQLite one connection, so writers queue in
// Go rather than fail with SQLITE_BUSY); reads go through R. On PostgreSQL both are the
// same pool.
type DB struct {
	W      *sqlx.DB
	R      *sqlx.DB
	Engine Engine
	Path   string // the SQLite file
	URL    string // the PostgreSQL URL

	ckpt     *sqlx.DB      // the checkpointer's own connection
	stopCkpt chan struct{} // closed by Close
	ckptDone chan struct{} // closed when the checkpointer has stopped
}

// checkpointEvery is how often the WAL is copied back into the database file. The writer
// does not checkpoint itself (wal_autocheckpoint=0): a checkpoint on the commit path
// stalls every request queued behind that commit, which showed as the p99 of the
// registration burst. A passive checkpoint from its own connection blocks no one.
const checkpointEvery = time.Second

// ErrNoCgo is returned by Open when the binary was built with CGO_ENABLED=0: mattn/go-sqlite3
// then compiles to a stub that cannot open any database.
var ErrNoCgo = errors.New("database: this binary was built without cgo (CGO_ENABLED=0); " +
	"taphuan needs cgo for SQLite: install gcc and build with CGO_ENABLED=1")

// CgoEnabled reports whether SQLite is really compiled in.
func CgoEnabled() bool { return cgoEnabled }

func dsn(path string, params url.Values) string {
	params.Set("_busy_timeout", "10000")
	params.Set("_foreign_keys", "on")
	params.Set("_journal_mode", "WAL")
	params.Set("_synchronous", "NORMAL")
	// Requests run the same few statements over and over: keep them prepared per connection.
	params.Set("_stmt_cache_size", "256")
	return "file:" + path + "?" + params.Encode()
}

// Open opens the database named by target and applies pending migrations: a postgres:// (or
// postgresql://) URL is a PostgreSQL database, anything else a SQLite file, created if
// needed.
func Open(ctx context.Context, target string) (*DB, error) {
	if IsPostgresURL(target) {
		return openPostgres(ctx, target)
	}
	return openSQLite(ctx, target)
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if !cgoEnabled {
		return nil, ErrNoCgo
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("database: %w", err)
		}
	}
	w, err := sqlx.Open("sqlite3", dsn(path, url.Values{"_txlock": {"immediate"}}))
	if err != nil {
		return nil, fmt.Errorf("database: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("database: open %s: %w", path, err)
	}
	if _, err := migrations.Apply(ctx, w.DB, migrations.SQLite); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sqlx.Open("sqlite3", dsn(path, url.Values{"_query_only": {"true"}}))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("database: open %s: %w", path, err)
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	ckpt, err := sqlx.Open("sqlite3", dsn(path, url.Values{}))
	if err != nil {
		r.Close()
		w.Close()
		return nil, fmt.Errorf("database: open %s: %w", path, err)
	}
	ckpt.SetMaxOpenConns(1)
	if _, err := w.ExecContext(ctx, `PRAGMA wal_autocheckpoint = 0`); err != nil {
		ckpt.Close()
		r.Close()
		w.Close()
		return nil, fmt.Errorf("database: open %s: %w", path, err)
	}
	db := &DB{W: w, R: r, Engine: SQLite, Path: path, ckpt: ckpt, stopCkpt: make(chan struct{}), ckptDone: make(chan struct{})}
	go db.checkpointer()
	return db, nil
}

// checkpointer keeps the WAL small with passive checkpoints until Close.
func (db *DB) checkpointer() {
	defer close(db.ckptDone)
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-db.stopCkpt:
			return
		case <-t.C:
			// An error here (busy, say) only means this round copied less; the next one
			// tries again, and Close truncates the WAL at the end.
			_, _ = db.ckpt.Exec(`PRAGMA wal_checkpoint(PASSIVE)`)
		}
	}
}

// Close closes the pools; on SQLite it first checkpoints the WAL into the main file.
func (db *DB) Close() error {
	if db.Engine == Postgres {
		return db.W.Close()
	}
	close(db.stopCkpt)
	<-db.ckptDone
	_, _ = db.W.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	return errors.Join(db.ckpt.Close(), db.R.Close(), db.W.Close())
}

// Backup writes a consistent copy of the database to out while others keep reading and
// writing: on SQLite VACUUM INTO reads one snapshot; on PostgreSQL pg_dump does (when
// installed). out must not exist.
func (db *DB) Backup(ctx context.Context, out string) error {
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("database: backup: %s already exists", out)
	}
	if db.Engine == Postgres {
		return db.backupPostgres(ctx, out)
	}
	// A connection of its own: the reader pool is query-only, and the writer must stay free
	// for the server while the copy is written. In WAL mode the copy's read transaction
	// does not block writers.
	conn, err := sqlx.Open("sqlite3", dsn(db.Path, url.Values{}))
	if err != nil {
		return fmt.Errorf("database: backup: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `VACUUM INTO ?`, out); err != nil {
		return fmt.Errorf("database: backup to %s: %w", out, err)
	}
	return nil
}

// TimeFormat is how instants are stored: UTC, fixed width, so text order is time order.
const TimeFormat = "2006-01-02T15:04:05.000000Z"

// FormatTime formats t for storage.
func FormatTime(t time.Time) string { return t.UTC().Format(TimeFormat) }

// ParseTime reads a stored instant.
func ParseTime(s string) (time.Time, error) {
	t, err := time.Parse(TimeFormat, s)
	if err != nil {
		return time.Parse(time.RFC3339Nano, s)
	}
	return t, nil
}

// Now is the current instant in storage format.
func Now() string { return FormatTime(time.Now()) }

// Time is an instant stored as TEXT in TimeFormat and shown in JSON as RFC 3339 with the
// Vietnam offset ("2023-12-04T07:30:00+07:00").
type Time struct{ time.Time }

// Scan reads a stored instant.
func (t *Time) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		t.Time = time.Time{}
		return nil
	case time.Time:
		t.Time = x
		return nil
	case string:
		p, err := ParseTime(x)
		t.Time = p
		return err
	case []byte:
		p, err := ParseTime(string(x))
		t.Time = p
		return err
	}
	return fmt.Errorf("database: cannot scan %T into Time", v)
}

// Value stores the instant in UTC.
func (t Time) Value() (driver.Value, error) {
	if t.IsZero() {
		return nil, nil
	}
	return FormatTime(t.Time), nil
}

// MarshalJSON writes RFC 3339 in Vietnam time; the zero time is null.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + t.In(vn.Location).Format(time.RFC3339) + `"`), nil
}

// UnmarshalJSON reads RFC 3339 (with an offset) or null.
func (t *Time) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" || s == `""` {
		t.Time = time.Time{}
		return nil
	}
	p, err := time.Parse(`"`+time.RFC3339+`"`, s)
	if err != nil {
		return fmt.Errorf("not an RFC 3339 instant with offset: %s", s)
	}
	t.Time = p
	return nil
}
