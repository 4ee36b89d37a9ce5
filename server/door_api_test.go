package server

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"taphuan/accounts"
	"taphuan/courses"
	"taphuan/courses/coursestest"
)

// TestDoorAPI: a scan of a pending ticket answers 409 with who it is and the door page; the
// staff's admission of a full course is refused (409 full), the organizer's goes through;
// a walk-in by the API is registered and present.
func TestDoorAPI(t *testing.T) {
	a := newTestApp(t)
	org := coursestest.Org(t, a.db, "Sở Thông tin và Truyền thông")
	course := coursestest.Course(t, a.db, org.ID, func(c *courses.Course) { c.Capacity = 1 })
	sess := coursestest.Session(t, a.db, course.ID, time.Now().Add(-5*time.Minute), 2*time.Hour, "Phòng họp 2")
	coursestest.Registration(t, a.db, course.ID, coursestest.Person{FullName: "Nguyễn Văn An"}, courses.RegConfirmed)
	pend := coursestest.Registration(t, a.db, course.ID, coursestest.Person{FullName: "Hồ Thị Duyên", Organization: "Xã Cam An"}, courses.RegPending)
	staff, organizer := a.token(a.user(accounts.RoleStaff, org.ID)), a.token(a.user(accounts.RoleOrganizer, org.ID))
	base := "/api/v1/sessions/" + itoa(sess.ID)

	status, body := a.call("POST", base+"/checkin", staff, map[string]string{"code": pend.Code})
	got := decode[struct {
		Error struct {
			Code         string `json:"code"`
			Message      string `json:"message"`
			DoorURL      string `json:"door_url"`
			Registration struct {
				ID       int64  `json:"id"`
				FullName string `json:"full_name"`
				Status   string `json:"status"`
			} `json:"registration"`
		} `json:"error"`
	}](t, body)
	if status != http.StatusConflict || got.Error.Registration.FullName != "Hồ Thị Duyên" || got.Error.Registration.Status != "pending" ||
		!strings.Contains(got.Error.Message, "Hồ Thị Duyên") || got.Error.DoorURL != "/staff/sessions/"+itoa(sess.ID)+"/door?reg="+itoa(pend.ID) {
		t.Errorf("scan of a pending ticket: %d %s", status, body)
	}

	status, body = a.call("POST", base+"/admit", staff, map[string]int64{"registration_id": pend.ID})
	if e := decode[apiErr](t, body); status != http.StatusConflict || e.Error.Code != "full" {
		t.Errorf("staff admitting into a full course: %d %s", status, body)
	}
	status, body = a.call("POST", base+"/admit", organizer, map[string]int64{"registration_id": pend.ID})
	if status != http.StatusOK || !strings.Contains(string(body), `"status":"present"`) {
		t.Errorf("organizer admitting beyond capacity: %d %s", status, body)
	}
	if reg, _ := a.srv.courses.FindRegistrationByID(t.Context(), pend.ID); reg.Status != courses.RegConfirmed {
		t.Errorf("after the admission: %s", reg.Status)
	}

	status, body = a.call("POST", base+"/walkin", organizer, map[string]string{"full_name": "VÕ VĂN EM", "gender": "Nam",
		"birth_date": "1992-05-06", "organization": "Xã Cam An", "phone": "0911222333"})
	if status != http.StatusCreated {
		t.Fatalf("walk-in: %d %s", status, body)
	}
	status, body = a.call("POST", base+"/walkin", organizer, map[string]string{"full_name": "Võ Văn Em"})
	if e := decode[apiErr](t, body); status != http.StatusUnprocessableEntity || e.Error.Fields["phone"] == "" {
		t.Errorf("walk-in without a phone: %d %s", status, body)
	}
	if c, _ := a.srv.courses.CountByStatus(t.Context(), course.ID); c[courses.RegConfirmed] != 3 {
		t.Errorf("confirmed %d, want 3", c[courses.RegConfirmed])
	}
}
