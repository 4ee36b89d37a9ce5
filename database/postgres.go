package database

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"hash/fnv"
	"net/url"
	"os"
	"os/exec"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/jmoiron/sqlx"

	"taphuan/migrations"
)

// This file is the one place where PostgreSQL differs from SQLite for the rest of taphuan.
//
//   - Placeholders: every package writes its SQL once, with `?`. The driver registered here
//     ("taphuan-pgx", jackc/pgx v5's stdlib driver underneath) rebinds each statement with
//     sqlx.Rebind(sqlx.DOLLAR, …) before pgx sees it, so one SQL text serves both engines.
//   - Booleans are stored as 0/1 integers on both engines (the schema has no BOOLEAN column);
//     the driver sends a Go bool argument as 0 or 1.
//   - Instants are TEXT in TimeFormat on both engines: fixed width UTC, so text order is time
//     order and the same comparisons work everywhere.
//   - Pools: SQLite has one writer connection (BEGIN IMMEDIATE serializes the writers);
//     PostgreSQL has one pool of many connections, W and R are the same pool, and writers
//     that must not interleave lock the row they depend on (ForUpdate), or, where no row
//     stands for what they check (is the hall free at that hour?), a named lock (Lock).
//   - Text order: the database must collate as "C" (byte order, as SQLite); Vietnamese order
//     comes from the sort_key columns, never from the collation.

// PostgresDriver is the database/sql driver name of PostgreSQL with `?` placeholders.
const PostgresDriver = "taphuan-pgx"

func init() {
	sql.Register(PostgresDriver, pgDriver{inner: stdlib.GetDefaultDriver().(*stdlib.Driver)})
}

// IsPostgresURL reports whether target names a PostgreSQL database (postgres:// or
// postgresql://); anything else is a SQLite file.
func IsPostgresURL(target string) bool {
	return strings.HasPrefix(target, "postgres://") || strings.HasPrefix(target, "postgresql://")
}

// Redact returns target with any password replaced, for logs and messages.
func Redact(target string) string {
	if !IsPostgresURL(target) {
		return target
	}
	u, err := url.Parse(target)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}

// Writers is how many requests that change data run at once in one instance; the others
// wait their turn in arrival order. SQLite has one writer, and a few in line keep it busy;
// PostgreSQL writes many transactions at once, which wait only on the rows they share.
func (db *DB) Writers() int {
	if db.Engine == Postgres {
		return postgresPoolSize - 4 // a few connections stay free for the reads
	}
	return 4
}

// postgresPoolSize is the number of connections one instance keeps at most. Several instances
// share the server's max_connections (100 by default).
const postgresPoolSize = 20

func openPostgres(ctx context.Context, target string) (*DB, error) {
	raw, err := sql.Open(PostgresDriver, target)
	if err != nil {
		return nil, fmt.Errorf("database: open %s: %w", Redact(target), err)
	}
	// Named "pgx", so that database.OnPostgres knows it and sqlx's own helpers (Rebind,
	// Named) see the dollar style of pgx.
	p := sqlx.NewDb(raw, "pgx")
	p.SetMaxOpenConns(postgresPoolSize)
	p.SetMaxIdleConns(postgresPoolSize)
	if err := checkPostgres(ctx, p, target); err != nil {
		p.Close()
		return nil, err
	}
	return &DB{W: p, R: p, URL: target, Engine: Postgres}, nil
}

// checkPostgres makes sure the server answers and collates as taphuan needs, then migrates.
func checkPostgres(ctx context.Context, p *sqlx.DB, target string) error {
	var collate string
	if err := p.GetContext(ctx, &collate, `SELECT datcollate FROM pg_database WHERE datname = current_database()`); err != nil {
		return fmt.Errorf("database: open %s: %w", Redact(target), err)
	}
	if collate != "C" && collate != "POSIX" {
		return fmt.Errorf("database: %s collates as %q; taphuan needs byte order: "+
			"CREATE DATABASE … TEMPLATE template0 LOCALE 'C' ENCODING 'UTF8'", Redact(target), collate)
	}
	return migratePostgres(ctx, target)
}

// migratePostgres applies the migrations through pgx's own driver: goose's version table has
// a BOOLEAN column, and taphuan's driver sends Go booleans as 0/1.
func migratePostgres(ctx context.Context, target string) error {
	m, err := sql.Open("pgx", target)
	if err != nil {
		return fmt.Errorf("database: open %s: %w", Redact(target), err)
	}
	defer m.Close()
	_, err = migrations.Apply(ctx, m, migrations.Postgres)
	return err
}

// ForUpdate is the clause a transaction appends to the SELECT of the row that orders its
// writers (the course of a registration, the counter of a number): " FOR UPDATE" on
// PostgreSQL, nothing on SQLite, where the one writer connection already orders them.
func ForUpdate(tx interface{ DriverName() string }) string {
	if OnPostgres(tx) {
		return " FOR UPDATE"
	}
	return ""
}

// Lock orders the write transactions that take the same named lock: each waits until the
// one before it has committed or rolled back. It is for a check that reads many rows no row
// lock covers — no two sessions in one hall at one hour, no two merges crossing — so that
// the check and the write it allows are one step. On PostgreSQL it is a transaction-level
// advisory lock (pg_advisory_xact_lock) on a 64-bit hash of name; on SQLite it does nothing,
// as the one writer connection already orders every write transaction. A transaction that
// also locks rows takes its named lock first, so that no two wait on each other.
func Lock(ctx context.Context, tx *sqlx.Tx, name string) error {
	if !OnPostgres(tx) {
		return nil
	}
	h := fnv.New64a()
	h.Write([]byte("taphuan:" + name))
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, int64(h.Sum64())); err != nil {
		return fmt.Errorf("database: lock %s: %w", name, err)
	}
	return nil
}

// OnPostgres reports whether q (a pool or a transaction) runs on PostgreSQL, for the few
// places a package says where the engines differ.
func OnPostgres(q interface{ DriverName() string }) bool { return q.DriverName() == "pgx" }

// backupPostgres runs pg_dump when it is installed: the custom format, restored with
// pg_restore. Managed PostgreSQL has its own backups; this is for the rest.
func (db *DB) backupPostgres(ctx context.Context, out string) error {
	bin, err := exec.LookPath("pg_dump")
	if err != nil {
		return fmt.Errorf("database: backup of PostgreSQL is pg_dump's job, and pg_dump is not installed: " +
			"install postgresql-client and run: pg_dump -Fc -f FILE 'postgres://…' (restore with pg_restore)")
	}
	cmd := exec.CommandContext(ctx, bin, "--format=custom", "--no-owner", "--file="+out, "--dbname="+db.URL)
	if b, err := cmd.CombinedOutput(); err != nil {
		os.Remove(out)
		return fmt.Errorf("database: pg_dump: %v: %s", err, strings.TrimSpace(string(b)))
	}
	return nil
}

func postgresCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// The driver: pgx's stdlib connection with `?` rebound and booleans sent as integers.

type pgDriver struct{ inner *stdlib.Driver }

func (d pgDriver) Open(name string) (driver.Conn, error) {
	c, err := d.inner.Open(name)
	if err != nil {
		return nil, err
	}
	return &pgConn{c.(*stdlib.Conn)}, nil
}

func (d pgDriver) OpenConnector(name string) (driver.Connector, error) {
	c, err := d.inner.OpenConnector(name)
	if err != nil {
		return nil, err
	}
	return pgConnector{inner: c, d: d}, nil
}

type pgConnector struct {
	inner driver.Connector
	d     pgDriver
}

func (c pgConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &pgConn{conn.(*stdlib.Conn)}, nil
}

func (c pgConnector) Driver() driver.Driver { return c.d }

type pgConn struct{ c *stdlib.Conn }

func rebind(q string) string { return sqlx.Rebind(sqlx.DOLLAR, q) }

func (p *pgConn) Prepare(q string) (driver.Stmt, error) { return p.c.Prepare(rebind(q)) }
func (p *pgConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	return p.c.PrepareContext(ctx, rebind(q))
}
func (p *pgConn) Close() error { return p.c.Close() }
func (p *pgConn) Begin() (driver.Tx, error) {
	return p.c.BeginTx(context.Background(), driver.TxOptions{})
}
func (p *pgConn) BeginTx(ctx context.Context, o driver.TxOptions) (driver.Tx, error) {
	return p.c.BeginTx(ctx, o)
}
func (p *pgConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	return p.c.ExecContext(ctx, rebind(q), args)
}
func (p *pgConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	return p.c.QueryContext(ctx, rebind(q), args)
}
func (p *pgConn) Ping(ctx context.Context) error         { return p.c.Ping(ctx) }
func (p *pgConn) ResetSession(ctx context.Context) error { return p.c.ResetSession(ctx) }
func (p *pgConn) CheckNamedValue(nv *driver.NamedValue) error {
	if b, ok := nv.Value.(bool); ok {
		if b {
			nv.Value = int64(1)
		} else {
			nv.Value = int64(0)
		}
	}
	return p.c.CheckNamedValue(nv)
}

// IsUniqueViolation reports whether err is a UNIQUE (or PRIMARY KEY) constraint failure, on
// either engine. On PostgreSQL the failed statement has aborted its transaction: roll back.
func IsUniqueViolation(err error) bool {
	return sqliteUniqueViolation(err) || postgresCode(err) == "23505"
}

// IsForeignKeyViolation reports whether err is a FOREIGN KEY constraint failure.
func IsForeignKeyViolation(err error) bool {
	return sqliteForeignKeyViolation(err) || postgresCode(err) == "23503"
}
