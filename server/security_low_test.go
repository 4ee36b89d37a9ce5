package server

import (
	"archive/zip"
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"taphuan/certificates"
	"taphuan/courses"
	"taphuan/courses/coursestest"
)

// TestLowFindings (issue 10, "Low"): a certificate list asked for 40,000 statuses answers
// 422, not 500; a number format of width 999999 is refused; the certificates ZIP is
// streamed and still a whole archive; personal API answers, the ticket and the self
// check-in are not cached; the request log does not hold ticket codes.
func TestLowFindings(t *testing.T) {
	sc := newSecScene(t)
	a := sc.a
	var logs lockedBuffer
	a.srv.log = slog.New(slog.NewTextHandler(&logs, nil))
	org := sc.ids[idOrganizer]
	course := itoa(sc.course.ID)

	many := strings.TrimSuffix(strings.Repeat("valid,", 40000), ",")
	st, b := a.call("GET", "/api/v1/courses/"+course+"/certificates?status="+many, org.token, nil)
	if st != http.StatusOK || !strings.Contains(string(b), `"total":2`) {
		t.Errorf("40,000 times the same status: %d %.200s, want the two valid certificates", st, b)
	}
	st, b = a.call("GET", "/api/v1/courses/"+course+"/certificates?status=valid,"+strings.Repeat("x,", 40000), org.token, nil)
	if st != http.StatusUnprocessableEntity {
		t.Errorf("40,000 unknown statuses: %d %.200s, want 422", st, b)
	}

	for _, f := range []string{"%0999999d/GCN", "%9999d", "%013d", "%0100d"} {
		if certificates.ValidNumberFormat(f) {
			t.Errorf("number format %q accepted", f)
		}
	}
	if !certificates.ValidNumberFormat("%03d/GCN-STTTT") || !certificates.ValidNumberFormat("%012d") {
		t.Error("an ordinary number format refused")
	}
	st, _ = a.call("PUT", "/api/v1/organizations/"+itoa(sc.home.ID)+"/certificate-settings", org.token,
		map[string]any{"number_format": "%0999999d", "signer_title": "GIÁM ĐỐC", "wording": "x", "place_name": "Khánh Hòa"})
	if st != http.StatusUnprocessableEntity {
		t.Errorf("saving %%0999999d: %d, want 422", st)
	}

	req, _ := http.NewRequest("GET", a.ts.URL+"/api/v1/courses/"+course+"/certificates.zip", nil)
	req.Header.Set("Authorization", "Bearer "+org.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	zb, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	zr, err := zip.NewReader(bytes.NewReader(zb), int64(len(zb)))
	if resp.StatusCode != http.StatusOK || err != nil || len(zr.File) != 2 || resp.Header.Get("Content-Length") != "" {
		t.Errorf("the ZIP: %d, %v, content-length %q (streamed: none)", resp.StatusCode, err, resp.Header.Get("Content-Length"))
	}

	for _, p := range []struct{ path, token string }{
		{"/api/v1/courses/" + course + "/registrations", org.token},
		{"/api/v1/registrations/" + itoa(sc.yen.ID), org.token},
	} {
		req, _ := http.NewRequest("GET", a.ts.URL+p.path, nil)
		req.Header.Set("Authorization", "Bearer "+p.token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control %q, want no-store", p.path, resp.Header.Get("Cache-Control"))
		}
	}
	anon := a.browserClient()
	for _, p := range []string{"/tickets/" + sc.yen.Code, "/self/" + itoa(sc.sessions[0].ID)} {
		resp, _ := a.get(anon, p)
		if resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control %q, want no-store", p, resp.Header.Get("Cache-Control"))
		}
	}
	resp, _ = a.postFormBody(anon, "/self/"+itoa(sc.sessions[0].ID), url.Values{"code": {"000000"}, "ticket": {sc.yen.Code}})
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("the self check-in answer: Cache-Control %q", resp.Header.Get("Cache-Control"))
	}
	a.postFormBody(anon, "/tickets/"+sc.cancelled.Code+"/cancel", nil)
	a.get(anon, "/tickets/"+sc.yen.Code+"/certificate.pdf")
	for _, code := range []string{sc.yen.Code, sc.cancelled.Code} {
		if strings.Contains(logs.String(), code) {
			t.Errorf("the log holds the ticket code %s", code)
		}
	}
	if !strings.Contains(logs.String(), "/tickets/…") {
		t.Errorf("the log does not show the redacted ticket path: %.500s", logs.String())
	}
}

// TestTicketCannotCancelAfterStart (issue 10): once the first session has begun, the ticket
// offers no cancellation, and a posted one is refused with the reason on the ticket; the
// registration stays confirmed.
func TestTicketCannotCancelAfterStart(t *testing.T) {
	a := newTestApp(t)
	org := coursestest.Org(t, a.db, "Sở Văn hóa")
	course := coursestest.Course(t, a.db, org.ID, coursestest.Upcoming)
	coursestest.Session(t, a.db, course.ID, time.Now().Add(-time.Hour), 3*time.Hour, "Phòng 1") // under way
	duc := coursestest.Registration(t, a.db, course.ID, coursestest.Person{FullName: "Đặng Văn Đức"}, courses.RegConfirmed)
	sc := struct{ duc *courses.Registration }{duc}
	anon := a.browserClient()
	_, page := a.get(anon, "/tickets/"+sc.duc.Code)
	if strings.Contains(page, `id="ticket-cancel"`) {
		t.Error("the ticket offers a cancellation after the course began")
	}
	if _, page := a.get(anon, "/tickets/"+sc.duc.Code+"/cancel"); !strings.Contains(page, `id="cancel-started"`) || strings.Contains(page, `id="cancel-submit"`) {
		t.Error("the cancel page offers the form after the course began")
	}
	resp, _ := a.postFormBody(anon, "/tickets/"+sc.duc.Code+"/cancel", url.Values{"reason": {"Bận"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("posted cancel: %d", resp.StatusCode)
	}
	_, page = a.get(anon, "/tickets/"+sc.duc.Code)
	if !strings.Contains(page, "Lớp học đã bắt đầu") {
		t.Error("the ticket does not say why it cannot be cancelled")
	}
	if r, _ := a.srv.courses.FindRegistrationByID(t.Context(), sc.duc.ID); r.Status != "confirmed" {
		t.Errorf("stored %s", r.Status)
	}
}
