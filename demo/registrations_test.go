package demo_test

import (
	"testing"

	"taphuan/courses"
	"taphuan/database/dbtest"
	"taphuan/demo"
)

func TestDemoHasTheRoster(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	logins, err := demo.Load(t.Context(), db, "")
	if err != nil {
		t.Fatal(err)
	}
	if logins.CourseID == 0 {
		t.Fatal("no demo course")
	}
	regs, total, err := courses.New(db).ListRegistrations(t.Context(), courses.RegistrationFilter{CourseID: logins.CourseID, Query: "mai hong hoa"})
	if err != nil || total != 1 || regs[0].Organization != "Đài Phát thanh và Truyền hình Khánh Hòa" {
		t.Errorf("Mai Hồng Hoa of the roster: %v %d %v", regs, total, err)
	}
	_, total, _ = courses.New(db).ListRegistrations(t.Context(), courses.RegistrationFilter{CourseID: logins.CourseID, Statuses: []string{courses.RegConfirmed}})
	if total != 200 {
		t.Errorf("%d confirmed in the demo course, want the 200 of the roster", total)
	}
}
