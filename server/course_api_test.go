package server

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"taphuan/accounts"
	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/vn"
)

const khanhHoaTitle = "Tập huấn nâng cao năng lực cán bộ thông tin và truyền thông cơ sở năm 2023"

// courseBody is the JSON of the Khánh Hòa workshop.
func courseBody() map[string]any {
	return map[string]any{
		"title": khanhHoaTitle, "co_organizer": "Cục Thông tin cơ sở",
		"program": "CTMTQG giảm nghèo bền vững 2021–2025 / Dự án 6", "venue": "Khách sạn Hoàng Yến, Nha Trang",
		"starts_on": "2023-12-04", "ends_on": "2023-12-05", "capacity": 200,
		"registration_mode": "open", "min_attendance_percent": 80,
	}
}

type apiCourse struct {
	ID                   int64   `json:"id"`
	OrganizationID       int64   `json:"organization_id"`
	Title                string  `json:"title"`
	Program              string  `json:"program"`
	ProgramID            *int64  `json:"program_id"`
	Venue                string  `json:"venue"`
	StartsOn             string  `json:"starts_on"`
	EndsOn               string  `json:"ends_on"`
	Capacity             int     `json:"capacity"`
	Status               string  `json:"status"`
	MinAttendancePercent int     `json:"min_attendance_percent"`
	RegistrationClosesAt *string `json:"registration_closes_at"`
	Confirmed            int     `json:"confirmed"`
	PublicURL            string  `json:"public_url"`
}

type apiSession struct {
	ID          int64  `json:"id"`
	ModuleID    *int64 `json:"module_id"`
	StartsAt    string `json:"starts_at"`
	EndsAt      string `json:"ends_at"`
	Room        string `json:"room"`
	ModuleTitle string `json:"module_title"`
	Lecturer    string `json:"lecturer"`
}

type listOf[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

// scene is two departments, each with an organizer, plus staff of the first and an admin.
type scene struct {
	a                                   *testApp
	home, other                         *accounts.Organization
	admin, organizer, staff, otherOrgzr string
}

func newScene(t *testing.T) *scene {
	a := newTestApp(t)
	sc := &scene{a: a, home: a.org("Sở Thông tin và Truyền thông tỉnh Khánh Hòa"),
		other: a.org("Sở Lao động - Thương binh và Xã hội tỉnh Khánh Hòa")}
	sc.admin = a.token(a.user(accounts.RoleAdmin, 0))
	sc.organizer = a.token(a.user(accounts.RoleOrganizer, sc.home.ID))
	sc.staff = a.token(a.user(accounts.RoleStaff, sc.home.ID))
	sc.otherOrgzr = a.token(a.user(accounts.RoleOrganizer, sc.other.ID))
	return sc
}

// want checks status and, for an error, its code; it returns the body.
func want(t *testing.T, status int, body []byte, wantStatus int, wantCode string) []byte {
	t.Helper()
	if status != wantStatus {
		t.Fatalf("status %d, want %d: %s", status, wantStatus, body)
	}
	if wantCode != "" {
		if got := decode[apiErr](t, body).Error.Code; got != wantCode {
			t.Fatalf("error code %q, want %q: %s", got, wantCode, body)
		}
	}
	return body
}

func (sc *scene) createCourse(t *testing.T) apiCourse {
	t.Helper()
	st, b := sc.a.call(http.MethodPost, "/api/v1/courses", sc.organizer, courseBody())
	return decode[apiCourse](t, want(t, st, b, http.StatusCreated, ""))
}

func TestCourseAPICreate(t *testing.T) {
	t.Parallel()
	sc := newScene(t)
	a := sc.a
	t.Run("201 draft for the organizer's department", func(t *testing.T) {
		c := sc.createCourse(t)
		if c.Status != "draft" || c.OrganizationID != sc.home.ID || c.Title != khanhHoaTitle || c.Capacity != 200 {
			t.Errorf("created %+v", c)
		}
		if !strings.HasSuffix(c.PublicURL, "/courses/"+itoa(c.ID)) {
			t.Errorf("public_url %q", c.PublicURL)
		}
	})
	t.Run("401 without a token", func(t *testing.T) {
		st, b := a.call(http.MethodPost, "/api/v1/courses", "", courseBody())
		want(t, st, b, http.StatusUnauthorized, "unauthorized")
	})
	t.Run("403 for staff", func(t *testing.T) {
		st, b := a.call(http.MethodPost, "/api/v1/courses", sc.staff, courseBody())
		want(t, st, b, http.StatusForbidden, "forbidden")
	})
	t.Run("403 for another department", func(t *testing.T) {
		body := courseBody()
		body["organization_id"] = sc.other.ID
		st, b := a.call(http.MethodPost, "/api/v1/courses", sc.organizer, body)
		want(t, st, b, http.StatusForbidden, "forbidden")
	})
	t.Run("admin names the department", func(t *testing.T) {
		st, b := a.call(http.MethodPost, "/api/v1/courses", sc.admin, courseBody())
		if e := decode[apiErr](t, want(t, st, b, http.StatusUnprocessableEntity, "invalid")); e.Error.Fields["organization_id"] == "" {
			t.Errorf("no message on organization_id: %s", b)
		}
		body := courseBody()
		body["organization_id"] = sc.other.ID
		st, b = a.call(http.MethodPost, "/api/v1/courses", sc.admin, body)
		if c := decode[apiCourse](t, want(t, st, b, http.StatusCreated, "")); c.OrganizationID != sc.other.ID {
			t.Errorf("created for %d", c.OrganizationID)
		}
	})
	t.Run("422 with a Vietnamese message on each field", func(t *testing.T) {
		for _, tc := range []struct {
			field string
			value any
			words string
		}{
			{"title", "  ", "trống"},
			{"ends_on", "2023-12-03", "trước ngày bắt đầu"},
			{"starts_on", "2023-02-30", "không hợp lệ"},
			{"capacity", 0, "từ 1"},
			{"min_attendance_percent", 120, "0 đến 100"},
			{"registration_mode", "tu-do", "approval"},
			{"registration_closes_at", "2023-11-01T17:00:00+07:00", "sau thời điểm mở"},
		} {
			body := courseBody()
			body[tc.field] = tc.value
			if tc.field == "registration_closes_at" {
				body["registration_opens_at"] = "2023-11-10T08:00:00+07:00"
			}
			st, b := a.call(http.MethodPost, "/api/v1/courses", sc.organizer, body)
			e := decode[apiErr](t, want(t, st, b, http.StatusUnprocessableEntity, "invalid"))
			if msg := e.Error.Fields[tc.field]; !strings.Contains(msg, tc.words) {
				t.Errorf("%s=%v: message %q, want it to say %q", tc.field, tc.value, msg, tc.words)
			}
		}
		st, b := a.call(http.MethodPost, "/api/v1/courses", sc.organizer, "not an object")
		want(t, st, b, http.StatusUnprocessableEntity, "invalid")
	})
}

func TestCourseAPIReadAndScope(t *testing.T) {
	t.Parallel()
	sc := newScene(t)
	a := sc.a
	c := sc.createCourse(t)
	path := "/api/v1/courses/" + itoa(c.ID)
	for _, tc := range []struct {
		name, token string
		status      int
	}{
		{"organizer", sc.organizer, 200}, {"staff reads", sc.staff, 200}, {"admin", sc.admin, 200},
		{"another department", sc.otherOrgzr, 404}, {"anonymous", "", 401},
	} {
		t.Run("GET/"+tc.name, func(t *testing.T) {
			st, b := a.call(http.MethodGet, path, tc.token, nil)
			if st != tc.status {
				t.Fatalf("%d, want %d: %s", st, tc.status, b)
			}
			if st == 200 && decode[apiCourse](t, b).Title != khanhHoaTitle {
				t.Errorf("body %s", b)
			}
		})
	}
	for _, p := range []string{"/api/v1/courses/99999", "/api/v1/courses/abc"} {
		st, b := a.call(http.MethodGet, p, sc.admin, nil)
		want(t, st, b, http.StatusNotFound, "not_found")
	}
	t.Run("another department gets nothing", func(t *testing.T) {
		venue := "Nơi khác"
		for _, req := range []struct {
			method, path string
			body         any
		}{
			{http.MethodPatch, path, map[string]any{"venue": venue}},
			{http.MethodDelete, path, nil},
			{http.MethodPost, path + "/copy", map[string]any{"starts_on": "2024-12-02"}},
			{http.MethodGet, path + "/modules", nil},
			{http.MethodPost, path + "/modules", map[string]any{"title": "X"}},
			{http.MethodGet, path + "/sessions", nil},
			{http.MethodPost, path + "/sessions", map[string]any{"starts_at": "2023-12-04T07:30:00+07:00", "ends_at": "2023-12-04T11:30:00+07:00"}},
		} {
			st, b := a.call(req.method, req.path, sc.otherOrgzr, req.body)
			if st != http.StatusNotFound {
				t.Errorf("%s %s: %d %s, want 404", req.method, req.path, st, b)
			}
		}
		got, _ := a.srv.courses.FindCourseByID(t.Context(), c.ID)
		if got.Venue == venue {
			t.Error("the other department changed the course")
		}
	})
	t.Run("staff may not change", func(t *testing.T) {
		for _, req := range []struct {
			method, path string
			body         any
		}{
			{http.MethodPatch, path, map[string]any{"status": "open"}},
			{http.MethodPost, path + "/modules", map[string]any{"title": "X"}},
			{http.MethodPost, path + "/sessions", map[string]any{}},
			{http.MethodDelete, path, nil},
		} {
			st, b := a.call(req.method, req.path, sc.staff, req.body)
			want(t, st, b, http.StatusForbidden, "forbidden")
		}
	})
	t.Run("list is scoped and paged", func(t *testing.T) {
		for range 2 {
			sc.createCourse(t)
		}
		body := courseBody()
		body["title"] = "Tập huấn cán bộ giảm nghèo"
		st, b := a.call(http.MethodPost, "/api/v1/courses", sc.otherOrgzr, body)
		want(t, st, b, http.StatusCreated, "")
		for _, tc := range []struct {
			token, query string
			items, total int
		}{
			{sc.organizer, "", 3, 3}, {sc.staff, "", 3, 3}, {sc.otherOrgzr, "", 1, 1}, {sc.admin, "", 4, 4},
			{sc.admin, "?limit=2&offset=1", 2, 4}, {sc.admin, "?q=giam+ngheo", 1, 1},
			{sc.admin, "?status=open", 0, 0}, {sc.organizer, "?from=2023-12-05&to=2023-12-31", 3, 3},
			{sc.organizer, "?from=2024-01-01", 0, 0},
		} {
			st, b := a.call(http.MethodGet, "/api/v1/courses"+tc.query, tc.token, nil)
			got := decode[listOf[apiCourse]](t, want(t, st, b, http.StatusOK, ""))
			if len(got.Items) != tc.items || got.Total != tc.total {
				t.Errorf("list%s: %d items of %d, want %d of %d", tc.query, len(got.Items), got.Total, tc.items, tc.total)
			}
		}
		st, b = a.call(http.MethodGet, "/api/v1/courses?from=31/02/2024", sc.admin, nil)
		want(t, st, b, http.StatusUnprocessableEntity, "invalid")
		st, _ = a.call(http.MethodGet, "/api/v1/courses", "", nil)
		if st != http.StatusUnauthorized {
			t.Errorf("anonymous list: %d", st)
		}
	})
}

func TestCourseAPIPatchAndLifecycle(t *testing.T) {
	t.Parallel()
	sc := newScene(t)
	a := sc.a
	c := sc.createCourse(t)
	path := "/api/v1/courses/" + itoa(c.ID)
	patch := func(body any) (int, []byte) { return a.call(http.MethodPatch, path, sc.organizer, body) }

	st, b := patch(map[string]any{"venue": "Hội trường UBND tỉnh", "registration_closes_at": "2023-12-01T17:00:00+07:00"})
	got := decode[apiCourse](t, want(t, st, b, http.StatusOK, ""))
	if got.Venue != "Hội trường UBND tỉnh" || got.Title != khanhHoaTitle || got.Capacity != 200 || got.StartsOn != "2023-12-04" {
		t.Errorf("a patch of the venue: %+v", got)
	}
	if got.RegistrationClosesAt == nil || *got.RegistrationClosesAt != "2023-12-01T17:00:00+07:00" {
		t.Errorf("registration_closes_at %v", got.RegistrationClosesAt)
	}
	st, b = patch(map[string]any{"registration_closes_at": nil})
	if got := decode[apiCourse](t, want(t, st, b, http.StatusOK, "")); got.RegistrationClosesAt != nil {
		t.Errorf("null did not clear the window: %v", *got.RegistrationClosesAt)
	}

	t.Run("422", func(t *testing.T) {
		st, b := patch(map[string]any{"title": "", "min_attendance_percent": -1, "ends_on": "2023-12-01"})
		e := decode[apiErr](t, want(t, st, b, http.StatusUnprocessableEntity, "invalid"))
		for _, f := range []string{"title", "min_attendance_percent", "ends_on"} {
			if e.Error.Fields[f] == "" {
				t.Errorf("no message on %s: %s", f, b)
			}
		}
	})
	t.Run("lifecycle", func(t *testing.T) {
		// A course still to come (one of 2023 is completed by the calendar).
		up := &courses.Course{}
		coursestest.Upcoming(up)
		closes := up.StartDate().In(vn.Location).Add(-7 * time.Hour).Format(time.RFC3339)
		st, b := patch(map[string]any{"starts_on": up.StartsOn, "ends_on": up.EndsOn, "registration_closes_at": closes})
		want(t, st, b, http.StatusOK, "")
		for _, step := range []struct {
			status, code string
			http         int
			words        string
		}{
			{"closed", "conflict", 409, "đang mở đăng ký"},
			{"open", "", 200, ""},
			{"draft", "conflict", 409, "không trở về bản nháp"},
			{"completed", "conflict", 409, "đã đóng đăng ký"},
			{"closed", "", 200, ""},
			{"open", "", 200, ""},
			{"closed", "", 200, ""},
			{"completed", "", 200, ""},
			{"cancelled", "conflict", 409, "không hủy được"},
			{"archived", "invalid", 422, ""},
		} {
			st, b := patch(map[string]any{"status": step.status})
			want(t, st, b, step.http, step.code)
			if step.words != "" {
				if msg := decode[apiErr](t, b).Error.Message; !strings.Contains(msg, step.words) {
					t.Errorf("→ %s: message %q, want it to say %q", step.status, msg, step.words)
				}
			}
			if st == 200 && decode[apiCourse](t, b).Status != step.status {
				t.Errorf("→ %s: %s", step.status, b)
			}
		}
	})
	t.Run("capacity below confirmed", func(t *testing.T) {
		open := sc.createCourse(t)
		for range 3 {
			coursestest.Registration(t, a.db, open.ID, coursestest.Person{FullName: "Nguyễn Thị Hoa"}, courses.RegConfirmed)
		}
		st, b := a.call(http.MethodPatch, "/api/v1/courses/"+itoa(open.ID), sc.organizer, map[string]any{"capacity": 2})
		e := decode[apiErr](t, want(t, st, b, http.StatusUnprocessableEntity, "invalid"))
		if !strings.Contains(e.Error.Fields["capacity"], "(3)") {
			t.Errorf("capacity message %q does not say 3 are confirmed", e.Error.Fields["capacity"])
		}
		st, b = a.call(http.MethodGet, "/api/v1/courses/"+itoa(open.ID), sc.staff, nil)
		if got := decode[apiCourse](t, b); st != 200 || got.Confirmed != 3 {
			t.Errorf("confirmed %d", got.Confirmed)
		}
	})
	t.Run("delete", func(t *testing.T) {
		st, b := a.call(http.MethodDelete, path, sc.organizer, nil) // completed
		want(t, st, b, http.StatusConflict, "conflict")
		draft := sc.createCourse(t)
		st, _ = a.call(http.MethodDelete, "/api/v1/courses/"+itoa(draft.ID), sc.organizer, nil)
		if st != http.StatusNoContent {
			t.Fatalf("delete draft: %d", st)
		}
		st, b = a.call(http.MethodGet, "/api/v1/courses/"+itoa(draft.ID), sc.organizer, nil)
		want(t, st, b, http.StatusNotFound, "not_found")
	})
}

func TestModulesAndSessionsAPI(t *testing.T) {
	t.Parallel()
	sc := newScene(t)
	a := sc.a
	c := sc.createCourse(t)
	base := "/api/v1/courses/" + itoa(c.ID)
	var modules []courses.Module
	for _, m := range []map[string]any{
		{"title": "Quy định và những vấn đề cơ bản về thông tin cơ sở", "lecturer": "ThS. Nguyễn Văn Hùng", "duration_minutes": 240},
		{"title": "Chiến lược phát triển thông tin cơ sở giai đoạn 2021–2025", "lecturer": "Trần Thị Mai"},
		{"title": "Khai mạc", "position": 1},
	} {
		st, b := a.call(http.MethodPost, base+"/modules", sc.organizer, m)
		modules = append(modules, decode[courses.Module](t, want(t, st, b, http.StatusCreated, "")))
	}
	st, b := a.call(http.MethodGet, base+"/modules", sc.staff, nil)
	list := decode[listOf[courses.Module]](t, want(t, st, b, http.StatusOK, ""))
	if len(list.Items) != 3 || list.Items[0].Title != "Khai mạc" || list.Items[1].Lecturer != "ThS. Nguyễn Văn Hùng" {
		t.Errorf("modules %+v", list.Items)
	}
	st, b = a.call(http.MethodPost, base+"/modules", sc.organizer, map[string]any{"title": " ", "lecturer": "X"})
	if e := decode[apiErr](t, want(t, st, b, http.StatusUnprocessableEntity, "invalid")); e.Error.Fields["title"] == "" {
		t.Errorf("no message on title: %s", b)
	}

	session := func(module int64, from, to, room string) map[string]any {
		return map[string]any{"module_id": module, "starts_at": "2023-12-" + from + ":00+07:00",
			"ends_at": "2023-12-" + to + ":00+07:00", "room": room}
	}
	// Added out of order: the list comes back by start.
	for _, s := range []map[string]any{
		session(modules[1].ID, "04T13:30", "04T17:00", "Hội trường A"),
		session(modules[0].ID, "04T07:30", "04T11:30", "Hội trường A"),
	} {
		st, b := a.call(http.MethodPost, base+"/sessions", sc.organizer, s)
		got := decode[apiSession](t, want(t, st, b, http.StatusCreated, ""))
		if got.ModuleID == nil || got.Lecturer == "" || got.Room != "Hội trường A" {
			t.Errorf("session %+v", got)
		}
	}
	st, b = a.call(http.MethodGet, base+"/sessions", sc.staff, nil)
	sessions := decode[listOf[apiSession]](t, want(t, st, b, http.StatusOK, ""))
	if len(sessions.Items) != 2 || sessions.Items[0].StartsAt != "2023-12-04T07:30:00+07:00" || sessions.Items[1].ModuleTitle != modules[1].Title {
		t.Errorf("sessions %s", b)
	}

	t.Run("409 names the clashing session", func(t *testing.T) {
		other := sc.createCourse(t)
		st, b := a.call(http.MethodPost, "/api/v1/courses/"+itoa(other.ID)+"/sessions", sc.organizer,
			map[string]any{"starts_at": "2023-12-04T09:00:00+07:00", "ends_at": "2023-12-04T10:30:00+07:00", "room": "Hội trường A"})
		msg := decode[apiErr](t, want(t, st, b, http.StatusConflict, "conflict")).Error.Message
		for _, w := range []string{khanhHoaTitle, "04/12/2023", "07:30", "11:30", "Hội trường A"} {
			if !strings.Contains(msg, w) {
				t.Errorf("message %q does not name %q", msg, w)
			}
		}
		// The same lecturer (without the title "ThS.") in another room at the same time.
		st, b = a.call(http.MethodPost, "/api/v1/courses/"+itoa(other.ID)+"/modules", sc.organizer,
			map[string]any{"title": "Kỹ năng viết tin", "lecturer": "Nguyễn Văn Hùng"})
		m := decode[courses.Module](t, want(t, st, b, http.StatusCreated, ""))
		st, b = a.call(http.MethodPost, "/api/v1/courses/"+itoa(other.ID)+"/sessions", sc.organizer,
			session(m.ID, "04T10:00", "04T11:00", "Phòng 201"))
		msg = decode[apiErr](t, want(t, st, b, http.StatusConflict, "conflict")).Error.Message
		if !strings.Contains(msg, "Nguyễn Văn Hùng") || !strings.Contains(msg, "báo cáo viên") {
			t.Errorf("lecturer clash message %q", msg)
		}
		if !strings.Contains(msg, khanhHoaTitle) {
			t.Errorf("lecturer clash message %q does not name the course", msg)
		}
	})
	t.Run("422 for a session", func(t *testing.T) {
		st, b := a.call(http.MethodPost, base+"/sessions", sc.organizer, session(0, "05T11:00", "05T08:00", ""))
		if e := decode[apiErr](t, want(t, st, b, http.StatusUnprocessableEntity, "invalid")); e.Error.Fields["ends_at"] == "" {
			t.Errorf("no message on ends_at: %s", b)
		}
		st, b = a.call(http.MethodPost, base+"/sessions", sc.organizer, map[string]any{"starts_at": "4/12/2023 7:30"})
		want(t, st, b, http.StatusUnprocessableEntity, "invalid")
	})
	t.Run("patch and delete", func(t *testing.T) {
		first := sessions.Items[0]
		st, b := a.call(http.MethodPatch, "/api/v1/sessions/"+itoa(first.ID), sc.organizer, map[string]any{"room": "Phòng 305", "module_id": nil})
		got := decode[apiSession](t, want(t, st, b, http.StatusOK, ""))
		if got.Room != "Phòng 305" || got.ModuleID != nil || got.StartsAt != first.StartsAt {
			t.Errorf("patched %+v", got)
		}
		st, b = a.call(http.MethodPatch, "/api/v1/sessions/"+itoa(first.ID), sc.otherOrgzr, map[string]any{"room": "X"})
		want(t, st, b, http.StatusNotFound, "not_found")
		st, b = a.call(http.MethodPatch, "/api/v1/modules/"+itoa(modules[2].ID), sc.organizer, map[string]any{"position": 3, "lecturer": "Lê Quang Vinh"})
		if m := decode[courses.Module](t, want(t, st, b, http.StatusOK, "")); m.Position != 3 || m.Lecturer != "Lê Quang Vinh" || m.Title != "Khai mạc" {
			t.Errorf("module %+v", m)
		}
		st, b = a.call(http.MethodPut, base+"/modules/order", sc.organizer, map[string]any{"ids": []int64{modules[2].ID, modules[1].ID, modules[0].ID}})
		ordered := decode[listOf[courses.Module]](t, want(t, st, b, http.StatusOK, ""))
		if !slices.Equal([]string{ordered.Items[0].Title, ordered.Items[2].Title}, []string{"Khai mạc", modules[0].Title}) {
			t.Errorf("order %+v", ordered.Items)
		}
		if st, _ := a.call(http.MethodDelete, "/api/v1/sessions/"+itoa(first.ID), sc.organizer, nil); st != http.StatusNoContent {
			t.Errorf("delete session: %d", st)
		}
		if st, _ := a.call(http.MethodDelete, "/api/v1/modules/"+itoa(modules[2].ID), sc.organizer, nil); st != http.StatusNoContent {
			t.Errorf("delete module: %d", st)
		}
		st, b = a.call(http.MethodDelete, "/api/v1/sessions/"+itoa(first.ID), sc.organizer, nil)
		want(t, st, b, http.StatusNotFound, "not_found")
	})
	t.Run("copy", func(t *testing.T) {
		st, b := a.call(http.MethodPost, base+"/copy", sc.organizer, map[string]any{"starts_on": "2024-12-02"})
		cp := decode[apiCourse](t, want(t, st, b, http.StatusCreated, ""))
		if cp.Status != "draft" || cp.StartsOn != "2024-12-02" || cp.EndsOn != "2024-12-03" || cp.ID == c.ID {
			t.Errorf("copy %+v", cp)
		}
		st, b = a.call(http.MethodGet, "/api/v1/courses/"+itoa(cp.ID)+"/sessions", sc.organizer, nil)
		ss := decode[listOf[apiSession]](t, want(t, st, b, http.StatusOK, ""))
		if len(ss.Items) != 1 || ss.Items[0].StartsAt != "2024-12-02T13:30:00+07:00" {
			t.Errorf("copied sessions %s", b)
		}
	})
}

func TestProgramsAPI(t *testing.T) {
	t.Parallel()
	sc := newScene(t)
	a := sc.a
	st, b := a.call(http.MethodPost, "/api/v1/programs", sc.organizer, map[string]any{"name": "X"})
	want(t, st, b, http.StatusForbidden, "forbidden")
	st, b = a.call(http.MethodPost, "/api/v1/programs", sc.admin, map[string]any{"name": "Chương trình mục tiêu quốc gia giảm nghèo bền vững 2021–2025"})
	root := decode[struct {
		ID       int64  `json:"id"`
		Path     string `json:"path"`
		ParentID *int64 `json:"parent_id"`
	}](t, want(t, st, b, http.StatusCreated, ""))
	st, b = a.call(http.MethodPost, "/api/v1/programs", sc.admin, map[string]any{"name": "Dự án 6", "parent_id": root.ID})
	d6 := decode[struct {
		ID       int64  `json:"id"`
		Path     string `json:"path"`
		ParentID *int64 `json:"parent_id"`
	}](t, want(t, st, b, http.StatusCreated, ""))
	if d6.ParentID == nil || *d6.ParentID != root.ID || d6.Path != "Chương trình mục tiêu quốc gia giảm nghèo bền vững 2021–2025 / Dự án 6" {
		t.Errorf("node %+v", d6)
	}
	st, b = a.call(http.MethodPost, "/api/v1/programs", sc.admin, map[string]any{"name": ""})
	want(t, st, b, http.StatusUnprocessableEntity, "invalid")

	body := courseBody()
	body["program_id"] = d6.ID
	st, b = a.call(http.MethodPost, "/api/v1/courses", sc.organizer, body)
	c := decode[apiCourse](t, want(t, st, b, http.StatusCreated, ""))
	if c.ProgramID == nil || *c.ProgramID != d6.ID || c.Program != d6.Path {
		t.Errorf("filed as %v %q", c.ProgramID, c.Program)
	}
	st, b = a.call(http.MethodPatch, "/api/v1/programs/"+itoa(d6.ID), sc.admin, map[string]any{"name": "Dự án 6 (mới)"})
	want(t, st, b, http.StatusOK, "")
	st, b = a.call(http.MethodGet, "/api/v1/courses/"+itoa(c.ID), sc.organizer, nil)
	if got := decode[apiCourse](t, b); got.Program != d6.Path {
		t.Errorf("renaming rewrote the course's program to %q", got.Program)
	}
	st, b = a.call(http.MethodGet, "/api/v1/programs", sc.staff, nil)
	if l := decode[listOf[map[string]any]](t, want(t, st, b, http.StatusOK, "")); l.Total != 2 {
		t.Errorf("programs %s", b)
	}
	st, b = a.call(http.MethodDelete, "/api/v1/programs/"+itoa(d6.ID), sc.admin, nil)
	want(t, st, b, http.StatusConflict, "conflict")
	st, b = a.call(http.MethodGet, "/api/v1/courses?program_id="+itoa(root.ID), sc.organizer, nil)
	if l := decode[listOf[apiCourse]](t, b); st != 200 || l.Total != 1 {
		t.Errorf("courses under the root: %s", b)
	}
}
