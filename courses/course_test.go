package courses_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/database"
	"taphuan/database/dbtest"
	"taphuan/errs"
	"taphuan/vn"
)

const workshopTitle = "Tập huấn nâng cao năng lực cán bộ thông tin và truyền thông cơ sở năm 2023"

// validInput is the Khánh Hòa workshop of 4/12/2023 as an organizer types it.
func validInput(orgID int64) courses.CourseInput {
	in := courses.NewCourseInput()
	in.OrganizationID = orgID
	in.Title = workshopTitle
	in.CoOrganizer = "Cục Thông tin cơ sở"
	in.Venue = "Khách sạn Sunrise, 12 Trần Phú, Nha Trang"
	in.PlaceName = "Khánh Hòa"
	in.StartsOn = "04/12/2023"
	in.EndsOn = "2023-12-05"
	in.Capacity = 200
	return in
}

func vnTime(t *testing.T, s string) database.Time {
	t.Helper()
	tm, err := time.ParseInLocation("2006-01-02 15:04", s, vn.Location)
	if err != nil {
		t.Fatal(err)
	}
	return database.Time{Time: tm}
}

// fieldsOf returns the field → message key map of an invalid error, failing otherwise.
func fieldsOf(t *testing.T, err error) map[string]string {
	t.Helper()
	var e *errs.Error
	if !errors.As(err, &e) || e.Code != errs.Invalid {
		t.Fatalf("error %v, want invalid", err)
	}
	out := map[string]string{}
	for k, m := range e.Fields {
		out[k] = m.Key
	}
	return out
}

func TestCreateCourse(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	org := coursestest.Org(t, db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	s := courses.New(db)
	in := validInput(org.ID)
	in.Title = norm.NFD.String("  Tập huấn   nâng cao năng lực cán bộ thông tin và truyền thông cơ sở năm 2023 ")
	c, err := s.CreateCourse(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != courses.StatusDraft {
		t.Errorf("status %q, want draft", c.Status)
	}
	if c.Title != workshopTitle {
		t.Errorf("title %q, want it cleaned and NFC", c.Title)
	}
	if c.StartsOn != "2023-12-04" || c.EndsOn != "2023-12-05" {
		t.Errorf("dates %s–%s, want 2023-12-04–2023-12-05", c.StartsOn, c.EndsOn)
	}
	if c.Capacity != 200 || c.RegistrationMode != courses.ModeOpen || c.MinAttendancePercent != 80 {
		t.Errorf("capacity %d mode %s percent %d", c.Capacity, c.RegistrationMode, c.MinAttendancePercent)
	}
	if c.CoOrganizer != "Cục Thông tin cơ sở" {
		t.Errorf("co-organizer %q", c.CoOrganizer)
	}
}

func TestCourseValidation(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	org := coursestest.Org(t, db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	s := courses.New(db)
	for _, tc := range []struct {
		name, field, key string
		change           func(*courses.CourseInput)
	}{
		{"empty title", "title", "err.required", func(in *courses.CourseInput) { in.Title = "   " }},
		{"title too long", "title", "err.too_long", func(in *courses.CourseInput) { in.Title = strings.Repeat("Tập ", 80) }},
		{"no organization", "organization_id", "courses.err.organization", func(in *courses.CourseInput) { in.OrganizationID = 0 }},
		{"unknown organization", "organization_id", "courses.err.organization", func(in *courses.CourseInput) { in.OrganizationID = 9999 }},
		{"unknown program", "program_id", "courses.err.program_unknown", func(in *courses.CourseInput) { in.ProgramID = 9999 }},
		{"no start", "starts_on", "err.required", func(in *courses.CourseInput) { in.StartsOn = "" }},
		{"no such day", "starts_on", "courses.err.date", func(in *courses.CourseInput) { in.StartsOn = "31/02/2023" }},
		{"not a date", "ends_on", "courses.err.date", func(in *courses.CourseInput) { in.EndsOn = "mai" }},
		{"year typo", "starts_on", "courses.err.date", func(in *courses.CourseInput) { in.StartsOn = "04/12/0223" }},
		{"end before start", "ends_on", "courses.err.ends_before_starts", func(in *courses.CourseInput) { in.EndsOn = "03/12/2023" }},
		{"capacity 0", "capacity", "courses.err.capacity_min", func(in *courses.CourseInput) { in.Capacity = 0 }},
		{"capacity negative", "capacity", "courses.err.capacity_min", func(in *courses.CourseInput) { in.Capacity = -5 }},
		{"bad mode", "registration_mode", "courses.err.mode", func(in *courses.CourseInput) { in.RegistrationMode = "first-come" }},
		{"window closes before it opens", "registration_closes_at", "courses.err.window", func(in *courses.CourseInput) {
			in.RegistrationOpensAt = vnTime(t, "2023-11-20 08:00")
			in.RegistrationClosesAt = vnTime(t, "2023-11-10 17:00")
		}},
		{"percent above 100", "min_attendance_percent", "courses.err.percent", func(in *courses.CourseInput) { in.MinAttendancePercent = 101 }},
		{"percent below 0", "min_attendance_percent", "courses.err.percent", func(in *courses.CourseInput) { in.MinAttendancePercent = -1 }},
		{"negative support", "support_amount_per_day", "courses.err.amount", func(in *courses.CourseInput) { in.SupportAmountPerDay = -1 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := validInput(org.ID)
			tc.change(&in)
			_, err := s.CreateCourse(t.Context(), in)
			if got := fieldsOf(t, err)[tc.field]; got != tc.key {
				t.Errorf("field %s: %q, want %q (all: %v)", tc.field, got, tc.key, fieldsOf(t, err))
			}
		})
	}
	_, total, err := s.ListCourses(t.Context(), courses.CourseFilter{AllOrganizations: true})
	if err != nil || total != 0 {
		t.Errorf("invalid input stored %d courses (%v)", total, err)
	}
	t.Run("window may be open-ended or percent 0 and 100", func(t *testing.T) {
		for _, p := range []int{0, 100} {
			in := validInput(org.ID)
			in.MinAttendancePercent = p
			in.RegistrationClosesAt = vnTime(t, "2023-12-01 17:00")
			if _, err := s.CreateCourse(t.Context(), in); err != nil {
				t.Errorf("percent %d: %v", p, err)
			}
		}
	})
}

func TestUpdateCoursePatch(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	org := coursestest.Org(t, db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	s := courses.New(db)
	c, err := s.CreateCourse(t.Context(), validInput(org.ID))
	if err != nil {
		t.Fatal(err)
	}
	venue := "Hội trường UBND tỉnh Khánh Hòa"
	got, err := s.UpdateCourse(t.Context(), c.ID, courses.CoursePatch{Venue: &venue})
	if err != nil {
		t.Fatal(err)
	}
	if got.Venue != venue || got.Title != c.Title || got.Capacity != 200 || got.StartsOn != c.StartsOn {
		t.Errorf("a patch of the venue changed other fields: %+v", got)
	}
	t.Run("capacity below confirmed", func(t *testing.T) {
		for range 3 {
			coursestest.Registration(t, db, c.ID, coursestest.Person{FullName: "Nguyễn Văn An"}, courses.RegConfirmed)
		}
		coursestest.Registration(t, db, c.ID, coursestest.Person{FullName: "Lê Thị Bình"}, courses.RegWaitlisted)
		two, three := 2, 3
		_, err := s.UpdateCourse(t.Context(), c.ID, courses.CoursePatch{Capacity: &two})
		var e *errs.Error
		if !errors.As(err, &e) || e.Fields["capacity"].Key != "courses.err.capacity_confirmed" || e.Fields["capacity"].Args[0] != 3 {
			t.Fatalf("capacity 2 with 3 confirmed: %v", err)
		}
		if got, err := s.UpdateCourse(t.Context(), c.ID, courses.CoursePatch{Capacity: &three}); err != nil || got.Capacity != 3 {
			t.Errorf("capacity 3 with 3 confirmed: %v", err)
		}
	})
	t.Run("dates must hold the sessions", func(t *testing.T) {
		coursestest.Day(t, db, c.ID, "2023-12-05")
		end := "2023-12-04"
		_, err := s.UpdateCourse(t.Context(), c.ID, courses.CoursePatch{EndsOn: &end})
		if got := fieldsOf(t, err)["ends_on"]; got != "courses.err.sessions_outside" {
			t.Errorf("ends_on: %q", got)
		}
	})
	t.Run("invalid patch changes nothing", func(t *testing.T) {
		empty, pct := "", 150
		_, err := s.UpdateCourse(t.Context(), c.ID, courses.CoursePatch{Title: &empty, MinAttendancePercent: &pct})
		f := fieldsOf(t, err)
		if f["title"] != "err.required" || f["min_attendance_percent"] != "courses.err.percent" {
			t.Errorf("fields %v", f)
		}
		again, _ := s.FindCourseByID(t.Context(), c.ID)
		if again.Title != c.Title || again.MinAttendancePercent != 80 {
			t.Errorf("stored %q %d", again.Title, again.MinAttendancePercent)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		if _, err := s.UpdateCourse(t.Context(), 9999, courses.CoursePatch{Venue: &venue}); !errors.Is(err, courses.ErrNotFound) {
			t.Errorf("unknown course: %v", err)
		}
	})
}

func TestLifecycle(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	org := coursestest.Org(t, db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	s := courses.New(db)
	all := []string{courses.StatusDraft, courses.StatusOpen, courses.StatusClosed, courses.StatusCompleted, courses.StatusCancelled}
	allowed := map[[2]string]bool{
		{"draft", "open"}: true, {"draft", "cancelled"}: true,
		{"open", "closed"}: true, {"open", "cancelled"}: true,
		{"closed", "open"}: true, {"closed", "completed"}: true, {"closed", "cancelled"}: true,
	}
	for _, from := range all {
		for _, to := range all {
			if from == to {
				continue
			}
			t.Run(from+"→"+to, func(t *testing.T) {
				c := coursestest.Course(t, db, org.ID, coursestest.Upcoming, func(c *courses.Course) { c.Status = from })
				got, err := s.SetStatus(t.Context(), c.ID, to)
				if allowed[[2]string{from, to}] {
					if err != nil || got.Status != to {
						t.Fatalf("refused: %v", err)
					}
					return
				}
				var e *errs.Error
				if !errors.As(err, &e) || e.Code != errs.Conflict || e.Msg.Key != "courses.err.to_"+to {
					t.Fatalf("err %v, want conflict courses.err.to_%s", err, to)
				}
				if again, _ := s.FindCourseByID(t.Context(), c.ID); again.Status != from {
					t.Errorf("status became %s", again.Status)
				}
			})
		}
	}
	t.Run("same status is no change", func(t *testing.T) {
		c := coursestest.Course(t, db, org.ID, coursestest.Upcoming)
		if _, err := s.SetStatus(t.Context(), c.ID, courses.StatusOpen); err != nil {
			t.Error(err)
		}
	})
	t.Run("unknown status", func(t *testing.T) {
		c := coursestest.Course(t, db, org.ID)
		_, err := s.SetStatus(t.Context(), c.ID, "archived")
		if got := fieldsOf(t, err)["status"]; got != "courses.err.status" {
			t.Errorf("status field %q", got)
		}
	})
	if got := courses.NextStatuses(courses.StatusOpen); !slices.Equal(got, []string{"closed", "cancelled"}) {
		t.Errorf("next of open: %v", got)
	}
}

func TestDeleteCourse(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	org := coursestest.Org(t, db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	s := courses.New(db)
	draft := coursestest.Course(t, db, org.ID, func(c *courses.Course) { c.Status = courses.StatusDraft })
	coursestest.Module(t, db, draft.ID, "Chuyên đề 1", "Nguyễn Văn Hùng")
	coursestest.Day(t, db, draft.ID, "2023-12-04")
	if err := s.DeleteCourse(t.Context(), draft.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindCourseByID(t.Context(), draft.ID); !errors.Is(err, courses.ErrNotFound) {
		t.Errorf("deleted course still found: %v", err)
	}
	open := coursestest.Course(t, db, org.ID)
	if err := s.DeleteCourse(t.Context(), open.ID); !errors.Is(err, courses.ErrDeleteStatus) {
		t.Errorf("open course: %v, want ErrDeleteStatus", err)
	}
	cancelled := coursestest.Course(t, db, org.ID, func(c *courses.Course) { c.Status = courses.StatusCancelled })
	coursestest.Registration(t, db, cancelled.ID, coursestest.Person{FullName: "Trần Văn Bình"}, courses.RegCancelled)
	if err := s.DeleteCourse(t.Context(), cancelled.ID); !errors.Is(err, courses.ErrDeleteHasRegistrations) {
		t.Errorf("course with registrations: %v, want ErrDeleteHasRegistrations", err)
	}
}

func TestListCourses(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	home := coursestest.Org(t, db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	other := coursestest.Org(t, db, "Sở Lao động - Thương binh và Xã hội tỉnh Khánh Hòa")
	s := courses.New(db)
	mk := func(org int64, title, start, end, status string) *courses.Course {
		return coursestest.Course(t, db, org, func(c *courses.Course) {
			c.Title, c.StartsOn, c.EndsOn, c.Status = title, start, end, status
		})
	}
	a := mk(home.ID, "Tập huấn truyền thanh cơ sở năm 2023", "2098-12-04", "2098-12-05", "open")
	b := mk(home.ID, "Bồi dưỡng kỹ năng thông tin đối ngoại", "2099-03-10", "2099-03-12", "draft")
	c := mk(home.ID, "Tập huấn an toàn thông tin", "2099-06-01", "2099-06-01", "completed")
	d := mk(other.ID, "Tập huấn cán bộ giảm nghèo", "2098-08-15", "2098-08-16", "open")
	ids := func(cs []courses.Course) []int64 {
		var out []int64
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		f    courses.CourseFilter
		want []int64
	}{
		{"no scope sees nothing", courses.CourseFilter{}, nil},
		{"organization", courses.CourseFilter{OrgIDs: []int64{home.ID}}, []int64{c.ID, b.ID, a.ID}},
		{"all", courses.CourseFilter{AllOrganizations: true}, []int64{c.ID, b.ID, a.ID, d.ID}},
		{"status", courses.CourseFilter{AllOrganizations: true, Status: "open"}, []int64{a.ID, d.ID}},
		{"statuses", courses.CourseFilter{OrgIDs: []int64{home.ID}, Statuses: []string{"open", "draft"}}, []int64{b.ID, a.ID}},
		{"date range overlaps", courses.CourseFilter{AllOrganizations: true, From: "2098-12-05", To: "2099-03-10"}, []int64{b.ID, a.ID}},
		{"from only", courses.CourseFilter{AllOrganizations: true, From: "2099-01-01"}, []int64{c.ID, b.ID}},
		{"search without diacritics", courses.CourseFilter{AllOrganizations: true, Query: "tap huan THONG tin"}, []int64{c.ID}},
		{"search with diacritics", courses.CourseFilter{AllOrganizations: true, Query: "giảm nghèo"}, []int64{d.ID}},
		{"ascending", courses.CourseFilter{OrgIDs: []int64{home.ID}, Ascending: true}, []int64{a.ID, b.ID, c.ID}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, total, err := s.ListCourses(t.Context(), tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(got), tc.want) || total != len(tc.want) {
				t.Errorf("got %v (total %d), want %v", ids(got), total, tc.want)
			}
		})
	}
	t.Run("page", func(t *testing.T) {
		got, total, err := s.ListCourses(t.Context(), courses.CourseFilter{AllOrganizations: true, Limit: 2, Offset: 2})
		if err != nil || total != 4 || !slices.Equal(ids(got), []int64{a.ID, d.ID}) {
			t.Errorf("page 2: %v of %d (%v)", ids(got), total, err)
		}
	})
}
