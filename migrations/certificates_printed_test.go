package migrations

import (
	"context"
	"database/sql"
	"testing"

	_ "github.com/mattn/go-sqlite3"
)

// TestCertificatesPrintedBackfill: certificates issued before the printed course title was
// kept get their course's title; the migration goes down again.
func TestCertificatesPrintedBackfill(t *testing.T) {
	t.Parallel()
	db, p, version := beforeMigration(t, "_certificates_printed.sql")
	ctx := context.Background()
	const now = "2023-12-05T09:00:00Z"
	execAll(t, db,
		`INSERT INTO organizations (id, name, created_at) VALUES (1, 'Sở Thông tin và Truyền thông', '`+now+`')`,
		`INSERT INTO courses (id, organization_id, title, starts_on, ends_on, capacity, created_at, updated_at)
			VALUES (1, 1, 'Bồi dưỡng nghiệp vụ thông tin cơ sở', '2023-12-04', '2023-12-05', 30, '`+now+`', '`+now+`')`,
		`INSERT INTO people (id, full_name, name_folded, sort_key, created_at, updated_at)
			VALUES (1, 'Nguyễn Văn An', 'nguyen van an', x'00', '`+now+`', '`+now+`')`,
		`INSERT INTO registrations (id, course_id, person_id, code, status, full_name, name_folded, sort_key, created_at, updated_at)
			VALUES (1, 1, 1, 've-1', 'confirmed', 'Nguyễn Văn An', 'nguyen van an', x'00', '`+now+`', '`+now+`')`,
		`INSERT INTO certificates (organization_id, course_id, registration_id, year, seq, number, code, status,
			full_name, issued_on, issued_at, pdf, sha256)
			VALUES (1, 1, 1, 2023, 1, '001/GCN', 'ma-1', 'valid', 'Nguyễn Văn An', '2023-12-05', '`+now+`', x'25', '')`,
	)
	if _, err := p.UpTo(ctx, version); err != nil {
		t.Fatal(err)
	}
	var title string
	var revokedBy sql.NullInt64
	if err := db.QueryRowContext(ctx, `SELECT course_title, revoked_by FROM certificates`).Scan(&title, &revokedBy); err != nil {
		t.Fatal(err)
	}
	if title != "Bồi dưỡng nghiệp vụ thông tin cơ sở" || revokedBy.Valid {
		t.Errorf("after the migration: course_title %q, revoked_by %v", title, revokedBy)
	}
	if _, err := p.DownTo(ctx, version-1); err != nil {
		t.Fatalf("down: %v", err)
	}
	if _, err := db.ExecContext(ctx, `SELECT full_name FROM certificates`); err != nil {
		t.Errorf("certificates after going down: %v", err)
	}
}
