package server

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"taphuan/accounts"
	"taphuan/courses"
	"taphuan/courses/coursestest"
)

// rawKeyRE finds a translation key of this part's catalogs left untranslated on a page.
var rawKeyRE = regexp.MustCompile(`\b(bulk|door|impv|stats13|certnum|signers)\.[a-z_]+(\.[a-z_]+)?\b`)

// TestIssue13bPagesTranslated: the pages this part changed render in Vietnamese and English
// without a Go formatting error or a raw translation key.
func TestIssue13bPagesTranslated(t *testing.T) {
	a := newTestApp(t)
	org := coursestest.Org(t, a.db, "Sở Thông tin và Truyền thông")
	course := coursestest.Course(t, a.db, org.ID)
	sess := coursestest.Session(t, a.db, course.ID, time.Now().Add(-5*time.Minute), 2*time.Hour, "Hội trường A")
	w := coursestest.Registration(t, a.db, course.ID, coursestest.Person{FullName: "Trần Thị Bình"}, courses.RegWaitlisted)
	coursestest.Registration(t, a.db, course.ID, coursestest.Person{FullName: "Lê Văn An"}, courses.RegConfirmed)
	c := a.login(a.user(accounts.RoleOrganizer, org.ID))
	id, sid := itoa(course.ID), itoa(sess.ID)
	pages := []string{
		"/staff/courses/" + id + "/registrations", "/staff/courses/" + id + "/registrations?status=waitlisted",
		"/staff/sessions/" + sid + "/door?reg=" + itoa(w.ID) + "&q=binh", "/staff/sessions/" + sid + "/checkin",
		"/staff/statistics", "/staff/certificate-settings", "/staff/courses/" + id + "/certificates/signers",
		"/staff/courses/" + id + "/certificates",
	}
	for _, lang := range []string{"en", "vi"} {
		if resp, _ := a.get(c, "/lang/"+lang); resp.StatusCode >= 400 {
			t.Fatalf("switch to %s: %d", lang, resp.StatusCode)
		}
		for _, p := range pages {
			resp, body := a.get(c, p)
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s %s: %d", lang, p, resp.StatusCode)
				continue
			}
			if strings.Contains(body, "%!") {
				t.Errorf("%s %s: a formatting error", lang, p)
			}
			if k := rawKeyRE.FindString(strings.ReplaceAll(body, "/static/bulk.js", "")); k != "" {
				t.Errorf("%s %s: raw key %q", lang, p, k)
			}
		}
	}
}
