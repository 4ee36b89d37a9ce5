package migrations

import (
	"context"
	"testing"

	_ "github.com/mattn/go-sqlite3"
)

// TestUnitsFromTextQuotas: the text quotas become units and quotas by unit id, nothing
// lost; registrations written exactly like a quota get its unit; the users table takes the
// role unit without an organization, and still refuses an unknown role.
func TestUnitsFromTextQuotas(t *testing.T) {
	db, p, version := beforeMigration(t, "_units.sql")
	ctx := context.Background()
	const now = "2023-12-05T09:00:00Z"
	execAll(t, db,
		`INSERT INTO organizations (id, name, created_at) VALUES (1, 'Sở Thông tin và Truyền thông', '`+now+`')`,
		`INSERT INTO users (email, name, role, organization_id, password_hash, created_at) VALUES ('a@x.vn', 'A', 'staff', 1, 'h', '`+now+`')`,
		`INSERT INTO courses (id, organization_id, title, starts_on, ends_on, capacity, created_at, updated_at)
			VALUES (1, 1, 'Bồi dưỡng', '2023-12-04', '2023-12-05', 30, '`+now+`', '`+now+`')`,
		`INSERT INTO unit_quotas (course_id, unit, unit_folded, seats) VALUES (1, 'UBND xã Cam Hải Tây', 'ubnd xa cam hai tay', 1)`,
		`INSERT INTO unit_quotas (course_id, unit, unit_folded, seats) VALUES (1, 'Ủy ban nhân dân xã Cam Hải Tây', 'uy ban nhan dan xa cam hai tay', 1)`,
		`INSERT INTO unit_quotas (course_id, unit, unit_folded, seats) VALUES (1, 'Báo Khánh Hòa', 'bao khanh hoa', 4)`,
		`INSERT INTO people (id, full_name, name_folded, sort_key, created_at, updated_at)
			VALUES (1, 'Nguyễn Văn An', 'nguyen van an', x'00', '`+now+`', '`+now+`')`,
		`INSERT INTO registrations (id, course_id, person_id, code, status, full_name, name_folded, sort_key, organization, unit_folded, created_at, updated_at)
			VALUES (1, 1, 1, 've-1', 'confirmed', 'Nguyễn Văn An', 'nguyen van an', x'00', 'báo khánh hoà', 'bao khanh hoa', '`+now+`', '`+now+`')`,
	)
	if _, err := p.UpTo(ctx, version); err != nil {
		t.Fatal(err)
	}
	var n, seats int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*), SUM(seats) FROM course_unit_quotas`).Scan(&n, &seats); err != nil || n != 3 || seats != 6 {
		t.Errorf("quotas after the migration: %d rows, %d seats (%v), want 3 and 6", n, seats, err)
	}
	var unit string
	if err := db.QueryRowContext(ctx, `SELECT u.name FROM registrations r JOIN units u ON u.id = r.unit_id WHERE r.id = 1`).Scan(&unit); err != nil || unit != "Báo Khánh Hòa" {
		t.Errorf("registration's unit: %q %v", unit, err)
	}
	var org string
	if err := db.QueryRowContext(ctx, `SELECT organization FROM registrations WHERE id = 1`).Scan(&org); err != nil || org != "báo khánh hoà" {
		t.Errorf("the text as written is lost: %q %v", org, err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO users (email, name, role, password_hash, created_at, unit_id)
		VALUES ('u@x.vn', 'U', 'unit', 'h', '`+now+`', 1)`); err != nil {
		t.Errorf("a focal point user: %v", err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO users (email, name, role, password_hash, created_at)
		VALUES ('s@x.vn', 'S', 'staff', 'h', '`+now+`')`); err == nil {
		t.Error("staff without an organization accepted")
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO users (email, name, role, organization_id, password_hash, created_at)
		VALUES ('z@x.vn', 'Z', 'boss', 1, 'h', '`+now+`')`); err == nil {
		t.Error("an unknown role accepted")
	}
	var ok string
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Errorf("integrity: %q %v", ok, err)
	}
}
