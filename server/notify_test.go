package server

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"taphuan/accounts"
	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/notify"
	"taphuan/notify/notifytest"
)

// notifyApp is a test app whose outbox sends to a real SMTP server; the test calls
// sendDue where serve's loop would run.
type notifyApp struct {
	*testApp
	smtp   *notifytest.Server
	org    *accounts.Organization
	course *courses.Course
	token  string
}

func newNotifyApp(t *testing.T, capacity int) *notifyApp {
	t.Helper()
	a := newTestApp(t)
	smtp := notifytest.New(t)
	snd, err := notify.ParseSMTP(smtp.URL(), "no-reply@taphuan.example.vn", 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	a.srv.mailer = snd
	org := coursestest.Org(t, a.db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	course := coursestest.Course(t, a.db, org.ID, func(c *courses.Course) {
		c.Capacity = capacity
		c.StartsOn, c.EndsOn = "2030-12-04", "2030-12-04"
	})
	coursestest.Day(t, a.db, course.ID, "2030-12-04")
	return &notifyApp{testApp: a, smtp: smtp, org: org, course: course,
		token: a.token(a.user(accounts.RoleOrganizer, org.ID))}
}

func (a *notifyApp) sendDue() int {
	a.t.Helper()
	n, err := a.srv.notify.SendDue(a.t.Context(), a.srv.mailer, "test")
	if err != nil {
		a.t.Fatal(err)
	}
	return n
}

func (a *notifyApp) register(phone, email, lang string) regJSON {
	a.t.Helper()
	body := regBody(0)
	body["phone"], body["email"], body["lang"] = phone, email, lang
	status, b := a.call(http.MethodPost, fmt.Sprintf("/api/v1/courses/%d/registrations", a.course.ID), a.token, body)
	if status != http.StatusCreated {
		a.t.Fatalf("register: %d %s", status, b)
	}
	return decode[regJSON](a.t, b)
}

func to(msgs []notifytest.Message, addr string) []notifytest.Message {
	var out []notifytest.Message
	for _, m := range msgs {
		if m.Header.Get("To") == "<"+addr+">" {
			out = append(out, m)
		}
	}
	return out
}

func TestNotificationsOverHTTP(t *testing.T) {
	a := newNotifyApp(t, 1)
	first := a.register("0905000001", "an@example.vn", "")
	second := a.register("0905000002", "binh@example.vn", "en")
	if first.Status != courses.RegConfirmed || second.Status != courses.RegWaitlisted {
		t.Fatalf("statuses %s %s", first.Status, second.Status)
	}
	if n := a.sendDue(); n != 2 {
		t.Fatalf("sent %d", n)
	}
	msgs := a.smtp.Wait(2, 10*time.Second)

	t.Run("the confirmation has the ticket link and an ICS that parses", func(t *testing.T) {
		m := to(msgs, "an@example.vn")
		if len(m) != 1 || !strings.Contains(m[0].Text, a.ts.URL+"/tickets/"+first.Code) {
			t.Fatalf("confirmation: %+v", m)
		}
		cal, err := ics.ParseCalendar(bytes.NewReader(m[0].Attachments["lich-hoc.ics"]))
		if err != nil || len(cal.Events()) != 2 {
			t.Fatalf("ICS: %v", err)
		}
	})
	t.Run("the messages list of the course", func(t *testing.T) {
		status, b := a.call(http.MethodGet, fmt.Sprintf("/api/v1/courses/%d/messages?status=sent", a.course.ID), a.token, nil)
		if status != http.StatusOK {
			t.Fatalf("%d %s", status, b)
		}
		l := decode[struct {
			Items []struct {
				ID             int64   `json:"id"`
				RegistrationID int64   `json:"registration_id"`
				To             string  `json:"to"`
				Kind           string  `json:"kind"`
				Status         string  `json:"status"`
				Attempts       int     `json:"attempts"`
				SentAt         *string `json:"sent_at"`
			} `json:"items"`
			Total int `json:"total"`
		}](t, b)
		if l.Total != 2 || l.Items[0].Kind != notify.KindWaitlisted || l.Items[0].RegistrationID != second.ID ||
			l.Items[0].To != "binh@example.vn" || l.Items[0].Attempts != 1 || l.Items[0].SentAt == nil {
			t.Fatalf("list %+v", l)
		}
		if status, _ := a.call(http.MethodGet, fmt.Sprintf("/api/v1/courses/%d/messages?status=lost", a.course.ID), a.token, nil); status != http.StatusUnprocessableEntity {
			t.Errorf("bad status filter: %d", status)
		}
	})
	t.Run("an organizer's cancellation promotes the first waitlisted, who is told", func(t *testing.T) {
		status, b := a.call(http.MethodPost, fmt.Sprintf("/api/v1/registrations/%d/cancel", first.ID), a.token, map[string]string{"reason": "Bận công tác"})
		if status != http.StatusOK {
			t.Fatalf("cancel %d %s", status, b)
		}
		a.sendDue()
		msgs := a.smtp.Wait(4, 10*time.Second)
		p := to(msgs, "binh@example.vn")
		if len(p) != 2 || p[1].Subject != "A seat for you: "+a.course.Title {
			t.Fatalf("promotion: %+v", p)
		}
		c := to(msgs, "an@example.vn")
		if len(c) != 2 || !strings.Contains(c[1].Text, "Lý do: Bận công tác") || !strings.Contains(c[1].Text, "Đơn vị tổ chức đã hủy") {
			t.Fatalf("cancellation: %q", c[len(c)-1].Text)
		}
	})
	t.Run("a change of a session's room is told to those registered", func(t *testing.T) {
		sessions, err := a.srv.courses.ListSessions(t.Context(), a.course.ID)
		if err != nil {
			t.Fatal(err)
		}
		status, b := a.call(http.MethodPatch, fmt.Sprintf("/api/v1/sessions/%d", sessions[0].ID), a.token, map[string]string{"room": "Hội trường B"})
		if status != http.StatusOK {
			t.Fatalf("patch %d %s", status, b)
		}
		a.sendDue()
		m := to(a.smtp.Wait(5, 10*time.Second), "binh@example.vn")
		if len(m) != 3 || !strings.HasPrefix(m[2].Subject, "Timetable change") || !strings.Contains(m[2].Text, "room: Hội trường B") {
			t.Fatalf("session change: %+v", m[len(m)-1])
		}
	})
	t.Run("broadcast to the confirmed trainees", func(t *testing.T) {
		status, b := a.call(http.MethodPost, fmt.Sprintf("/api/v1/courses/%d/messages", a.course.ID), a.token,
			map[string]string{"subject": "Đổi địa điểm", "body": "Lớp chuyển sang Hội trường B, 01 Lê Lợi."})
		if status != http.StatusCreated || !strings.Contains(string(b), `"queued":1`) {
			t.Fatalf("broadcast %d %s", status, b)
		}
		status, b = a.call(http.MethodPost, fmt.Sprintf("/api/v1/courses/%d/messages", a.course.ID), a.token, map[string]string{"subject": ""})
		if e := decode[apiErr](t, b); status != http.StatusUnprocessableEntity || e.Error.Fields["subject"] == "" || e.Error.Fields["body"] == "" {
			t.Fatalf("empty broadcast %d %s", status, b)
		}
		a.sendDue()
		m := to(a.smtp.Wait(6, 10*time.Second), "binh@example.vn")
		if last := m[len(m)-1]; last.Subject != "Đổi địa điểm" || !strings.Contains(last.Text, "01 Lê Lợi") {
			t.Fatalf("broadcast message: %+v", last)
		}
	})
	t.Run("public calendars", func(t *testing.T) {
		for _, path := range []string{fmt.Sprintf("/courses/%d/calendar.ics", a.course.ID), "/tickets/" + second.Code + "/calendar.ics"} {
			resp, body := a.get(http.DefaultClient, path)
			if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/calendar") {
				t.Fatalf("%s: %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			cal, err := ics.ParseCalendar(strings.NewReader(body))
			if err != nil || len(cal.Events()) != 2 {
				t.Fatalf("%s: %v", path, err)
			}
			if loc := cal.Events()[0].GetProperty(ics.ComponentPropertyLocation).Value; !strings.Contains(loc, "Hội trường B") {
				t.Errorf("%s: location %q", path, loc)
			}
		}
		if resp, _ := a.get(http.DefaultClient, "/tickets/KHONGCOVE234/calendar.ics"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("unknown ticket: %d", resp.StatusCode)
		}
	})
}

func TestTicketRecovery(t *testing.T) {
	a := newNotifyApp(t, 10)
	reg := a.register("0905000001", "an@example.vn", "")
	a.sendDue()
	a.smtp.Wait(1, 10*time.Second)
	c := a.browserClient()
	path := fmt.Sprintf("/courses/%d/ticket-recovery", a.course.ID)
	answer := func(phone, birth string) (int, string) {
		resp := a.postForm(c, path, url.Values{"phone": {phone}, "birth_date": {birth}})
		if resp.StatusCode != http.StatusSeeOther {
			return resp.StatusCode, ""
		}
		_, page := a.get(c, resp.Header.Get("Location"))
		return resp.StatusCode, page
	}
	_, page := a.get(c, fmt.Sprintf("/courses/%d", a.course.ID))
	if !strings.Contains(page, `id="tim-lai-ve"`) || !strings.Contains(page, "Tìm lại vé") {
		t.Fatal("no ticket recovery on the public page")
	}
	st1, matched := answer("0905 000 001", "15/03/1985")
	st2, unmatched := answer("0905000009", "15/03/1985")
	if st1 != http.StatusSeeOther || st2 != st1 {
		t.Fatalf("statuses %d %d", st1, st2)
	}
	flash := "Nếu có đăng ký khớp với thông tin này"
	if !strings.Contains(matched, flash) || !strings.Contains(unmatched, flash) {
		t.Fatal("the answers differ or lack the notice")
	}
	a.sendDue()
	msgs := a.smtp.Wait(2, 10*time.Second)
	if len(msgs) != 2 || !strings.Contains(msgs[1].Text, a.ts.URL+"/tickets/"+reg.Code) || !strings.HasPrefix(msgs[1].Subject, "Vé của anh/chị") {
		t.Fatalf("recovery message: %+v", msgs)
	}
	t.Run("a malformed phone is pointed at", func(t *testing.T) {
		resp, body := a.postFormBody(c, path, url.Values{"phone": {"12"}, "birth_date": {"15/03/1985"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="e-recover-phone"`) {
			t.Fatalf("%d", resp.StatusCode)
		}
	})
	t.Run("rate limited per phone", func(t *testing.T) {
		for i := 2; i <= 3; i++ { // the first try was above
			if st, _ := answer("0905000001", "15/03/1985"); st != http.StatusSeeOther {
				t.Fatalf("try %d: %d", i, st)
			}
		}
		resp, body := a.postFormBody(c, path, url.Values{"phone": {"0905000001"}, "birth_date": {"15/03/1985"}})
		if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "quá nhiều lần") {
			t.Fatalf("fourth try: %d", resp.StatusCode)
		}
	})
}

func TestMessagesPage(t *testing.T) {
	a := newTestApp(t) // no SMTP configured
	org := coursestest.Org(t, a.db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	course := coursestest.Course(t, a.db, org.ID)
	coursestest.Registration(t, a.db, course.ID, coursestest.Person{FullName: "Trần Thị An", Phone: "0905000001", Email: "an@example.vn"}, courses.RegConfirmed)
	c := a.login(a.user(accounts.RoleOrganizer, org.ID))
	page := fmt.Sprintf("/staff/courses/%d/messages", course.ID)
	_, body := a.get(c, page)
	if !strings.Contains(body, `id="smtp-missing"`) || !strings.Contains(body, `id="messages-empty"`) {
		t.Fatal("the page does not say that no SMTP is configured, or is not empty")
	}
	resp, body := a.postFormBody(c, page+"/broadcast", url.Values{"subject": {""}, "body": {"x"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="e-subject"`) {
		t.Fatalf("empty subject: %d", resp.StatusCode)
	}
	resp = a.postForm(c, page+"/broadcast", url.Values{"subject": {"Đổi phòng"}, "body": {"Phòng 305."}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("broadcast: %d", resp.StatusCode)
	}
	_, body = a.get(c, page)
	if !strings.Contains(body, "an@example.vn") || !strings.Contains(body, "Thông báo của ban tổ chức") || !strings.Contains(body, `id="count-queued">1<`) {
		t.Fatal("the queued message is not listed")
	}
	resp, body = a.postFormBody(c, page+"/reminder", url.Values{"days_before": {"45"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="e-days_before"`) {
		t.Fatalf("reminder 45 days: %d", resp.StatusCode)
	}
	if resp = a.postForm(c, page+"/reminder", url.Values{"days_before": {"3"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("reminder: %d", resp.StatusCode)
	}
	if days, _ := a.srv.notify.ReminderDays(t.Context(), course.ID); days != 3 {
		t.Errorf("reminder days %d", days)
	}
	resp, body = a.postFormBody(c, page+"/sender", url.Values{"sender_name": {"Phòng Bưu chính"}, "reply_to": {"khong-phai-dia-chi"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="e-reply_to"`) || !strings.Contains(body, `value="khong-phai-dia-chi"`) {
		t.Fatalf("bad reply-to: %d", resp.StatusCode)
	}
	if o, _ := a.srv.notify.FindOrgSettings(t.Context(), org.ID); o.SenderName != "" {
		t.Errorf("a refused form was half-written: %+v", o)
	}
	if resp = a.postForm(c, page+"/sender", url.Values{"sender_name": {"Phòng Bưu chính"}, "reply_to": {"Lop@Example.VN"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sender: %d", resp.StatusCode)
	}
	if o, _ := a.srv.notify.FindOrgSettings(t.Context(), org.ID); o.ReplyTo != "lop@example.vn" || o.SenderName != "Phòng Bưu chính" {
		t.Errorf("sender %+v", o)
	}
	staff := a.login(a.user(accounts.RoleStaff, org.ID))
	if resp, _ := a.get(staff, page); resp.StatusCode != http.StatusForbidden {
		t.Errorf("staff: %d", resp.StatusCode)
	}
}
