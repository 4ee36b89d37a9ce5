package migrations_test

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3"
	"github.com/pressly/goose/v3"

	"taphuan/database/dbtest"
	"taphuan/migrations"
)

// names returns the migration file names of d, checking that they are numbered 1..N
// without gaps or repeats.
func names(t *testing.T, d migrations.Dialect) []string {
	t.Helper()
	fsys, err := migrations.Files(d)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		out = append(out, e.Name())
	}
	slices.Sort(out)
	for i, name := range out {
		num, _, _ := strings.Cut(name, "_")
		v, err := strconv.ParseInt(num, 10, 64)
		if err != nil || v != int64(i+1) {
			t.Errorf("%s migrations: %s is number %d in order, want the numbers 1..%d without gaps", d, name, i+1, len(out))
		}
	}
	if len(out) == 0 {
		t.Fatalf("%s migrations: no files", d)
	}
	return out
}

// TestNumberingAndTwins: both dialects are numbered 1..N without gaps, and every SQLite
// file has a PostgreSQL twin of the same name, and the other way round.
func TestNumberingAndTwins(t *testing.T) {
	lite, pg := names(t, migrations.SQLite), names(t, migrations.Postgres)
	for _, n := range lite {
		if !slices.Contains(pg, n) {
			t.Errorf("%s has no PostgreSQL twin postgres/%s", n, n)
		}
	}
	for _, n := range pg {
		if !slices.Contains(lite, n) {
			t.Errorf("postgres/%s has no SQLite twin %s", n, n)
		}
	}
	latest, err := migrations.Latest()
	if err != nil || latest != int64(len(lite)) {
		t.Errorf("Latest() = %d (%v), want %d", latest, err, len(lite))
	}
}

func TestApplyFromZero(t *testing.T) {
	t.Parallel()
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(t.TempDir(), "m.db")+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	checkApplyFromZero(t, db, migrations.SQLite,
		`SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?`)
}

// TestApplyFromZeroPostgres applies the PostgreSQL files to a database with no tables at all.
func TestApplyFromZeroPostgres(t *testing.T) {
	t.Parallel()
	db, err := sql.Open("pgx", dbtest.EmptyPostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	checkApplyFromZero(t, db, migrations.Postgres,
		`SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1`)
}

func checkApplyFromZero(t *testing.T, db *sql.DB, d migrations.Dialect, tableCount string) {
	t.Helper()
	ctx := context.Background()
	latest, err := migrations.Latest()
	if err != nil {
		t.Fatal(err)
	}
	applied, err := migrations.Apply(ctx, db, d)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range applied {
		if v != int64(i+1) {
			t.Fatalf("applied %v, want 1..%d without gaps", applied, latest)
		}
	}
	if int64(len(applied)) != latest {
		t.Fatalf("applied %v, want 1..%d", applied, latest)
	}
	for _, table := range []string{"organizations", "users", "login_sessions", "api_tokens", "courses",
		"modules", "sessions", "people", "registrations", "attendance_marks", "certificates",
		"units", "lecturers", "certificate_course_signers"} {
		var n int
		if err := db.QueryRow(tableCount, table).Scan(&n); err != nil || n != 1 {
			t.Errorf("table %s missing after migrating (%v)", table, err)
		}
	}
	var version int64
	if err := db.QueryRow(`SELECT MAX(version_id) FROM goose_db_version`).Scan(&version); err != nil || version != latest {
		t.Errorf("recorded version %d (%v), want %d", version, err, latest)
	}
	again, err := migrations.Apply(ctx, db, d)
	if err != nil || len(again) != 0 {
		t.Errorf("second Apply: %v %v, want nothing applied", again, err)
	}
}

// TestApplyConcurrentPostgres: two instances starting together on one empty database both
// come up; the first applies every migration, the second waits for it and applies none.
func TestApplyConcurrentPostgres(t *testing.T) {
	t.Parallel()
	url := dbtest.EmptyPostgresURL(t)
	ctx := context.Background()
	results := make(chan []int64, 2)
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			db, err := sql.Open("pgx", url)
			if err != nil {
				errs <- err
				return
			}
			defer db.Close()
			applied, err := migrations.Apply(ctx, db, migrations.Postgres)
			errs <- err
			results <- applied
		}()
	}
	var all []int64
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatalf("an instance failed to migrate: %v", err)
		}
	}
	a, b := <-results, <-results
	if len(a) > 0 && len(b) > 0 {
		t.Errorf("both instances applied migrations: %v and %v", a, b)
	}
	all = append(append(all, a...), b...)
	latest, _ := migrations.Latest()
	if int64(len(all)) != latest {
		t.Errorf("applied %v in all, want 1..%d once", all, latest)
	}
}

// TestDownAndUpPostgres: every PostgreSQL file goes down again (newest first) to an empty
// schema, and up again.
func TestDownAndUpPostgres(t *testing.T) {
	t.Parallel()
	db, err := sql.Open("pgx", dbtest.EmptyPostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	fsys, err := migrations.Files(migrations.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, fsys)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(ctx, 0); err != nil {
		t.Fatal(err)
	}
	var left []string
	if err := func() error {
		rows, err := db.QueryContext(ctx, `SELECT c.relname || ' (' || c.relkind::text || ')' FROM pg_class c
			JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = current_schema() AND c.relname NOT LIKE 'goose_db_version%'
			UNION ALL SELECT p.proname || ' (function)' FROM pg_proc p
			JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema()`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				return err
			}
			left = append(left, s)
		}
		return rows.Err()
	}(); err != nil {
		t.Fatal(err)
	}
	if len(left) > 0 {
		t.Errorf("left after going down to 0: %v", left)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up again: %v", err)
	}
}
