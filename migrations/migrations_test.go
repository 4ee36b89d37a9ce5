package migrations_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	_ "github.com/mattn/go-sqlite3"

	"taphuan/migrations"
)

func TestApplyFromZero(t *testing.T) {
	t.Parallel()
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(t.TempDir(), "m.db")+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	latest, err := migrations.Latest()
	if err != nil {
		t.Fatal(err)
	}
	applied, err := migrations.Apply(ctx, db, migrations.SQLite)
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
		"modules", "sessions", "people", "registrations", "attendance_marks", "certificates"} {
		var n int
		if err := db.QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, table).Scan(&n); err != nil || n != 1 {
			t.Errorf("table %s missing after migrating", table)
		}
	}
	var version int64
	if err := db.QueryRow(`SELECT MAX(version_id) FROM goose_db_version`).Scan(&version); err != nil || version != latest {
		t.Errorf("recorded version %d (%v), want %d", version, err, latest)
	}
	again, err := migrations.Apply(ctx, db, migrations.SQLite)
	if err != nil || len(again) != 0 {
		t.Errorf("second Apply: %v %v, want nothing applied", again, err)
	}
}
