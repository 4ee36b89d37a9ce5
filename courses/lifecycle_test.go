package courses_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/database"
	"taphuan/database/dbtest"
	"taphuan/vn"
)

// TestCalendarMovesCourses: an open course closes its registration at the window's end or
// when its first session starts, and is completed once its last session has ended; the
// stored status, the list filter and the registration check agree; drafts and cancelled
// courses stay; reopening what the calendar closed is refused unless the window moves.
func TestCalendarMovesCourses(t *testing.T) {
	db := dbtest.New(t)
	org := coursestest.Org(t, db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	s := courses.New(db)
	now := time.Now().In(vn.Location)
	today := func(days int) string { return now.AddDate(0, 0, days).Format("2006-01-02") }
	stored := func(id int64) string {
		var st string
		if err := db.R.Get(&st, `SELECT status FROM courses WHERE id = ?`, id); err != nil {
			t.Fatal(err)
		}
		return st
	}
	course := func(status, from, to string) *courses.Course {
		return coursestest.Course(t, db, org.ID, func(c *courses.Course) { c.Status, c.StartsOn, c.EndsOn = status, from, to })
	}
	for _, tc := range []struct {
		name    string
		make    func() *courses.Course
		want    string
		takesIn bool // takes registrations
	}{
		{"upcoming stays open", func() *courses.Course {
			c := course(courses.StatusOpen, today(10), today(11))
			coursestest.Session(t, db, c.ID, now.AddDate(0, 0, 10), 4*time.Hour, "Hội trường A")
			return c
		}, courses.StatusOpen, true},
		{"window over closes", func() *courses.Course {
			c := course(courses.StatusOpen, today(10), today(11))
			db.W.Exec(`UPDATE courses SET registration_closes_at = ? WHERE id = ?`, database.FormatTime(now.Add(-time.Minute)), c.ID)
			return c
		}, courses.StatusClosed, false},
		{"first session started closes", func() *courses.Course {
			c := course(courses.StatusOpen, today(0), today(1))
			coursestest.Session(t, db, c.ID, now.Add(-time.Hour), 2*time.Hour, "Hội trường A")
			coursestest.Session(t, db, c.ID, now.Add(24*time.Hour), 2*time.Hour, "Hội trường A")
			return c
		}, courses.StatusClosed, false},
		{"no session: first day begun closes", func() *courses.Course {
			return course(courses.StatusOpen, today(0), today(1))
		}, courses.StatusClosed, false},
		{"last session ended completes", func() *courses.Course {
			c := course(courses.StatusOpen, today(0), today(0))
			coursestest.Session(t, db, c.ID, now.Add(-3*time.Hour), 2*time.Hour, "Hội trường A")
			return c
		}, courses.StatusCompleted, false},
		{"closed in 2023 completes", func() *courses.Course { return course(courses.StatusClosed, "2023-12-04", "2023-12-05") }, courses.StatusCompleted, false},
		{"draft stays", func() *courses.Course { return course(courses.StatusDraft, "2023-12-04", "2023-12-05") }, courses.StatusDraft, false},
		{"cancelled stays", func() *courses.Course { return course(courses.StatusCancelled, "2023-12-04", "2023-12-05") }, courses.StatusCancelled, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.make()
			got, err := s.FindCourseByID(t.Context(), c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != tc.want || stored(c.ID) != tc.want {
				t.Errorf("status %s, stored %s, want %s", got.Status, stored(c.ID), tc.want)
			}
			if got.RegistrationOpenAt(time.Now()) != tc.takesIn {
				t.Errorf("registration open: %v, want %v", !tc.takesIn, tc.takesIn)
			}
			_, err = s.Register(t.Context(), courses.RegisterInput{CourseID: c.ID, FullName: "Nguyễn Thị Hải Yến", Gender: "Nữ",
				BirthDate: "15/03/1985", Organization: "Đài truyền thanh xã Ninh Xuân", Phone: "0912345678"})
			if tc.takesIn != (err == nil) || (!tc.takesIn && !errors.Is(err, courses.ErrRegistrationClosed)) {
				t.Errorf("register: %v (takes registrations: %v)", err, tc.takesIn)
			}
		})
	}

	// The list filter sees the moved status without anybody opening the course first.
	c := course(courses.StatusOpen, "2023-12-04", "2023-12-05")
	open, _, err := s.ListCourses(t.Context(), courses.CourseFilter{AllOrganizations: true, Status: courses.StatusOpen})
	if err != nil {
		t.Fatal(err)
	}
	if slices.ContainsFunc(open, func(o courses.Course) bool { return o.ID == c.ID }) || stored(c.ID) != courses.StatusCompleted {
		t.Errorf("a 2023 course is listed as open (stored %s)", stored(c.ID))
	}

	// Reopening: refused while the calendar keeps registration closed, offered once the
	// window moves.
	r := course(courses.StatusOpen, today(10), today(11))
	coursestest.Session(t, db, r.ID, now.AddDate(0, 0, 10), 4*time.Hour, "Hội trường A")
	past := database.Time{Time: now.Add(-time.Minute)}
	if _, err := s.UpdateCourse(t.Context(), r.ID, courses.CoursePatch{RegistrationClosesAt: &past}); err != nil {
		t.Fatal(err)
	}
	closed, _ := s.FindCourseByID(t.Context(), r.ID)
	if closed.Status != courses.StatusClosed || slices.Contains(closed.NextStatusesAt(time.Now()), courses.StatusOpen) {
		t.Errorf("after the deadline: %s, next %v", closed.Status, closed.NextStatusesAt(time.Now()))
	}
	if _, err := s.SetStatus(t.Context(), r.ID, courses.StatusOpen); !errors.Is(err, courses.ErrReopenPast) {
		t.Errorf("reopen after the deadline: %v, want ErrReopenPast", err)
	}
	later := database.Time{Time: now.AddDate(0, 0, 5)}
	open2 := courses.StatusOpen
	got, err := s.UpdateCourse(t.Context(), r.ID, courses.CoursePatch{RegistrationClosesAt: &later, Status: &open2})
	if err != nil || got.Status != courses.StatusOpen {
		t.Errorf("reopen with a later deadline: %v %v", got, err)
	}
}
