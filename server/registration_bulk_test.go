package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"taphuan/accounts"
	"taphuan/courses"
	"taphuan/courses/coursestest"
)

// TestRegistrationBulkAPI: the JSON bulk action applies to the filter, not a page; the form
// refuses a missing reason with a message and changes nothing.
func TestRegistrationBulkAPI(t *testing.T) {
	a := newTestApp(t)
	org := coursestest.Org(t, a.db, "Sở Thông tin và Truyền thông")
	course := coursestest.Course(t, a.db, org.ID, func(c *courses.Course) { c.Capacity = 10 })
	var waiting []*courses.Registration
	for _, n := range []string{"Lê Văn An", "Lê Thị Bích", "Phạm Văn Cường"} {
		waiting = append(waiting, coursestest.Registration(t, a.db, course.ID, coursestest.Person{FullName: n, Organization: "Xã Cam Hải Tây"}, courses.RegWaitlisted))
	}
	other := coursestest.Registration(t, a.db, course.ID, coursestest.Person{FullName: "Lê Văn Khác", Organization: "Phường Lộc Thọ"}, courses.RegWaitlisted)
	u := a.user(accounts.RoleOrganizer, org.ID)
	tok := a.token(u)

	status, body := a.call("POST", "/api/v1/courses/"+itoa(course.ID)+"/registrations/bulk", tok,
		map[string]any{"action": "reject", "reason": "Không đúng đối tượng", "all": true,
			"filter": map[string]any{"status": []string{"waitlisted"}, "unit": "Xã Cam Hải Tây"}})
	if status != http.StatusOK {
		t.Fatalf("bulk: %d %s", status, body)
	}
	res := decode[courses.BulkResult](t, body)
	if len(res.Changed) != 3 || res.Changed[0].To != courses.RegRejected {
		t.Errorf("changed %+v", res.Changed)
	}
	for _, r := range waiting {
		got, _ := a.srv.courses.FindRegistrationByID(t.Context(), r.ID)
		if got.Status != courses.RegRejected || got.StatusReason != "Không đúng đối tượng" {
			t.Errorf("%s: %s %q", got.FullName, got.Status, got.StatusReason)
		}
	}
	if got, _ := a.srv.courses.FindRegistrationByID(t.Context(), other.ID); got.Status != courses.RegWaitlisted {
		t.Errorf("outside the filter, %s became %s", got.FullName, got.Status)
	}

	status, body = a.call("POST", "/api/v1/courses/"+itoa(course.ID)+"/registrations/bulk", tok,
		map[string]any{"action": "xoa", "ids": []int64{other.ID}})
	if e := decode[apiErr](t, body); status != http.StatusUnprocessableEntity || e.Error.Fields["action"] == "" {
		t.Errorf("unknown action: %d %s", status, body)
	}

	// The form: no reason for a cancel → refused, shown, nothing changed.
	c := a.login(u)
	resp := a.postForm(c, "/staff/courses/"+itoa(course.ID)+"/registrations/bulk",
		url.Values{"action": {"cancel"}, "ids": {itoa(other.ID)}, "back": {"/staff/courses/" + itoa(course.ID) + "/registrations?status=waitlisted"}})
	if resp.StatusCode != http.StatusSeeOther || !strings.HasSuffix(resp.Header.Get("Location"), "?status=waitlisted") {
		t.Fatalf("form: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, page := a.get(c, resp.Header.Get("Location"))
	if !strings.Contains(page, "Chưa thực hiện") || !strings.Contains(page, "lý do") {
		t.Errorf("the refusal is not shown")
	}
	if got, _ := a.srv.courses.FindRegistrationByID(t.Context(), other.ID); got.Status != courses.RegWaitlisted {
		t.Errorf("a refused bulk cancel changed %s to %s", got.FullName, got.Status)
	}
	resp = a.postForm(c, "/staff/courses/"+itoa(course.ID)+"/registrations/bulk",
		url.Values{"action": {"cancel"}, "reason": {"Đơn vị rút"}, "ids": {itoa(other.ID)}})
	_, page = a.get(c, resp.Header.Get("Location"))
	if got, _ := a.srv.courses.FindRegistrationByID(t.Context(), other.ID); got.Status != courses.RegCancelled || !strings.Contains(page, "đã xử lý 1 hồ sơ") {
		t.Errorf("bulk cancel by the form: %s", got.Status)
	}
}
