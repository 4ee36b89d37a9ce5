package server

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"taphuan/accounts"
	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/notify"
	"taphuan/notify/notifytest"
)

// TestBrowserMessages: an organizer opens the messages of a course, sees that no SMTP is
// configured, a failed message with its error, resends it, and writes to the confirmed
// trainees; a trainee who lost the ticket asks for it on the public page. At 1366×900 and
// 390×844 the pages fit.
func TestBrowserMessages(t *testing.T) {
	a := newTestApp(t)
	org := coursestest.Org(t, a.db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	course := coursestest.Course(t, a.db, org.ID, func(c *courses.Course) { c.StartsOn, c.EndsOn = "2030-12-04", "2030-12-05" })
	coursestest.Day(t, a.db, course.ID, "2030-12-04")
	for i, name := range []string{"Trần Thị An", "Lê Văn Bình", "Phạm Thị Cúc"} {
		coursestest.Registration(t, a.db, course.ID, coursestest.Person{FullName: name, BirthDate: "1990-05-02",
			Phone: fmt.Sprintf("090500000%d", i), Email: fmt.Sprintf("hv%d@example.vn", i)}, courses.RegConfirmed)
	}
	// Messages that failed for good: the server refused them (451) at the last attempt.
	if _, err := a.srv.notify.Broadcast(t.Context(), notify.BroadcastInput{CourseID: course.ID, Subject: "Lịch học", Body: "Xem lịch đính kèm."}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.db.W.Exec(`UPDATE notify_messages SET to_addr = 'busy.' || to_addr`); err != nil {
		t.Fatal(err)
	}
	busy := notifytest.New(t)
	busy.SetBusy(true)
	snd, err := notify.ParseSMTP(busy.URL(), "no-reply@example.vn", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.db.W.Exec(`UPDATE notify_messages SET attempts = 5`); err != nil {
		t.Fatal(err)
	}
	if _, err := a.srv.notify.SendDue(t.Context(), snd, "test"); err != nil { // the 6th attempt fails them
		t.Fatal(err)
	}

	ctx := newBrowser(t)
	certAcceptDialogs(ctx)
	browserLogin(t, ctx, a, a.user(accounts.RoleOrganizer, org.ID))
	page := fmt.Sprintf("%s/staff/courses/%d/messages", a.ts.URL, course.ID)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 900), chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("#messages"))); err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, "#smtp-missing"); !strings.Contains(got, "SMTP") {
		t.Errorf("SMTP notice %q", got)
	}
	if got := textOf(t, ctx, "#count-failed"); got != "3" {
		t.Errorf("failed %q, want 3", got)
	}
	if got := textOf(t, ctx, "#messages .msg-error"); !strings.Contains(got, "451") {
		t.Errorf("last error %q", got)
	}
	screenshot(t, ctx, "messages")
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#resend-all")), // asks first
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, "#count-queued"); got != "3" {
		t.Errorf("queued after resend %q, want 3", got)
	}
	// A bad submit shows the errors at the top and at the field.
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#f-body"), "Lớp chuyển sang phòng 305."),
		chromedp.Click(chromedp.CSS("#broadcast-send")),
		chromedp.WaitVisible(chromedp.CSS("#e-subject")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, "#error-summary"); got == "" {
		t.Error("no error summary at the top")
	}
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#f-subject"), "Đổi phòng học"),
		chromedp.Click(chromedp.CSS("#broadcast-send")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, "#count-queued"); got != "6" {
		t.Errorf("queued after the broadcast %q, want 6", got)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844), chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#messages"))); err != nil {
		t.Fatal(err)
	}
	if width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); err != nil || width > 390 {
		t.Errorf("messages page is %d px wide on a phone (%v)", width, err)
	}
	screenshot(t, ctx, "messages_phone")

	// The public page: "Tìm lại vé".
	err = chromedp.Do(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/courses/%d", a.ts.URL, course.ID)),
		chromedp.WaitVisible(chromedp.CSS("#tim-lai-ve summary")),
		chromedp.Click(chromedp.CSS("#tim-lai-ve summary")),
		chromedp.SendKeys(chromedp.CSS("#f-recover-phone"), "0905000001"),
		chromedp.SendKeys(chromedp.CSS("#f-recover-birth"), "02/05/1990"),
		chromedp.Click(chromedp.CSS("#recover-submit")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, ".flash"); !strings.Contains(got, "Nếu có đăng ký khớp") {
		t.Errorf("recovery answer %q", got)
	}
	if width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); err != nil || width > 390 {
		t.Errorf("public page is %d px wide on a phone (%v)", width, err)
	}
	screenshot(t, ctx, "ticket_recovery_phone")
	msgs, _, err := a.srv.notify.ListMessages(t.Context(), notify.MessageFilter{CourseID: course.ID, Status: notify.StatusQueued})
	if err != nil || len(msgs) != 7 || msgs[0].Kind != notify.KindTicketRecovery || msgs[0].To != "hv1@example.vn" {
		t.Fatalf("after recovery: %d queued (%v), newest %+v", len(msgs), err, msgs[0])
	}
}
