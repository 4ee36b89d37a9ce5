package migrations

import (
	"context"
	"regexp"
	"testing"

	_ "github.com/mattn/go-sqlite3"
)

// TestSessionsCheckinSecretBackfill: sessions planned before self check-in existed get a
// secret of 32 hex digits each, all different; a session that has one keeps it.
func TestSessionsCheckinSecretBackfill(t *testing.T) {
	t.Parallel()
	db, p, version := beforeMigration(t, "_sessions_checkin_secret.sql")
	ctx := context.Background()
	const now = "2023-12-05T09:00:00Z"
	execAll(t, db,
		`INSERT INTO organizations (id, name, created_at) VALUES (1, 'Sở Thông tin và Truyền thông', '`+now+`')`,
		`INSERT INTO courses (id, organization_id, title, starts_on, ends_on, capacity, created_at, updated_at)
			VALUES (1, 1, 'Bồi dưỡng nghiệp vụ thông tin cơ sở', '2023-12-04', '2023-12-05', 30, '`+now+`', '`+now+`')`,
		`INSERT INTO sessions (id, course_id, starts_at, ends_at) VALUES (1, 1, '2023-12-04T00:30:00Z', '2023-12-04T04:30:00Z')`,
		`INSERT INTO sessions (id, course_id, starts_at, ends_at) VALUES (2, 1, '2023-12-04T06:30:00Z', '2023-12-04T10:00:00Z')`,
		`INSERT INTO sessions (id, course_id, starts_at, ends_at, checkin_secret)
			VALUES (3, 1, '2023-12-05T00:30:00Z', '2023-12-05T04:30:00Z', '0123456789abcdef0123456789abcdef')`,
	)
	if _, err := p.UpTo(ctx, version); err != nil {
		t.Fatal(err)
	}
	secrets := map[int64]string{}
	rows, err := db.QueryContext(ctx, `SELECT id, checkin_secret FROM sessions ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var s string
		if err := rows.Scan(&id, &s); err != nil {
			t.Fatal(err)
		}
		secrets[id] = s
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	hex32 := regexp.MustCompile(`^[0-9a-f]{32}$`)
	if !hex32.MatchString(secrets[1]) || !hex32.MatchString(secrets[2]) || secrets[1] == secrets[2] {
		t.Errorf("backfilled secrets %q and %q, want two different 32 hex digits", secrets[1], secrets[2])
	}
	if secrets[3] != "0123456789abcdef0123456789abcdef" {
		t.Errorf("a session's own secret became %q", secrets[3])
	}
	if _, err := p.DownTo(ctx, version-1); err != nil {
		t.Fatalf("down: %v", err)
	}
}
