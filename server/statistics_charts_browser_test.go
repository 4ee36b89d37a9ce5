package server

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"taphuan/accounts"
	"taphuan/attendance"
	"taphuan/courses"
	"taphuan/courses/coursestest"
)

// TestBrowserStatisticsChartsAndFilters: the organizer filters the statistics by a program
// node (its sub-project's course counts, another program's does not), reads both rates with
// their definitions, and sees the four charts drawn by the server, at 1366 and 390 wide, in
// Vietnamese and English.
func TestBrowserStatisticsChartsAndFilters(t *testing.T) {
	a := newTestApp(t)
	ctx0 := t.Context()
	org := coursestest.Org(t, a.db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	root, err := a.srv.courses.CreateProgram(ctx0, courses.ProgramInput{Name: "CTMTQG giảm nghèo bền vững"})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := a.srv.courses.CreateProgram(ctx0, courses.ProgramInput{ParentID: root.ID, Name: "Dự án 6: Truyền thông giảm nghèo"})
	if err != nil {
		t.Fatal(err)
	}
	in := coursestest.Course(t, a.db, org.ID, func(c *courses.Course) { c.Title = "Lớp truyền thông giảm nghèo" })
	out := coursestest.Course(t, a.db, org.ID, func(c *courses.Course) { c.Title = "Lớp chuyển đổi số" })
	if _, err := a.db.W.Exec(`UPDATE courses SET program_id = ? WHERE id = ?`, sub.ID, in.ID); err != nil {
		t.Fatal(err)
	}
	m, af := coursestest.Day(t, a.db, in.ID, "2023-12-04")
	for i, p := range []coursestest.Person{
		{FullName: "Nguyễn Văn An", Gender: "Nam", BirthDate: "1990-01-01"},
		{FullName: "Y Bhim Niê", Gender: "Nam", Ethnicity: "Ê Đê", BirthDate: "1970-05-05"},
		{FullName: "Trần Thị Bích", Gender: "Nữ", BirthDate: "2001-02-02"},
	} {
		r := coursestest.Registration(t, a.db, in.ID, p, courses.RegConfirmed)
		for j, s := range []*courses.Session{m, af} {
			if i+j < 3 {
				if _, err := a.srv.attend.SetMark(ctx0, attendance.MarkInput{SessionID: s.ID, RegistrationID: r.ID, Status: attendance.Present}); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	coursestest.Registration(t, a.db, out.ID, coursestest.Person{FullName: "Lê Văn Ngoài"}, courses.RegConfirmed)
	u := a.user(accounts.RoleOrganizer, org.ID)
	ctx := newBrowser(t)
	if err := retryDo(ctx, chromedp.EmulateViewport(1366, 900)); err != nil {
		t.Fatal(err)
	}
	browserLogin(t, ctx, a, u)
	page := fmt.Sprintf("%s/staff/statistics?program_id=%d", a.ts.URL, root.ID)
	for _, size := range [][2]int64{{1366, 900}, {390, 844}} {
		if err := retryDo(ctx,
			chromedp.EmulateViewport(size[0], size[1]),
			chromedp.Navigate(page),
			chromedp.WaitVisible(chromedp.CSS("#stats-charts")),
		); err != nil {
			t.Fatal(err)
		}
		waitAfterClick(t, ctx, "the charts", `Array.from(document.querySelectorAll("#stats-charts img")).every(i => i.complete && i.naturalWidth > 0) && document.querySelectorAll("#stats-charts img").length === 4`)
		if got := jsText(t, ctx, "#stats-courses"); got != "1" {
			t.Errorf("courses under the program: %s, want 1", got)
		}
		body := jsText(t, ctx, "main")
		for _, want := range []string{"Lớp truyền thông giảm nghèo", "thuộc CTMTQG giảm nghèo bền vững", "Tỷ lệ tham dự", "Tỷ lệ có mặt", "chia cho", "Theo độ tuổi", "Dưới 30 tuổi"} {
			if !strings.Contains(body, want) {
				t.Errorf("the statistics page lacks %q", want)
			}
		}
		if strings.Contains(body, "Lớp chuyển đổi số") {
			t.Error("a course of another program is counted")
		}
		if got := jsText(t, ctx, "#stats-presence-rate"); got != "83,3%" {
			t.Errorf("presence rate %q, want 83,3%% (5 of 6 marks)", got)
		}
		if over := evalJS[bool](t, ctx, `document.documentElement.scrollWidth > window.innerWidth`); over {
			t.Errorf("at %d px the statistics page is wider than the window", size[0])
		}
		screenshot(t, ctx, fmt.Sprintf("statistics_%d", size[0]))
	}
	if err := retryDo(ctx,
		chromedp.Navigate(a.ts.URL+"/lang/en?next="+strings.TrimPrefix(page, a.ts.URL)),
		chromedp.WaitVisible(chromedp.CSS("#stats-charts")),
	); err != nil {
		t.Fatal(err)
	}
	waitAfterClick(t, ctx, "the English page", `document.documentElement.lang === "en" || document.body.textContent.includes("Presence rate")`)
	if body := jsText(t, ctx, "#rate-defs"); !strings.Contains(body, "Presence rate") {
		t.Errorf("English rate definitions %q", body)
	}
	// The PDF of the same filter has the charts.
	resp, err := a.login(u).Get(fmt.Sprintf("%s/api/v1/reports/statistics.pdf?program_id=%d", a.ts.URL, root.ID))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("statistics PDF: %v %v", resp, err)
	}
	resp.Body.Close()
}
