package server

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"taphuan/accounts"
	"taphuan/courses"
	"taphuan/courses/coursestest"
)

func regForm(phone string) url.Values {
	return url.Values{"phone": {phone}, "full_name": {"H'Hen Niê"}, "gender": {"Nữ"}, "birth_date": {"15/03/1985"},
		"organization": {"Đài truyền thanh xã Ea Kly"}, "position": {"Phát thanh viên"}, "locality": {"xã Ea Kly"},
		"ethnicity": {"Ê Đê"}, "email": {""}, "consent": {"true"}}
}

func TestPublicRegistrationAndTicket(t *testing.T) {
	t.Parallel()
	sc := newRegScene(t, func(c *courses.Course) { c.Capacity = 1 })
	a := sc.a
	c := a.browserClient()
	page := fmt.Sprintf("/courses/%d", sc.course.ID)
	resp, body := a.get(c, page)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `action="/courses/`+fmt.Sprint(sc.course.ID)+`/register#dang-ky"`) {
		t.Fatalf("course page: %d, no registration form", resp.StatusCode)
	}

	t.Run("every bad field is shown on the field, nothing written", func(t *testing.T) {
		f := regForm("0912 34")
		f.Set("full_name", "<script>alert(1)</script>")
		f.Set("birth_date", "30/02/1990")
		f.Del("gender")
		f.Del("consent")
		resp, body := a.postFormBody(c, page+"/register", f)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", resp.StatusCode)
		}
		for _, id := range []string{"e-phone", "e-full_name", "e-birth_date", "e-gender", "e-consent"} {
			if !strings.Contains(body, `id="`+id+`"`) {
				t.Errorf("no message %s", id)
			}
		}
		if strings.Contains(body, "<script>alert(1)") || !strings.Contains(body, "&lt;script&gt;") {
			t.Error("the name is not escaped when the form is shown again")
		}
		if !strings.Contains(body, "Họ tên chỉ gồm chữ cái") || !strings.Contains(body, "Số điện thoại phải là số Việt Nam") {
			t.Error("messages are not the Vietnamese ones")
		}
		if _, total, _ := a.srv.courses.ListRegistrations(t.Context(), courses.RegistrationFilter{CourseID: sc.course.ID}); total != 0 {
			t.Errorf("%d registrations written", total)
		}
	})

	var ticket string
	t.Run("a good form leads to the ticket", func(t *testing.T) {
		resp := a.postForm(c, page+"/register", regForm("+84 912 345 678"))
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/tickets/") {
			t.Fatalf("register: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		ticket = resp.Header.Get("Location")
		resp, body := a.get(c, ticket)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("ticket: %d", resp.StatusCode)
		}
		for _, want := range []string{"H&#39;Hen Niê", sc.course.Title, "Đã xác nhận", `src="data:image/png;base64,`, "In vé", "/cancel"} {
			if !strings.Contains(body, want) {
				t.Errorf("ticket lacks %q", want)
			}
		}
		for _, private := range []string{"0912345678", "15/03/1985", "1985-03-15", "Ê Đê"} {
			if strings.Contains(body, private) {
				t.Errorf("the public ticket shows %q", private)
			}
		}
	})

	t.Run("the same phone again is refused without naming anyone", func(t *testing.T) {
		f := regForm("0912345678")
		f.Set("full_name", "Trần Văn Bình")
		resp, body := a.postFormBody(c, page+"/register", f)
		if resp.StatusCode != http.StatusConflict || !strings.Contains(body, `id="e-phone"`) || strings.Contains(body, "Hen Niê") {
			t.Errorf("duplicate: %d", resp.StatusCode)
		}
	})

	t.Run("second registrant waits; cancelling the ticket promotes them", func(t *testing.T) {
		resp := a.postForm(c, page+"/register", regForm("0987654321"))
		second := resp.Header.Get("Location")
		_, body := a.get(c, second)
		if !strings.Contains(body, "Danh sách chờ") || !strings.Contains(body, "vị trí số 1") {
			t.Errorf("second ticket does not say waitlisted at 1")
		}
		resp, body = a.get(c, ticket+"/cancel")
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "data-confirm=") {
			t.Fatalf("cancel page: %d", resp.StatusCode)
		}
		resp = a.postForm(c, ticket+"/cancel", url.Values{"reason": {"Bận việc gia đình"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("cancel: %d", resp.StatusCode)
		}
		_, body = a.get(c, ticket)
		if !strings.Contains(body, "Đã hủy") || strings.Contains(body, "data:image/png") {
			t.Error("cancelled ticket still looks valid")
		}
		_, body = a.get(c, second)
		if !strings.Contains(body, "Đã xác nhận") {
			t.Error("the waitlisted trainee was not promoted")
		}
		if resp, _ := a.get(c, "/tickets/KHONGCOVENAY"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("unknown ticket: %d", resp.StatusCode)
		}
	})

	t.Run("a closed course shows no form and refuses posts", func(t *testing.T) {
		closed := coursestest.Course(t, a.db, sc.org.ID, func(c *courses.Course) { c.Status = courses.StatusClosed })
		_, body := a.get(c, fmt.Sprintf("/courses/%d", closed.ID))
		if strings.Contains(body, "reg-submit") {
			t.Error("closed course shows the form")
		}
		resp, _ := a.postFormBody(c, fmt.Sprintf("/courses/%d/register", closed.ID), regForm("0911111111"))
		if resp.StatusCode != http.StatusConflict {
			t.Errorf("post to a closed course: %d", resp.StatusCode)
		}
	})
}

func TestRosterPage(t *testing.T) {
	t.Parallel()
	sc := newRegScene(t, func(c *courses.Course) { c.Capacity = 2 })
	a := sc.a
	for i, n := range []string{"Đặng Văn Đức", "Trần Thị Hòa", "Lê Văn An"} {
		b := regBody(i)
		b["full_name"] = n
		a.call("POST", sc.path(""), sc.token, b)
	}
	org := a.login(a.user(accounts.RoleOrganizer, sc.org.ID))
	roster := fmt.Sprintf("/staff/courses/%d/registrations", sc.course.ID)
	resp, body := a.get(org, roster)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("roster: %d", resp.StatusCode)
	}
	iAn, iDuc, iHoa := strings.Index(body, "Lê Văn An"), strings.Index(body, "Đặng Văn Đức"), strings.Index(body, "Trần Thị Hòa")
	if iAn < 0 || !(iAn < iDuc && iDuc < iHoa) {
		t.Errorf("roster not in Vietnamese order (%d %d %d)", iAn, iDuc, iHoa)
	}
	for _, want := range []string{"0900000000", "15/03/1985", "Kinh", `aria-current="page">Học viên`, "registrations.csv", "registrations.xlsx", "data-confirm="} {
		if !strings.Contains(body, want) {
			t.Errorf("roster lacks %q", want)
		}
	}
	if _, body := a.get(org, roster+"?q=dang+van+duc"); strings.Contains(body, "Lê Văn An") || !strings.Contains(body, "Đặng Văn Đức") {
		t.Error("search without diacritics")
	}
	if _, body := a.get(org, roster+"?status=waitlisted"); !strings.Contains(body, "Lê Văn An") || strings.Contains(body, "Trần Thị Hòa") {
		t.Error("status filter")
	}
	if _, body := a.get(org, roster+"?q=khong+ai"); !strings.Contains(body, `id="roster-empty"`) {
		t.Error("no empty state")
	}

	// Cancel Đặng Văn Đức from the roster: Lê Văn An (waitlisted) takes the seat.
	regs, _, _ := a.srv.courses.ListRegistrations(t.Context(), courses.RegistrationFilter{CourseID: sc.course.ID, Query: "duc"})
	duc := regs[0]
	action := fmt.Sprintf("/staff/registrations/%d/status", duc.ID)
	if resp := a.postForm(org, action, url.Values{"to": {"cancelled"}, "back": {roster}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("action: %d", resp.StatusCode)
	}
	if got, _ := a.srv.courses.FindRegistrationByID(t.Context(), duc.ID); got.Status != courses.RegConfirmed {
		t.Errorf("cancelled without a reason: %s", got.Status)
	}
	_, body = a.get(org, roster)
	if !strings.Contains(body, "Cần ghi lý do") {
		t.Error("the refusal is not flashed")
	}
	resp = a.postForm(org, action, url.Values{"to": {"cancelled"}, "reason": {"Đơn vị cử người khác"}, "back": {"https://evil.example/"}})
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != roster {
		t.Errorf("action redirect: %d %s", resp.StatusCode, loc)
	}
	_, body = a.get(org, roster)
	if !strings.Contains(body, "Lê Văn An được chuyển từ danh sách chờ") {
		t.Error("the promotion is not told")
	}

	// Quota editor.
	ninhXuan := coursestest.Unit(t, a.db, "Đài truyền thanh xã Ninh Xuân")
	if resp := a.postForm(org, fmt.Sprintf("/staff/courses/%d/quotas", sc.course.ID), url.Values{fmt.Sprintf("seats_%d", ninhXuan.ID): {"5"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("quota: %d", resp.StatusCode)
	}
	fill, _ := a.srv.courses.QuotaFill(t.Context(), sc.course.ID)
	if len(fill) == 0 || fill[0].UnitID != ninhXuan.ID || fill[0].Seats == nil || *fill[0].Seats != 5 {
		t.Errorf("quota fill %+v", fill)
	}

	// Staff see the roster but get no actions; another organization gets 404.
	staff := a.login(a.user(accounts.RoleStaff, sc.org.ID))
	if resp, body := a.get(staff, roster); resp.StatusCode != http.StatusOK || strings.Contains(body, "/status\"") {
		t.Errorf("staff roster: %d", resp.StatusCode)
	}
	if resp := a.postForm(staff, action, url.Values{"to": {"confirmed"}, "reason": {"x"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("staff action: %d", resp.StatusCode)
	}
	other := a.login(a.user(accounts.RoleOrganizer, a.org("Sở Tư pháp").ID))
	if resp, _ := a.get(other, roster); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another organization's roster: %d", resp.StatusCode)
	}
}

func TestPeoplePages(t *testing.T) {
	t.Parallel()
	sc := newRegScene(t)
	a := sc.a
	code, body := a.call("POST", sc.path(""), sc.token, regBody(7))
	reg := decode[regJSON](t, body)
	if code != http.StatusCreated {
		t.Fatal(code)
	}
	r, _ := a.srv.courses.FindRegistrationByID(t.Context(), reg.ID)
	org := a.login(a.user(accounts.RoleOrganizer, sc.org.ID))
	resp, page := a.get(org, "/staff/people?q=nguyen+van+an")
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Nguyễn Văn An") || !strings.Contains(page, `href="/staff/people"`) {
		t.Fatalf("people: %d", resp.StatusCode)
	}
	resp, page = a.get(org, fmt.Sprintf("/staff/people/%d", r.PersonID))
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, sc.course.Title) || !strings.Contains(page, "0900000007") {
		t.Errorf("person page: %d", resp.StatusCode)
	}
	other := a.login(a.user(accounts.RoleOrganizer, a.org("Sở Tư pháp").ID))
	if resp, _ := a.get(other, fmt.Sprintf("/staff/people/%d", r.PersonID)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another organization sees the person: %d", resp.StatusCode)
	}
	if _, body := a.get(other, "/staff/people"); strings.Contains(body, "Nguyễn Văn An") {
		t.Error("another organization's directory lists the person")
	}
}

var untranslated = regexp.MustCompile(`\breg\.[a-z_]+\.[a-z_.]*[a-z]`)

// TestRegistrationPagesTranslated renders the area's pages in both languages and looks for
// a catalog key shown as such (a missing translation).
func TestRegistrationPagesTranslated(t *testing.T) {
	t.Parallel()
	sc := newRegScene(t, func(c *courses.Course) { c.Capacity = 1 })
	a := sc.a
	_, body := a.call("POST", sc.path(""), sc.token, regBody(1))
	first := decode[regJSON](t, body)
	_, body = a.call("POST", sc.path(""), sc.token, regBody(2))
	second := decode[regJSON](t, body)
	org := a.login(a.user(accounts.RoleOrganizer, sc.org.ID))
	r, _ := a.srv.courses.FindRegistrationByID(t.Context(), first.ID)
	pages := []string{
		fmt.Sprintf("/courses/%d", sc.course.ID),
		"/tickets/" + first.Code, "/tickets/" + second.Code, "/tickets/" + first.Code + "/cancel",
		fmt.Sprintf("/staff/courses/%d/registrations", sc.course.ID),
		fmt.Sprintf("/staff/courses/%d/registrations/import", sc.course.ID),
		"/staff/people", fmt.Sprintf("/staff/people/%d", r.PersonID),
	}
	for _, lang := range []string{"vi", "en"} {
		a.get(org, "/lang/"+lang+"?next=/")
		for _, p := range pages {
			resp, body := a.get(org, p)
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s %s: %d", lang, p, resp.StatusCode)
			}
			if m := untranslated.FindString(body); m != "" {
				t.Errorf("%s %s shows the key %s", lang, p, m)
			}
		}
	}
	resp, preview := a.postFile(org, fmt.Sprintf("/staff/courses/%d/registrations/import", sc.course.ID), "x.csv", []byte(badRoster))
	if m := untranslated.FindString(preview); resp.StatusCode != http.StatusOK || m != "" {
		t.Errorf("import preview in English: %d, key %s", resp.StatusCode, m)
	}
	if !strings.Contains(preview, "Date of birth") {
		t.Error("the preview's column names are not in English")
	}
}
