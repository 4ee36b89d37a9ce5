package server

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"taphuan/accounts"
	"taphuan/courses"
	"taphuan/courses/coursestest"
)

// TestBrowserTraineeRegistersOnPhone: on a phone-sized window a trainee opens the public
// course page, makes a mistake that is shown on its field, corrects it, registers and sees
// the ticket with its QR code. Then the organizer sees the roster (after importing the
// sample roster) on a desktop window.
func TestBrowserTraineeRegistersOnPhone(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	org := coursestest.Org(t, a.db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	course := coursestest.Course(t, a.db, org.ID, coursestest.Upcoming)
	ctx := newBrowser(t)
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.Navigate(fmt.Sprintf("%s/courses/%d", a.ts.URL, course.ID)),
		chromedp.WaitVisible(chromedp.CSS("#f-phone")),
		chromedp.SendKeys(chromedp.CSS("#f-phone"), "0912 345"),
		chromedp.SendKeys(chromedp.CSS("#f-full_name"), "Nguyễn Thị Hải Yến"),
		chromedp.Click(chromedp.CSS("#f-gender-nu")),
		chromedp.SendKeys(chromedp.CSS("#f-birth_date"), "15/03/1985"),
		chromedp.SendKeys(chromedp.CSS("#f-organization"), "Đài truyền thanh xã Ninh Xuân"),
		chromedp.SendKeys(chromedp.CSS("#f-position"), "Phát thanh viên"),
		chromedp.SendKeys(chromedp.CSS("#f-locality"), "xã Ninh Xuân"),
		chromedp.SendKeys(chromedp.CSS("#f-ethnicity"), "Kinh"),
		chromedp.Click(chromedp.CSS("#f-consent")),
		chromedp.Click(chromedp.CSS("#reg-submit")),
		chromedp.WaitVisible(chromedp.CSS("#e-phone")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if msg := textOf(t, ctx, "#e-phone"); !strings.Contains(msg, "10 chữ số") {
		t.Errorf("phone message %q", msg)
	}
	// The other fields kept what was typed.
	name, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#f-full_name")))
	if err != nil || name != "Nguyễn Thị Hải Yến" {
		t.Errorf("name after the refusal: %q %v", name, err)
	}
	err = chromedp.Do(ctx,
		chromedp.Clear(chromedp.CSS("#f-phone")),
		chromedp.SendKeys(chromedp.CSS("#f-phone"), "0912 345 678"),
		chromedp.ScrollIntoView(chromedp.CSS("#reg-form-title")),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "course_register")
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#reg-submit")),
		chromedp.WaitVisible(chromedp.CSS("#ticket-qr")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, "#ticket-name"); got != "Nguyễn Thị Hải Yến" {
		t.Errorf("ticket name %q", got)
	}
	if got := textOf(t, ctx, "#ticket-status"); got != "Đã xác nhận" {
		t.Errorf("ticket status %q", got)
	}
	qrWidth, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelector("#ticket-qr").naturalWidth`))
	if err != nil || qrWidth < 100 {
		t.Errorf("the QR image did not load: width %d %v", qrWidth, err)
	}
	body := textOf(t, ctx, "main")
	if strings.Contains(body, "0912345678") || strings.Contains(body, "15/03/1985") {
		t.Error("the ticket shows personal data")
	}
	// The page fits the phone: nothing wider than the window.
	overflow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
	if err != nil || overflow {
		t.Errorf("the ticket overflows a 390px window (%v)", err)
	}
	screenshot(t, ctx, "ticket")
	code := textOf(t, ctx, "#ticket-code")
	if reg, err := a.srv.courses.FindRegistrationByCode(t.Context(), code); err != nil || reg.Phone != "0912345678" {
		t.Errorf("registration of ticket %s: %v %v", code, reg, err)
	}

	// The organizer's roster, after importing the sample roster of 200.
	data, err := os.ReadFile("../demo/roster-200.csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := courses.ParseRoster(strings.NewReader(string(data)), "roster-200.csv")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.srv.courses.Import(t.Context(), courses.ImportInput{CourseID: course.ID, Rows: rows}); err != nil {
		t.Fatal(err)
	}
	u := a.user(accounts.RoleOrganizer, org.ID)
	err = chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(a.ts.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), u.Email),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Click(chromedp.CSS("#login-submit")),
		chromedp.WaitVisible(chromedp.CSS(".page-dashboard")),
		chromedp.Navigate(fmt.Sprintf("%s/staff/courses/%d/registrations?status=confirmed,waitlisted", a.ts.URL, course.ID)),
		chromedp.WaitVisible(chromedp.CSS("#roster-table")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, "#roster-counts li"); !strings.HasPrefix(got, "200/200") {
		t.Errorf("counts %q, want 200/200 seats", got)
	}
	screenshot(t, ctx, "roster")
}
