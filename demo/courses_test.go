package demo

import (
	"strings"
	"testing"
	"time"

	"taphuan/courses"
	"taphuan/database/dbtest"
)

func TestDemoCourses(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	logins, err := Load(t.Context(), db, "")
	if err != nil {
		t.Fatal(err)
	}
	cs := courses.New(db)
	c, err := cs.FindCourseByID(t.Context(), logins.CourseID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Title != "Tập huấn nâng cao năng lực cán bộ thông tin và truyền thông cơ sở năm 2023" || c.CoOrganizer != "Cục Thông tin cơ sở" ||
		c.Capacity != 200 || c.StartsOn != "2023-12-04" || c.EndsOn != "2023-12-05" || c.Status != courses.StatusCompleted ||
		!strings.Contains(c.Venue, "Nha Trang") {
		t.Errorf("workshop %+v", c)
	}
	if !strings.Contains(c.Program, "Chương trình mục tiêu quốc gia giảm nghèo bền vững") || !strings.Contains(c.Program, " / Dự án 6: Truyền thông và giảm nghèo về thông tin") {
		t.Errorf("filed under %q", c.Program)
	}
	modules, _ := cs.ListModules(t.Context(), c.ID)
	if len(modules) != 4 || !strings.Contains(modules[3].Title, "truyền thanh") {
		t.Fatalf("modules %+v", modules)
	}
	for _, m := range modules {
		if m.Lecturer == "" {
			t.Errorf("module %q has no lecturer", m.Title)
		}
	}
	sessions, _ := cs.ListSessions(t.Context(), c.ID)
	days := courses.Timetable(sessions)
	if len(days) != 2 || len(days[0].Parts) != 2 || len(days[1].Parts) != 2 || days[1].Parts[1].Sessions[0].ModuleTitle != modules[3].Title {
		t.Errorf("timetable %+v", days)
	}

	open, total, err := cs.ListCourses(t.Context(), courses.CourseFilter{AllOrganizations: true,
		From: time.Now().Format("2006-01-02"), Status: courses.StatusOpen})
	if err != nil || total != 1 {
		t.Fatalf("upcoming open courses: %d (%v)", total, err)
	}
	up := open[0]
	if up.Capacity != 160 || !up.RegistrationOpenAt(time.Now()) || up.RegistrationMode != courses.ModeApproval {
		t.Errorf("upcoming course %+v does not take registrations", up)
	}
}
