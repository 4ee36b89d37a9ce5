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
	"taphuan/attendance"
	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/units"
	"taphuan/vn"
)

// TestImportPageMapsUnits: the preview lists the file's unit texts that match no unit with
// the close match suggested; confirming with the organizer's choices maps every row and
// remembers the spellings, so the next preview needs no choice.
func TestImportPageMapsUnits(t *testing.T) {
	sc := newRegScene(t)
	a := sc.a
	commune := coursestest.Unit(t, a.db, "UBND xã Cam Hải Tây")
	org := a.login(a.user(accounts.RoleOrganizer, sc.org.ID))
	page := fmt.Sprintf("/staff/courses/%d/registrations/import", sc.course.ID)
	file := "Họ và tên,Giới tính,Ngày sinh,Đơn vị công tác,Số điện thoại\n" +
		"Lê Văn Một,Nam,01/01/1980,Ủy ban nhân dân X. Cam Hai Tay,0905000001\n" +
		"Lê Văn Hai,Nam,01/01/1981,UB xã Cam Hải Tây,0905000002\n" +
		"Lê Văn Ba,Nam,01/01/1982,Trường THCS Cam Hải,0905000003\n"
	resp, body := a.postFile(org, page, "ds.csv", []byte(file))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("preview: %d", resp.StatusCode)
	}
	for _, want := range []string{`id="import-units-unmatched"`, "UB xã Cam Hải Tây", "Gợi ý: UBND xã Cam Hải Tây", "Trường THCS Cam Hải", "1 tên đơn vị đã tự khớp"} {
		if !strings.Contains(body, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	action := regexp.MustCompile(`action="(/staff/courses/\d+/registrations/import/[0-9a-f]+)"`).FindStringSubmatch(body)
	if action == nil {
		t.Fatal("no confirmation form")
	}
	form := url.Values{"mode": {"strict"}}
	for _, m := range regexp.MustCompile(`name="unit_text_(\d+)" value="([^"]+)"`).FindAllStringSubmatch(body, -1) {
		form.Set("unit_text_"+m[1], m[2])
		if strings.HasPrefix(m[2], "UB ") {
			form.Set("unit_choice_"+m[1], itoa(commune.ID))
		} else {
			form.Set("unit_choice_"+m[1], "new")
		}
	}
	if resp := a.postForm(org, action[1], form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm: %d", resp.StatusCode)
	}
	regs, _, _ := a.srv.courses.ListRegistrations(t.Context(), courses.RegistrationFilter{CourseID: sc.course.ID, UnitID: commune.ID})
	if len(regs) != 2 {
		t.Errorf("%d registrations of the commune, want 2", len(regs))
	}
	if _, ok, _ := a.srv.units.Match(t.Context(), "Trường THCS Cam Hải"); !ok {
		t.Error("the new unit was not made")
	}
	// The same spellings in another file (new people) need no choice any more.
	_, body = a.postFile(org, page, "ds2.csv", []byte(strings.NewReplacer("090500000", "090600000").Replace(file)))
	if strings.Contains(body, `id="import-units-unmatched"`) || !strings.Contains(body, "3 tên đơn vị đã tự khớp") {
		t.Error("the mapping is not remembered")
	}
}

// TestQuotaBulkForm: every unit's seats in one form, or pasted from a plan's table; a bad
// number or an unknown pasted unit saves nothing and says where; a quota below the seats
// already confirmed is saved with a warning.
func TestQuotaBulkForm(t *testing.T) {
	sc := newRegScene(t)
	a := sc.a
	u1 := coursestest.Unit(t, a.db, "UBND xã Cam Hải Tây")
	u2 := coursestest.Unit(t, a.db, "Báo Khánh Hòa")
	u3 := coursestest.Unit(t, a.db, "Trung tâm Văn hóa - Thông tin - Thể thao huyện Khánh Vĩnh")
	for i := range 3 {
		coursestest.Registration(t, a.db, sc.course.ID, coursestest.Person{FullName: fmt.Sprintf("Người %c", 'A'+i), Organization: "Báo Khánh Hòa"}, courses.RegConfirmed)
	}
	org := a.login(a.user(accounts.RoleOrganizer, sc.org.ID))
	page := fmt.Sprintf("/staff/courses/%d/quotas", sc.course.ID)
	resp, body := a.get(org, page)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, fmt.Sprintf(`name="seats_%d"`, u3.ID)) {
		t.Fatalf("quota page: %d", resp.StatusCode)
	}
	// A bad number: nothing saved, the message at the field and on top.
	resp, body = a.postFormBody(org, page, url.Values{"seats_" + itoa(u1.ID): {"hai"}, "seats_" + itoa(u2.ID): {"1"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, fmt.Sprintf(`id="e-seats-%d"`, u1.ID)) || !strings.Contains(body, `id="error-summary"`) {
		t.Errorf("bad number: %d", resp.StatusCode)
	}
	// An unknown unit in the pasted table: nothing saved.
	resp, body = a.postFormBody(org, page, url.Values{"paste": {"Đơn vị\tSố lượng\nBáo Khánh Hòa\t2\nTrường Không Có\t4\n"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Dòng 3: «Trường Không Có» không khớp") {
		t.Errorf("unknown pasted unit: %d", resp.StatusCode)
	}
	if fill, _ := a.srv.courses.QuotaFill(t.Context(), sc.course.ID); fill[0].Seats != nil {
		t.Fatalf("a refused form saved %+v", fill)
	}
	// One save: a field, and a pasted table written with abbreviations.
	resp = a.postForm(org, page, url.Values{"seats_" + itoa(u1.ID): {"2"},
		"paste": {"STT\tĐơn vị\tSố lượng\n1\tbáo khánh hoà\t1\n2\tTT VH-TT-TT H. Khánh Vĩnh\t4\n"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", resp.StatusCode)
	}
	_, body = a.get(org, resp.Header.Get("Location"))
	if !strings.Contains(body, "Đã lưu 3 chỉ tiêu") || !strings.Contains(body, "chỉ tiêu của Báo Khánh Hòa (1) thấp hơn số đã xác nhận (3)") {
		t.Errorf("saved flash with the warning is missing")
	}
	want := map[int64]int{u1.ID: 2, u2.ID: 1, u3.ID: 4}
	fill, _ := a.srv.courses.QuotaFill(t.Context(), sc.course.ID)
	for _, f := range fill {
		if f.Seats == nil || *f.Seats != want[f.UnitID] {
			t.Errorf("quota of %s: %v, want %d", f.Name, f.Seats, want[f.UnitID])
		}
	}
	// The JSON API answers the same, one row per unit.
	status, b := a.call("GET", fmt.Sprintf("/api/v1/courses/%d/quotas", sc.course.ID), sc.token, nil)
	got := decode[struct {
		Items []struct {
			UnitID    int64  `json:"unit_id"`
			Name      string `json:"name"`
			Seats     *int   `json:"seats"`
			Confirmed int    `json:"confirmed"`
		} `json:"items"`
	}](t, b)
	if status != 200 || len(got.Items) != 3 {
		t.Fatalf("API quotas: %d %s", status, b)
	}
	status, b = a.call("PUT", fmt.Sprintf("/api/v1/courses/%d/quotas", sc.course.ID), sc.token,
		map[string]any{"items": []map[string]any{{"unit_id": u1.ID, "seats": nil}, {"unit_id": u2.ID, "seats": 5}}})
	if status != 200 {
		t.Fatalf("API put: %d %s", status, b)
	}
	fill, _ = a.srv.courses.QuotaFill(t.Context(), sc.course.ID)
	for _, f := range fill {
		if f.UnitID == u1.ID && f.Seats != nil || f.UnitID == u2.ID && *f.Seats != 5 {
			t.Errorf("after PUT: %+v", f)
		}
	}
}

// TestUnitsAPI: the directory's contract — create with aliases, search without diacritics
// or abbreviations, patch, merge (into itself refused), and registrations answering unit_id
// next to the text as written.
func TestUnitsAPI(t *testing.T) {
	sc := newRegScene(t)
	a := sc.a
	status, b := a.call("POST", "/api/v1/units", sc.token, map[string]any{"name": "UBND xã Cam Hải Tây", "kind": "xã",
		"locality": "Cam Lâm", "aliases": []string{"UB xã Cam Hải Tây"}})
	if status != http.StatusCreated {
		t.Fatalf("create: %d %s", status, b)
	}
	u := decode[units.Unit](t, b)
	if u.Kind != units.KindCommune || len(u.Aliases) != 1 {
		t.Errorf("created %+v", u)
	}
	status, b = a.call("GET", "/api/v1/units?q="+url.QueryEscape("uy ban nhan dan xa cam hai tay"), sc.token, nil)
	if status != 200 || !strings.Contains(string(b), `"id":`+itoa(u.ID)) {
		t.Errorf("search: %d %s", status, b)
	}
	status, b = a.call("POST", "/api/v1/units", sc.token, map[string]any{"name": "Ủy ban nhân dân xã Cam Hải Tây"})
	if status != http.StatusConflict {
		t.Errorf("a second unit with the same name: %d %s", status, b)
	}
	status, b = a.call("POST", "/api/v1/units", sc.token, map[string]any{"name": "Xã Cam Hải Tây (cũ)", "parent_id": u.ID})
	if status != http.StatusCreated {
		t.Fatalf("create child: %d %s", status, b)
	}
	child := decode[units.Unit](t, b)
	if status, b = a.call("PATCH", "/api/v1/units/"+itoa(u.ID), sc.token, map[string]any{"parent_id": child.ID}); status != http.StatusConflict {
		t.Errorf("parent cycle: %d %s", status, b)
	}
	if status, b = a.call("POST", "/api/v1/units/"+itoa(u.ID)+"/merge", sc.token, map[string]any{"into": u.ID}); status != http.StatusConflict {
		t.Errorf("self merge: %d %s", status, b)
	}
	status, b = a.call("POST", sc.path(""), sc.token, map[string]any{"full_name": "Lê Văn Một", "gender": "Nam",
		"birth_date": "01/01/1980", "organization": "UBND X. Cam Hai Tay", "phone": "0905000001"})
	if status != http.StatusCreated || !strings.Contains(string(b), `"unit_id":`+itoa(u.ID)) || !strings.Contains(string(b), `"organization":"UBND X. Cam Hai Tay"`) {
		t.Errorf("registration's unit: %d %s", status, b)
	}
	if status, b = a.call("POST", "/api/v1/units/"+itoa(child.ID)+"/merge", sc.token, map[string]any{"into": u.ID}); status != 200 {
		t.Errorf("merge: %d %s", status, b)
	}
	staff := a.token(a.user(accounts.RoleStaff, sc.org.ID))
	if status, _ = a.call("POST", "/api/v1/units", staff, map[string]any{"name": "Báo Khánh Hòa"}); status != http.StatusForbidden {
		t.Errorf("staff creates a unit: %d", status)
	}
}

// TestDoorSubstitute: at the door a nominee who did not come is replaced by a person of the
// same unit, marked present; the nominee is cancelled, the seat kept, both logged.
func TestDoorSubstitute(t *testing.T) {
	sc := newRegScene(t)
	a := sc.a
	unit := coursestest.Unit(t, a.db, "UBND xã Cam Hải Tây")
	nominee := coursestest.Registration(t, a.db, sc.course.ID, coursestest.Person{FullName: "Lê Văn Vắng", Organization: "UBND xã Cam Hải Tây"}, courses.RegConfirmed)
	today := time.Now().In(vn.Location).Format("2006-01-02")
	// A session under way now, whatever the hour (a whole day's sessions are over in the
	// evening), in a course of today's date, so that the calendar does not take it for finished.
	ss := coursestest.Session(t, a.db, sc.course.ID, time.Now().Add(-time.Hour), 3*time.Hour, "Hội trường")
	if _, err := a.db.W.Exec(`UPDATE courses SET starts_on = ?, ends_on = ?, status = 'closed' WHERE id = ?`, today, today, sc.course.ID); err != nil {
		t.Fatal(err)
	}
	staff := a.login(a.user(accounts.RoleStaff, sc.org.ID))
	if _, body := a.get(staff, fmt.Sprintf("/staff/sessions/%d/checkin", ss.ID)); !strings.Contains(body, `id="door-substitute-link"`) {
		t.Error("no substitute button on the check-in page")
	}
	page := fmt.Sprintf("/staff/sessions/%d/substitute", ss.ID)
	resp, body := a.get(staff, page)
	if resp.StatusCode != 200 || !strings.Contains(body, "Lê Văn Vắng") || !strings.Contains(body, "data-confirm=") {
		t.Fatalf("substitute page: %d", resp.StatusCode)
	}
	resp, body = a.postFormBody(staff, page, url.Values{"for": {itoa(nominee.ID)}, "full_name": {"Trần Văn Thay"}, "gender": {"Nam"},
		"birth_date": {"02/02/1982"}, "phone": {"12"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="d-e-phone"`) {
		t.Errorf("bad phone: %d", resp.StatusCode)
	}
	resp, body = a.postFormBody(staff, page, url.Values{"for": {itoa(nominee.ID)}, "full_name": {"Trần Văn Thay"}, "gender": {"Nam"},
		"birth_date": {"02/02/1982"}, "phone": {"0905999888"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("substitute: %d %s", resp.StatusCode, body)
	}
	old, _ := a.srv.courses.FindRegistrationByID(t.Context(), nominee.ID)
	if old.Status != courses.RegCancelled {
		t.Errorf("nominee: %s", old.Status)
	}
	roster, _ := a.srv.attend.SessionRoster(t.Context(), ss.ID)
	found := false
	for _, e := range roster.Entries {
		if e.FullName == "Trần Văn Thay" {
			found = e.Mark == attendance.Present && e.UnitID != nil && *e.UnitID == unit.ID && e.SubstituteFor != nil && *e.SubstituteFor == nominee.ID
		}
	}
	if !found {
		t.Errorf("the substitute is not present in the session as the unit's: %+v", roster.Entries)
	}
}

// TestStatisticsByUnitAndPublicChoice: the public form offers the units (the course's first)
// and matches what is typed; statistics count one unit as one row whatever the spellings,
// with its kind.
func TestStatisticsByUnitAndPublicChoice(t *testing.T) {
	sc := newRegScene(t)
	a := sc.a
	commune := coursestest.Unit(t, a.db, "UBND xã Cam Hải Tây")
	press := coursestest.Unit(t, a.db, "Báo Khánh Hòa")
	coursestest.Quota(t, a.db, sc.course.ID, press.ID, 3)
	anon := a.browserClient()
	_, body := a.get(anon, fmt.Sprintf("/courses/%d", sc.course.ID))
	i, j := strings.Index(body, `<option value="Báo Khánh Hòa">`), strings.Index(body, `<option value="UBND xã Cam Hải Tây">`)
	if !strings.Contains(body, `list="reg-units"`) || i < 0 || j < 0 || i > j {
		t.Errorf("the public form does not offer the units, the course's first (%d, %d)", i, j)
	}
	for n, text := range []string{"UBND xã Cam Hải Tây", "Ủy ban nhân dân X. Cam Hải Tây", "uy ban nhan dan xa cam hai tay"} {
		resp := a.postForm(anon, fmt.Sprintf("/courses/%d/register", sc.course.ID), url.Values{"phone": {fmt.Sprintf("090511100%d", n)},
			"full_name": {"Lê Văn Một"}, "gender": {"Nam"}, "birth_date": {"01/01/1980"}, "organization": {text}, "consent": {"true"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("register %q: %d", text, resp.StatusCode)
		}
	}
	status, b := a.call("GET", fmt.Sprintf("/api/v1/courses/%d/reports/statistics", sc.course.ID), sc.token, nil)
	st := decode[struct {
		ByUnit []struct {
			Key      string `json:"key"`
			Label    string `json:"label"`
			Trainees int    `json:"trainees"`
		} `json:"by_unit"`
		ByUnitKind []struct {
			Label    string `json:"label"`
			Trainees int    `json:"trainees"`
		} `json:"by_unit_kind"`
	}](t, b)
	if status != 200 || len(st.ByUnit) != 1 || st.ByUnit[0].Key != "unit:"+itoa(commune.ID) || st.ByUnit[0].Label != "UBND xã Cam Hải Tây" || st.ByUnit[0].Trainees != 3 {
		t.Errorf("by unit: %d %+v", status, st.ByUnit)
	}
	if len(st.ByUnitKind) != 1 || st.ByUnitKind[0].Label != "Xã, phường" {
		t.Errorf("by kind: %+v", st.ByUnitKind)
	}
	// The roster filters by unit, whatever the spelling.
	org := a.login(a.user(accounts.RoleOrganizer, sc.org.ID))
	_, body = a.get(org, fmt.Sprintf("/staff/courses/%d/registrations?unit=%d", sc.course.ID, commune.ID))
	if n := strings.Count(body, `class="reg-name"`); n != 3 || !strings.Contains(body, "Ủy ban nhân dân X. Cam Hải Tây") {
		t.Errorf("roster of the unit: %d rows", n)
	}
	_, body = a.get(org, fmt.Sprintf("/staff/courses/%d/registrations?unit=%d", sc.course.ID, press.ID))
	if n := strings.Count(body, `class="reg-name"`); n != 0 {
		t.Errorf("roster of another unit: %d rows", n)
	}
}

// TestUnitAccountsAndInvitation: an organizer creates a focal point account on the unit's
// page (the password shown once) and sends another a personal invitation link; the link
// makes the account, signs in to the unit's page, and works once.
func TestUnitAccountsAndInvitation(t *testing.T) {
	sc := newRegScene(t)
	a := sc.a
	unit := coursestest.Unit(t, a.db, "UBND xã Cam Hải Tây")
	org := a.login(a.user(accounts.RoleOrganizer, sc.org.ID))
	page := "/staff/units/" + itoa(unit.ID)
	resp, body := a.postFormBody(org, page+"/accounts", url.Values{"name": {"Lê Thị Đầu Mối"}, "email": {"daumoi@camhaitay.vn"}})
	if resp.StatusCode != http.StatusCreated || !strings.Contains(body, `id="unit-password"`) || !strings.Contains(body, "daumoi@camhaitay.vn") {
		t.Fatalf("account: %d", resp.StatusCode)
	}
	u, err := a.acc.FindUserByEmail(t.Context(), "daumoi@camhaitay.vn")
	if err != nil || u.Role != accounts.RoleUnit || u.UnitID != unit.ID || u.OrganizationID != 0 {
		t.Fatalf("the focal point: %+v %v", u, err)
	}
	resp, body = a.postFormBody(org, page+"/invitations", url.Values{"name": {"Phạm Văn Mời"}, "email": {"bad"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="e-invite_email"`) {
		t.Errorf("bad invitation e-mail: %d", resp.StatusCode)
	}
	resp, body = a.postFormBody(org, page+"/invitations", url.Values{"name": {"Phạm Văn Mời"}, "email": {"moi@camhaitay.vn"}})
	m := regexp.MustCompile(`(/invite/[A-Za-z0-9_-]+)</code>`).FindStringSubmatch(body)
	if resp.StatusCode != http.StatusCreated || m == nil {
		t.Fatalf("invitation: %d", resp.StatusCode)
	}
	guest := a.browserClient()
	if resp, body := a.get(guest, m[1]); resp.StatusCode != 200 || !strings.Contains(body, "UBND xã Cam Hải Tây") {
		t.Fatalf("invitation page: %d", resp.StatusCode)
	}
	if resp, body := a.postFormBody(guest, m[1], url.Values{"password": {"ngan"}}); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="e-password"`) {
		t.Errorf("short password: %d", resp.StatusCode)
	}
	resp = a.postForm(guest, m[1], url.Values{"password": {"mat-khau-dai-du"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/unit" {
		t.Fatalf("accept: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, body := a.get(guest, "/unit"); resp.StatusCode != 200 || !strings.Contains(body, `id="unit-name"`) {
		t.Errorf("the new focal point's page: %d", resp.StatusCode)
	}
	if resp, _ := a.get(a.browserClient(), m[1]); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the link works twice: %d", resp.StatusCode)
	}
}
