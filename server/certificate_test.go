package server

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"taphuan/pdfdoc/pdftest"
	"testing"

	"taphuan/accounts"
	"taphuan/attendance"
	"taphuan/courses"
	"taphuan/courses/coursestest"
)

// certScene is an organization with a two-day course of four sessions (minimum 75%), three
// confirmed trainees of whom two are eligible, its organizer, staff and an organizer of
// another organization.
type certScene struct {
	a                          *testApp
	org, otherOrg              *accounts.Organization
	organizer, staff, outsider *accounts.User
	admin                      *accounts.User
	course                     *courses.Course
	sessions                   []*courses.Session
	yen, duc, binh             *courses.Registration // Yến and Đức eligible, Bình not
}

func newCertScene(t *testing.T) *certScene {
	t.Helper()
	a := newTestApp(t)
	sc := &certScene{a: a}
	sc.org = coursestest.Org(t, a.db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	sc.otherOrg = coursestest.Org(t, a.db, "Sở Y tế tỉnh Khánh Hòa")
	sc.organizer = a.user(accounts.RoleOrganizer, sc.org.ID)
	sc.staff = a.user(accounts.RoleStaff, sc.org.ID)
	sc.outsider = a.user(accounts.RoleOrganizer, sc.otherOrg.ID)
	sc.admin = a.user(accounts.RoleAdmin, 0)
	sc.course = coursestest.Course(t, a.db, sc.org.ID)
	m1, a1 := coursestest.Day(t, a.db, sc.course.ID, "2023-12-04")
	m2, a2 := coursestest.Day(t, a.db, sc.course.ID, "2023-12-05")
	sc.sessions = []*courses.Session{m1, a1, m2, a2}
	sc.yen = coursestest.Registration(t, a.db, sc.course.ID, coursestest.Person{FullName: "Nguyễn Thị Hải Yến", Gender: "Nữ",
		BirthDate: "1985-03-15", Ethnicity: "Ê Đê", Phone: "0905123456", Email: "yen@example.vn",
		Organization: "Đài Truyền thanh xã Ninh Ích"}, courses.RegConfirmed)
	sc.duc = coursestest.Registration(t, a.db, sc.course.ID, coursestest.Person{FullName: "Đặng Văn Đức", Gender: "Nam"}, courses.RegConfirmed)
	sc.binh = coursestest.Registration(t, a.db, sc.course.ID, coursestest.Person{FullName: "Trần Thị Bình", Gender: "Nữ"}, courses.RegConfirmed)
	sc.mark(sc.yen, "present", "present", "late", "absent")
	sc.mark(sc.duc, "present", "present", "present", "present")
	sc.mark(sc.binh, "present", "absent", "absent", "absent")
	return sc
}

func (sc *certScene) mark(r *courses.Registration, statuses ...string) {
	sc.a.t.Helper()
	att := attendance.New(sc.a.db, courses.New(sc.a.db))
	for i, st := range statuses {
		if _, err := att.SetMark(context.Background(), attendance.MarkInput{SessionID: sc.sessions[i].ID,
			RegistrationID: r.ID, Status: st, Source: "tap"}); err != nil {
			sc.a.t.Fatal(err)
		}
	}
}

func (sc *certScene) path(format string, args ...any) string {
	return "/api/v1/" + strings.TrimPrefix(certPathf(format, args...), "/")
}

func certPathf(format string, args ...any) string {
	for _, a := range args {
		var s string
		switch v := a.(type) {
		case int64:
			s = itoa(v)
		case string:
			s = v
		}
		format = strings.Replace(format, "{}", s, 1)
	}
	return format
}

type certIssueOut struct {
	Issued []struct {
		RegistrationID int64  `json:"registration_id"`
		CertificateID  int64  `json:"certificate_id"`
		Number         string `json:"number"`
	} `json:"issued"`
	Ineligible []struct {
		RegistrationID int64    `json:"registration_id"`
		Reason         string   `json:"reason"`
		Reasons        []string `json:"reasons"`
	} `json:"ineligible"`
}

type certOutJSON struct {
	ID             int64  `json:"id"`
	Number         string `json:"number"`
	Code           string `json:"code"`
	Status         string `json:"status"`
	SHA256         string `json:"sha256"`
	RegistrationID int64  `json:"registration_id"`
	ReplacesID     *int64 `json:"replaces_id"`
	SupersededBy   *int64 `json:"superseded_by"`
	RevokeReason   string `json:"revoke_reason"`
	VerifyURL      string `json:"verify_url"`
}

func TestCertificateAPI(t *testing.T) {
	t.Parallel()
	sc := newCertScene(t)
	a := sc.a
	organizer, staff, outsider, admin := a.token(sc.organizer), a.token(sc.staff), a.token(sc.outsider), a.token(sc.admin)
	issuePath := sc.path("courses/{}/certificates/issue", sc.course.ID)

	for _, tc := range []struct {
		name, token string
		want        int
		code        string
	}{
		{"anonymous", "", http.StatusUnauthorized, "unauthorized"},
		{"staff", staff, http.StatusForbidden, "forbidden"},
		{"another organization", outsider, http.StatusNotFound, "not_found"},
	} {
		t.Run("issue/"+tc.name, func(t *testing.T) {
			status, b := a.call(http.MethodPost, issuePath, tc.token, nil)
			if status != tc.want || decode[apiErr](t, b).Error.Code != tc.code {
				t.Errorf("status %d %s, want %d %s", status, b, tc.want, tc.code)
			}
		})
	}
	if status, b := a.call(http.MethodPost, sc.path("courses/99999/certificates/issue"), admin, nil); status != http.StatusNotFound {
		t.Errorf("unknown course: %d %s", status, b)
	}
	if status, b := a.call(http.MethodPost, issuePath, organizer, map[string]string{"issued_on": "31/02/2023"}); status != http.StatusUnprocessableEntity ||
		decode[apiErr](t, b).Error.Fields["issued_on"] == "" {
		t.Errorf("bad issue date: %d %s", status, b)
	}

	status, b := a.call(http.MethodPost, issuePath, organizer, nil)
	if status != http.StatusOK {
		t.Fatalf("issue: %d %s", status, b)
	}
	res := decode[certIssueOut](t, b)
	// Vietnamese order: Đức before Yến.
	if len(res.Issued) != 2 || res.Issued[0].RegistrationID != sc.duc.ID || res.Issued[0].Number != "001/GCN" ||
		res.Issued[1].RegistrationID != sc.yen.ID || res.Issued[1].Number != "002/GCN" {
		t.Fatalf("issued %+v", res.Issued)
	}
	if len(res.Ineligible) != 1 || res.Ineligible[0].RegistrationID != sc.binh.ID ||
		res.Ineligible[0].Reason != "tham dự 1/4 buổi (25%), dưới mức tối thiểu 75%" || res.Ineligible[0].Reasons[0] != "attendance" {
		t.Errorf("ineligible %+v", res.Ineligible)
	}
	if status, b := a.call(http.MethodPost, issuePath, organizer, nil); status != http.StatusOK || len(decode[certIssueOut](t, b).Issued) != 0 {
		t.Errorf("second issue: %d %s, want nothing issued", status, b)
	}
	yenID := res.Issued[1].CertificateID

	t.Run("get", func(t *testing.T) {
		status, b := a.call(http.MethodGet, sc.path("certificates/{}", yenID), staff, nil)
		if status != http.StatusOK {
			t.Fatalf("staff get: %d %s", status, b)
		}
		c := decode[certOutJSON](t, b)
		if c.ID != yenID || c.Number != "002/GCN" || c.Status != "valid" || c.RegistrationID != sc.yen.ID ||
			len(c.Code) != 22 || len(c.SHA256) != 64 || c.VerifyURL != a.ts.URL+"/verify/"+c.Code {
			t.Errorf("certificate %+v", c)
		}
		var raw map[string]any
		_ = json.Unmarshal(b, &raw)
		for _, k := range []string{"id", "number", "code", "status", "sha256", "registration_id"} {
			if _, ok := raw[k]; !ok {
				t.Errorf("API.md field %q missing: %s", k, b)
			}
		}
		for path, want := range map[string]int{
			sc.path("certificates/{}", yenID):     http.StatusNotFound, // another organization
			sc.path("certificates/{}.pdf", yenID): http.StatusNotFound,
		} {
			if status, _ := a.call(http.MethodGet, path, outsider, nil); status != want {
				t.Errorf("outsider %s: %d, want %d", path, status, want)
			}
		}
		for _, p := range []string{"certificates/99999", "certificates/abc", "certificates/99999.pdf", "certificates/.pdf"} {
			if status, _ := a.call(http.MethodGet, sc.path(p), admin, nil); status != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", p, status)
			}
		}

		pdf := certGetPDF(t, a, sc.path("certificates/{}.pdf", yenID), staff)
		sum := sha256.Sum256(pdf)
		if hex.EncodeToString(sum[:]) != c.SHA256 {
			t.Errorf("the PDF's SHA-256 is not the certificate's sha256")
		}
	})

	t.Run("combined PDF and ZIP", func(t *testing.T) {
		// All certificates at once are the organizers' (issue 10).
		for _, p := range []string{"courses/{}/certificates.pdf", "courses/{}/certificates.zip"} {
			if status, _ := a.call(http.MethodGet, sc.path(p, sc.course.ID), staff, nil); status != http.StatusForbidden {
				t.Errorf("%s as staff: %d, want 403", p, status)
			}
		}
		staff := organizer
		pdf := certGetPDF(t, a, sc.path("courses/{}/certificates.pdf", sc.course.ID), staff)
		pages := pdftest.Text(t, pdf)
		if len(pages) != 2 || !strings.Contains(pages[0], "Số: 001/GCN") || !strings.Contains(pages[1], "Số: 002/GCN") {
			t.Errorf("combined PDF has %d pages, want 001/GCN and 002/GCN:\n%s", len(pages), pages)
		}
		req, _ := http.NewRequest(http.MethodGet, a.ts.URL+sc.path("courses/{}/certificates.zip", sc.course.ID), nil)
		req.Header.Set("Authorization", "Bearer "+staff)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/zip" ||
			!strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("zip: %d %v", resp.StatusCode, resp.Header)
		}
		zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, f := range zr.File {
			names = append(names, f.Name)
		}
		sort.Strings(names)
		if strings.Join(names, " ") != "001-GCN_Dang-Van-Duc.pdf 002-GCN_Nguyen-Thi-Hai-Yen.pdf" {
			t.Errorf("zip holds %v", names)
		}
		other := coursestest.Course(t, a.db, sc.org.ID)
		if status, _ := a.call(http.MethodGet, sc.path("courses/{}/certificates.pdf", other.ID), staff, nil); status != http.StatusNotFound {
			t.Errorf("combined PDF of a course without certificates: %d, want 404", status)
		}
		if status, _ := a.call(http.MethodGet, sc.path("courses/{}/certificates.pdf", sc.course.ID), outsider, nil); status != http.StatusNotFound {
			t.Errorf("combined PDF for another organization: %d, want 404", status)
		}
	})

	t.Run("verify shows nothing personal", func(t *testing.T) {
		_, b := a.call(http.MethodGet, sc.path("certificates/{}", yenID), staff, nil)
		code := decode[certOutJSON](t, b).Code
		status, b := a.call(http.MethodGet, sc.path("verify/{}", code), "", nil)
		if status != http.StatusOK {
			t.Fatalf("verify JSON: %d %s", status, b)
		}
		var v map[string]any
		_ = json.Unmarshal(b, &v)
		if v["status"] != "valid" || v["number"] != "002/GCN" || v["full_name"] != "Nguyễn Thị Hải Yến" ||
			v["course_title"] != sc.course.Title || v["issued_on"] != "2023-12-05" {
			t.Errorf("verify JSON %s", b)
		}
		allowed := map[string]bool{"status": true, "number": true, "full_name": true, "course_title": true,
			"issued_on": true, "organization": true, "revoked_at": true}
		for k := range v {
			if !allowed[k] {
				t.Errorf("verify JSON exposes %q", k)
			}
		}
		personal := []string{"0905123456", "yen@example.vn", "1985-03-15", "15/03/1985", "Ê Đê", "Ninh Ích"}
		for _, p := range personal {
			if strings.Contains(string(b), p) {
				t.Errorf("verify JSON holds %q", p)
			}
		}
		resp, html := a.get(a.browserClient(), "/verify/"+code)
		if resp.StatusCode != http.StatusOK || !strings.Contains(html, "Giấy chứng nhận hợp lệ") ||
			!strings.Contains(html, "002/GCN") || !strings.Contains(html, "Nguyễn Thị Hải Yến") ||
			!strings.Contains(html, "05/12/2023") || resp.Header.Get("X-Robots-Tag") == "" {
			t.Errorf("verify page %d:\n%s", resp.StatusCode, html)
		}
		for _, p := range personal {
			if strings.Contains(html, p) {
				t.Errorf("verify page holds %q", p)
			}
		}
		if status, b := a.call(http.MethodGet, sc.path("verify/AAAAAAAAAAAAAAAAAAAAAA"), "", nil); status != http.StatusNotFound ||
			decode[apiErr](t, b).Error.Code != "not_found" {
			t.Errorf("unknown code JSON: %d %s", status, b)
		}
		resp, html = a.get(a.browserClient(), "/verify/AAAAAAAAAAAAAAAAAAAAAA")
		if resp.StatusCode != http.StatusNotFound || !strings.Contains(html, "Không tìm thấy giấy chứng nhận") {
			t.Errorf("unknown code page: %d", resp.StatusCode)
		}
	})

	t.Run("ticket download", func(t *testing.T) {
		resp, body := a.get(a.browserClient(), "/tickets/"+sc.yen.Code+"/certificate.pdf")
		stored := certGetPDF(t, a, sc.path("certificates/{}.pdf", yenID), staff)
		if resp.StatusCode != http.StatusOK || body != string(stored) || resp.Header.Get("Content-Type") != "application/pdf" {
			t.Errorf("ticket certificate: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if resp, _ := a.get(a.browserClient(), "/tickets/"+sc.binh.Code+"/certificate.pdf"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("ticket without a certificate: %d, want 404", resp.StatusCode)
		}
		// The ticket page offers the download only where there is a certificate.
		if _, page := a.get(a.browserClient(), "/tickets/"+sc.yen.Code); !strings.Contains(page, `id="ticket-certificate"`) {
			t.Error("the ticket page of a certified trainee has no download button")
		}
		if _, page := a.get(a.browserClient(), "/tickets/"+sc.binh.Code); strings.Contains(page, `id="ticket-certificate"`) {
			t.Error("the ticket page of a trainee without a certificate offers a download")
		}
		if resp, _ := a.get(a.browserClient(), "/tickets/khong-co/certificate.pdf"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("unknown ticket: %d, want 404", resp.StatusCode)
		}
	})

	t.Run("revoke and reissue", func(t *testing.T) {
		ducID := res.Issued[0].CertificateID
		revoke := sc.path("certificates/{}/revoke", ducID)
		if status, _ := a.call(http.MethodPost, revoke, staff, map[string]string{"reason": "x"}); status != http.StatusForbidden {
			t.Errorf("staff revoke: %d, want 403", status)
		}
		if status, _ := a.call(http.MethodPost, revoke, outsider, map[string]string{"reason": "x"}); status != http.StatusNotFound {
			t.Errorf("outsider revoke: %d, want 404", status)
		}
		status, b := a.call(http.MethodPost, revoke, organizer, map[string]string{"reason": " "})
		if e := decode[apiErr](t, b).Error; status != http.StatusUnprocessableEntity || e.Fields["reason"] != "Cần ghi rõ lý do." {
			t.Errorf("revoke without reason: %d %s", status, b)
		}
		status, b = a.call(http.MethodPost, revoke, organizer, map[string]string{"reason": "Điểm danh hộ"})
		if c := decode[certOutJSON](t, b); status != http.StatusOK || c.Status != "revoked" || c.RevokeReason != "Điểm danh hộ" {
			t.Errorf("revoke: %d %s", status, b)
		}
		if status, b := a.call(http.MethodPost, revoke, organizer, map[string]string{"reason": "lần nữa"}); status != http.StatusConflict ||
			decode[apiErr](t, b).Error.Code != "conflict" {
			t.Errorf("revoke twice: %d %s", status, b)
		}
		if resp, _ := a.get(a.browserClient(), "/tickets/"+sc.duc.Code+"/certificate.pdf"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("ticket download of a revoked certificate: %d, want 404", resp.StatusCode)
		}
		_, b = a.call(http.MethodGet, sc.path("certificates/{}", ducID), staff, nil)
		code := decode[certOutJSON](t, b).Code
		_, html := a.get(a.browserClient(), "/verify/"+code)
		if !strings.Contains(html, "Giấy chứng nhận đã bị thu hồi") || strings.Contains(html, "Điểm danh hộ") {
			t.Errorf("verify page of a revoked certificate (status shown, reason kept private):\n%s", html)
		}

		reissue := sc.path("certificates/{}/reissue", yenID)
		if status, _ := a.call(http.MethodPost, reissue, staff, nil); status != http.StatusForbidden {
			t.Errorf("staff reissue: %d, want 403", status)
		}
		status, b = a.call(http.MethodPost, reissue, organizer, nil)
		n := decode[certOutJSON](t, b)
		if status != http.StatusCreated || n.Number != "003/GCN" || n.Status != "valid" || n.ReplacesID == nil || *n.ReplacesID != yenID {
			t.Errorf("reissue: %d %s", status, b)
		}
		_, b = a.call(http.MethodGet, sc.path("certificates/{}", yenID), staff, nil)
		if old := decode[certOutJSON](t, b); old.Status != "superseded" || old.SupersededBy == nil || *old.SupersededBy != n.ID {
			t.Errorf("old after reissue: %s", b)
		}
		if status, b := a.call(http.MethodPost, reissue, organizer, nil); status != http.StatusConflict {
			t.Errorf("reissue twice: %d %s", status, b)
		}
		_, b = a.call(http.MethodGet, sc.path("verify/{}", decode[certOutJSON](t, certMustGet(t, a, sc.path("certificates/{}", yenID), staff)).Code), "", nil)
		if !strings.Contains(string(b), `"status":"superseded"`) || !strings.Contains(string(b), `"replaced_by":"003/GCN"`) {
			t.Errorf("verify superseded: %s", b)
		}
	})

	t.Run("eligibility and override", func(t *testing.T) {
		status, b := a.call(http.MethodGet, sc.path("courses/{}/eligibility", sc.course.ID), staff, nil)
		if status != http.StatusOK || !strings.Contains(string(b), `"reason":"tham dự 1/4 buổi (25%), dưới mức tối thiểu 75%"`) {
			t.Errorf("eligibility: %d %s", status, b)
		}
		p := sc.path("courses/{}/eligibility/{}", sc.course.ID, sc.binh.ID)
		if status, _ := a.call(http.MethodPut, p, staff, map[string]string{"decision": "grant", "reason": "x"}); status != http.StatusForbidden {
			t.Errorf("staff override: %d", status)
		}
		if status, b := a.call(http.MethodPut, p, organizer, map[string]string{"decision": "grant"}); status != http.StatusUnprocessableEntity {
			t.Errorf("override without reason: %d %s", status, b)
		}
		if status, b := a.call(http.MethodPut, sc.path("courses/{}/eligibility/{}", sc.course.ID, int64(99999)), organizer,
			map[string]string{"decision": "grant", "reason": "x"}); status != http.StatusNotFound {
			t.Errorf("override of an unknown registration: %d %s", status, b)
		}
		if status, b := a.call(http.MethodPut, p, organizer, map[string]string{"decision": "grant", "reason": "Ốm, có giấy của bệnh viện"}); status != http.StatusOK {
			t.Fatalf("override: %d %s", status, b)
		}
		_, b = a.call(http.MethodPost, issuePath, organizer, nil)
		if got := decode[certIssueOut](t, b); len(got.Issued) != 1 || got.Issued[0].RegistrationID != sc.binh.ID || got.Issued[0].Number != "004/GCN" {
			t.Errorf("issue after override: %s", b)
		}
	})

	t.Run("settings", func(t *testing.T) {
		p := sc.path("organizations/{}/certificate-settings", sc.org.ID)
		if status, b := a.call(http.MethodGet, p, staff, nil); status != http.StatusOK || !strings.Contains(string(b), `"number_format":"%03d/GCN"`) {
			t.Errorf("staff get settings: %d %s", status, b)
		}
		body := map[string]string{"number_format": "%03d/GCN-STTTT", "place_name": "Khánh Hòa", "signer_title": "KT. GIÁM ĐỐC",
			"signer_subtitle": "PHÓ GIÁM ĐỐC", "signer_name": "Trần Văn Đức", "wording": "Đã hoàn thành lớp tập huấn"}
		if status, _ := a.call(http.MethodPut, p, staff, body); status != http.StatusForbidden {
			t.Errorf("staff put settings: %d", status)
		}
		if status, _ := a.call(http.MethodPut, p, outsider, body); status != http.StatusNotFound {
			t.Errorf("outsider put settings: %d", status)
		}
		bad := map[string]string{"number_format": "GCN-%s", "signer_title": "", "wording": "x"}
		status, b := a.call(http.MethodPut, p, organizer, bad)
		if e := decode[apiErr](t, b).Error; status != http.StatusUnprocessableEntity || !strings.HasPrefix(e.Fields["number_format"], "Mẫu số hiệu") ||
			e.Fields["signer_title"] != "Không được để trống." {
			t.Errorf("bad settings: %d %s", status, b)
		}
		if status, b := a.call(http.MethodPut, p, organizer, body); status != http.StatusOK || !strings.Contains(string(b), `"signer_name":"Trần Văn Đức"`) {
			t.Errorf("put settings: %d %s", status, b)
		}
	})

	// The verification shows the course title printed on the paper the verifier holds, not
	// the course's title after a rename; a reissue prints, and verifies with, the new one.
	t.Run("verify shows the title as printed", func(t *testing.T) {
		printed := sc.course.Title
		renamed := "Lớp đã đổi tên sau khi cấp giấy"
		if status, b := a.call(http.MethodPatch, sc.path("courses/{}", sc.course.ID), organizer, map[string]string{"title": renamed}); status != http.StatusOK {
			t.Fatalf("rename course: %d %s", status, b)
		}
		code := decode[certOutJSON](t, certMustGet(t, a, sc.path("certificates/{}", yenID), staff)).Code
		var v map[string]any
		_ = json.Unmarshal(certMustGet(t, a, sc.path("verify/{}", code), ""), &v)
		if v["course_title"] != printed {
			t.Errorf("verify JSON course_title %q, want the printed %q", v["course_title"], printed)
		}
		_, html := a.get(a.browserClient(), "/verify/"+code)
		if !strings.Contains(html, printed) || strings.Contains(html, renamed) {
			t.Errorf("verify page does not show the printed title %q:\n%s", printed, html)
		}

		var binhID int64
		if err := a.db.R.Get(&binhID, `SELECT id FROM certificates WHERE registration_id = ? AND status = 'valid'`, sc.binh.ID); err != nil {
			t.Fatal(err)
		}
		status, b := a.call(http.MethodPost, sc.path("certificates/{}/reissue", binhID), organizer, nil)
		if status != http.StatusCreated {
			t.Fatalf("reissue: %d %s", status, b)
		}
		_ = json.Unmarshal(certMustGet(t, a, sc.path("verify/{}", decode[certOutJSON](t, b).Code), ""), &v)
		if v["course_title"] != renamed {
			t.Errorf("reissued after the rename: verify JSON course_title %q, want %q", v["course_title"], renamed)
		}
	})
}

func certGetPDF(t *testing.T, a *testApp, path, token string) []byte {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, a.ts.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	return b
}

func certMustGet(t *testing.T, a *testApp, path, token string) []byte {
	t.Helper()
	status, b := a.call(http.MethodGet, path, token, nil)
	if status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, status, b)
	}
	return b
}

func TestCertificatePages(t *testing.T) {
	t.Parallel()
	sc := newCertScene(t)
	a := sc.a
	org, staff := a.login(sc.organizer), a.login(sc.staff)
	page := "/staff/courses/" + itoa(sc.course.ID) + "/certificates"

	resp, html := a.get(org, page)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("page: %d", resp.StatusCode)
	}
	for _, s := range []string{"Giấy chứng nhận", "Cấp chứng nhận", "Trần Thị Bình", "tham dự 1/4 buổi (25%), dưới mức tối thiểu 75%",
		"chiều 04/12/2023", `aria-current="page">Chứng nhận`, "data-confirm=", "data-busy="} {
		if !strings.Contains(html, s) {
			t.Errorf("organizer's page lacks %q", s)
		}
	}
	if _, html := a.get(staff, page); strings.Contains(html, `id="issue"`) || strings.Contains(html, "/override") {
		t.Error("staff see the issue button or override forms")
	}
	if resp, _ := a.get(a.login(sc.outsider), page); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another organization's page: %d, want 404", resp.StatusCode)
	}
	if resp := a.postForm(staff, page+"/issue", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("staff posting issue: %d, want 403", resp.StatusCode)
	}

	resp = a.postForm(org, page+"/issue", nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("issue form: %d", resp.StatusCode)
	}
	_, html = a.get(org, resp.Header.Get("Location"))
	if !strings.Contains(html, "Đã cấp 2 giấy chứng nhận; 1 học viên chưa đủ điều kiện.") ||
		!strings.Contains(html, "001/GCN") || !strings.Contains(html, "002/GCN") {
		t.Errorf("after issuing:\n%s", html)
	}

	// An override without a reason is refused on its row, in Vietnamese.
	fr := certPostForm(t, a, org, page+"/override", url.Values{"registration_id": {itoa(sc.binh.ID)}, "decision": {"grant"}})
	if fr.status != http.StatusUnprocessableEntity || !strings.Contains(fr.body, `id="reason-err-`+itoa(sc.binh.ID)+`">Cần ghi rõ lý do.`) {
		t.Errorf("override without reason: %d", fr.status)
	}
	resp2 := a.postForm(org, page+"/override", url.Values{"registration_id": {itoa(sc.binh.ID)}, "decision": {"grant"}, "reason": {"Ốm có giấy xác nhận"}})
	if resp2.StatusCode != http.StatusSeeOther {
		t.Errorf("override: %d", resp2.StatusCode)
	}
	_, html = a.get(org, page)
	if !strings.Contains(html, "Được cấp theo quyết định: Ốm có giấy xác nhận") {
		t.Error("override not shown")
	}

	// Revoke from the register, with a reason.
	var certID int64
	if err := a.db.R.Get(&certID, `SELECT id FROM certificates WHERE number = '001/GCN'`); err != nil {
		t.Fatal(err)
	}
	revoke := "/staff/certificates/" + itoa(certID) + "/revoke"
	fr = certPostForm(t, a, org, revoke, url.Values{"reason": {""}})
	if fr.status != http.StatusUnprocessableEntity || !strings.Contains(fr.body, `id="revoke-err-`+itoa(certID)+`">Cần ghi rõ lý do.`) {
		t.Errorf("revoke without reason: %d", fr.status)
	}
	if r := a.postForm(org, revoke, url.Values{"reason": {"Sai họ tên"}}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("revoke: %d", r.StatusCode)
	}
	_, html = a.get(org, page)
	if !strings.Contains(html, "Đã thu hồi") || !strings.Contains(html, "bởi "+sc.organizer.Name+": Sai họ tên") {
		t.Error("revoked certificate not shown as revoked, by whom and why")
	}
	if r := a.postForm(org, "/staff/certificates/"+itoa(certID)+"/reissue", nil); r.StatusCode != http.StatusSeeOther {
		t.Errorf("reissue: %d", r.StatusCode)
	}
	_, html = a.get(org, page)
	if !strings.Contains(html, "Đã cấp lại: giấy số 001/GCN được thay bằng số 003/GCN.") {
		t.Error("reissue flash missing")
	}
}

type certFormResp struct {
	status int
	body   string
}

func certPostForm(t *testing.T, a *testApp, c *http.Client, path string, form url.Values) certFormResp {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, a.ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", a.ts.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return certFormResp{resp.StatusCode, string(b)}
}

func TestCertificateSettingsPage(t *testing.T) {
	t.Parallel()
	sc := newCertScene(t)
	a := sc.a
	org := a.login(sc.organizer)
	if resp, _ := a.get(a.login(sc.staff), "/staff/certificate-settings"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("staff: %d, want 403", resp.StatusCode)
	}
	if resp, _ := a.get(org, "/staff/certificate-settings?org="+itoa(sc.otherOrg.ID)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another organization: %d, want 404", resp.StatusCode)
	}
	resp, html := a.get(org, "/staff/certificate-settings")
	// The number is edited as its parts, never as a format string, with an example.
	if resp.StatusCode != http.StatusOK || strings.Contains(html, "%03d") || !strings.Contains(html, `id="f-number_suffix"`) ||
		!strings.Contains(html, `value="/GCN"`) || !strings.Contains(html, `<option value="3" selected>`) || !strings.Contains(html, "Số: 012/GCN") {
		t.Fatalf("settings page %d", resp.StatusCode)
	}
	_, html = a.get(a.login(sc.admin), "/staff/certificate-settings")
	if !strings.Contains(html, "Chọn đơn vị") || !strings.Contains(html, "Sở Y tế tỉnh Khánh Hòa") {
		t.Error("admin without ?org= is not asked to choose an organization")
	}

	post := func(fields map[string]string, logo []byte) certFormResp {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		for k, v := range fields {
			_ = mw.WriteField(k, v)
		}
		if logo != nil {
			fw, _ := mw.CreateFormFile("logo", "logo.png")
			_, _ = fw.Write(logo)
		}
		mw.Close()
		req, _ := http.NewRequest(http.MethodPost, a.ts.URL+"/staff/certificate-settings", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Origin", a.ts.URL)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		resp, err := org.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return certFormResp{resp.StatusCode, string(b)}
	}
	fields := map[string]string{"org": itoa(sc.org.ID), "number_prefix": "", "number_digits": "9", "number_suffix": "/GCN", "place_name": "Khánh Hòa",
		"signer_title": "", "signer_subtitle": "PHÓ GIÁM ĐỐC", "signer_name": "Trần Văn Đức", "wording": "Đã hoàn thành lớp tập huấn"}
	r := post(fields, []byte("GIF89a not a png"))
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("invalid settings: %d", r.status)
	}
	if !strings.Contains(r.body, `id="e-number_digits">Chọn từ 1 đến 6 chữ số.`) || !strings.Contains(r.body, `value="/GCN"`) {
		t.Errorf("refused number parts not shown: %s", r.body)
	}
	fields["number_digits"] = "3"
	r = post(fields, []byte("GIF89a not a png"))
	for _, s := range []string{`id="e-signer_title">Không được để trống.`,
		`id="e-logo">Biểu trưng phải là ảnh PNG`, `value="/GCN"`, `value="Trần Văn Đức"`} {
		if !strings.Contains(r.body, s) {
			t.Errorf("refused form lacks %q", s)
		}
	}
	fields["number_suffix"], fields["signer_title"] = "/GCN-STTTT", "KT. GIÁM ĐỐC"
	if r := post(fields, certPNGLogo(t)); r.status != http.StatusSeeOther {
		t.Fatalf("save settings: %d %s", r.status, r.body)
	}
	if st, _ := a.srv.certs.Settings(t.Context(), sc.org.ID); st.NumberFormat != "%03d/GCN-STTTT" {
		t.Errorf("stored number format %q, want %%03d/GCN-STTTT", st.NumberFormat)
	}
	resp, html = a.get(org, "/staff/certificate-settings")
	if !strings.Contains(html, `value="KT. GIÁM ĐỐC"`) || !strings.Contains(html, "logo.png?org=") || !strings.Contains(html, "Đã lưu mẫu") {
		t.Error("saved settings not shown")
	}
	if resp, body := a.get(org, "/staff/certificate-settings/logo.png?org="+itoa(sc.org.ID)); resp.StatusCode != http.StatusOK ||
		resp.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(body, "\x89PNG") {
		t.Errorf("logo: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if resp, body := a.get(org, "/staff/certificate-settings/sample.pdf?org="+itoa(sc.org.ID)); resp.StatusCode != http.StatusOK ||
		!strings.HasPrefix(body, "%PDF-") {
		t.Errorf("sample: %d", resp.StatusCode)
	}
}

func certPNGLogo(t *testing.T) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 40, 40))
	for i := range 40 {
		img.Set(i, i, color.NRGBA{R: 163, G: 32, B: 28, A: 255})
		img.Set(39-i, i, color.NRGBA{R: 163, G: 32, B: 28, A: 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
