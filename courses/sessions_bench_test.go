package courses_test

import (
	"fmt"
	"testing"
	"time"

	"taphuan/attendance"
	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/database"
	"taphuan/database/dbtest"
	"taphuan/vn"
)

// BenchmarkCreateSession measures adding (and removing) a session with its clash checks,
// on an empty timetable (the baseline) and among 2 000 sessions of 500 courses in the same
// month at the same venue.
func BenchmarkCreateSession(b *testing.B) {
	for _, courseCount := range []int{0, 500} {
		b.Run(fmt.Sprintf("courses=%d", courseCount), func(b *testing.B) {
			db := dbtest.New(b)
			org := coursestest.Org(b, db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
			s := courses.New(db)
			s.UseSessionRecords(attendance.New(db, s))
			for i := range courseCount {
				c := coursestest.Course(b, db, org.ID, func(c *courses.Course) { c.StartsOn, c.EndsOn = "2023-12-01", "2023-12-31" })
				coursestest.Module(b, db, c.ID, "Chuyên đề", fmt.Sprintf("Báo cáo viên %d", i))
				day := fmt.Sprintf("2023-12-%02d", 1+i%28)
				coursestest.Day(b, db, c.ID, day)
				d, _ := time.ParseInLocation("2006-01-02", day, vn.Location)
				coursestest.Session(b, db, c.ID, d.Add(18*time.Hour), time.Hour, fmt.Sprintf("Phòng %d", i))
				coursestest.Session(b, db, c.ID, d.Add(19*time.Hour), time.Hour, fmt.Sprintf("Phòng %d", i))
			}
			c := coursestest.Course(b, db, org.ID, func(c *courses.Course) { c.StartsOn, c.EndsOn = "2023-12-01", "2023-12-31" })
			start, _ := time.ParseInLocation("2006-01-02 15:04", "2023-12-15 07:30", vn.Location)
			in := courses.SessionInput{StartsAt: database.Time{Time: start}, EndsAt: database.Time{Time: start.Add(4 * time.Hour)}, Room: "Phòng riêng"}
			b.ResetTimer()
			for b.Loop() {
				ss, err := s.CreateSession(b.Context(), c.ID, in)
				if err != nil {
					b.Fatal(err)
				}
				if err := s.DeleteSession(b.Context(), ss.ID); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
