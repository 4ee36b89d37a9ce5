package demo

import (
	"strings"
	"testing"

	"taphuan/accounts"
	"taphuan/courses"
	"taphuan/database/dbtest"
)

// TestDemoUnits: the demo province's units with aliases; every trainee of the workshop is
// matched to a unit; the upcoming course has quotas per commune; the focal point of UBND xã
// Cam Hải Tây signs in, is printed with the other logins, and sees its nominee.
func TestDemoUnits(t *testing.T) {
	db := dbtest.New(t)
	logins, err := Load(t.Context(), db, "")
	if err != nil {
		t.Fatal(err)
	}
	cs := courses.New(db)
	unmatched, err := cs.UnmatchedUnits(t.Context(), logins.CourseID, nil)
	if err != nil || len(unmatched) != 0 {
		t.Errorf("workshop texts matching no unit: %+v %v", unmatched, err)
	}
	fill, _ := cs.QuotaFill(t.Context(), logins.CourseID)
	if len(fill) < 20 {
		t.Errorf("units of the workshop: %d", len(fill))
	}
	if !strings.Contains(logins.String(), UnitMail) {
		t.Errorf("the focal point is not printed:\n%s", logins)
	}
	u, err := accounts.New(db).Authenticate(t.Context(), UnitMail, Password, "127.0.0.1")
	if err != nil || u.Role != accounts.RoleUnit || u.UnitID == 0 {
		t.Fatalf("focal point login: %+v %v", u, err)
	}
	mine, err := cs.CoursesForUnit(t.Context(), u.UnitID)
	if err != nil || len(mine) != 1 || mine[0].Seats != 3 || mine[0].Confirmed != 1 {
		t.Fatalf("the focal point's courses: %+v %v", mine, err)
	}
	upFill, _ := cs.QuotaFill(t.Context(), mine[0].Course.ID)
	quotas := 0
	for _, f := range upFill {
		if f.Seats != nil {
			quotas++
		}
	}
	if quotas != 11 {
		t.Errorf("quotas on the upcoming course: %d, want 11", quotas)
	}
}
