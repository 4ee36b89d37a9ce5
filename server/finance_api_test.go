package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"taphuan/accounts"
	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/finance"
	"taphuan/pdfdoc/pdftest"
	"taphuan/vn"
)

// moneyScene is an organization with a one-day course, a lecturer record, rates, and two
// trainees of whom one came to the morning session.
type moneyScene struct {
	a                *testApp
	org              *accounts.Organization
	course           *courses.Course
	staff, organizer *accounts.User
	staffTok, orgTok string
	lecturerID       int64
}

const (
	secretTax  = "4209876543"
	secretBank = "9704221234567"
	secretCCCD = "056179009999"
)

func newMoneyScene(t *testing.T) *moneyScene {
	t.Helper()
	a := newTestApp(t)
	ms := &moneyScene{a: a}
	ms.org = coursestest.Org(t, a.db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	ms.course = coursestest.Course(t, a.db, ms.org.ID, func(c *courses.Course) {
		c.StartsOn, c.EndsOn, c.SupportAmountPerDay = "2023-12-04", "2023-12-04", 0
	})
	ms.staff, ms.organizer = a.user(accounts.RoleStaff, ms.org.ID), a.user(accounts.RoleOrganizer, ms.org.ID)
	ms.staffTok, ms.orgTok = a.token(ms.staff), a.token(ms.organizer)
	st, b := a.call("POST", "/api/v1/lecturers", ms.orgTok, map[string]any{"full_name": "Nguyễn Văn Hùng", "title": "ThS.",
		"tier": "provincial", "workplace": "Sở Thông tin và Truyền thông", "tax_code": secretTax,
		"id_number": secretCCCD, "bank_account": secretBank, "bank_name": "Vietcombank Khánh Hòa"})
	if st != http.StatusCreated {
		t.Fatalf("create lecturer: %d %s", st, b)
	}
	ms.lecturerID = decode[finance.Lecturer](t, b).ID
	st, b = a.call("PUT", "/api/v1/organizations/"+itoa(ms.org.ID)+"/rates", ms.orgTok, map[string]any{"items": []map[string]any{
		{"item": "honorarium", "tier": "provincial", "amount": 2000000, "valid_from": "2023-01-01", "basis": "Nghị quyết số 38/2018/NQ-HĐND"},
		{"item": "meal", "amount": 150000, "valid_from": "2023-01-01", "basis": "Nghị quyết số 38/2018/NQ-HĐND"},
	}})
	if st != http.StatusOK {
		t.Fatalf("rates: %d %s", st, b)
	}
	return ms
}

// TestLecturerPrivateFieldsOrganizersOnly: tax code, ID number and bank account reach the
// organizers, never the check-in staff — in the API and on the page.
func TestLecturerPrivateFieldsOrganizersOnly(t *testing.T) {
	ms := newMoneyScene(t)
	a := ms.a
	secrets := []string{secretTax, secretBank, secretCCCD, "Vietcombank"}
	for _, path := range []string{"/api/v1/lecturers", "/api/v1/lecturers/" + itoa(ms.lecturerID)} {
		_, staffBody := a.call("GET", path, ms.staffTok, nil)
		_, orgBody := a.call("GET", path, ms.orgTok, nil)
		if !strings.Contains(string(staffBody), "Nguyễn Văn Hùng") {
			t.Errorf("%s: staff do not see the lecturer: %s", path, staffBody)
		}
		for _, s := range secrets {
			if strings.Contains(string(staffBody), s) {
				t.Errorf("%s: staff see %q", path, s)
			}
			if !strings.Contains(string(orgBody), s) {
				t.Errorf("%s: the organizer does not see %q", path, s)
			}
		}
	}
	_, staffPage := a.get(a.login(ms.staff), "/staff/lecturers")
	_, orgPage := a.get(a.login(ms.organizer), "/staff/lecturers")
	for _, s := range secrets {
		if strings.Contains(staffPage, s) {
			t.Errorf("staff page shows %q", s)
		}
		if !strings.Contains(orgPage, s) {
			t.Errorf("organizer page lacks %q", s)
		}
	}
	if strings.Contains(staffPage, `id="lecturer-form"`) {
		t.Error("staff get the form to add lecturers")
	}
	if st, _ := a.call("PATCH", "/api/v1/lecturers/"+itoa(ms.lecturerID), ms.staffTok, map[string]any{"tier": "central"}); st != http.StatusForbidden {
		t.Errorf("staff PATCH: %d, want 403", st)
	}
	st, b := a.call("PATCH", "/api/v1/lecturers/"+itoa(ms.lecturerID), ms.orgTok, map[string]any{"bank_account": "12ab"})
	if e := decode[apiErr](t, b); st != http.StatusUnprocessableEntity || e.Error.Fields["bank_account"] == "" {
		t.Errorf("bad bank account: %d %s", st, b)
	}
}

// TestRatesAPIRefusesOverlapAndFractions: the field that is wrong carries the message and
// nothing of the table changes.
func TestRatesAPIRefusesOverlapAndFractions(t *testing.T) {
	ms := newMoneyScene(t)
	a := ms.a
	path := "/api/v1/organizations/" + itoa(ms.org.ID) + "/rates"
	_, before := a.call("GET", path, ms.orgTok, nil)
	st, b := a.call("PUT", path, ms.orgTok, map[string]any{"items": []map[string]any{
		{"item": "meal", "amount": 50000, "valid_from": "2023-01-01", "valid_to": "2023-12-31"},
		{"item": "meal", "amount": 80000, "valid_from": "2023-06-01"},
	}})
	e := decode[apiErr](t, b)
	if st != http.StatusUnprocessableEntity || !strings.Contains(e.Error.Fields["items.1.valid_from"], "trùng với dòng 1") {
		t.Errorf("overlap: %d %s", st, b)
	}
	req := `{"items":[{"item":"meal","amount":1500.5,"valid_from":"2023-01-01"},{"item":"lodging","amount":-1,"valid_from":"2023-01-01"}]}`
	st, b = a.call("PUT", path, ms.orgTok, rawJSON(req))
	e = decode[apiErr](t, b)
	if st != http.StatusUnprocessableEntity || !strings.Contains(e.Error.Fields["items.0.amount"], "không có phần lẻ") ||
		!strings.Contains(e.Error.Fields["items.1.amount"], "số âm") {
		t.Errorf("bad amounts: %d %s", st, b)
	}
	if _, after := a.call("GET", path, ms.orgTok, nil); string(after) != string(before) {
		t.Errorf("refused tables changed the rates:\n%s\n%s", before, after)
	}
	rt := decode[finance.RateTable](t, before)
	if len(rt.Items) != 2 || rt.Items[0].Per != "session" || rt.Items[0].Amount != 2_000_000 || rt.Tax.Threshold != 2_000_000 {
		t.Errorf("rates %+v", rt)
	}
}

type rawJSON string

func (r rawJSON) MarshalJSON() ([]byte, error) { return []byte(r), nil }

// TestMoneyReportsAPI: a module takes a lecturer record; the honoraria of the session taught
// are 2.000.000 đ, at the threshold, so 200.000 đ are withheld; the former payments list is
// the support list; a session without a lecturer is flagged on lecturer_id.
func TestMoneyReportsAPI(t *testing.T) {
	ms := newMoneyScene(t)
	a := ms.a
	cid := itoa(ms.course.ID)
	st, b := a.call("POST", "/api/v1/courses/"+cid+"/modules", ms.orgTok, map[string]any{"title": "Quy định về thông tin cơ sở", "lecturer_id": ms.lecturerID})
	if st != http.StatusCreated {
		t.Fatalf("module: %d %s", st, b)
	}
	m := decode[courses.Module](t, b)
	if m.Lecturer != "ThS. Nguyễn Văn Hùng" || m.LecturerID != ms.lecturerID {
		t.Errorf("module %+v: want the record's name as written", m)
	}
	other := coursestest.Org(t, a.db, "Sở Y tế")
	foreign, _ := a.srv.finance.CreateLecturer(t.Context(), finance.LecturerInput{OrganizationID: other.ID, FullName: "Người Ngoài"})
	st, b = a.call("POST", "/api/v1/courses/"+cid+"/modules", ms.orgTok, map[string]any{"title": "X", "lecturer_id": foreign.ID})
	if e := decode[apiErr](t, b); st != http.StatusUnprocessableEntity || e.Error.Fields["lecturer_id"] == "" {
		t.Errorf("another organization's lecturer: %d %s", st, b)
	}
	day, _ := time.ParseInLocation("2006-01-02", "2023-12-04", vn.Location)
	mk := func(module int64, h int) int64 {
		body := map[string]any{"starts_at": day.Add(time.Duration(h) * time.Hour).Format(time.RFC3339),
			"ends_at": day.Add(time.Duration(h+3) * time.Hour).Format(time.RFC3339), "room": "Hội trường A"}
		if module > 0 {
			body["module_id"] = module
		}
		st, b := a.call("POST", "/api/v1/courses/"+cid+"/sessions", ms.orgTok, body)
		if st != http.StatusCreated {
			t.Fatalf("session: %d %s", st, b)
		}
		return decode[courses.Session](t, b).ID
	}
	morning, afternoon := mk(m.ID, 8), mk(0, 14)
	an := coursestest.Registration(t, a.db, ms.course.ID, coursestest.Person{FullName: "Nguyễn Thị An", Organization: "UBND xã Cam Hải Tây"}, courses.RegConfirmed)
	coursestest.Registration(t, a.db, ms.course.ID, coursestest.Person{FullName: "Lê Văn Vắng"}, courses.RegConfirmed)
	if _, err := a.db.W.Exec(`UPDATE registrations SET id_number = ? WHERE id = ?`, secretCCCD, an.ID); err != nil {
		t.Fatal(err)
	}
	for _, sid := range []int64{morning, afternoon} {
		if st, b := a.call("PUT", "/api/v1/sessions/"+itoa(sid)+"/attendance", ms.orgTok, map[string]any{"registration_id": an.ID, "status": "present"}); st != http.StatusOK {
			t.Fatalf("mark: %d %s", st, b)
		}
	}
	st, b = a.call("GET", "/api/v1/courses/"+cid+"/reports/honoraria", ms.orgTok, nil)
	hon := decode[honJSON](t, b)
	if st != http.StatusOK || len(hon.Lines) != 1 || hon.Lines[0].Gross != 2_000_000 || hon.Lines[0].Tax != 200_000 ||
		hon.Total != 1_800_000 || hon.TotalInWords != "Một triệu tám trăm nghìn đồng" {
		t.Errorf("honoraria: %d %s", st, b)
	}
	if len(hon.Flags) != 1 || hon.Flags[0].Field != "lecturer_id" || !strings.Contains(hon.Flags[0].Message, "chưa có báo cáo viên") {
		t.Errorf("flags %+v", hon.Flags)
	}
	if st, _ := a.call("GET", "/api/v1/courses/"+cid+"/reports/honoraria", ms.staffTok, nil); st != http.StatusForbidden {
		t.Errorf("staff honoraria: %d, want 403", st)
	}
	// The support list, also at the former payments path, for organizers only: what people
	// are paid is not the door's business (issue 10).
	for _, p := range []string{"/reports/support", "/reports/support.pdf", "/reports/payments.pdf"} {
		if st, b := a.call("GET", "/api/v1/courses/"+cid+p, ms.staffTok, nil); st != http.StatusForbidden || strings.Contains(string(b), secretCCCD) {
			t.Errorf("%s for staff: %d, want 403", p, st)
		}
	}
	st, b = a.call("GET", "/api/v1/courses/"+cid+"/reports/support", ms.orgTok, nil)
	sp := decode[honJSON](t, b)
	if st != http.StatusOK || sp.Total != 150_000 || !strings.Contains(string(b), secretCCCD) {
		t.Errorf("support for the organizer: %d %s", st, b)
	}
	for _, p := range []string{"/reports/payments.pdf", "/reports/support.pdf?cccd=1"} {
		tok := ms.orgTok
		st, pdf := a.call("GET", "/api/v1/courses/"+cid+p, tok, nil)
		text := strings.Join(pdftest.Text(t, pdf), "\n")
		if st != http.StatusOK || !strings.Contains(text, finance.SupportTitle) || !strings.Contains(text, "150.000") ||
			!strings.Contains(text, "Một trăm năm mươi nghìn đồng") || strings.Contains(text, "Lê Văn Vắng") {
			t.Errorf("%s: %d\n%s", p, st, text)
		}
		// The CCCD column, for organizers only.
		withCCCD := tok == ms.orgTok && strings.Contains(p, "cccd")
		if withCCCD != strings.Contains(text, "Số CCCD") || withCCCD != strings.Contains(text, secretCCCD) {
			t.Errorf("%s: CCCD column %v", p, strings.Contains(text, "Số CCCD"))
		}
	}
}

type honJSON struct {
	Lines []struct {
		Name               string
		Gross, Tax, Amount int64
	} `json:"lines"`
	Total        int64                             `json:"total"`
	TotalInWords string                            `json:"total_in_words"`
	Flags        []struct{ Field, Message string } `json:"flags"`
}

// TestMoneyPage: the estimate editor refuses a fractional count and a negative price on
// their fields, keeps what was typed, and saves a good plan whose total appears.
func TestMoneyPage(t *testing.T) {
	ms := newMoneyScene(t)
	a := ms.a
	c := a.login(ms.organizer)
	path := "/staff/courses/" + itoa(ms.course.ID) + "/money"
	resp, body := a.postFormBody(c, path, url.Values{"expected_trainees": {"2,5"}, "lines": {"2"},
		"lines.0.label": {"Băng rôn"}, "lines.0.quantity": {"1"}, "lines.0.unit_price": {"-300000"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Nhập số nguyên") ||
		!strings.Contains(body, "Không được nhập số âm") || !strings.Contains(body, `value="Băng rôn"`) || !strings.Contains(body, `role="alert"`) {
		t.Errorf("bad plan: %d\n%s", resp.StatusCode, body)
	}
	if p, _ := a.srv.finance.Plan(t.Context(), ms.course.ID); p.Saved {
		t.Error("a refused plan was saved")
	}
	resp = a.postForm(c, path, url.Values{"expected_trainees": {"30"}, "lines": {"1"},
		"lines.0.label": {"Băng rôn"}, "lines.0.unit": {"cái"}, "lines.0.quantity": {"1"}, "lines.0.unit_price": {"300.000"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("good plan: %d", resp.StatusCode)
	}
	_, body = a.get(c, path)
	// 30 × 150.000 (one day) + 300.000 = 4.800.000.
	if !strings.Contains(body, `id="estimate-total">4.800.000<`) || !strings.Contains(body, "Bốn triệu tám trăm nghìn đồng") {
		t.Errorf("estimate not shown:\n%s", body)
	}
	_, staffBody := a.get(a.login(ms.staff), path)
	if strings.Contains(staffBody, `id="plan-form"`) || strings.Contains(staffBody, "money-honoraria") || !strings.Contains(staffBody, "money-support") {
		t.Error("staff see more than the support list on the money page")
	}
}

// TestMoneyPagesInEnglish: the language switch turns the money pages to English, computed
// lines included (the PDF and XLSX documents stay Vietnamese, as official documents are).
func TestMoneyPagesInEnglish(t *testing.T) {
	ms := newMoneyScene(t)
	a := ms.a
	c := a.login(ms.organizer)
	a.get(c, "/lang/en?next=/")
	if _, err := ms.a.srv.finance.SavePlan(t.Context(), ms.course.ID, finance.PlanInput{ExpectedTrainees: finance.M(10)}); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string][]string{
		"/staff/courses/" + itoa(ms.course.ID) + "/money": {"Course budget", "Trainee meal support", "trainee-day", "Settlement"},
		"/staff/lecturers": {"Lecturers", "Add a lecturer", "Provincial"},
		"/staff/rates":     {"Cost norms", "Personal income tax", "Lecturer honorarium (session)"},
	} {
		_, body := a.get(c, path)
		for _, w := range want {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %q", path, w)
			}
		}
		for _, vi := range []string{"Kinh phí", "Hỗ trợ tiền ăn", "Báo cáo viên", "Định mức chi", "Bằng chữ", "%!"} {
			if strings.Contains(body, vi) {
				t.Errorf("%s in English shows %q", path, vi)
			}
		}
	}
}

// TestLecturersPaged: a long list of lecturers comes in pages of 50.
func TestLecturersPaged(t *testing.T) {
	ms := newMoneyScene(t)
	for i := range 60 {
		if _, err := ms.a.srv.finance.CreateLecturer(t.Context(), finance.LecturerInput{OrganizationID: ms.org.ID,
			FullName: "Báo Cáo Viên Số " + itoa(int64(i+100))}); err != nil {
			t.Fatal(err)
		}
	}
	c := ms.a.login(ms.organizer)
	_, p1 := ms.a.get(c, "/staff/lecturers")
	_, p2 := ms.a.get(c, "/staff/lecturers?page=2")
	if n := strings.Count(p1, "/edit\""); n != 50 {
		t.Errorf("page 1 lists %d, want 50", n)
	}
	if n := strings.Count(p2, "/edit\""); n != 11 || !strings.Contains(p2, `rel="prev"`) {
		t.Errorf("page 2 lists %d, want 11", n)
	}
}
