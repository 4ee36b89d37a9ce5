package courses_test

import (
	"testing"

	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/database/dbtest"
)

// TestConfirmedCounterFollowsEveryChange: the seat counter kept by triggers agrees with a
// count of the roster after registrations, cancellations with promotion, moves and fixture
// inserts alike.
func TestConfirmedCounterFollowsEveryChange(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	org := coursestest.Org(t, db, "Sở Nội vụ")
	c := coursestest.Course(t, db, org.ID, func(c *courses.Course) { c.Capacity = 3 }, coursestest.Upcoming)
	s := courses.New(db)
	check := func(when string) {
		t.Helper()
		var counted int
		if err := db.R.Get(&counted, `SELECT COUNT(*) FROM registrations WHERE course_id = ? AND status = 'confirmed'`, c.ID); err != nil {
			t.Fatal(err)
		}
		if got := coursestest.Confirmed(t, s, c.ID); got != counted {
			t.Fatalf("%s: counter %d, roster has %d confirmed", when, got, counted)
		}
	}
	check("empty")
	coursestest.Registration(t, db, c.ID, coursestest.Person{FullName: "Lê Thị Bích"}, courses.RegConfirmed)
	check("fixture insert")
	var ids []int64
	for i, phone := range []string{"0912000001", "0912000002", "0912000003", "0912000004"} {
		reg, err := s.Register(t.Context(), courses.RegisterInput{CourseID: c.ID, FullName: "Trần Văn Nam", Gender: "Nam",
			BirthDate: "1980-01-02", Organization: "Đài truyền thanh xã Ninh Xuân", Phone: phone, Source: "api"})
		if err != nil {
			t.Fatalf("register %d: %v", i, err)
		}
		ids = append(ids, reg.ID)
		check("register")
	}
	if _, promoted, err := s.Cancel(t.Context(), courses.CancelInput{ID: ids[0], Reason: "bận công tác"}); err != nil || promoted == nil {
		t.Fatal(err)
	}
	check("cancel with promotion")
}
