package demo

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"

	"taphuan/courses"
	"taphuan/database"
)

// roster200 is the participant list of the demo course: 200 officials of Khánh Hòa's
// grassroots information system (a copy of the shared test data).
//
//go:embed roster-200.csv
var roster200 []byte

// loadRegistrations imports the 200 people of the demo roster into the demo course, the way
// an organizer imports a sending unit's list.
func loadRegistrations(ctx context.Context, db *database.DB, logins *Logins) error {
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
