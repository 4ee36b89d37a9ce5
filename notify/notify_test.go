package notify_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"taphuan/accounts"
	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/database"
	"taphuan/database/dbtest"
	"taphuan/notify"
	"taphuan/notify/notifytest"
)

const base = "https://taphuan.example.vn"

type scene struct {
	db     *database.DB
	cs     *courses.Service
	n      *notify.Service
	smtp   *notifytest.Server
	snd    *notify.SMTP
	org    *accounts.Organization
	course *courses.Course
}

func newScene(t *testing.T, capacity int, smtp *notifytest.Server) *scene {
	t.Helper()
	db := dbtest.New(t)
	cs := courses.New(db)
	n := notify.New(db, cs, accounts.New(db), notify.Config{BaseURL: base, Poll: 20 * time.Millisecond,
		Lease: 10 * time.Second, Backoff: 50 * time.Millisecond, MaxAttempts: 3})
	cs.SetListener(n)
	org := coursestest.Org(t, db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	course := coursestest.Course(t, db, org.ID, func(c *courses.Course) {
		c.Capacity = capacity
		c.StartsOn, c.EndsOn = "2030-12-04", "2030-12-05"
	})
	mod := coursestest.Module(t, db, course.ID, "Kỹ năng viết tin bài", "ThS. Lê Văn Bình")
	s1 := coursestest.Session(t, db, course.ID, time.Date(2030, 12, 4, 0, 30, 0, 0, time.UTC), 4*time.Hour, "Phòng 201")
	if _, err := db.W.Exec(`UPDATE sessions SET module_id = ? WHERE id = ?`, mod, s1.ID); err != nil {
		t.Fatal(err)
	}
	coursestest.Session(t, db, course.ID, time.Date(2030, 12, 4, 6, 30, 0, 0, time.UTC), 3*time.Hour, "Phòng 202")
	snd, err := notify.ParseSMTP(smtp.URL(), "no-reply@taphuan.example.vn", 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return &scene{db: db, cs: cs, n: n, smtp: smtp, snd: snd, org: org, course: course}
}

func (sc *scene) register(t *testing.T, name, phone, email, lang string) *courses.Registration {
	t.Helper()
	reg, err := sc.cs.Register(t.Context(), courses.RegisterInput{CourseID: sc.course.ID, FullName: name, Gender: "Nữ",
		BirthDate: "1990-05-02", Ethnicity: "Kinh", Position: "Viên chức", Organization: "Đài truyền thanh xã Ninh Xuân",
		Locality: "xã Ninh Xuân", Phone: phone, Email: email, Source: courses.SourceAPI, Lang: lang})
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

func (sc *scene) sendDue(t *testing.T) int {
	t.Helper()
	n, err := sc.n.SendDue(t.Context(), sc.snd, "test")
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func byTo(msgs []notifytest.Message) map[string][]notifytest.Message {
	out := map[string][]notifytest.Message{}
	for _, m := range msgs {
		out[m.Header.Get("To")] = append(out[m.Header.Get("To")], m)
	}
	return out
}

func TestConfirmationAndPromotion(t *testing.T) {
	sc := newScene(t, 1, notifytest.New(t))
	if _, err := sc.n.SetOrgSettings(t.Context(), sc.org.ID, notify.OrgSettings{SenderName: "Phòng Bưu chính", ReplyTo: "lop@stttt.khanhhoa.gov.vn"}); err != nil {
		t.Fatal(err)
	}
	an := sc.register(t, "Trần Thị An", "0905123456", "an@example.vn", "vi")
	binh := sc.register(t, "Lê Văn Bình", "0905123457", "binh@example.vn", "en")
	sc.register(t, "Phạm Văn Cường", "0905123458", "", "vi") // no address: no message
	if got := sc.sendDue(t); got != 2 {
		t.Fatalf("sent %d, want 2", got)
	}
	got := byTo(sc.smtp.Wait(2, 10*time.Second))

	t.Run("confirmation with the ticket link and an ICS that parses", func(t *testing.T) {
		m := got["<an@example.vn>"]
		if len(m) != 1 {
			t.Fatalf("messages to An: %d", len(m))
		}
		if want := "Xác nhận đăng ký: " + sc.course.Title; m[0].Subject != want {
			t.Errorf("subject %q, want %q", m[0].Subject, want)
		}
		if !strings.Contains(m[0].Text, base+"/tickets/"+an.Code) || !strings.Contains(m[0].Text, "Kính gửi Trần Thị An") {
			t.Errorf("text lacks the greeting or the ticket link:\n%s", m[0].Text)
		}
		if from := m[0].Header.Get("From"); !strings.Contains(from, "no-reply@taphuan.example.vn") {
			t.Errorf("From %q", from)
		}
		if rt := m[0].Header.Get("Reply-To"); !strings.Contains(rt, "lop@stttt.khanhhoa.gov.vn") {
			t.Errorf("Reply-To %q", rt)
		}
		if _, ok := m[0].Attachments["ve-"+an.Code+".png"]; !ok {
			t.Errorf("no QR attached: %v", keys(m[0].Attachments))
		}
		data := m[0].Attachments["lich-hoc.ics"]
		cal, err := ics.ParseCalendar(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("ICS does not parse: %v\n%s", err, data)
		}
		checkCalendar(t, cal, sc.course.Title)
		stored, _, err := sc.n.ListMessages(t.Context(), notify.MessageFilter{CourseID: sc.course.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range stored {
			if s.Status != notify.StatusSent || s.Attempts != 1 || s.SentAt == nil {
				t.Errorf("stored %+v, want sent after 1 attempt", s)
			}
			if s.To == "an@example.vn" && m[0].Header.Get("Message-Id") != "<"+s.MessageID+">" {
				t.Errorf("Message-ID %q, stored %q", m[0].Header.Get("Message-Id"), s.MessageID)
			}
		}
	})
	t.Run("waitlisted in the language of registration, with the position", func(t *testing.T) {
		m := got["<binh@example.vn>"]
		if len(m) != 1 || !strings.HasPrefix(m[0].Subject, "Waiting list: ") || !strings.Contains(m[0].Text, "in position 1") {
			t.Fatalf("messages to Bình: %+v", m)
		}
	})
	t.Run("a cancellation promotes the first waitlisted, who is told", func(t *testing.T) {
		if _, promoted, err := sc.cs.Cancel(t.Context(), courses.CancelInput{Code: an.Code}); err != nil || promoted == nil || promoted.ID != binh.ID {
			t.Fatalf("cancel: promoted %v, %v", promoted, err)
		}
		if n := sc.sendDue(t); n != 2 {
			t.Fatalf("sent %d, want 2 (cancellation and promotion)", n)
		}
		got := byTo(sc.smtp.Wait(4, 10*time.Second))
		p := got["<binh@example.vn>"]
		if len(p) != 2 || p[1].Subject != "A seat for you: "+sc.course.Title || !strings.Contains(p[1].Text, base+"/tickets/"+binh.Code) {
			t.Fatalf("promotion message: %+v", p)
		}
		if _, err := ics.ParseCalendar(bytes.NewReader(p[1].Attachments["lich-hoc.ics"])); err != nil {
			t.Errorf("promotion ICS: %v", err)
		}
		c := got["<an@example.vn>"]
		if len(c) != 2 || !strings.HasPrefix(c[1].Subject, "Đã hủy đăng ký") || !strings.Contains(c[1].Text, "Anh/chị đã hủy") {
			t.Fatalf("cancellation message: %+v", c)
		}
	})
}

func keys(m map[string][]byte) []string {
	out := []string{}
	for k := range m {
		out = append(out, k)
	}
	return out
}

// checkCalendar checks the timetable of the scene's course: two sessions, local times in
// Asia/Ho_Chi_Minh, module and room.
func checkCalendar(t *testing.T, cal *ics.Calendar, title string) {
	t.Helper()
	if name := cal.CalendarProperties; len(name) == 0 {
		t.Fatal("no calendar properties")
	}
	var calName string
	for _, p := range cal.CalendarProperties {
		if p.IANAToken == "X-WR-CALNAME" || p.IANAToken == "NAME" {
			calName = p.Value
		}
	}
	if calName != title {
		t.Errorf("calendar name %q, want %q", calName, title)
	}
	evs := cal.Events()
	if len(evs) != 2 {
		t.Fatalf("%d events, want 2", len(evs))
	}
	start, err := evs[0].GetStartAt()
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2030, 12, 4, 0, 30, 0, 0, time.UTC); !start.Equal(want) {
		t.Errorf("first event starts %v, want %v (07:30 in Vietnam)", start, want)
	}
	dt := evs[0].GetProperty(ics.ComponentPropertyDtStart)
	if dt.Value != "20301204T073000" || dt.ICalParameters["TZID"][0] != "Asia/Ho_Chi_Minh" {
		t.Errorf("DTSTART %q %v", dt.Value, dt.ICalParameters)
	}
	if s := evs[0].GetProperty(ics.ComponentPropertySummary).Value; !strings.Contains(s, "Kỹ năng viết tin bài") {
		t.Errorf("summary %q lacks the module", s)
	}
	if l := evs[0].GetProperty(ics.ComponentPropertyLocation).Value; !strings.Contains(l, "Phòng 201") {
		t.Errorf("location %q lacks the room", l)
	}
}

// With the SMTP server down, registrations go through and their messages wait; once it
// is back they arrive, each once.
func TestSMTPDownThenBack(t *testing.T) {
	smtp := notifytest.NewStopped(t)
	sc := newScene(t, 100, smtp)
	for i := range 10 {
		sc.register(t, "Nguyễn Văn An", fmt.Sprintf("09051234%02d", i), fmt.Sprintf("an%d@example.vn", i), "vi")
	}
	n, err := sc.n.SendDue(t.Context(), sc.snd, "test")
	var down *notify.UnavailableError
	if n != 0 || !errors.As(err, &down) {
		t.Fatalf("sent %d, %v; want 0 and the server unavailable", n, err)
	}
	msgs, _, err := sc.n.ListMessages(t.Context(), notify.MessageFilter{CourseID: sc.course.ID, Status: notify.StatusQueued})
	if err != nil || len(msgs) != 10 {
		t.Fatalf("queued %d (%v), want 10", len(msgs), err)
	}
	oldest := msgs[len(msgs)-1]
	if oldest.Attempts != 0 || !strings.Contains(oldest.LastError, "smtp") {
		t.Errorf("an outage is not the message's failure: %+v", oldest)
	}
	for _, m := range msgs[:len(msgs)-1] {
		if m.Attempts != 0 || m.LastError != "" {
			t.Errorf("untried message %+v", m)
		}
	}
	smtp.Start()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { sc.n.Run(ctx, sc.snd, nil); close(done) }()
	got := smtp.Wait(10, 20*time.Second)
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := sc.n.Counts(t.Context(), sc.course.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c[notify.StatusSent] == 10 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("counts %v", c)
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	<-done
	if got = smtp.Messages(); len(got) != 10 {
		t.Fatalf("%d messages arrived, want 10", len(got))
	}
}

// A message the server refuses for now is retried with backoff and failed after
// MaxAttempts, with the error; resend puts it back, and it then goes with the same
// Message-ID. One refused for good fails at once.
func TestFailedAndResend(t *testing.T) {
	smtp := notifytest.New(t)
	smtp.SetBusy(true)
	sc := newScene(t, 100, smtp)
	sc.register(t, "Nguyễn Văn An", "0905123400", "busy@example.vn", "vi")
	sc.register(t, "Lê Văn Bình", "0905123401", "bounce@example.vn", "vi")
	for i := 0; i < 3; i++ {
		time.Sleep(60 * time.Millisecond << (2 * i)) // past the backoff
		sc.sendDue(t)
	}
	failed, _, err := sc.n.ListMessages(t.Context(), notify.MessageFilter{CourseID: sc.course.ID, Status: notify.StatusFailed})
	if err != nil || len(failed) != 2 {
		t.Fatalf("failed: %+v %v", failed, err)
	}
	bounce, busy := failed[0], failed[1]
	if bounce.To != "bounce@example.vn" || bounce.Attempts != 1 || !strings.Contains(bounce.LastError, "550") {
		t.Errorf("refused for good: %+v", bounce)
	}
	if busy.Attempts != 3 || !strings.Contains(busy.LastError, "451") {
		t.Errorf("refused for now: %+v", busy)
	}
	if _, err := sc.n.Resend(t.Context(), busy.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := sc.n.Resend(t.Context(), busy.ID); err == nil {
		t.Error("resending a queued message: no error")
	}
	smtp.SetBusy(false)
	if n := sc.sendDue(t); n != 1 {
		t.Fatalf("sent %d", n)
	}
	if m := smtp.Wait(1, 5*time.Second); m[0].Header.Get("Message-Id") != "<"+busy.MessageID+">" {
		t.Errorf("resent with another Message-ID %q", m[0].Header.Get("Message-Id"))
	}
}

// Two senders on one outbox never send a message twice.
func TestTwoSendersNoDouble(t *testing.T) {
	sc := newScene(t, 100, notifytest.New(t))
	for i := range 30 {
		sc.register(t, "Nguyễn Văn An", fmt.Sprintf("09051234%02d", i), fmt.Sprintf("an%d@example.vn", i), "vi")
	}
	errc := make(chan error, 2)
	for _, owner := range []string{"a", "b"} {
		go func() { _, err := sc.n.SendDue(t.Context(), sc.snd, owner); errc <- err }()
	}
	for range 2 {
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
	}
	msgs := sc.smtp.Wait(30, 10*time.Second)
	seen := map[string]bool{}
	for _, m := range msgs {
		id := m.Header.Get("Message-Id")
		if seen[id] {
			t.Errorf("%s sent twice", id)
		}
		seen[id] = true
	}
	if len(msgs) != 30 {
		t.Errorf("%d messages, want 30", len(msgs))
	}
}

// Reminders go the day before by default, once per registration, with the timetable, the
// ticket link and its QR; a course can move them earlier or turn them off.
func TestReminders(t *testing.T) {
	sc := newScene(t, 100, notifytest.New(t))
	an := sc.register(t, "Trần Thị An", "0905123456", "an@example.vn", "vi")
	sc.register(t, "Lê Văn Bình", "0905123457", "", "vi") // no address
	sc.sendDue(t)                                         // the confirmation
	sc.smtp.Wait(1, 10*time.Second)
	at := func(date string, hour int) time.Time {
		d, _ := time.ParseInLocation("2006-01-02", date, vnLoc(t))
		return d.Add(time.Duration(hour) * time.Hour)
	}
	queue := func(now time.Time) int {
		t.Helper()
		n, err := sc.n.QueueReminders(t.Context(), now)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := queue(at("2030-12-02", 9)); n != 0 {
		t.Fatalf("two days before: %d queued", n)
	}
	if n := queue(at("2030-12-03", 7)); n != 1 {
		t.Fatalf("the day before: %d queued, want 1", n)
	}
	if n := queue(at("2030-12-03", 8)); n != 0 {
		t.Fatalf("again the day before: %d queued, want 0", n)
	}
	sc.sendDue(t)
	m := sc.smtp.Wait(2, 10*time.Second)[1]
	if !strings.HasPrefix(m.Subject, "Nhắc lịch: ") || !strings.Contains(m.Text, "04/12/2030 07:30–11:30: Kỹ năng viết tin bài (phòng: Phòng 201)") ||
		!strings.Contains(m.Text, base+"/tickets/"+an.Code) {
		t.Fatalf("reminder %q:\n%s", m.Subject, m.Text)
	}
	if _, ok := m.Attachments["ve-"+an.Code+".png"]; !ok {
		t.Error("no QR with the reminder")
	}
	t.Run("per course", func(t *testing.T) {
		other := coursestest.Course(t, sc.db, sc.org.ID, func(c *courses.Course) { c.StartsOn, c.EndsOn = "2030-12-10", "2030-12-10" })
		if err := sc.n.SetReminderDays(t.Context(), other.ID, 0); err != nil {
			t.Fatal(err)
		}
		coursestest.Registration(t, sc.db, other.ID, coursestest.Person{FullName: "Phạm Văn Cường", Email: "cuong@example.vn"}, courses.RegConfirmed)
		if n := queue(at("2030-12-09", 9)); n != 0 {
			t.Fatalf("reminders off: %d queued", n)
		}
		if err := sc.n.SetReminderDays(t.Context(), other.ID, 3); err != nil {
			t.Fatal(err)
		}
		if n := queue(at("2030-12-07", 9)); n != 1 {
			t.Fatalf("three days before: %d queued", n)
		}
		if err := sc.n.SetReminderDays(t.Context(), other.ID, 31); err == nil {
			t.Error("31 days accepted")
		}
	})
}

func vnLoc(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// In approval mode: pending, then approved (or rejected with the reason).
func TestApprovalMessages(t *testing.T) {
	sc := newScene(t, 10, notifytest.New(t))
	if _, err := sc.db.W.Exec(`UPDATE courses SET registration_mode = 'approval' WHERE id = ?`, sc.course.ID); err != nil {
		t.Fatal(err)
	}
	an := sc.register(t, "Trần Thị An", "0905123456", "an@example.vn", "vi")
	binh := sc.register(t, "Lê Văn Bình", "0905123457", "binh@example.vn", "en")
	if _, err := sc.cs.Approve(t.Context(), an.ID, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := sc.cs.Reject(t.Context(), courses.RejectInput{ID: binh.ID, Reason: "Không đúng đối tượng"}); err != nil {
		t.Fatal(err)
	}
	msgs, _, err := sc.n.ListMessages(t.Context(), notify.MessageFilter{CourseID: sc.course.ID})
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for i := len(msgs) - 1; i >= 0; i-- {
		kinds = append(kinds, msgs[i].Kind+" "+msgs[i].Lang)
	}
	want := []string{"registration_pending vi", "registration_pending en", "registration_approved vi", "registration_rejected en"}
	if strings.Join(kinds, ", ") != strings.Join(want, ", ") {
		t.Fatalf("kinds %v, want %v", kinds, want)
	}
	sc.sendDue(t)
	got := byTo(sc.smtp.Wait(4, 10*time.Second))
	if r := got["<binh@example.vn>"]; len(r) != 2 || !strings.Contains(r[1].Text, "Reason: Không đúng đối tượng") {
		t.Fatalf("rejection: %+v", r)
	}
	if a := got["<an@example.vn>"]; len(a) != 2 || !strings.HasPrefix(a[1].Subject, "Đăng ký được duyệt") {
		t.Fatalf("approval: %+v", a)
	}
}
