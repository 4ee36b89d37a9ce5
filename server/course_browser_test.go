package server

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"taphuan/accounts"
	"taphuan/courses"
)

// submit clicks sel and waits until the next page has loaded: the current page is marked
// first, so a selector that both pages share cannot match the old one.
func submit(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`document.body.setAttribute("data-stale", "1")`),
		chromedp.Click(chromedp.CSS(sel)),
		chromedp.WaitVisible(chromedp.CSS("body:not([data-stale]) footer")),
	)
	if err != nil {
		t.Fatalf("submit %s: %v", sel, err)
	}
}

// fill sets form fields by CSS selector (text, date, time, number and select alike).
func fill(t *testing.T, ctx context.Context, values [][2]string) {
	t.Helper()
	var steps []chromedp.Action[chromedp.Void]
	for _, v := range values {
		steps = append(steps, chromedp.SetValue(chromedp.CSS(v[0]), v[1]))
	}
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("fill: %v", err)
	}
}

func texts(t *testing.T, ctx context.Context, css string) []string {
	t.Helper()
	out, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll(`+"`"+css+"`"+`)).map(e => e.innerText.trim())`))
	if err != nil {
		t.Fatalf("texts of %s: %v", css, err)
	}
	return out
}

// TestBrowserOrganizerPlansCourse: an organizer of Sở TT&TT Khánh Hòa signs in, creates the
// workshop of 4–5/12/2023 (correcting a mistake the form points out), adds its four modules
// and four sessions, sees a room clash refused with the clashing session named, opens
// registration, and the public page shows the timetable by day, morning and afternoon —
// also on a phone.
func TestBrowserOrganizerPlansCourse(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	org := a.org("Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	organizer := a.user(accounts.RoleOrganizer, org.ID)
	ctx0 := t.Context()
	root, err := a.srv.courses.CreateProgram(ctx0, courses.ProgramInput{Name: "Chương trình mục tiêu quốc gia giảm nghèo bền vững 2021–2025"})
	if err != nil {
		t.Fatal(err)
	}
	d6, err := a.srv.courses.CreateProgram(ctx0, courses.ProgramInput{ParentID: root.ID, Name: "Dự án 6: Truyền thông và giảm nghèo về thông tin"})
	if err != nil {
		t.Fatal(err)
	}

	ctx := newBrowser(t)
	err = chromedp.Do(ctx,
		chromedp.Navigate(a.ts.URL+"/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), organizer.Email),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Click(chromedp.CSS("#login-submit")),
		chromedp.WaitVisible(chromedp.CSS(".page-dashboard #upcoming")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, "#upcoming .empty"); !strings.Contains(got, "Không có lớp nào") {
		t.Errorf("dashboard without courses says %q", got)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`.mainnav a[href="/staff/courses"]`)),
		chromedp.WaitVisible(chromedp.CSS("#courses-empty")),
		chromedp.Click(chromedp.CSS("#courses-empty a.primary")),
		chromedp.WaitVisible(chromedp.CSS("#course-form")),
	)
	if err != nil {
		t.Fatal(err)
	}

	// The course, with the end date typed before the start.
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#f-title"), khanhHoaTitle),
		chromedp.SendKeys(chromedp.CSS("#f-co_organizer"), "Cục Thông tin cơ sở")); err != nil {
		t.Fatal(err)
	}
	fill(t, ctx, [][2]string{
		{"#f-program_id", itoa(d6.ID)},
		{"#f-starts_on", "2023-12-04"}, {"#f-ends_on", "2023-12-03"},
		{"#f-venue", "Khách sạn Hoàng Yến, 42 Trần Phú, thành phố Nha Trang"}, {"#f-place_name", "Khánh Hòa"},
		{"#f-capacity", "200"},
		{"#f-target_audience", "Cán bộ thông tin và truyền thông cơ sở, đài truyền thanh cấp xã"},
	})
	submit(t, ctx, "#course-submit")
	if got := textOf(t, ctx, "#e-ends_on"); got != "Ngày kết thúc không được trước ngày bắt đầu." {
		t.Fatalf("message on the end date: %q", got)
	}
	if got := textOf(t, ctx, ".alert"); !strings.Contains(got, "Vui lòng sửa") {
		t.Errorf("form alert %q", got)
	}
	fill(t, ctx, [][2]string{{"#f-ends_on", "2023-12-05"}})
	submit(t, ctx, "#course-submit")
	if got := textOf(t, ctx, "h1"); !strings.HasPrefix(got, khanhHoaTitle) {
		t.Fatalf("after creating, the page is %q", got)
	}
	if got := textOf(t, ctx, "#course-status"); got != "Nháp" {
		t.Errorf("new course status %q, want Nháp", got)
	}

	// Four modules with their lecturers.
	modules := [][3]string{
		{"Quy định và những vấn đề cơ bản về hoạt động thông tin cơ sở", "ThS. Nguyễn Văn Hùng", "240"},
		{"Chiến lược phát triển thông tin cơ sở giai đoạn 2021–2025", "TS. Trần Thị Mai", "210"},
		{"Định hướng phát triển đài truyền thanh cấp huyện đến năm 2025", "Lê Quang Vinh", "240"},
		{"Đài truyền thanh cấp xã và vận hành đài truyền thanh ứng dụng CNTT - viễn thông", "KS. Phạm Minh Tuấn", "210"},
	}
	for _, m := range modules {
		// The panel stays open after each module, ready for the next.
		if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("#f-module_title"))); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#f-module_title"), m[0])); err != nil {
			t.Fatal(err)
		}
		fill(t, ctx, [][2]string{{"#f-module_lecturer", m[1]}, {"#f-module_duration_minutes", m[2]}})
		submit(t, ctx, "#module-submit")
	}
	if got := texts(t, ctx, "#module-list tbody td:nth-child(3)"); strings.Join(got, "|") != "ThS. Nguyễn Văn Hùng|TS. Trần Thị Mai|Lê Quang Vinh|KS. Phạm Minh Tuấn" {
		t.Errorf("lecturers %q", got)
	}

	// Four sessions: the form proposes the next slot and the next module; the organizer
	// types the day and times anyway, and the room once.
	slots := [][3]string{{"2023-12-04", "07:30", "11:30"}, {"2023-12-04", "13:30", "17:00"},
		{"2023-12-05", "07:30", "11:30"}, {"2023-12-05", "13:30", "17:00"}}
	for i, sl := range slots {
		if i > 0 {
			if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#session-add > summary")),
				chromedp.WaitVisible(chromedp.CSS("#f-session_date"))); err != nil {
				t.Fatal(err)
			}
		}
		fill(t, ctx, [][2]string{{"#f-session_date", sl[0]}, {"#f-session_start", sl[1]}, {"#f-session_end", sl[2]}})
		if i == 0 {
			fill(t, ctx, [][2]string{{"#f-session_room", "Hội trường tầng 2"}})
		}
		submit(t, ctx, "#session-submit")
	}
	if got := texts(t, ctx, ".session-row td:nth-child(3)"); len(got) != 4 || got[3] != modules[3][0] {
		t.Errorf("sessions show modules %q", got)
	}

	// A fifth session in the same hall at the same time is refused, naming the clash.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#session-add > summary")),
		chromedp.WaitVisible(chromedp.CSS("#f-session_date"))); err != nil {
		t.Fatal(err)
	}
	fill(t, ctx, [][2]string{{"#f-session_date", "2023-12-05"}, {"#f-session_start", "09:00"}, {"#f-session_end", "10:00"},
		{"#f-session_room", "Hội trường tầng 2"}})
	submit(t, ctx, "#session-submit")
	clash := textOf(t, ctx, "#session-conflict")
	for _, w := range []string{"Trùng phòng", "05/12/2023", "07:30–11:30", "Hội trường tầng 2", khanhHoaTitle} {
		if !strings.Contains(clash, w) {
			t.Errorf("clash message %q does not say %q", clash, w)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(a.ts.URL+"/staff/courses"),
		chromedp.Click(chromedp.CSS("a.course-link")), chromedp.WaitVisible(chromedp.CSS("#sessions"))); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "course")

	// Publish it: a course of December 2023 is over, so the calendar completes it at once.
	submit(t, ctx, "#status-open")
	if got := textOf(t, ctx, "#course-status"); got != "Đã kết thúc" {
		t.Errorf("after publishing a course of 2023, status %q", got)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(a.ts.URL+"/staff/courses"), chromedp.WaitVisible(chromedp.CSS("#course-list"))); err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, "#course-list tbody tr"); !strings.Contains(got, "04/12/2023 – 05/12/2023") || !strings.Contains(got, "0/200") {
		t.Errorf("list row %q", got)
	}
	screenshot(t, ctx, "courses")

	// The public page: the timetable by day, morning and afternoon, in Vietnam time.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("a.course-link")), chromedp.WaitVisible(chromedp.CSS("#public-link")),
		chromedp.Click(chromedp.CSS("#public-link")), chromedp.WaitVisible(chromedp.CSS("#timetable"))); err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, "#public-course h1"); got != khanhHoaTitle {
		t.Errorf("public title %q", got)
	}
	if got := textOf(t, ctx, ".issuer"); !strings.Contains(got, "CỤC THÔNG TIN CƠ SỞ") && !strings.Contains(got, "Cục Thông tin cơ sở") {
		t.Errorf("issuer line %q has no co-organizer", got)
	}
	if got := texts(t, ctx, ".tt-date"); strings.Join(got, "|") != "Thứ Hai, 04/12/2023|Thứ Ba, 05/12/2023" {
		t.Errorf("days %q", got)
	}
	if got := texts(t, ctx, ".tt-part-name"); strings.ToLower(strings.Join(got, "|")) != "sáng|chiều|sáng|chiều" {
		t.Errorf("parts %q", got)
	}
	if got := texts(t, ctx, ".tt-time"); strings.Join(got, "|") != "07:30 – 11:30|13:30 – 17:00|07:30 – 11:30|13:30 – 17:00" {
		t.Errorf("times %q", got)
	}
	if got := texts(t, ctx, ".tt-lecturer"); len(got) != 4 || got[1] != "Báo cáo viên: TS. Trần Thị Mai" {
		t.Errorf("lecturers %q", got)
	}
	screenshot(t, ctx, "course_public")

	// On a phone the page fits the screen: no sideways scrolling.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844), chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS("#timetable"))); err != nil {
		t.Fatal(err)
	}
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil {
		t.Fatal(err)
	}
	if width > 390 {
		t.Errorf("at 390px the page is %dpx wide", width)
	}
	if got := texts(t, ctx, ".tt-date"); len(got) != 2 {
		t.Errorf("phone: days %q", got)
	}
	screenshot(t, ctx, "course_public_phone")
}
