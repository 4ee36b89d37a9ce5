package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"taphuan/accounts"
	"taphuan/courses"
	"taphuan/courses/coursestest"
)

// BenchmarkRegistrationNotify: POST /api/v1/courses/{id}/registrations with an e-mail
// address, under 50 concurrent clients, with the outbox off (no listener: what the app did
// before notifications) and on (each registration also writes its language and its
// confirmation message in the same transaction). Nothing is sent: delivery runs apart
// from the request.
//
//	go test ./server/ -run '^$' -bench RegistrationNotify -benchtime 3000x
func BenchmarkRegistrationNotify(b *testing.B) {
	for _, on := range []bool{false, true} {
		name := "off"
		if on {
			name = "on"
		}
		b.Run(name, func(b *testing.B) {
			a := newTestApp(b)
			if !on {
				a.srv.courses.SetListener(nil)
			}
			org := coursestest.Org(b, a.db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
			course := coursestest.Course(b, a.db, org.ID, func(c *courses.Course) { c.Capacity = 1_000_000 })
			token := a.token(a.user(accounts.RoleOrganizer, org.ID))
			runClients(b, a, token, fmt.Sprintf("/api/v1/courses/%d/registrations", course.ID), http.StatusCreated, func(n int64) []byte {
				body := regBody(int(n))
				body["email"] = fmt.Sprintf("hv%d@example.vn", n)
				out, _ := json.Marshal(body)
				return out
			})
			var queued int
			if err := a.db.R.Get(&queued, `SELECT COUNT(*) FROM notify_messages`); err != nil {
				b.Fatal(err)
			}
			if on && queued < b.N || !on && queued != 0 {
				b.Fatalf("%d messages queued for %d registrations (on=%v)", queued, b.N, on)
			}
		})
	}
}
