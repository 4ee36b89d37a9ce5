package courses_test

import (
	"testing"

	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/database/dbtest"
)

func TestListRegistrationsOrderAndSearch(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	org := coursestest.Org(t, db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	c := coursestest.Course(t, db, org.ID)
	for _, n := range []string{"Đặng Văn Đức", "Nguyễn Thị Hoà", "Trần Thị Hòa", "Lê Văn An", "Phạm Thị Yến"} {
		coursestest.Registration(t, db, c.ID, coursestest.Person{FullName: n, Organization: "Đài truyền thanh xã Ninh Xuân"}, courses.RegConfirmed)
	}
	s := courses.New(db)
	regs, total, err := s.ListRegistrations(t.Context(), courses.RegistrationFilter{CourseID: c.ID})
	if err != nil || total != 5 {
		t.Fatalf("list: %d %v", total, err)
	}
	var got []string
	for _, r := range regs {
		got = append(got, r.FullName)
	}
	want := []string{"Lê Văn An", "Đặng Văn Đức", "Nguyễn Thị Hoà", "Trần Thị Hòa", "Phạm Thị Yến"}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("order %v, want %v", got, want)
		}
	}
	for q, n := range map[string]int{"dang van duc": 1, "hoa": 2, "HÒA": 2, "xyz": 0} {
		_, total, err := s.ListRegistrations(t.Context(), courses.RegistrationFilter{CourseID: c.ID, Query: q})
		if err != nil || total != n {
			t.Errorf("q=%q: %d matches (%v), want %d", q, total, err, n)
		}
	}
}
