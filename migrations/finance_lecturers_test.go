package migrations

import (
	"context"
	"database/sql"
	"testing"
)

// TestLecturersMatchedIntoRecords: the free-text lecturers of existing modules become one
// record per organization and name, titles split off; every module points to its record and
// keeps its text as written; the migration goes down again.
func TestLecturersMatchedIntoRecords(t *testing.T) {
	db, p, version := beforeMigration(t, "_finance.sql")
	ctx := context.Background()
	const now = "2023-12-05T09:00:00Z"
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`INSERT INTO organizations (id, name, created_at) VALUES (1, 'Sở Thông tin và Truyền thông', ?), (2, 'Sở Y tế', ?)`, now, now)
	for id, org := range map[int]int{1: 1, 2: 1, 3: 2} {
		exec(`INSERT INTO courses (id, organization_id, title, starts_on, ends_on, capacity, created_at, updated_at)
			VALUES (?, ?, 'Lớp', '2023-12-04', '2023-12-05', 30, ?, ?)`, id, org, now, now)
	}
	written := map[int]string{
		1: "ThS. Nguyễn Văn Hùng", // course 1
		2: "Nguyễn Văn Hùng",      // course 2, same organization: the same person
		3: "PGS. TS. Trần Thị Lan",
		4: "",
		5: "Nguyễn Văn Hùng", // course 3, another organization: another record
	}
	courseOf := map[int]int{1: 1, 2: 2, 3: 1, 4: 1, 5: 3}
	for id, name := range written {
		exec(`INSERT INTO modules (id, course_id, title, lecturer) VALUES (?, ?, 'Chuyên đề', ?)`, id, courseOf[id], name)
	}
	if _, err := p.UpTo(ctx, version); err != nil {
		t.Fatal(err)
	}
	type rec struct {
		org         int64
		name, title string
	}
	got := map[int]rec{}
	for id := range written {
		var lecturer string
		var lid sql.NullInt64
		if err := db.QueryRowContext(ctx, `SELECT lecturer, lecturer_id FROM modules WHERE id = ?`, id).Scan(&lecturer, &lid); err != nil {
			t.Fatal(err)
		}
		if lecturer != written[id] {
			t.Errorf("module %d: lecturer %q, want %q as written", id, lecturer, written[id])
		}
		if !lid.Valid {
			if written[id] != "" {
				t.Errorf("module %d (%q) points to no record", id, written[id])
			}
			continue
		}
		var r rec
		if err := db.QueryRowContext(ctx, `SELECT organization_id, full_name, title FROM lecturers WHERE id = ?`, lid.Int64).Scan(&r.org, &r.name, &r.title); err != nil {
			t.Fatal(err)
		}
		got[id] = r
	}
	want := map[int]rec{1: {1, "Nguyễn Văn Hùng", "ThS."}, 2: {1, "Nguyễn Văn Hùng", "ThS."},
		3: {1, "Trần Thị Lan", "PGS.TS."}, 5: {2, "Nguyễn Văn Hùng", ""}}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("module %d → %+v, want %+v", id, got[id], w)
		}
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM lecturers`).Scan(&n); err != nil || n != 3 {
		t.Errorf("%d records (%v), want 3", n, err)
	}
	if _, err := p.DownTo(ctx, version-1); err != nil {
		t.Fatal(err)
	}
}
