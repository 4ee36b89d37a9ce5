package server

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"taphuan/accounts"
	"taphuan/certificates"
	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/database"
)

var rosterRow = regexp.MustCompile(`(?s)<tbody.*?</tbody>`)

// TestRosterPrintsEveryTrainee: the roster shows 50 a page, and its print link gives all
// 200 of the demo course on one page that prints itself.
func TestRosterPrintsEveryTrainee(t *testing.T) {
	sc := newSweepScene(t)
	c := sc.clients["organizer/vi"]
	base := "/staff/courses/" + sc.courses[0] + "/registrations"
	_, body := sc.a.get(c, base)
	if n := strings.Count(rosterRow.FindString(body), "<tr"); n != 50 {
		t.Errorf("one page of the roster has %d rows, want 50", n)
	}
	if !strings.Contains(body, `id="roster-print" href="`+base+`?print=1"`) {
		t.Error("the roster has no print link to the whole list")
	}
	_, body = sc.a.get(c, base+"?print=1")
	if n := strings.Count(rosterRow.FindString(body), "<tr"); n != 200 {
		t.Errorf("the printed roster has %d rows, want all 200", n)
	}
	if !strings.Contains(body, "data-autoprint") || strings.Contains(body, `class="pager`) {
		t.Error("the printed roster does not print itself, or still has a pager")
	}
	// The filters are kept: only the confirmed trainees whose name matches.
	_, body = sc.a.get(c, base+"?q=nguyen&print=1")
	if n := strings.Count(rosterRow.FindString(body), "<tr"); n == 0 || n >= 200 {
		t.Errorf("the printed search has %d rows", n)
	}
}

// TestMatrixLegend: the attendance matrix explains its codes and its session columns on
// the page, in both languages.
func TestMatrixLegend(t *testing.T) {
	sc := newSweepScene(t)
	for lang, words := range map[string][]string{
		"vi": {"Cách đọc bảng", "Có mặt", "Đi muộn", "Vắng có phép", "Chưa điểm danh", "dưới 75%"},
		"en": {"How to read the table", "Present", "Late", "Excused", "Not marked", "below 75%"},
	} {
		_, body := sc.a.get(sc.clients["organizer/"+lang], "/staff/courses/"+sc.courses[0]+"/attendance")
		legend := regexp.MustCompile(`(?s)<section class="matrix-legend".*?</section>`).FindString(body)
		for _, w := range words {
			if !strings.Contains(legend, w) {
				t.Errorf("%s legend lacks %q", lang, w)
			}
		}
		if strings.Count(legend, "<li><strong>") != 4 {
			t.Errorf("%s legend does not name the 4 session columns", lang)
		}
	}
}

// TestTicketStates: a waitlisted or pending ticket shows its status and no QR; after the
// course a ticket shows the certificate, or the attendance and why there is none.
func TestTicketStates(t *testing.T) {
	a := newTestApp(t)
	org := coursestest.Org(t, a.db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	up := coursestest.Course(t, a.db, org.ID, coursestest.Upcoming)
	anon := a.browserClient()
	for i, st := range []string{courses.RegConfirmed, courses.RegWaitlisted, courses.RegPending} {
		r := coursestest.Registration(t, a.db, up.ID, coursestest.Person{FullName: "Lê Thị Mai", Phone: fmt.Sprintf("091200000%d", i)}, st)
		_, body := a.get(anon, "/tickets/"+r.Code)
		if hasQR := strings.Contains(body, `id="ticket-qr"`); hasQR != (st == courses.RegConfirmed) {
			t.Errorf("%s ticket: QR shown %v", st, hasQR)
		}
	}

	// A course that is over: two sessions; Hoa came to both and got her certificate, Lan
	// came to one.
	past := coursestest.Course(t, a.db, org.ID, func(c *courses.Course) { c.MinAttendancePercent = 80 })
	m, af := coursestest.Day(t, a.db, past.ID, "2023-12-04")
	hoa := coursestest.Registration(t, a.db, past.ID, coursestest.Person{FullName: "Trần Thị Hoa", Phone: "0911000001"}, courses.RegConfirmed)
	lan := coursestest.Registration(t, a.db, past.ID, coursestest.Person{FullName: "Phạm Thị Lan", Phone: "0911000002"}, courses.RegConfirmed)
	u := a.user(accounts.RoleOrganizer, org.ID)
	for _, mk := range []struct {
		r  *courses.Registration
		ss []*courses.Session
	}{{hoa, []*courses.Session{m, af}}, {lan, []*courses.Session{m}}} {
		for _, ss := range mk.ss {
			if _, err := a.db.W.Exec(`INSERT INTO attendance_marks (session_id, registration_id, status, updated_at, updated_by) VALUES (?, ?, 'present', ?, ?)`,
				ss.ID, mk.r.ID, database.Now(), u.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := a.srv.certs.Issue(t.Context(), certificates.IssueInput{CourseID: past.ID, UserID: u.ID, VerifyBase: a.ts.URL + "/verify/"}); err != nil {
		t.Fatal(err)
	}
	_, body := a.get(anon, "/tickets/"+hoa.Code)
	if !strings.Contains(body, "Lớp đã kết thúc") || !strings.Contains(body, "giấy chứng nhận số") || !strings.Contains(body, `id="ticket-certificate"`) ||
		strings.Contains(body, `id="ticket-qr"`) || strings.Contains(body, `id="ticket-cancel"`) {
		t.Error("after the course Hoa's ticket does not show her certificate (or still offers the QR / cancel)")
	}
	_, body = a.get(anon, "/tickets/"+lan.Code)
	for _, w := range []string{"Bạn tham dự 1/2 buổi (50%)", "Các buổi vắng: ", "Không có giấy chứng nhận", "dưới mức tối thiểu 80%"} {
		if !strings.Contains(body, w) {
			t.Errorf("Lan's ticket after the course does not say %q", w)
		}
	}
	if strings.Contains(body, `id="ticket-qr"`) || strings.Contains(body, `id="ticket-cancel"`) {
		t.Error("after the course Lan's ticket still offers the QR or the cancel button")
	}
}

// TestSmallerFixes: a full course says so above the form; the course form of a new install
// says how to create the first organization; the module panel stays open after adding one.
func TestSmallerFixes(t *testing.T) {
	a := newTestApp(t)
	admin := a.login(a.user(accounts.RoleAdmin, 0))
	_, body := a.get(admin, "/staff/courses/new")
	if !strings.Contains(body, `id="no-orgs"`) || !strings.Contains(body, `href="/admin/organizations"`) {
		t.Error("the course form of a new install does not explain how to create the first organization")
	}
	org := coursestest.Org(t, a.db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	full := coursestest.Course(t, a.db, org.ID, coursestest.Upcoming, func(c *courses.Course) { c.Capacity = 1 })
	anon := a.browserClient()
	if _, body := a.get(anon, fmt.Sprintf("/courses/%d", full.ID)); strings.Contains(body, `id="reg-full"`) {
		t.Error("an empty course says it is full")
	}
	coursestest.Registration(t, a.db, full.ID, coursestest.Person{FullName: "Trần Thị Hoa", Phone: "0911000001"}, courses.RegConfirmed)
	if _, body := a.get(anon, fmt.Sprintf("/courses/%d", full.ID)); !strings.Contains(body, `id="reg-full"`) || !strings.Contains(body, "danh sách chờ") {
		t.Error("a full course does not say so above the form")
	}
	organizer := a.login(a.user(accounts.RoleOrganizer, org.ID))
	resp := a.postForm(organizer, fmt.Sprintf("/staff/courses/%d/modules", full.ID), url.Values{"module_title": {"Chuyên đề một"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add module: %d", resp.StatusCode)
	}
	_, body = a.get(organizer, resp.Header.Get("Location"))
	if !regexp.MustCompile(`<details[^>]* open[^>]*id="module-add"`).MatchString(body) {
		t.Error("the module panel folded away after adding a module")
	}
}
