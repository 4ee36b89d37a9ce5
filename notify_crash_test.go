package main

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"taphuan/notify/notifytest"
)

// registerWithEmail registers n trainees with an address each and fails unless every one
// is answered 201.
func registerWithEmail(t *testing.T, c *child, token string, course int64, n int) {
	t.Helper()
	for i := range n {
		c.must(token, http.MethodPost, fmt.Sprintf("/api/v1/courses/%d/registrations", course), map[string]any{
			"full_name": "Nguyễn Văn An", "gender": "Nam", "birth_date": "1985-03-15", "ethnicity": "Kinh",
			"position": "Viên chức", "organization": "Đài truyền thanh xã Ninh Xuân", "locality": "xã Ninh Xuân",
			"phone": fmt.Sprintf("0912%06d", i), "email": fmt.Sprintf("hv%d@example.vn", i)}, http.StatusCreated)
	}
}

// onceEach checks that the SMTP server holds exactly want messages, to want different
// addresses, with want different Message-IDs.
func onceEach(t *testing.T, sink *notifytest.Server, want int) {
	t.Helper()
	ids, rcpts := map[string]int{}, map[string]int{}
	for _, m := range sink.Messages() {
		ids[m.Header.Get("Message-Id")]++
		rcpts[m.Header.Get("To")]++
	}
	if got := sink.Count(); got != want || len(ids) != want || len(rcpts) != want {
		t.Fatalf("%d messages, %d Message-IDs, %d recipients; want %d of each (ids %v)", got, len(ids), len(rcpts), want, ids)
	}
}

// waitSent waits until the outbox of course reports want messages sent.
func waitSent(t *testing.T, c *child, token string, course int64, want int) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		m := c.must(token, http.MethodGet, fmt.Sprintf("/api/v1/courses/%d/messages?status=sent", course), nil, http.StatusOK)
		if int(m["total"].(float64)) == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("sent %v, want %d", m["total"], want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestMailWaitsForSMTP: with the SMTP server down, registrations are answered 201 and
// their messages wait; once it is back they arrive, each once.
func TestMailWaitsForSMTP(t *testing.T) {
	sink := notifytest.NewStopped(t)
	db, token := setupServer(t)
	c := startChild(t, db, "-smtp", sink.URL(), "-mail-from", "no-reply@example.vn", "-mail-backoff", "200ms")
	course := openCourse(t, c, token, 100)
	const n = 20
	registerWithEmail(t, c, token, course, n)
	m := c.must(token, http.MethodGet, fmt.Sprintf("/api/v1/courses/%d/messages?status=queued", course), nil, http.StatusOK)
	if int(m["total"].(float64)) != n {
		t.Fatalf("queued %v, want %d", m["total"], n)
	}
	// Wait until the sender has met the closed port at least once: the oldest message
	// shows the error, and no attempt is counted against it.
	deadline := time.Now().Add(30 * time.Second)
	for {
		m := c.must(token, http.MethodGet, fmt.Sprintf("/api/v1/courses/%d/messages?status=queued&offset=%d", course, n-1), nil, http.StatusOK)
		if items := m["items"].([]any); len(items) == 1 && items[0].(map[string]any)["last_error"] != "" {
			if a := items[0].(map[string]any)["attempts"].(float64); a != 0 {
				t.Fatalf("the outage counted %v attempts", a)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the sender never tried")
		}
		time.Sleep(50 * time.Millisecond)
	}
	sink.Start()
	sink.Wait(n, 60*time.Second)
	waitSent(t, c, token, course, n)
	time.Sleep(time.Second) // anything sent twice would arrive by now
	onceEach(t, sink, n)
}

// TestMailCrashDeliversOnce kills `serve` with SIGKILL while a message is in flight (the
// SMTP server is holding its recipient) and others are claimed, restarts it, and gets
// every message exactly once.
func TestMailCrashDeliversOnce(t *testing.T) {
	sink := notifytest.NewStopped(t)
	sink.RcptDelay = 300 * time.Millisecond
	sink.Start()
	db, token := setupServer(t)
	args := []string{"-smtp", sink.URL(), "-mail-from", "no-reply@example.vn", "-mail-lease", "3s"}
	c := startChild(t, db, args...)
	course := openCourse(t, c, token, 100)
	const n = 15
	registerWithEmail(t, c, token, course, n)
	deadline := time.Now().Add(60 * time.Second)
	for sink.Count() < 3 || sink.InFlight() <= sink.Count() {
		if time.Now().After(deadline) {
			t.Fatal("no message in flight")
		}
		time.Sleep(10 * time.Millisecond)
	}
	c.kill()
	if got := sink.Count(); got >= n {
		t.Fatalf("%d of %d delivered before the crash: nothing was in flight", got, n)
	}
	t.Logf("killed with %d of %d delivered", sink.Count(), n)
	c = startChild(t, db, args...)
	sink.Wait(n, 60*time.Second)
	waitSent(t, c, token, course, n)
	time.Sleep(4 * time.Second) // past the lease: a message claimed twice would arrive by now
	onceEach(t, sink, n)
}
