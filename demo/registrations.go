package demo

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"

	"taphuan/courses"
	"taphuan/database"
	"taphuan/vn"
)

// roster200 is the participant list of the demo course: 200 officials of Khánh Hòa's
// grassroots information system (a copy of the shared test data).
//
//go:embed roster-200.csv
var roster200 []byte

// loadRegistrations imports the 200 people of the demo roster into the demo course, the way
// an organizer imports a sending unit's list. Until the course planning step provides the
// course (logins.CourseID), it files a minimal one itself.
func loadRegistrations(ctx context.Context, db *database.DB, orgID int64, logins *Logins) error {
	if logins.CourseID == 0 {
		id, err := demoCourse(ctx, db, orgID)
		if err != nil {
			return err
		}
		logins.CourseID = id
	}
	rows, err := courses.ParseRoster(bytes.NewReader(roster200), "roster-200.csv")
	if err != nil {
		return fmt.Errorf("demo: roster: %w", err)
	}
	res, err := courses.New(db).Import(ctx, courses.ImportInput{CourseID: logins.CourseID, Rows: rows, Mode: courses.ImportStrict})
	if err != nil {
		return fmt.Errorf("demo: import roster: %w", err)
	}
	if res.Imported != len(rows) {
		return fmt.Errorf("demo: roster: %d of %d rows imported, first error on line %d", res.Imported, len(rows), res.Errors[0].Row)
	}
	return nil
}

// demoCourse files the workshop of 4/12/2023, open for registration, with room for the
// roster and a few more.
func demoCourse(ctx context.Context, db *database.DB, orgID int64) (int64, error) {
	const title = "Tập huấn nâng cao năng lực cán bộ làm công tác thông tin cơ sở năm 2023"
	now := database.Now()
	res, err := db.W.ExecContext(ctx, `INSERT INTO courses (organization_id, title, title_folded, co_organizer,
		program, venue, place_name, starts_on, ends_on, capacity, registration_mode, min_attendance_percent,
		support_amount_per_day, status, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', 80, 150000, 'open', ?, ?)`,
		orgID, title, vn.Fold(title), "Cục Thông tin cơ sở",
		"Chương trình mục tiêu quốc gia giảm nghèo bền vững 2021–2025 / Dự án 6",
		"Hội trường Sở Thông tin và Truyền thông, 02 Lê Lợi, Nha Trang", "Khánh Hòa",
		"2023-12-04", "2023-12-04", 220, now, now)
	if err != nil {
		return 0, fmt.Errorf("demo: course: %w", err)
	}
	return res.LastInsertId()
}
