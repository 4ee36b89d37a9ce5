package server

import (
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"taphuan/accounts"
	"taphuan/attendance"
	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/vn"
)

// BenchmarkPages2000 times the staff pages of a 2,000-person course (HTML, through the real
// engine and the session cookie), each next to the tiny /healthz answer of the same stack
// as the floor. Target: every page under 100 ms.
//
//	go test ./server/ -run '^$' -bench Pages2000 -benchtime 20x
func BenchmarkPages2000(b *testing.B) {
	a := newTestApp(b)
	org := coursestest.Org(b, a.db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	course := coursestest.Course(b, a.db, org.ID, func(c *courses.Course) { c.Capacity = 2000 })
	morning, afternoon := coursestest.Day(b, a.db, course.ID, time.Now().In(vn.Location).Format("2006-01-02"))
	organizer := a.user(accounts.RoleOrganizer, org.ID)
	att := attendance.New(a.db, courses.New(a.db))
	names := []string{"Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Thị Dung", "Đặng Văn Đức", "Hoàng Thị Hà"}
	for i := range 2000 {
		r := coursestest.Registration(b, a.db, course.ID, coursestest.Person{FullName: names[i%len(names)],
			Organization: fmt.Sprintf("Đài truyền thanh xã %d", i%90)}, courses.RegConfirmed)
		if i%3 != 0 {
			if _, err := att.SetMark(b.Context(), attendance.MarkInput{SessionID: morning.ID, RegistrationID: r.ID,
				Status: attendance.Present, UserID: organizer.ID}); err != nil {
				b.Fatal(err)
			}
		}
	}
	c := a.login(organizer)
	for _, p := range []struct{ name, path string }{
		{"floor_healthz", "/healthz"},
		{"roster", fmt.Sprintf("/staff/courses/%d/registrations", course.ID)},
		{"roster_search", fmt.Sprintf("/staff/courses/%d/registrations?q=duc", course.ID)},
		{"attendance_matrix", fmt.Sprintf("/staff/courses/%d/attendance", course.ID)},
		{"checkin", fmt.Sprintf("/staff/sessions/%d/checkin", afternoon.ID)},
		{"tickback", fmt.Sprintf("/staff/sessions/%d/tickback", morning.ID)},
		{"certificates", fmt.Sprintf("/staff/courses/%d/certificates", course.ID)},
		{"course", fmt.Sprintf("/staff/courses/%d", course.ID)},
	} {
		b.Run(p.name, func(b *testing.B) {
			for b.Loop() {
				resp, err := c.Get(a.ts.URL + p.path)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					b.Fatalf("%s: %d", p.path, resp.StatusCode)
				}
			}
		})
	}
}
