package server

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"taphuan/accounts"
	"taphuan/attendance"
	"taphuan/courses"
	"taphuan/courses/coursestest"
)

// TestBrowserDoorAdmitsAndWalksIn: at the door, on a phone, staff type the phone number of
// someone on the waiting list: the page names her and offers to admit her; one tap and one
// confirmation later she is confirmed and present. Then a walk-in is registered and checked
// in from the door page (a bad phone first, shown at its field). With the course full, staff
// are told to call an organizer.
func TestBrowserDoorAdmitsAndWalksIn(t *testing.T) {
	a := newTestApp(t)
	org := coursestest.Org(t, a.db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	course := coursestest.Course(t, a.db, org.ID, func(c *courses.Course) { c.Capacity = 4 })
	sess := coursestest.Session(t, a.db, course.ID, time.Now().Add(-10*time.Minute), 3*time.Hour, "Hội trường A")
	coursestest.Registration(t, a.db, course.ID, coursestest.Person{FullName: "Nguyễn Văn An"}, courses.RegConfirmed)
	coursestest.Registration(t, a.db, course.ID, coursestest.Person{FullName: "Lê Thị Hoa"}, courses.RegConfirmed)
	wait := coursestest.Registration(t, a.db, course.ID, coursestest.Person{FullName: "Trần Thị Bình", Phone: "0905111222",
		Organization: "UBND xã Ninh Xuân"}, courses.RegWaitlisted)
	staff := a.user(accounts.RoleStaff, org.ID)
	ctx := newBrowser(t)
	dialogs := recordDialogs(ctx)
	if err := retryDo(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	browserLogin(t, ctx, a, staff)
	checkin := fmt.Sprintf("%s/staff/sessions/%d/checkin", a.ts.URL, sess.ID)
	if err := retryDo(ctx,
		chromedp.Navigate(checkin),
		chromedp.WaitVisible(chromedp.CSS("#scan")),
		chromedp.SendKeys(chromedp.CSS("#scan"), "0905 111 222\n"),
		chromedp.WaitVisible(chromedp.CSS("#scan-door")),
	); err != nil {
		t.Fatal(err)
	}
	if got := jsText(t, ctx, "#scan-result"); !strings.Contains(got, "Trần Thị Bình") || !strings.Contains(got, "vị trí 1") {
		t.Errorf("the scan of a waitlisted phone says %q, want her name and place", got)
	}
	screenshot(t, ctx, "door_scan_390")
	if err := retryDo(ctx, chromedp.Click(chromedp.CSS("#scan-door"))); err != nil {
		t.Fatal(err)
	}
	waitAfterClick(t, ctx, "the door page", `!!document.querySelector("#door-admit")`)
	if got := jsText(t, ctx, "#door-status"); got != "Danh sách chờ, vị trí 1" {
		t.Errorf("door page status %q", got)
	}
	if got := jsText(t, ctx, "#door-name"); got != "Trần Thị Bình" {
		t.Errorf("door page names %q", got)
	}
	overflow := evalJS[bool](t, ctx, `document.documentElement.scrollWidth > window.innerWidth`)
	if overflow {
		t.Error("the door page is wider than the phone")
	}
	screenshot(t, ctx, "door_admit_390")
	if err := retryDo(ctx, chromedp.Click(chromedp.CSS("#door-admit"))); err != nil {
		t.Fatal(err)
	}
	waitAfterClick(t, ctx, "back on the check-in page, saying who came in",
		`location.pathname.endsWith("/checkin") && !!document.querySelector(".flash") && document.querySelector(".flash").textContent.includes("Trần Thị Bình")`)
	if d := dialogs.all(); len(d) != 1 || !strings.Contains(d[0], "Trần Thị Bình") {
		t.Errorf("confirmations %q, want one naming her", d)
	}
	reg, _ := a.srv.courses.FindRegistrationByID(t.Context(), wait.ID)
	if reg.Status != courses.RegConfirmed {
		t.Errorf("after admitting: %s", reg.Status)
	}
	if m := rosterMark(t, a, sess.ID, wait.ID); m != attendance.Present {
		t.Errorf("her mark is %q, want present", m)
	}

	// A walk-in, from the check-in page's link.
	if err := retryDo(ctx, chromedp.Click(chromedp.CSS("#door-link"))); err != nil {
		t.Fatal(err)
	}
	waitAfterClick(t, ctx, "the walk-in form", `!!document.querySelector("#walkin-submit")`)
	if err := retryDo(ctx,
		chromedp.WaitVisible(chromedp.CSS("#walkin-submit")),
		chromedp.SendKeys(chromedp.CSS("#f-full_name"), "Phạm Văn Đông"),
		chromedp.Click(chromedp.CSS("#f-gender-nam")),
		chromedp.SendKeys(chromedp.CSS("#f-birth_date"), "02/09/1988"),
		chromedp.SendKeys(chromedp.CSS("#f-phone"), "0987"),
		chromedp.SendKeys(chromedp.CSS("#f-organization"), "Đài truyền thanh xã Ninh Ích"),
		chromedp.Click(chromedp.CSS("#walkin-submit")),
	); err != nil {
		t.Fatal(err)
	}
	waitAfterClick(t, ctx, "the refusal", `!!document.querySelector("#e-phone")`)
	if got := evalJS[string](t, ctx, `document.querySelector("#f-full_name").value + "|" + document.querySelector("#f-birth_date").value`); got != "Phạm Văn Đông|02/09/1988" {
		t.Errorf("the values were not kept as typed: %q", got)
	}
	screenshot(t, ctx, "door_walkin_error_390")
	if err := retryDo(ctx,
		chromedp.WaitVisible(chromedp.CSS("#e-phone")),
		chromedp.SetValue(chromedp.CSS("#f-phone"), "0987 654 321"),
		chromedp.Click(chromedp.CSS("#walkin-submit")),
	); err != nil {
		t.Fatal(err)
	}
	waitAfterClick(t, ctx, "the walk-in checked in", `location.pathname.endsWith("/checkin") && !!document.querySelector(".flash") && document.querySelector(".flash").textContent.includes("Phạm Văn Đông")`)
	regs, _, _ := a.srv.courses.ListRegistrations(t.Context(), courses.RegistrationFilter{CourseID: course.ID, Query: "0987654321"})
	if len(regs) != 1 || regs[0].Status != courses.RegConfirmed || regs[0].Source != courses.SourceDoor {
		t.Fatalf("walk-in registration %+v", regs)
	}
	if m := rosterMark(t, a, sess.ID, regs[0].ID); m != attendance.Present {
		t.Errorf("the walk-in's mark is %q", m)
	}
	if got := evalJS[int](t, ctx, `document.querySelectorAll("#roster .roster-row").length`); got != 4 {
		t.Errorf("the check-in roster has %d rows, want 4", got)
	}

	// Full now: staff are told to call an organizer, at both sizes.
	for _, w := range []int64{390, 1366} {
		if err := retryDo(ctx,
			chromedp.EmulateViewport(w, map[int64]int64{390: 844, 1366: 900}[w]),
			chromedp.Navigate(fmt.Sprintf("%s/staff/sessions/%d/door?q=binh", a.ts.URL, sess.ID)),
			chromedp.WaitVisible(chromedp.CSS("#walkin")),
		); err != nil {
			t.Fatal(err)
		}
		if got := jsText(t, ctx, "#walkin"); !strings.Contains(got, "cán bộ tổ chức") {
			t.Errorf("full course, staff: %q", got)
		}
		screenshot(t, ctx, fmt.Sprintf("door_full_%d", w))
	}
}

func rosterMark(t *testing.T, a *testApp, sessionID, regID int64) string {
	t.Helper()
	ro, err := a.srv.attend.SessionRoster(t.Context(), sessionID)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ro.Entries {
		if e.ID == regID {
			return e.Mark
		}
	}
	return "(not on the roster)"
}
