package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"taphuan/accounts"
	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/notify"
	"taphuan/notify/notifytest"
)

// BenchmarkRegistrationNotify: POST /api/v1/courses/{id}/registrations with an e-mail
// address, under 50 concurrent clients, with the outbox off (no listener: what the app did
// before notifications) and on (each registration also writes its language and its
// confirmation message in the same transaction), and on with the sender loop running
// against an SMTP server that is down (its claims and failures take turns on the writer
// with the registrations).
//
//	go test ./server/ -run '^$' -bench RegistrationNotify -benchtime 3000x
func BenchmarkRegistrationNotify(b *testing.B) {
	for _, mode := range []string{"off", "on", "on_smtp_down"} {
		on := mode != "off"
		b.Run(mode, func(b *testing.B) {
			a := newTestApp(b)
			if !on {
				a.srv.courses.SetListener(nil)
			}
			if mode == "on_smtp_down" {
				snd, err := notify.ParseSMTP(notifytest.NewStopped(b).URL(), "no-reply@example.vn", time.Second)
				if err != nil {
					b.Fatal(err)
				}
				ctx, cancel := context.WithCancel(context.Background())
				done := make(chan struct{})
				go func() { a.srv.notify.Run(ctx, snd, a.srv.log); close(done) }()
				defer func() { cancel(); <-done }()
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
