package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"

	"taphuan/accounts"
	"taphuan/courses"
	"taphuan/courses/coursestest"
)

// regBody is a valid registration of API.md; n makes the phone unique.
func regBody(n int) map[string]string {
	return map[string]string{"full_name": "Nguyễn Văn An", "gender": "Nam", "birth_date": "1985-03-15",
		"ethnicity": "Kinh", "position": "Viên chức", "organization": "Đài truyền thanh xã Ninh Xuân",
		"locality": "xã Ninh Xuân", "phone": fmt.Sprintf("09%08d", n), "email": ""}
}

type regJSON struct {
	ID               int64  `json:"id"`
	Status           string `json:"status"`
	Code             string `json:"code"`
	WaitlistPosition *int   `json:"waitlist_position"`
	FullName         string `json:"full_name"`
	Phone            string `json:"phone"`
}

// regScene is an organization with an organizer and an open course.
type regScene struct {
	a      *testApp
	org    *accounts.Organization
	token  string
	course *courses.Course
}

func newRegScene(t *testing.T, opts ...func(*courses.Course)) *regScene {
	a := newTestApp(t)
	org := coursestest.Org(t, a.db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	return &regScene{a: a, org: org, token: a.token(a.user(accounts.RoleOrganizer, org.ID)),
		course: coursestest.Course(t, a.db, org.ID, append([]func(*courses.Course){coursestest.Upcoming}, opts...)...)}
}

func (sc *regScene) path(suffix string) string {
	return fmt.Sprintf("/api/v1/courses/%d/registrations%s", sc.course.ID, suffix)
}

// TestRegistrationConcurrency fires 260 registrations at a 200-seat course at once through
// the API: exactly 200 are confirmed and 60 wait at positions 1–60; a cancellation gives
// the seat to the first of them.
func TestRegistrationConcurrency(t *testing.T) {
	t.Parallel()
	sc := newRegScene(t)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 300}}
	start := make(chan struct{})
	var wg sync.WaitGroup
	results := make([]regJSON, 260)
	statuses := make([]int, 260)
	errs := make([]error, 260)
	for i := range 260 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, _ := json.Marshal(regBody(i))
			req, _ := http.NewRequest(http.MethodPost, sc.a.ts.URL+sc.path(""), bytes.NewReader(b))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+sc.token)
			<-start
			resp, err := client.Do(req)
			if err != nil {
				errs[i] = err
				return
			}
			defer resp.Body.Close()
			statuses[i] = resp.StatusCode
			body, _ := io.ReadAll(resp.Body)
			errs[i] = json.Unmarshal(body, &results[i])
		}()
	}
	close(start)
	wg.Wait()
	confirmed, positions := 0, []int{}
	for i := range 260 {
		if errs[i] != nil || statuses[i] != http.StatusCreated {
			t.Fatalf("registration %d: status %d, %v", i, statuses[i], errs[i])
		}
		switch results[i].Status {
		case courses.RegConfirmed:
			confirmed++
		case courses.RegWaitlisted:
			positions = append(positions, *results[i].WaitlistPosition)
		}
	}
	sort.Ints(positions)
	if confirmed != 200 || len(positions) != 60 {
		t.Fatalf("%d confirmed and %d waitlisted, want 200 and 60", confirmed, len(positions))
	}
	for i, p := range positions {
		if p != i+1 {
			t.Fatalf("waiting list positions %v, want 1–60", positions)
		}
	}
	// The database agrees with the answers.
	for status, want := range map[string]int{"confirmed": 200, "waitlisted": 60} {
		code, body := sc.a.call("GET", sc.path("?limit=1&status="+status), sc.token, nil)
		if got := decode[struct{ Total int }](t, body).Total; code != 200 || got != want {
			t.Errorf("list %s: %d %d, want %d", status, code, got, want)
		}
	}

	var first, someone regJSON
	for _, r := range results {
		if r.Status == courses.RegWaitlisted && *r.WaitlistPosition == 1 {
			first = r
		}
		if r.Status == courses.RegConfirmed && someone.ID == 0 {
			someone = r
		}
	}
	code, body := sc.a.call("POST", fmt.Sprintf("/api/v1/registrations/%d/cancel", someone.ID), sc.token, map[string]string{"reason": "Bận công tác"})
	if code != http.StatusOK {
		t.Fatalf("cancel: %d %s", code, body)
	}
	got := decode[struct {
		Registration regJSON  `json:"registration"`
		Promoted     *regJSON `json:"promoted"`
	}](t, body)
	if got.Registration.Status != courses.RegCancelled || got.Promoted == nil || got.Promoted.ID != first.ID || got.Promoted.Status != courses.RegConfirmed {
		t.Fatalf("cancel answered %s, want %d promoted", body, first.ID)
	}
	code, body = sc.a.call("GET", sc.path("?limit=1&status=confirmed"), sc.token, nil)
	if got := decode[struct{ Total int }](t, body).Total; code != 200 || got != 200 {
		t.Errorf("after the cancellation %d confirmed, want 200", got)
	}
}

func TestRegistrationAPIRefusals(t *testing.T) {
	t.Parallel()
	sc := newRegScene(t)
	a := sc.a
	code, body := a.call("POST", sc.path(""), sc.token, regBody(1))
	if code != http.StatusCreated {
		t.Fatalf("register: %d %s", code, body)
	}
	first := decode[regJSON](t, body)
	if len(first.Code) < 10 || first.Status != "confirmed" || first.WaitlistPosition != nil {
		t.Errorf("registration %s", body)
	}

	t.Run("duplicate phone is 409 conflict naming the registration", func(t *testing.T) {
		dup := regBody(1)
		dup["phone"] = "+84 " + dup["phone"][1:]
		dup["full_name"] = "Trần Thị Bình"
		code, body := a.call("POST", sc.path(""), sc.token, dup)
		var e struct {
			Error struct {
				Code           string `json:"code"`
				Message        string `json:"message"`
				RegistrationID int64  `json:"registration_id"`
			} `json:"error"`
		}
		json.Unmarshal(body, &e)
		if code != http.StatusConflict || e.Error.Code != "conflict" || e.Error.RegistrationID != first.ID || !strings.Contains(e.Error.Message, "Nguyễn Văn An") {
			t.Errorf("duplicate: %d %s", code, body)
		}
	})
	t.Run("invalid fields are 422 with a message per field", func(t *testing.T) {
		bad := regBody(2)
		bad["full_name"] = "<img src=x onerror=alert(1)>"
		bad["phone"] = "12345"
		bad["birth_date"] = "2023-02-30"
		code, body := a.call("POST", sc.path(""), sc.token, bad)
		e := decode[apiErr](t, body)
		if code != http.StatusUnprocessableEntity || e.Error.Code != "invalid" || len(e.Error.Fields) != 3 ||
			!strings.Contains(e.Error.Fields["phone"], "10 chữ số") {
			t.Errorf("invalid: %d %s", code, body)
		}
	})
	t.Run("closed course is 409 closed", func(t *testing.T) {
		closed := coursestest.Course(t, a.db, sc.org.ID, func(c *courses.Course) { c.Status = courses.StatusClosed })
		code, body := a.call("POST", fmt.Sprintf("/api/v1/courses/%d/registrations", closed.ID), sc.token, regBody(3))
		if e := decode[apiErr](t, body); code != http.StatusConflict || e.Error.Code != "closed" {
			t.Errorf("closed: %d %s", code, body)
		}
	})
	t.Run("unknown course is 404, no token 401", func(t *testing.T) {
		if code, _ := a.call("POST", "/api/v1/courses/99999/registrations", sc.token, regBody(4)); code != http.StatusNotFound {
			t.Errorf("unknown course: %d", code)
		}
		if code, _ := a.call("POST", sc.path(""), "", regBody(4)); code != http.StatusUnauthorized {
			t.Errorf("no token: %d", code)
		}
	})
	t.Run("another organization sees nothing", func(t *testing.T) {
		other := a.token(a.user(accounts.RoleOrganizer, a.org("Sở Tư pháp").ID))
		for _, p := range []string{sc.path(""), sc.path(".csv"), fmt.Sprintf("/api/v1/registrations/%d", first.ID)} {
			if code, _ := a.call("GET", p, other, nil); code != http.StatusNotFound {
				t.Errorf("GET %s by another organization: %d, want 404", p, code)
			}
		}
		if code, _ := a.call("POST", fmt.Sprintf("/api/v1/registrations/%d/cancel", first.ID), other, nil); code != http.StatusNotFound {
			t.Errorf("cancel by another organization: %d", code)
		}
	})
	t.Run("check-in staff may read but not cancel", func(t *testing.T) {
		staff := a.token(a.user(accounts.RoleStaff, sc.org.ID))
		if code, _ := a.call("GET", sc.path(""), staff, nil); code != http.StatusOK {
			t.Errorf("staff list: %d", code)
		}
		if code, _ := a.call("POST", fmt.Sprintf("/api/v1/registrations/%d/cancel", first.ID), staff, nil); code != http.StatusForbidden {
			t.Errorf("staff cancel: %d, want 403", code)
		}
	})
}

func TestRegistrationApprovalAPI(t *testing.T) {
	t.Parallel()
	sc := newRegScene(t, func(c *courses.Course) { c.RegistrationMode = courses.ModeApproval; c.Capacity = 1 })
	a := sc.a
	var regs []regJSON
	for i := range 2 {
		code, body := a.call("POST", sc.path(""), sc.token, regBody(i))
		r := decode[regJSON](t, body)
		if code != http.StatusCreated || r.Status != courses.RegPending {
			t.Fatalf("approval mode: %d %s", code, body)
		}
		regs = append(regs, r)
	}
	for i, want := range []string{courses.RegConfirmed, courses.RegWaitlisted} {
		code, body := a.call("POST", fmt.Sprintf("/api/v1/registrations/%d/approve", regs[i].ID), sc.token, nil)
		if r := decode[regJSON](t, body); code != http.StatusOK || r.Status != want {
			t.Errorf("approve %d: %d %s, want %s", i, code, body, want)
		}
	}
	if code, body := a.call("POST", fmt.Sprintf("/api/v1/registrations/%d/approve", regs[0].ID), sc.token, nil); code != http.StatusConflict {
		t.Errorf("approve twice: %d %s", code, body)
	}
	code, body := a.call("POST", fmt.Sprintf("/api/v1/registrations/%d/move", regs[1].ID), sc.token, map[string]string{"status": "confirmed", "reason": "Ưu tiên"})
	if e := decode[apiErr](t, body); code != http.StatusConflict || e.Error.Code != "full" {
		t.Errorf("move into a full course: %d %s", code, body)
	}
}

func TestRegistrationListSearchAndOrder(t *testing.T) {
	t.Parallel()
	sc := newRegScene(t)
	names := []string{"Đặng Văn Đức", "Nguyễn Thị Hoà", "Trần Thị Hòa", "Lê Văn An", "Phạm Thị Yến", "Lê Văn Ánh", "Bùi Thị Ư"}
	for i, n := range names {
		b := regBody(i)
		b["full_name"] = n
		if code, body := sc.a.call("POST", sc.path(""), sc.token, b); code != http.StatusCreated {
			t.Fatalf("%s: %d %s", n, code, body)
		}
	}
	list := func(q string) []string {
		code, body := sc.a.call("GET", sc.path(q), sc.token, nil)
		if code != http.StatusOK {
			t.Fatalf("list %s: %d %s", q, code, body)
		}
		var out []string
		for _, r := range decode[struct{ Items []regJSON }](t, body).Items {
			out = append(out, r.FullName)
		}
		return out
	}
	want := "Lê Văn An, Lê Văn Ánh, Đặng Văn Đức, Nguyễn Thị Hoà, Trần Thị Hòa, Bùi Thị Ư, Phạm Thị Yến"
	if got := strings.Join(list(""), ", "); got != want {
		t.Errorf("order:\n%s\nwant\n%s", got, want)
	}
	if got := strings.Join(list("?q=dang+van+duc"), ", "); got != "Đặng Văn Đức" {
		t.Errorf("q=dang van duc: %s", got)
	}
	if got := list("?q=hoa"); len(got) != 2 {
		t.Errorf("q=hoa: %v, want Hòa and Hoà", got)
	}
	if got := strings.Join(list("?limit=2&offset=2"), ", "); got != "Đặng Văn Đức, Nguyễn Thị Hoà" {
		t.Errorf("page 2: %s", got)
	}
	if code, _ := sc.a.call("GET", sc.path("?status=bogus"), sc.token, nil); code != http.StatusUnprocessableEntity {
		t.Errorf("unknown status filter: %d", code)
	}
}

// upload posts a roster file to the import API.
func (sc *regScene) upload(t *testing.T, mode, filename string, data []byte) (int, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", filename)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, sc.a.ts.URL+sc.path("/import?mode="+mode), &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+sc.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

type importJSON struct {
	Imported int `json:"imported"`
	Valid    int `json:"valid"`
	Errors   []struct {
		Row     int    `json:"row"`
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"errors"`
}

// badRoster has a BOM, an NFD name, a duplicate and invalid rows (lines 3, 4, 5).
const badRoster = "\xEF\xBB\xBFHọ và tên;Giới tính;Ngày sinh;Dân tộc;Chức vụ;Đơn vị công tác;Địa phương;Số điện thoại;Email\n" +
	"Nguye\u0302\u0303n Thi\u0323 Ha\u0309i Ye\u0302\u0301n;Nữ;21/02/1971;Kinh;Biên tập viên;Báo Khánh Hòa;tỉnh Khánh Hòa;0348922019;\n" +
	"Phan Bá An;Nam;31/02/1973;Kinh;;Báo Khánh Hòa;;0913352358;\n" +
	"Lê 3 Châu;Khác;26/01/1996;Kinh;;Báo Khánh Hòa;;0949605878;\n" +
	"Trần Văn Bình;Nam;07/11/1995;Kinh;;Báo Khánh Hòa;;0348 922 019;\n" +
	"Cao Thị Hoa;Nữ;05/07/1990;Chăm;;Báo Khánh Hòa;;0987654321;hoa@baokhanhhoa.vn\n"

func TestRegistrationImportAPI(t *testing.T) {
	t.Parallel()
	sc := newRegScene(t)
	count := func() int {
		_, body := sc.a.call("GET", sc.path("?limit=1"), sc.token, nil)
		return decode[struct{ Total int }](t, body).Total
	}
	code, body := sc.upload(t, "strict", "ds.csv", []byte(badRoster))
	res := decode[importJSON](t, body)
	if code != http.StatusOK || res.Imported != 0 || len(res.Errors) != 4 {
		t.Fatalf("strict: %d %s", code, body)
	}
	want := [][2]any{{3, "birth_date"}, {4, "full_name"}, {4, "gender"}, {5, "phone"}}
	for i, w := range want {
		if res.Errors[i].Row != w[0] || res.Errors[i].Field != w[1] || res.Errors[i].Message == "" {
			t.Errorf("error %d: %+v, want line %v field %v", i, res.Errors[i], w[0], w[1])
		}
	}
	if !strings.Contains(res.Errors[3].Message, "dòng 2") {
		t.Errorf("duplicate message %q does not name line 2", res.Errors[3].Message)
	}
	if n := count(); n != 0 {
		t.Fatalf("strict import with errors left %d registrations", n)
	}
	code, body = sc.upload(t, "dry_run", "ds.csv", []byte(badRoster))
	if res := decode[importJSON](t, body); code != 200 || res.Imported != 0 || res.Valid != 2 || count() != 0 {
		t.Errorf("dry run: %d %s", code, body)
	}
	code, body = sc.upload(t, "skip_invalid", "ds.csv", []byte(badRoster))
	if res := decode[importJSON](t, body); code != 200 || res.Imported != 2 || count() != 2 {
		t.Errorf("skip_invalid: %d %s", code, body)
	}
	_, body = sc.a.call("GET", sc.path("?q=hai+yen"), sc.token, nil)
	if items := decode[struct{ Items []regJSON }](t, body).Items; len(items) != 1 || items[0].FullName != "Nguyễn Thị Hải Yến" {
		t.Errorf("NFD name stored as %s", body)
	}
	if code, body := sc.upload(t, "strict", "ds.csv", []byte("Tên;Tuổi\nA;3\n")); code != http.StatusUnprocessableEntity || !strings.Contains(string(body), `"file"`) {
		t.Errorf("a file without the headers: %d %s", code, body)
	}
	if code, _ := sc.upload(t, "everything", "ds.csv", []byte(badRoster)); code != http.StatusUnprocessableEntity {
		t.Errorf("bad mode: %d", code)
	}
}

func TestRosterExportRoundTrip(t *testing.T) {
	t.Parallel()
	sc := newRegScene(t)
	data, err := os.ReadFile("../demo/roster-200.csv")
	if err != nil {
		t.Fatal(err)
	}
	if code, body := sc.upload(t, "strict", "roster-200.csv", data); code != 200 || decode[importJSON](t, body).Imported != 200 {
		t.Fatalf("import the sample: %d %s", code, body)
	}
	code, csvBody := sc.a.call("GET", sc.path(".csv"), sc.token, nil)
	if code != http.StatusOK || !bytes.HasPrefix(csvBody, []byte("\xEF\xBB\xBFSTT,Họ và tên,Giới tính,Ngày sinh,Dân tộc,Chức vụ,Đơn vị công tác,Địa phương,Số điện thoại,Email")) {
		t.Fatalf("csv: %d %.120q", code, csvBody)
	}
	if lines := strings.Count(string(csvBody), "\n"); lines != 201 {
		t.Errorf("csv has %d lines, want 201", lines)
	}
	code, xlsxBody := sc.a.call("GET", sc.path(".xlsx?status=confirmed"), sc.token, nil)
	if code != http.StatusOK {
		t.Fatalf("xlsx: %d", code)
	}
	f, err := excelize.OpenReader(bytes.NewReader(xlsxBody))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(f.GetSheetList()[0])
	if len(rows) != 201 || rows[0][1] != "Họ và tên" || !strings.Contains(rows[1][3], "/") || !strings.HasPrefix(rows[1][8], "0") {
		t.Errorf("xlsx rows %d, header %v, first %v", len(rows), rows[0], rows[1])
	}
	// The exported files import back into another course unchanged.
	other := coursestest.Course(t, sc.a.db, sc.org.ID, coursestest.Upcoming)
	sc2 := &regScene{a: sc.a, org: sc.org, token: sc.token, course: other}
	for name, body := range map[string][]byte{"back.csv": csvBody, "back.xlsx": xlsxBody} {
		c := coursestest.Course(t, sc.a.db, sc.org.ID, coursestest.Upcoming)
		sc2.course = c
		if code, res := sc2.upload(t, "strict", name, body); code != 200 || decode[importJSON](t, res).Imported != 200 {
			t.Errorf("re-import %s: %d %s", name, code, res)
		}
		_, again := sc.a.call("GET", sc2.path(".csv"), sc.token, nil)
		if !bytes.Equal(again, csvBody) {
			t.Errorf("%s did not round-trip", name)
		}
	}
}
