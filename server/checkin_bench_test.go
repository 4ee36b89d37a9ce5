package server

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"taphuan/accounts"
	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/vn"
)

// BenchmarkCheckInAPI: POST /api/v1/sessions/{id}/checkin under 50 concurrent clients on a
// 2,000-person course — look up the ticket, mark present in a write transaction with the
// edit log, and answer with the live counts. Every ticket is checked in once, then again
// (a second scan keeps the mark and writes nothing), as at a real door.
//
//	go test ./server/ -run '^$' -bench 'CheckInAPI|BareInsert' -benchtime 4000x
func BenchmarkCheckInAPI(b *testing.B) {
	a := newTestApp(b)
	org := coursestest.Org(b, a.db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	course := coursestest.Course(b, a.db, org.ID, func(c *courses.Course) { c.Capacity = 2000 })
	day := time.Now().In(vn.Location)
	sess := coursestest.Session(b, a.db, course.ID, day, 4*time.Hour, "Hội trường A")
	codes := make([]string, 2000)
	for i := range codes {
		codes[i] = coursestest.Registration(b, a.db, course.ID, coursestest.Person{FullName: "Nguyễn Văn An"}, courses.RegConfirmed).Code
	}
	token := a.token(a.user(accounts.RoleStaff, org.ID))
	runClients(b, a, token, fmt.Sprintf("/api/v1/sessions/%d/checkin", sess.ID), 200, func(n int64) []byte {
		body, _ := json.Marshal(map[string]string{"code": codes[int(n)%len(codes)]})
		return body
	})
}
