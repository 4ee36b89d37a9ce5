package server

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"taphuan/accounts"
	"taphuan/courses"
)

// postFile posts a multipart form with one file as a same-origin browser would.
func (a *testApp) postFile(c *http.Client, path, filename string, data []byte) (*http.Response, string) {
	a.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", filename)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, a.ts.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", a.ts.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := c.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// TestImportPagePreviewThenConfirm: the organizer uploads a file with bad rows, sees every
// bad row with its line and column, nothing is imported yet; confirming imports the good
// rows of exactly that file.
func TestImportPagePreviewThenConfirm(t *testing.T) {
	t.Parallel()
	sc := newRegScene(t)
	a := sc.a
	org := a.login(a.user(accounts.RoleOrganizer, sc.org.ID))
	page := fmt.Sprintf("/staff/courses/%d/registrations/import", sc.course.ID)
	if resp, body := a.get(org, page); resp.StatusCode != http.StatusOK || !strings.Contains(body, `data-busy=`) {
		t.Fatalf("import page: %d", resp.StatusCode)
	}
	resp, body := a.postFile(org, page, "danh-sach.csv", []byte(badRoster))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("preview: %d", resp.StatusCode)
	}
	for _, want := range []string{`id="import-errors"`, "<td class=\"num\" data-label=\"Dòng\">3</td>", "Ngày sinh", "Giới tính", "trùng với dòng 2", "2 dòng hợp lệ", "Bỏ qua các dòng lỗi, nhập 2 học viên"} {
		if !strings.Contains(body, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	if _, total, _ := a.srv.courses.ListRegistrations(t.Context(), courses.RegistrationFilter{CourseID: sc.course.ID}); total != 0 {
		t.Fatalf("the preview imported %d", total)
	}
	m := regexp.MustCompile(`action="(/staff/courses/\d+/registrations/import/[0-9a-f]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no confirmation form")
	}
	other := a.login(a.user(accounts.RoleOrganizer, sc.org.ID))
	if resp := a.postForm(other, m[1], url.Values{"mode": {"skip_invalid"}}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another user confirms my upload: %d", resp.StatusCode)
	}
	resp = a.postForm(org, m[1], url.Values{"mode": {"skip_invalid"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm: %d", resp.StatusCode)
	}
	_, body = a.get(org, resp.Header.Get("Location"))
	if !strings.Contains(body, "Đã nhập 2 học viên") || !strings.Contains(body, "Nguyễn Thị Hải Yến") {
		t.Error("the roster does not show the import")
	}
	if resp := a.postForm(org, m[1], url.Values{"mode": {"skip_invalid"}}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the same upload imported twice: %d", resp.StatusCode)
	}
	// A file that is not a roster: the message is on the file field.
	resp, body = a.postFile(org, page, "anh.png", []byte("\x89PNG\r\n"))
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="e-file"`) {
		t.Errorf("not a roster: %d", resp.StatusCode)
	}
	staff := a.login(a.user(accounts.RoleStaff, sc.org.ID))
	if resp, _ := a.get(staff, page); resp.StatusCode != http.StatusForbidden {
		t.Errorf("staff import page: %d", resp.StatusCode)
	}
}
