package migrations_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pressly/goose/v3"

	"taphuan/database"
	"taphuan/database/dbtest"
	"taphuan/migrations"
)

// TestBackfillsSameOnBothEngines upgrades a SQLite and a PostgreSQL database holding the
// same rows from version 6 to the newest and compares what the data-moving statements made
// of them: the confirmed counts (00007), the certificates' printed title, dates and agency
// (00009, 00010), the units, keys and quotas made of the text quotas and the registrations'
// units (00014), the lecturer records split off the modules' text (00016). Then the
// confirmed_count triggers run on both for the same changes.
func TestBackfillsSameOnBothEngines(t *testing.T) {
	t.Parallel()
	lite, err := sql.Open("sqlite3", "file:"+filepath.Join(t.TempDir(), "m.db")+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	url := dbtest.EmptyPostgresURL(t)
	// goose on pgx's own driver (its version table has a boolean), the rows through
	// taphuan's (with `?`).
	pgGoose, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer pgGoose.Close()
	pg, err := sql.Open(database.PostgresDriver, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	liteDump := upgradeWithData(t, lite, lite, migrations.SQLite)
	pgDump := upgradeWithData(t, pgGoose, pg, migrations.Postgres)
	for name, l := range liteDump {
		if p := pgDump[name]; p != l {
			t.Errorf("%s differs:\nSQLite:\n%s\nPostgreSQL:\n%s", name, l, p)
		}
	}
	// Guard: the backfills did something.
	for name, min := range map[string]int{"units": 3, "unit_keys": 3, "course_unit_quotas": 3, "lecturers": 4} {
		if n := strings.Count(liteDump[name], "\n"); n < min {
			t.Errorf("%s: %d rows after the upgrade, want at least %d:\n%s", name, n, min, liteDump[name])
		}
	}
}

var secondsUTC = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)

// upgradeWithData migrates db to version 6, adds the rows, migrates to the newest version,
// changes a few registrations, and returns the rows of interest, one text per table.
func upgradeWithData(t *testing.T, gooseDB, db *sql.DB, d migrations.Dialect) map[string]string {
	t.Helper()
	ctx := context.Background()
	fsys, err := migrations.Files(d)
	if err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(goose.Dialect(d), gooseDB, fsys)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 6); err != nil {
		t.Fatal(err)
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %s: %v", d, q, err)
		}
	}
	const now = "2023-12-05T09:00:00.000000Z"
	key := []byte{0x01, 0xff}
	exec(`INSERT INTO organizations (id, name, created_at) VALUES (1, 'Sở Thông tin và Truyền thông', ?), (2, 'Sở Y tế', ?)`, now, now)
	exec(`INSERT INTO users (id, email, name, role, organization_id, password_hash, created_at) VALUES (1, 'a@x.vn', 'A', 'staff', 1, 'h', ?)`, now)
	for _, c := range [][]any{{1, 1, "Bồi dưỡng kỹ năng số", "2023-12-04"}, {2, 1, "An toàn thông tin", "2024-01-10"}, {3, 2, "Y tế cơ sở", "2024-02-01"}} {
		exec(`INSERT INTO courses (id, organization_id, title, starts_on, ends_on, capacity, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, 30, ?, ?)`, append(c, c[3], now, now)...)
	}
	for _, q := range [][]any{
		{1, "UBND xã Cam Hải Tây", "ubnd xa cam hai tay", 2},
		{2, "ubnd Xã Cam Hải Tây", "ubnd xa cam hai tay", 3},
		{1, "Báo Khánh Hòa", "bao khanh hoa", 4},
		{1, "Ủy ban nhân dân xã Cam Hải Tây", "uy ban nhan dan xa cam hai tay", 1},
		{3, "Trung tâm Y tế", "trung tam y te", 5},
	} {
		exec(`INSERT INTO unit_quotas (course_id, unit, unit_folded, seats) VALUES (?, ?, ?, ?)`, q...)
	}
	exec(`INSERT INTO people (id, full_name, name_folded, sort_key, created_at, updated_at) VALUES (1, 'Nguyễn Văn An', 'nguyen van an', ?, ?, ?)`, key, now, now)
	for _, r := range [][]any{
		{1, 1, "confirmed", "bao khanh hoa"}, {2, 1, "confirmed", "ubnd xa cam hai tay"}, {3, 1, "waitlisted", ""},
		{4, 1, "cancelled", "bao khanh hoa"}, {5, 2, "confirmed", "khong co"}, {6, 3, "pending", "trung tam y te"},
	} {
		exec(`INSERT INTO registrations (id, course_id, person_id, code, status, full_name, name_folded, sort_key, unit_folded, created_at, updated_at)
			VALUES (?, ?, 1, ?, ?, 'Nguyễn Văn An', 'nguyen van an', ?, ?, ?, ?)`, r[0], r[1], fmt.Sprint("ve-", r[0]), r[2], key, r[3], now, now)
	}
	for _, c := range [][]any{{1, 1, 1, 1}, {2, 1, 1, 2}, {3, 1, 2, 5}, {4, 2, 3, 6}} {
		exec(`INSERT INTO certificates (id, organization_id, course_id, registration_id, year, seq, number, code, status, full_name, issued_on, issued_at, pdf, sha256)
			VALUES (?, ?, ?, ?, 2023, ?, 'n', ?, 'valid', 'Nguyễn Văn An', '2023-12-05', ?, ?, 's')`, c[0], c[1], c[2], c[3], c[0], fmt.Sprint("gcn-", c[0]), now, []byte("%PDF"))
	}
	for i, m := range [][]any{
		{1, "ThS. Nguyễn Văn Hùng"}, {2, "Nguyễn Văn Hùng"}, {1, "PGS. TS. Trần Thị Lan"}, {2, "PGS.TS. Trần Thị Lan"},
		{1, "ths. Lê Minh"}, {1, "   "}, {1, "TS.Phạm Hà"}, {3, "Nguyễn Văn Hùng"}, {3, "BS. Đặng Thu"}, {1, "GS. TS. Võ Ân"},
	} {
		exec(`INSERT INTO modules (id, course_id, title, lecturer) VALUES (?, ?, 'Chuyên đề', ?)`, i+1, m[0], m[1])
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatal(err)
	}
	// The triggers of confirmed_count: a new confirmed seat, a cancellation, a promotion from
	// the waiting list, a move to another course, a deletion.
	exec(`INSERT INTO registrations (id, course_id, person_id, code, status, full_name, name_folded, sort_key, created_at, updated_at)
		VALUES (7, 2, 1, 've-7', 'confirmed', 'Nguyễn Văn An', 'nguyen van an', ?, ?, ?)`, key, now, now)
	exec(`UPDATE registrations SET status = 'cancelled' WHERE id = 2`)
	exec(`UPDATE registrations SET status = 'confirmed' WHERE id = 3`)
	exec(`UPDATE registrations SET course_id = 3 WHERE id = 7`)
	exec(`UPDATE registrations SET status_reason = 'x' WHERE id = 1`)
	exec(`DELETE FROM certificates WHERE registration_id = 5`)
	exec(`DELETE FROM registrations WHERE id = 5`)

	dump := map[string]string{}
	for name, q := range map[string]string{
		"courses":            `SELECT id, confirmed_count FROM courses`,
		"certificates":       `SELECT id, course_title, course_starts_on, course_ends_on, agency FROM certificates`,
		"units":              `SELECT id, name, short_name, kind, locality, parent_id, merged_into, created_at, updated_at FROM units`,
		"unit_keys":          `SELECT match_key, unit_id, source, text FROM unit_keys`,
		"course_unit_quotas": `SELECT course_id, unit_id, seats FROM course_unit_quotas`,
		"registrations":      `SELECT id, course_id, status, unit_id FROM registrations`,
		"lecturers":          `SELECT id, organization_id, full_name, name_folded, title, tier, created_at, updated_at FROM lecturers`,
		"modules":            `SELECT id, lecturer, lecturer_id FROM modules`,
	} {
		rows, err := db.QueryContext(ctx, q)
		if err != nil {
			t.Fatalf("%s: %s: %v", d, q, err)
		}
		cols, _ := rows.Columns()
		var lines []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var fields []string
			for i, v := range vals {
				if b, ok := v.([]byte); ok {
					v = string(b)
				}
				s := fmt.Sprint(v)
				if v == nil {
					s = "NULL"
				}
				// The time of the upgrade differs between the runs; its format must not.
				if cols[i] == "created_at" || cols[i] == "updated_at" {
					if !secondsUTC.MatchString(s) {
						t.Errorf("%s: %s.%s = %q, want the format of strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ')", d, name, cols[i], s)
					}
					s = "(time)"
				}
				fields = append(fields, s)
			}
			lines = append(lines, strings.Join(fields, " | "))
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		slices.Sort(lines)
		dump[name] = strings.Join(lines, "\n") + "\n"
	}
	return dump
}
