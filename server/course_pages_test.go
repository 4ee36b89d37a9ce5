package server

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"taphuan/accounts"
	"taphuan/courses"
	"taphuan/courses/coursestest"
)

// courseForm is the new-course form as a browser posts it.
func courseFormValues() url.Values {
	return url.Values{"title": {khanhHoaTitle}, "co_organizer": {"Cục Thông tin cơ sở"}, "venue": {"Khách sạn Hoàng Yến, Nha Trang"},
		"starts_on": {"2023-12-04"}, "ends_on": {"2023-12-05"}, "capacity": {"200"}, "registration_mode": {"open"},
		"min_attendance_percent": {"80"}, "support_amount_per_day": {"150.000"}}
}

// errorOn returns the message shown under the input name, or "".
func errorOn(body, name string) string {
	m := regexp.MustCompile(`<small class="error" id="e-` + regexp.QuoteMeta(name) + `">([^<]*)</small>`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

func TestCourseFormsShowFieldErrors(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	org := a.org("Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	c := a.login(a.user(accounts.RoleOrganizer, org.ID))

	form := courseFormValues()
	form.Set("title", "")
	form.Set("ends_on", "2023-12-01")
	form.Set("capacity", "không giới hạn")
	form.Set("min_attendance_percent", "120")
	form.Set("registration_opens_at", "2023-11-20T08:00")
	form.Set("registration_closes_at", "2023-11-10T17:00")
	resp, body := a.postFormBody(c, "/staff/courses", form)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid form: %d, want 422", resp.StatusCode)
	}
	for name, want := range map[string]string{
		"title":                  "Không được để trống.",
		"ends_on":                "Ngày kết thúc không được trước ngày bắt đầu.",
		"capacity":               "Phải là một số nguyên.",
		"min_attendance_percent": "Tỷ lệ phải từ 0 đến 100.",
		"registration_closes_at": "Hạn đăng ký phải sau thời điểm mở đăng ký.",
	} {
		if got := errorOn(body, name); got != want {
			t.Errorf("message on %s: %q, want %q", name, got, want)
		}
	}
	if !strings.Contains(body, `value="Cục Thông tin cơ sở"`) || !strings.Contains(body, `value="không giới hạn"`) {
		t.Error("the refused form lost what was typed")
	}
	// The same in English.
	c.Jar.SetCookies(mustURL(a.ts.URL), []*http.Cookie{{Name: langCookie, Value: "en", Path: "/"}})
	_, body = a.postFormBody(c, "/staff/courses", form)
	if got := errorOn(body, "ends_on"); got != "The end date cannot be before the start date." {
		t.Errorf("English message on ends_on: %q", got)
	}
	c.Jar.SetCookies(mustURL(a.ts.URL), []*http.Cookie{{Name: langCookie, Value: "vi", Path: "/"}})

	resp = a.postForm(c, "/staff/courses", courseFormValues())
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/staff/courses/") {
		t.Fatalf("valid form: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	detail := resp.Header.Get("Location")
	list, _, _ := a.srv.courses.ListCourses(t.Context(), courses.CourseFilter{AllOrganizations: true})
	if len(list) != 1 || list[0].SupportAmountPerDay != 150000 || list[0].Status != courses.StatusDraft || list[0].OrganizationID != org.ID {
		t.Fatalf("stored %+v", list)
	}

	t.Run("module form", func(t *testing.T) {
		resp, body := a.postFormBody(c, detail+"/modules", url.Values{"module_title": {""}, "module_lecturer": {"Trần Thị Mai"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || errorOn(body, "module_title") != "Không được để trống." {
			t.Errorf("empty module title: %d %q", resp.StatusCode, errorOn(body, "module_title"))
		}
		if !strings.Contains(body, `value="Trần Thị Mai"`) {
			t.Error("the refused module form lost the lecturer")
		}
		if resp := a.postForm(c, detail+"/modules", url.Values{"module_title": {"Chiến lược phát triển thông tin cơ sở"},
			"module_lecturer": {"Trần Thị Mai"}, "module_duration_minutes": {"210"}}); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("add module: %d", resp.StatusCode)
		}
	})
	t.Run("session form", func(t *testing.T) {
		for _, tc := range []struct {
			values      url.Values
			name, words string
		}{
			{url.Values{"session_date": {"2023-12-04"}, "session_start": {"11:30"}, "session_end": {"07:30"}}, "session_end", "sau giờ bắt đầu"},
			{url.Values{"session_date": {"2023-12-09"}, "session_start": {"07:30"}, "session_end": {"11:30"}}, "session_date", "04/12/2023 – 05/12/2023"},
			{url.Values{"session_date": {"2023-12-04"}, "session_start": {"7 giờ"}, "session_end": {"11:30"}}, "session_start", "hh:mm"},
		} {
			resp, body := a.postFormBody(c, detail+"/sessions", tc.values)
			if got := errorOn(body, tc.name); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(got, tc.words) {
				t.Errorf("%v: %d, message on %s %q", tc.values, resp.StatusCode, tc.name, got)
			}
		}
		ok := url.Values{"session_date": {"2023-12-04"}, "session_start": {"07:30"}, "session_end": {"11:30"}, "session_room": {"Hội trường A"}}
		if resp := a.postForm(c, detail+"/sessions", ok); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("add session: %d", resp.StatusCode)
		}
		ok.Set("session_start", "09:00")
		resp, body := a.postFormBody(c, detail+"/sessions", ok)
		if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "Trùng phòng") || !strings.Contains(body, "07:30–11:30") {
			t.Errorf("clashing session: %d", resp.StatusCode)
		}
		ss, _ := a.srv.courses.ListSessions(t.Context(), list[0].ID)
		if len(ss) != 1 || !ss[0].StartsAt.Equal(time.Date(2023, 12, 4, 0, 30, 0, 0, time.UTC)) {
			t.Errorf("sessions %+v", ss)
		}
		// The edit page of the session shows it in Vietnam time.
		_, body = a.get(c, fmt.Sprintf("%s/sessions/%d/edit", detail, ss[0].ID))
		if !strings.Contains(body, `value="07:30"`) || !strings.Contains(body, `value="2023-12-04"`) {
			t.Error("the session edit form does not show 04/12/2023 07:30")
		}
	})
	t.Run("status, copy, delete", func(t *testing.T) {
		if resp := a.postForm(c, detail+"/status", url.Values{"status": {"open"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("open: %d", resp.StatusCode)
		}
		// A course of 2023 is over: the calendar completes it as soon as it is published.
		if got, _ := a.srv.courses.FindCourseByID(t.Context(), list[0].ID); got.Status != courses.StatusCompleted {
			t.Errorf("a published course of 2023 is %s, want completed", got.Status)
		}
		upcoming := coursestest.Course(t, a.db, list[0].OrganizationID, coursestest.Upcoming)
		resp, body := a.postFormBody(c, "/staff/courses/"+itoa(upcoming.ID)+"/status", url.Values{"status": {"completed"}})
		if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "Chỉ kết thúc được lớp đã đóng đăng ký") {
			t.Errorf("open → completed: %d", resp.StatusCode)
		}
		resp = a.postForm(c, detail+"/copy", url.Values{"copy_starts_on": {"2024-12-02"}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") == detail {
			t.Fatalf("copy: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		copyPage := resp.Header.Get("Location")
		_, body = a.get(c, copyPage)
		if !strings.Contains(body, "02/12/2024 – 03/12/2024") || !strings.Contains(body, "Nháp") || !strings.Contains(body, "Chiến lược phát triển thông tin cơ sở") {
			t.Error("the copy's page does not show the new dates, draft status and the copied module")
		}
		resp, body = a.postFormBody(c, detail+"/copy", url.Values{"copy_starts_on": {"31/02/2024"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || errorOn(body, "copy_starts_on") == "" {
			t.Errorf("copy with a bad date: %d", resp.StatusCode)
		}
		if resp := a.postForm(c, copyPage+"/delete", nil); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("delete the draft copy: %d", resp.StatusCode)
		}
		if resp, _ := a.get(c, copyPage); resp.StatusCode != http.StatusNotFound {
			t.Errorf("deleted copy: %d", resp.StatusCode)
		}
		if resp := a.postForm(c, detail+"/delete", nil); resp.StatusCode != http.StatusConflict {
			t.Errorf("delete an open course: %d, want 409", resp.StatusCode)
		}
	})
	t.Run("edit keeps the program as filed", func(t *testing.T) {
		node, err := a.srv.courses.CreateProgram(t.Context(), courses.ProgramInput{Name: "Dự án 6: Truyền thông và giảm nghèo về thông tin"})
		if err != nil {
			t.Fatal(err)
		}
		form := courseFormValues()
		form.Set("program_id", itoa(node.ID))
		if resp := a.postForm(c, detail, form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("file under the node: %d", resp.StatusCode)
		}
		if _, err := a.srv.courses.UpdateProgram(t.Context(), node.ID, courses.ProgramInput{Name: "Dự án 6 (giai đoạn 2026–2035)"}); err != nil {
			t.Fatal(err)
		}
		form.Set("capacity", "150") // an unrelated edit, the node still chosen
		if resp := a.postForm(c, detail, form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit: %d", resp.StatusCode)
		}
		got, _ := a.srv.courses.FindCourseByID(t.Context(), list[0].ID)
		if got.Capacity != 150 || got.Program != node.Name || got.Status != courses.StatusCompleted {
			t.Errorf("after the edit: capacity %d, program %q, status %s", got.Capacity, got.Program, got.Status)
		}
		_, body := a.get(c, detail+"/edit")
		if !strings.Contains(body, `<option value="`+itoa(node.ID)+`" selected>Dự án 6 (giai đoạn 2026–2035)</option>`) {
			t.Error("the edit form does not preselect the course's node")
		}
	})
}

func TestCoursePagesScope(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	home := a.org("Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	other := a.org("Sở Y tế tỉnh Khánh Hòa")
	course := coursestest.Course(t, a.db, home.ID, coursestest.Upcoming)
	coursestest.Module(t, a.db, course.ID, "Chiến lược phát triển thông tin cơ sở", "Trần Thị Mai")
	draft := coursestest.Course(t, a.db, home.ID, func(c *courses.Course) { c.Status = courses.StatusDraft; c.Title = "Lớp nháp chưa công bố" })
	path := "/staff/courses/" + itoa(course.ID)

	staff := a.login(a.user(accounts.RoleStaff, home.ID))
	resp, body := a.get(staff, path)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, course.Title) {
		t.Fatalf("staff reads the course: %d", resp.StatusCode)
	}
	if strings.Contains(body, `id="module-form"`) || strings.Contains(body, `id="edit-course"`) || strings.Contains(body, "/status") {
		t.Error("staff see forms that change the course")
	}
	if resp := a.postForm(staff, path+"/status", url.Values{"status": {"closed"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("staff closes registration: %d, want 403", resp.StatusCode)
	}
	if resp, _ := a.get(staff, "/staff/courses/new"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("staff opens the new-course form: %d, want 403", resp.StatusCode)
	}

	stranger := a.login(a.user(accounts.RoleOrganizer, other.ID))
	for _, p := range []string{path, path + "/edit", "/staff/courses/" + itoa(draft.ID)} {
		if resp, _ := a.get(stranger, p); resp.StatusCode != http.StatusNotFound {
			t.Errorf("another department GET %s: %d, want 404", p, resp.StatusCode)
		}
	}
	if resp := a.postForm(stranger, path+"/status", url.Values{"status": {"cancelled"}}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another department cancels: %d, want 404", resp.StatusCode)
	}
	_, body = a.get(stranger, "/staff/courses")
	if strings.Contains(body, course.Title) || !strings.Contains(body, `id="courses-empty"`) {
		t.Error("another department's list shows our course")
	}
	if resp, _ := a.get(stranger, "/admin/programs"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("organizer on the program tree page: %d, want 403", resp.StatusCode)
	}

	t.Run("public page", func(t *testing.T) {
		anon := a.browserClient()
		resp, body := a.get(anon, "/courses/"+itoa(course.ID))
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, course.Title) || !strings.Contains(body, `id="register"`) {
			t.Errorf("open course: %d", resp.StatusCode)
		}
		if resp, _ := a.get(anon, "/courses/"+itoa(draft.ID)); resp.StatusCode != http.StatusNotFound {
			t.Errorf("draft to the public: %d, want 404", resp.StatusCode)
		}
		if resp, _ := a.get(stranger, "/courses/"+itoa(draft.ID)); resp.StatusCode != http.StatusNotFound {
			t.Errorf("draft to another department: %d, want 404", resp.StatusCode)
		}
		if resp, body := a.get(staff, "/courses/"+itoa(draft.ID)); resp.StatusCode != http.StatusOK || !strings.Contains(body, "Bản xem trước") {
			t.Errorf("draft preview to its department: %d", resp.StatusCode)
		}
		if _, err := a.srv.courses.SetStatus(t.Context(), course.ID, courses.StatusCancelled); err != nil {
			t.Fatal(err)
		}
		_, body = a.get(anon, "/courses/"+itoa(course.ID))
		if !strings.Contains(body, "Lớp học này đã bị hủy.") || strings.Contains(body, `id="register"`) {
			t.Error("a cancelled course still looks open to the public")
		}
		if !strings.Contains(body, "Lịch học sẽ được cập nhật.") || !strings.Contains(body, "Chiến lược phát triển thông tin cơ sở") {
			t.Error("without sessions the page should say the timetable is coming and list the modules")
		}
	})
}

func TestCourseListFiltersAndPages(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	org := a.org("Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	for i := range 23 {
		coursestest.Course(t, a.db, org.ID, func(c *courses.Course) {
			c.Title = fmt.Sprintf("Lớp bồi dưỡng số %02d", i+1)
			c.StartsOn = fmt.Sprintf("2024-01-%02d", i+1)
			c.EndsOn = c.StartsOn
			if i%2 == 0 {
				c.Status = courses.StatusDraft
			}
		})
	}
	coursestest.Course(t, a.db, org.ID, func(c *courses.Course) { c.Title = "Tập huấn truyền thanh cơ sở" })
	c := a.login(a.user(accounts.RoleOrganizer, org.ID))
	rows := func(body string) int { return strings.Count(body, `class="course-link"`) }

	_, body := a.get(c, "/staff/courses")
	if n := rows(body); n != 20 || !strings.Contains(body, "Trang 1/2") {
		t.Errorf("page 1: %d rows", n)
	}
	_, body = a.get(c, "/staff/courses?page=2")
	if n := rows(body); n != 4 {
		t.Errorf("page 2: %d rows", n)
	}
	_, body = a.get(c, "/staff/courses?page=9")
	if n := rows(body); n != 4 {
		t.Errorf("a page past the end shows the last: %d rows", n)
	}
	_, body = a.get(c, "/staff/courses?q=truyen+thanh")
	if n := rows(body); n != 1 || !strings.Contains(body, "Tập huấn truyền thanh cơ sở") {
		t.Errorf("search: %d rows", n)
	}
	_, body = a.get(c, "/staff/courses?status=draft")
	if n := rows(body); n != 12 {
		t.Errorf("drafts: %d rows", n)
	}
	_, body = a.get(c, "/staff/courses?from=2024-01-05&to=2024-01-07")
	if n := rows(body); n != 3 {
		t.Errorf("dates: %d rows", n)
	}
	_, body = a.get(c, "/staff/courses?q=khong+co")
	if !strings.Contains(body, "Không có lớp nào khớp với bộ lọc.") {
		t.Error("no empty state for a search without results")
	}
	resp, body := a.get(c, "/staff/courses?from=hom-qua")
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Ngày không hợp lệ") {
		t.Errorf("bad date filter: %d", resp.StatusCode)
	}
}

func TestDashboardListsUpcomingCourses(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	org := a.org("Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	soon := time.Now().AddDate(0, 0, 10).Format("2006-01-02")
	coursestest.Course(t, a.db, org.ID, func(c *courses.Course) { c.Title = "Lớp sắp tới"; c.StartsOn, c.EndsOn = soon, soon })
	coursestest.Course(t, a.db, org.ID, func(c *courses.Course) { c.Title = "Lớp năm 2023 đã qua" })
	coursestest.Course(t, a.db, org.ID, func(c *courses.Course) {
		c.Title = "Lớp sắp tới nhưng đã hủy"
		c.StartsOn, c.EndsOn, c.Status = soon, soon, courses.StatusCancelled
	})
	_, body := a.get(a.login(a.user(accounts.RoleStaff, org.ID)), "/")
	if !strings.Contains(body, "Lớp sắp tới") || strings.Contains(body, "Lớp năm 2023 đã qua") || strings.Contains(body, "đã hủy") {
		t.Error("the dashboard should list the upcoming course only")
	}
}

func TestProgramsPage(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	c := a.login(a.user(accounts.RoleAdmin, 0))
	if resp := a.postForm(c, "/admin/programs", url.Values{"name": {"Chương trình mục tiêu quốc gia giảm nghèo bền vững 2021–2025"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add root: %d", resp.StatusCode)
	}
	all, _ := a.srv.courses.ListPrograms(t.Context())
	root := all[0]
	if resp := a.postForm(c, "/admin/programs", url.Values{"name": {"Dự án 6"}, "parent_id": {itoa(root.ID)}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add child: %d", resp.StatusCode)
	}
	resp, body := a.postFormBody(c, "/admin/programs", url.Values{"name": {" "}})
	if resp.StatusCode != http.StatusUnprocessableEntity || errorOn(body, "name") != "Không được để trống." {
		t.Errorf("empty name: %d", resp.StatusCode)
	}
	resp, body = a.postFormBody(c, "/admin/programs/"+itoa(root.ID), url.Values{"name": {root.Name}, "parent_id": {itoa(all[0].ID)}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "chính nó") {
		t.Errorf("move under itself: %d", resp.StatusCode)
	}
	_, body = a.get(c, "/admin/programs")
	if !strings.Contains(body, "Dự án 6") || !strings.Contains(body, `class="depth-1"`) {
		t.Error("the tree page does not show the child indented")
	}
	if resp := a.postForm(c, "/admin/programs/"+itoa(root.ID)+"/delete", nil); resp.StatusCode != http.StatusConflict {
		t.Errorf("delete a node with children: %d, want 409", resp.StatusCode)
	}
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}
