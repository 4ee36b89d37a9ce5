package server

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"taphuan/accounts"
	"taphuan/courses/coursestest"
)

// focusedInView returns the id of the focused element and whether it lies wholly inside
// the window.
func focusedInView(t *testing.T, ctx context.Context) (string, bool) {
	t.Helper()
	waitJS(t, ctx, "the page's script", `document.readyState === "complete"`)
	type state struct {
		ID     string `json:"id"`
		Inside bool   `json:"inside"`
	}
	s := evalJS[state](t, ctx, `(() => { const e = document.activeElement; const r = e.getBoundingClientRect();
		return {id: e.id, inside: r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0 && r.right <= window.innerWidth && r.height > 0}; })()`)
	return s.ID, s.Inside
}

// TestBrowserErrorFocusPublicForm: on a 390×844 phone a trainee sends the public form with
// a 9-digit phone: the page comes back with the summary at the top linking to the phone
// field, the phone field has the focus and is on screen, and what was typed is still there.
func TestBrowserErrorFocusPublicForm(t *testing.T) {
	a := newTestApp(t)
	org := coursestest.Org(t, a.db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	course := coursestest.Course(t, a.db, org.ID, coursestest.Upcoming)
	start := course.StartDate()
	for i := range 4 { // a long timetable pushes the form far down
		coursestest.Module(t, a.db, course.ID, fmt.Sprintf("Chuyên đề %d về thông tin cơ sở", i+1), "ThS. Nguyễn Văn Hùng")
		coursestest.Session(t, a.db, course.ID, start.Add(time.Duration(7+2*i)*time.Hour), time.Hour, "Hội trường A")
	}
	ctx := newBrowser(t)
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.Navigate(fmt.Sprintf("%s/courses/%d", a.ts.URL, course.ID)),
		chromedp.WaitVisible(chromedp.CSS("#f-phone")),
		chromedp.SendKeys(chromedp.CSS("#f-phone"), "091234567"),
		chromedp.SendKeys(chromedp.CSS("#f-full_name"), "Nguyễn Thị Hải Yến"),
		chromedp.Click(chromedp.CSS("#f-gender-nu")),
		chromedp.SendKeys(chromedp.CSS("#f-birth_date"), "15/03/1985"),
		chromedp.SendKeys(chromedp.CSS("#f-organization"), "Đài truyền thanh xã Ninh Xuân"),
		chromedp.Click(chromedp.CSS("#f-consent")),
	)
	if err != nil {
		t.Fatal(err)
	}
	submit(t, ctx, "#reg-submit")
	id, inside := focusedInView(t, ctx)
	if id != "f-phone" || !inside {
		t.Errorf("after the refusal the focus is on %q (inside the window: %v), want the phone field on screen", id, inside)
	}
	links := texts(t, ctx, "#error-summary a")
	if len(links) != 1 || strings.Count(links[0], "Số điện thoại") != 1 || !strings.Contains(links[0], "10 chữ số") {
		t.Errorf("summary links %q, want one to the phone field", links)
	}
	if href := evalJS[string](t, ctx, `document.querySelector("#error-summary a").getAttribute("href")`); href != "#f-phone" {
		t.Errorf("summary link goes to %q", href)
	}
	for sel, want := range map[string]string{"#f-phone": "091234567", "#f-full_name": "Nguyễn Thị Hải Yến", "#f-organization": "Đài truyền thanh xã Ninh Xuân"} {
		if got := evalJS[string](t, ctx, `document.querySelector("`+sel+`").value`); got != want {
			t.Errorf("%s after the refusal: %q, want %q", sel, got, want)
		}
	}
	if !evalJS[bool](t, ctx, `document.querySelector("#f-gender-nu").checked && document.querySelector("#f-consent").checked`) {
		t.Error("the gender and the consent were not kept")
	}
	screenshot(t, ctx, "error_focus_public")

	// The summary is at the top: scrolled there, its link brings the field back.
	err = chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0); document.activeElement.blur()`),
		chromedp.Click(chromedp.CSS("#error-summary a")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if id, inside := focusedInView(t, ctx); id != "f-phone" || !inside {
		t.Errorf("the summary's link focused %q (inside: %v)", id, inside)
	}
}

// TestBrowserErrorFocusSessionClash: an organizer on a 390×844 phone adds a session in a hall
// already taken: the clash is named at the top, the room field has the focus on screen, and
// the typed day and times are kept.
func TestBrowserErrorFocusSessionClash(t *testing.T) {
	a := newTestApp(t)
	org := coursestest.Org(t, a.db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	course := coursestest.Course(t, a.db, org.ID)
	for i := range 4 {
		coursestest.Module(t, a.db, course.ID, fmt.Sprintf("Chuyên đề %d về thông tin cơ sở", i+1), "Giảng viên "+fmt.Sprint(i+1))
	}
	coursestest.Day(t, a.db, course.ID, "2023-12-04")
	coursestest.Day(t, a.db, course.ID, "2023-12-05")
	organizer := a.user(accounts.RoleOrganizer, org.ID)
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	browserLogin(t, ctx, a, organizer)
	err := chromedp.Do(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/staff/courses/%d", a.ts.URL, course.ID)),
		chromedp.WaitVisible(chromedp.CSS("#session-add > summary")),
		chromedp.Click(chromedp.CSS("#session-add > summary")),
		chromedp.WaitVisible(chromedp.CSS("#f-session_date")),
	)
	if err != nil {
		t.Fatal(err)
	}
	fill(t, ctx, [][2]string{{"#f-session_date", "2023-12-05"}, {"#f-session_start", "09:00"}, {"#f-session_end", "10:00"},
		{"#f-session_room", "Hội trường A"}})
	submit(t, ctx, "#session-submit")
	id, inside := focusedInView(t, ctx)
	if id != "f-session_room" || !inside {
		t.Errorf("after the clash the focus is on %q (inside the window: %v), want the room field on screen", id, inside)
	}
	items := texts(t, ctx, "#error-summary li")
	if len(items) != 2 || !strings.Contains(items[0], "Trùng phòng") || !strings.Contains(items[0], "07:30–11:30") || !strings.HasPrefix(items[1], "Phòng") {
		t.Errorf("summary %q, want the clash then the room field", items)
	}
	if top := evalJS[float64](t, ctx, `document.querySelector("#error-summary").getBoundingClientRect().top + window.scrollY`); top > 400 {
		t.Errorf("the summary starts %v px down the page, want it at the top", top)
	}
	for sel, want := range map[string]string{"#f-session_date": "2023-12-05", "#f-session_start": "09:00", "#f-session_end": "10:00"} {
		if got := evalJS[string](t, ctx, `document.querySelector("`+sel+`").value`); got != want {
			t.Errorf("%s after the clash: %q, want %q", sel, got, want)
		}
	}
	screenshot(t, ctx, "error_focus_session")
}

// TestBrowserKeyboardOnlyRegistration: a trainee registers with the keyboard alone — Tab
// from field to field, arrows for the gender, Space for the consent, Enter to send — and
// reaches the ticket.
func TestBrowserKeyboardOnlyRegistration(t *testing.T) {
	a := newTestApp(t)
	org := coursestest.Org(t, a.db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	course := coursestest.Course(t, a.db, org.ID, coursestest.Upcoming)
	ctx := newBrowser(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/courses/%d", a.ts.URL, course.ID)),
		chromedp.WaitVisible(chromedp.CSS("#f-phone")),
		chromedp.Focus(chromedp.CSS("#f-phone")),
	)
	if err != nil {
		t.Fatal(err)
	}
	keys := func(s string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.KeyEvent(s)); err != nil {
			t.Fatal(err)
		}
	}
	keys("0912 345 678\t")
	keys("Nguyễn Thị Hải Yến\t")
	keys(kb.ArrowRight) // the first radio has the focus; the arrow chooses Nữ
	if got := evalJS[string](t, ctx, `document.activeElement.id`); got != "f-gender-nu" {
		t.Fatalf("after the arrow the focus is on %q", got)
	}
	keys("\t15/03/1985\tĐài truyền thanh xã Ninh Xuân\t\t\t\t\t") // position, locality, ethnicity, email left empty
	if got := evalJS[string](t, ctx, `document.activeElement.id`); got != "f-consent" {
		t.Fatalf("Tab reached %q, want the consent box", got)
	}
	keys(" ")
	keys("\t")
	if got := evalJS[string](t, ctx, `document.activeElement.id`); got != "reg-submit" {
		t.Fatalf("Tab reached %q, want the submit button", got)
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.body.setAttribute("data-stale", "1")`),
		chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS("body:not([data-stale]) #ticket-name"))); err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, "#ticket-name"); got != "Nguyễn Thị Hải Yến" {
		t.Errorf("ticket of %q", got)
	}
	reg, err := a.srv.courses.FindRegistrationByCode(t.Context(), textOf(t, ctx, "#ticket-code"))
	if err != nil || reg.Gender != "Nữ" || reg.Phone != "0912345678" || reg.BirthDate != "1985-03-15" {
		t.Errorf("stored %+v %v", reg, err)
	}
}
