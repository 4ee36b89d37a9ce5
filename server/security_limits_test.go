package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"taphuan/accounts"
	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/database/dbtest"
)

// newProxiedApp is newTestApp behind a reverse proxy at 127.0.0.1 that the server trusts:
// the client's address is the X-Forwarded-For a request sends.
func newProxiedApp(t *testing.T) *testApp {
	t.Helper()
	db := dbtest.New(t)
	a := &testApp{t: t, db: db, acc: accounts.New(db)}
	a.ts = httptest.NewUnstartedServer(nil)
	a.ts.Start()
	srv, err := New(Config{BaseURL: a.ts.URL, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		TrustedProxies: []string{"127.0.0.1"}}, db)
	if err != nil {
		t.Fatal(err)
	}
	a.srv = srv
	a.ts.Config.Handler = srv.handler
	t.Cleanup(a.ts.Close)
	return a
}

// postFrom posts a form as a browser behind the proxy at client address from.
func (a *testApp) postFrom(from, path string, form url.Values) (*http.Response, string) {
	a.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, a.ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", a.ts.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if from != "" {
		req.Header.Set("X-Forwarded-For", from)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// TestLoginThrottleBehindAProxy (issue 10): behind a trusted proxy every request comes
// from the proxy's address. An attacker at one client address guessing one account is
// stopped after 5 (429, even with the right password, with Retry-After), while the owner at
// another client address signs in; an attacker sweeping many accounts from one address is
// stopped by the per-address limit, and the other clients are not. Without the setting,
// X-Forwarded-For is not believed (an attacker cannot pick a fresh address per guess).
func TestLoginThrottleBehindAProxy(t *testing.T) {
	a := newProxiedApp(t)
	org := a.org("Sở Nội vụ")
	u := a.user(accounts.RoleOrganizer, org.ID)
	for i := range 5 {
		if resp, _ := a.postFrom("198.51.100.7", "/login", url.Values{"email": {u.Email}, "password": {"doan-mo-" + itoa(int64(i))}}); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("guess %d: %d", i, resp.StatusCode)
		}
	}
	resp, _ := a.postFrom("198.51.100.7", "/login", url.Values{"email": {u.Email}, "password": {testPassword}})
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Errorf("the attacker's address with the right password: %d (Retry-After %q), want 429", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if resp, _ := a.postFrom("203.0.113.20", "/login", url.Values{"email": {u.Email}, "password": {testPassword}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the owner from another address behind the same proxy: %d, want signed in", resp.StatusCode)
	}
	// A sweep of many accounts from one address.
	limited := 0
	for i := range 63 {
		resp, _ := a.postFrom("198.51.100.99", "/login", url.Values{"email": {fmt.Sprintf("nobody%d@example.vn", i)}, "password": {"x"}})
		if resp.StatusCode == http.StatusTooManyRequests {
			limited++
		}
	}
	if limited != 3 {
		t.Errorf("%d of 63 sweep attempts limited, want the 3 past 60", limited)
	}
	if resp, _ := a.postFrom("203.0.113.21", "/login", url.Values{"email": {u.Email}, "password": {testPassword}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("another client after the sweep: %d", resp.StatusCode)
	}

	// Not behind a trusted proxy: a forged X-Forwarded-For changes nothing.
	b := newTestApp(t)
	v := b.user(accounts.RoleAdmin, 0)
	for i := range 5 {
		b.postFrom(fmt.Sprintf("10.9.9.%d", i), "/login", url.Values{"email": {v.Email}, "password": {"sai-mat-khau"}})
	}
	if resp, _ := b.postFrom("10.9.9.200", "/login", url.Values{"email": {v.Email}, "password": {testPassword}}); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("forged X-Forwarded-For without a trusted proxy: %d, want 429 (the real address is the same)", resp.StatusCode)
	}
}

// TestPublicRegistrationLimits (issue 10): one address made 450 registrations a second.
// Now the 31st from one address in ten minutes is refused (429, nothing stored), a filled
// honeypot stores nothing, and the organizer sees the burst on the roster and cancels it,
// the waiting list moving up. Another address still registers.
func TestPublicRegistrationLimits(t *testing.T) {
	a := newProxiedApp(t)
	ctx := context.Background()
	org := a.org("Sở Văn hóa")
	course := coursestest.Course(t, a.db, org.ID, func(c *courses.Course) { c.Capacity = 20; c.StartsOn, c.EndsOn = "2099-03-01", "2099-03-02" })
	page := "/courses/" + itoa(course.ID) + "/register"
	ok, limited := 0, 0
	for i := range 35 {
		resp, _ := a.postFrom("198.51.100.50", page, regForm(fmt.Sprintf("0913%06d", i)))
		switch resp.StatusCode {
		case http.StatusSeeOther:
			ok++
		case http.StatusTooManyRequests:
			limited++
		default:
			t.Fatalf("registration %d: %d", i, resp.StatusCode)
		}
	}
	if ok != 30 || limited != 5 {
		t.Errorf("%d registered, %d refused; want 30 and 5", ok, limited)
	}
	if _, total, _ := a.srv.courses.ListRegistrations(ctx, courses.RegistrationFilter{CourseID: course.ID}); total != 30 {
		t.Errorf("%d stored, want 30", total)
	}
	hp := regForm("0988777666")
	hp.Set("website", "http://spam.example")
	if resp, _ := a.postFrom("198.51.100.51", page, hp); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("honeypot: %d, want 422", resp.StatusCode)
	}
	if _, total, _ := a.srv.courses.ListRegistrations(ctx, courses.RegistrationFilter{CourseID: course.ID, Query: "0988777666"}); total != 0 {
		t.Errorf("the honeypot's registration was stored")
	}
	if resp, _ := a.postFrom("198.51.100.52", page, regForm("0977000111")); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("another address: %d", resp.StatusCode)
	}
	// The organizer sees one burst of 30 and cancels it; the one from elsewhere stays.
	bursts, err := a.srv.courses.RegistrationBursts(ctx, course.ID)
	if err != nil || len(bursts) != 1 || bursts[0].Count != 30 {
		t.Fatalf("bursts: %+v %v", bursts, err)
	}
	web := a.login(a.user(accounts.RoleOrganizer, org.ID))
	_, roster := a.get(web, "/staff/courses/"+itoa(course.ID)+"/registrations")
	if !strings.Contains(roster, bursts[0].Addr) || strings.Contains(roster, "198.51.100.50") {
		t.Errorf("the roster does not show the burst by its coded address (or shows the address)")
	}
	resp := a.postForm(web, "/staff/courses/"+itoa(course.ID)+"/registrations/bursts/"+bursts[0].Addr+"/cancel", url.Values{"reason": {"Đăng ký tự động hàng loạt"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("cancel the burst: %d", resp.StatusCode)
	}
	regs, _, _ := a.srv.courses.ListRegistrations(ctx, courses.RegistrationFilter{CourseID: course.ID,
		Statuses: []string{courses.RegConfirmed, courses.RegWaitlisted}})
	if len(regs) != 1 || regs[0].Phone != "0977000111" || regs[0].Status != courses.RegConfirmed {
		t.Errorf("after cancelling the burst: %+v, want only the other address's registration, confirmed", regs)
	}
}

// TestSelfCheckinCannotBeForged (issue 10): a trainee who is not in the room guesses the
// 6-digit code: 25 guesses at once with their ticket are counted as 25 and only 8 are
// tried; then even the right code is refused for that ticket (429) while another trainee's
// right code works. A phone number is refused in place of the ticket code (and the page
// never names the owner) until the organizer allows phone numbers for the session; a
// check-in by phone then shows no name. Self check-ins are marked in the matrix.
func TestSelfCheckinCannotBeForged(t *testing.T) {
	sc := newSecScene(t)
	a := sc.a
	ctx := context.Background()
	running := coursestest.Session(t, a.db, sc.course.ID, time.Now().Add(-10*time.Minute), 2*time.Hour, "Phòng 2")
	self := "/self/" + itoa(running.ID)
	code := func() string {
		c, err := a.srv.attend.SelfCheckinCode(ctx, running.ID, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		return c.Code
	}
	wrong := func() string {
		right := code()
		for _, w := range []string{"000000", "111111", "222222"} {
			if w != right {
				return w
			}
		}
		return "333333"
	}()
	var tried, limited atomic.Int32
	var wg sync.WaitGroup
	for range 25 {
		wg.Go(func() {
			resp, _ := a.postFrom("", self, url.Values{"code": {wrong}, "ticket": {sc.duc.Code}})
			switch resp.StatusCode {
			case http.StatusUnprocessableEntity:
				tried.Add(1)
			case http.StatusTooManyRequests:
				limited.Add(1)
			default:
				t.Errorf("guess: %d", resp.StatusCode)
			}
		})
	}
	wg.Wait()
	if tried.Load() != 8 || limited.Load() != 17 {
		t.Errorf("%d guesses tried, %d limited; want 8 and 17", tried.Load(), limited.Load())
	}
	if resp, _ := a.postFrom("", self, url.Values{"code": {code()}, "ticket": {sc.duc.Code}}); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("the guesser's ticket with the right code: %d, want 429", resp.StatusCode)
	}
	var marked int
	if err := a.db.R.Get(&marked, `SELECT COUNT(*) FROM attendance_marks WHERE session_id = ? AND registration_id = ?`, running.ID, sc.duc.ID); err != nil || marked != 0 {
		t.Errorf("the guesser was marked (%d, %v)", marked, err)
	}

	// A phone number in place of the ticket code.
	resp, body := a.postFrom("", self, url.Values{"code": {code()}, "ticket": {secPhone}})
	if resp.StatusCode != http.StatusUnprocessableEntity || strings.Contains(body, secTraineeName) {
		t.Errorf("a phone number by default: %d (name shown: %v), want 422 without the name", resp.StatusCode, strings.Contains(body, secTraineeName))
	}
	web := a.login(sc.ids[idOrganizer].user)
	if resp := a.postForm(web, "/staff/sessions/"+itoa(running.ID)+"/selfcheckin/phone", url.Values{"allowed": {"1"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("allow phone numbers: %d", resp.StatusCode)
	}
	resp, body = a.postFrom("", self, url.Values{"code": {code()}, "ticket": {secPhone}})
	if resp.StatusCode != http.StatusOK || strings.Contains(body, secTraineeName) {
		t.Errorf("a phone number once allowed: %d (name shown: %v), want 200 without the name", resp.StatusCode, strings.Contains(body, secTraineeName))
	}
	// The matrix marks the self check-in for review (JSON and page).
	st, b := a.call("GET", "/api/v1/courses/"+itoa(sc.course.ID)+"/attendance", sc.ids[idOrganizer].token, nil)
	if st != http.StatusOK || !strings.Contains(string(b), `"self_marks":["`+itoa(running.ID)+`"]`) {
		t.Errorf("matrix JSON: %d %s, want Yến's self mark", st, b)
	}
	if _, page := a.get(web, "/staff/courses/"+itoa(sc.course.ID)+"/attendance"); !strings.Contains(page, `class="self-mark"`) {
		t.Error("the matrix page does not mark the self check-in")
	}
	// The ticket holder with their ticket code sees their name.
	resp, body = a.postFrom("", self, url.Values{"code": {code()}, "ticket": {sc.yen.Code}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, secTraineeName) {
		t.Errorf("the ticket holder: %d, want their name", resp.StatusCode)
	}
}
