package courses_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"taphuan/attendance"
	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/database"
	"taphuan/database/dbtest"
	"taphuan/errs"
)

// planned is a service with the workshop of 4–5/12/2023 in draft and its four modules.
type planned struct {
	s       *courses.Service
	db      *database.DB
	course  *courses.Course
	modules []*courses.Module
}

func planWorkshop(t *testing.T) *planned {
	t.Helper()
	db := dbtest.New(t)
	org := coursestest.Org(t, db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	s := courses.New(db)
	s.UseSessionRecords(attendance.New(db, s)) // the marks that keep a session from being deleted
	c, err := s.CreateCourse(t.Context(), validInput(org.ID))
	if err != nil {
		t.Fatal(err)
	}
	p := &planned{s: s, db: db, course: c}
	for _, m := range []courses.ModuleInput{
		{Title: "Quy định và những vấn đề cơ bản về thông tin cơ sở", Lecturer: "ThS. Nguyễn Văn Hùng", DurationMinutes: 240},
		{Title: "Chiến lược phát triển thông tin cơ sở giai đoạn 2021–2025", Lecturer: "Trần Thị Mai", DurationMinutes: 210},
		{Title: "Định hướng phát triển đài truyền thanh cấp huyện đến năm 2025", Lecturer: "Lê Quang Vinh", DurationMinutes: 240},
		{Title: "Đài truyền thanh cấp xã và vận hành đài truyền thanh ứng dụng CNTT-VT", Lecturer: "Phạm Minh Tuấn", DurationMinutes: 210},
	} {
		got, err := s.CreateModule(t.Context(), c.ID, m)
		if err != nil {
			t.Fatal(err)
		}
		p.modules = append(p.modules, got)
	}
	return p
}

func (p *planned) session(t *testing.T, module int, from, to, room string) (*courses.Session, error) {
	t.Helper()
	in := courses.SessionInput{StartsAt: vnTime(t, from), EndsAt: vnTime(t, to), Room: room}
	if module >= 0 {
		in.ModuleID = p.modules[module].ID
	}
	return p.s.CreateSession(t.Context(), p.course.ID, in)
}

func TestSessionsAndTimetable(t *testing.T) {
	t.Parallel()
	p := planWorkshop(t)
	for i, sl := range [][2]string{
		{"2023-12-04 07:30", "2023-12-04 11:30"}, {"2023-12-04 13:30", "2023-12-04 17:00"},
		{"2023-12-05 07:30", "2023-12-05 11:30"}, {"2023-12-05 13:30", "2023-12-05 17:00"},
	} {
		s, err := p.session(t, i, sl[0], sl[1], "Hội trường A")
		if err != nil {
			t.Fatal(err)
		}
		if s.ModuleTitle != p.modules[i].Title || s.Lecturer != p.modules[i].Lecturer {
			t.Errorf("session %d shows module %q by %q", i, s.ModuleTitle, s.Lecturer)
		}
	}
	var secrets []string
	if err := p.db.R.Select(&secrets, `SELECT checkin_secret FROM sessions`); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, sec := range secrets {
		if len(sec) < 32 || seen[sec] {
			t.Errorf("check-in secrets %q are not long random values", secrets)
		}
		seen[sec] = true
	}
	sessions, err := p.s.ListSessions(t.Context(), p.course.ID)
	if err != nil {
		t.Fatal(err)
	}
	days := courses.Timetable(sessions)
	if len(days) != 2 {
		t.Fatalf("%d days, want 2", len(days))
	}
	for i, d := range days {
		if got, want := d.Date.Format("02/01/2006"), fmt.Sprintf("%02d/12/2023", 4+i); got != want {
			t.Errorf("day %d is %s, want %s", i, got, want)
		}
		if len(d.Parts) != 2 || d.Parts[0].Name != courses.PartMorning || d.Parts[1].Name != courses.PartAfternoon {
			t.Errorf("day %d parts %+v, want morning and afternoon", i, d.Parts)
		}
	}
	if got := courses.PartOfDay(vnTime(t, "2023-12-04 18:30").Time); got != courses.PartEvening {
		t.Errorf("18:30 is %s", got)
	}
}

func TestSessionValidation(t *testing.T) {
	t.Parallel()
	p := planWorkshop(t)
	other := coursestest.Course(t, p.db, p.course.OrganizationID)
	foreign := coursestest.Module(t, p.db, other.ID, "Chuyên đề lớp khác", "Ai đó")
	for _, tc := range []struct {
		name, field, key string
		in               courses.SessionInput
	}{
		{"no start", "starts_at", "err.required", courses.SessionInput{EndsAt: vnTime(t, "2023-12-04 11:30")}},
		{"end before start", "ends_at", "courses.err.session_order", courses.SessionInput{StartsAt: vnTime(t, "2023-12-04 11:30"), EndsAt: vnTime(t, "2023-12-04 07:30")}},
		{"over midnight", "ends_at", "courses.err.session_one_day", courses.SessionInput{StartsAt: vnTime(t, "2023-12-04 20:00"), EndsAt: vnTime(t, "2023-12-05 01:00")}},
		{"outside the course", "starts_at", "courses.err.session_outside", courses.SessionInput{StartsAt: vnTime(t, "2023-12-06 07:30"), EndsAt: vnTime(t, "2023-12-06 11:30")}},
		{"module of another course", "module_id", "courses.err.module_unknown", courses.SessionInput{ModuleID: foreign, StartsAt: vnTime(t, "2023-12-04 07:30"), EndsAt: vnTime(t, "2023-12-04 11:30")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := p.s.CreateSession(t.Context(), p.course.ID, tc.in)
			if got := fieldsOf(t, err)[tc.field]; got != tc.key {
				t.Errorf("%s: %q, want %q", tc.field, got, tc.key)
			}
		})
	}
	if _, err := p.s.CreateSession(t.Context(), 9999, courses.SessionInput{StartsAt: vnTime(t, "2023-12-04 07:30"), EndsAt: vnTime(t, "2023-12-04 11:30")}); !errors.Is(err, courses.ErrNotFound) {
		t.Errorf("unknown course: %v", err)
	}
}

// clashArgs returns the message arguments of a clash error.
func clashArgs(t *testing.T, err error, want *errs.Error) []string {
	t.Helper()
	var e *errs.Error
	if !errors.Is(err, want) || !errors.As(err, &e) || e.Code != errs.Conflict {
		t.Fatalf("err %v, want %v", err, want)
	}
	var out []string
	for _, a := range e.Msg.Args {
		out = append(out, fmt.Sprint(a))
	}
	return out
}

func TestSessionConflicts(t *testing.T) {
	t.Parallel()
	p := planWorkshop(t)
	first, err := p.session(t, 0, "2023-12-04 07:30", "2023-12-04 11:30", "Hội trường A")
	if err != nil {
		t.Fatal(err)
	}
	// Another course at the same venue, same days.
	otherIn := validInput(p.course.OrganizationID)
	otherIn.Title = "Bồi dưỡng nghiệp vụ báo chí năm 2023"
	other, err := p.s.CreateCourse(t.Context(), otherIn)
	if err != nil {
		t.Fatal(err)
	}
	otherModule, err := p.s.CreateModule(t.Context(), other.ID, courses.ModuleInput{Title: "Kỹ năng viết tin", Lecturer: "Nguyễn Văn Hùng"})
	if err != nil {
		t.Fatal(err)
	}
	add := func(module int64, from, to, room string) (*courses.Session, error) {
		return p.s.CreateSession(t.Context(), other.ID, courses.SessionInput{ModuleID: module,
			StartsAt: vnTime(t, from), EndsAt: vnTime(t, to), Room: room})
	}

	t.Run("same room overlapping", func(t *testing.T) {
		_, err := add(0, "2023-12-04 09:00", "2023-12-04 10:00", "hội trường a")
		args := clashArgs(t, err, courses.ErrRoomTaken)
		want := []string{"hội trường a", "04/12/2023", "07:30", "11:30", "Hội trường A", workshopTitle}
		if !slices.Equal(args, want) {
			t.Errorf("message names %q, want %q", args, want)
		}
	})
	t.Run("same lecturer elsewhere, titles ignored", func(t *testing.T) {
		_, err := add(otherModule.ID, "2023-12-04 10:00", "2023-12-04 12:00", "Phòng 201")
		args := clashArgs(t, err, courses.ErrLecturerBusy)
		if args[0] != "Nguyễn Văn Hùng" || args[1] != "04/12/2023" || args[2] != "07:30" || args[4] != "Hội trường A" || args[5] != workshopTitle {
			t.Errorf("message names %q", args)
		}
	})
	t.Run("back to back is fine", func(t *testing.T) {
		if _, err := add(otherModule.ID, "2023-12-04 11:30", "2023-12-04 12:30", "Hội trường A"); err != nil {
			t.Error(err)
		}
	})
	t.Run("same room name at another venue is another room", func(t *testing.T) {
		elsewhere := validInput(p.course.OrganizationID)
		elsewhere.Venue = "Trung tâm Hội nghị tỉnh, Cam Ranh"
		c, err := p.s.CreateCourse(t.Context(), elsewhere)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.s.CreateSession(t.Context(), c.ID, courses.SessionInput{StartsAt: vnTime(t, "2023-12-04 08:00"),
			EndsAt: vnTime(t, "2023-12-04 11:00"), Room: "Hội trường A"}); err != nil {
			t.Error(err)
		}
	})
	t.Run("nothing stored on a clash", func(t *testing.T) {
		ss, _ := p.s.ListSessions(t.Context(), other.ID)
		if len(ss) != 1 {
			t.Errorf("other course has %d sessions, want only the back-to-back one", len(ss))
		}
	})
	t.Run("update into a clash", func(t *testing.T) {
		second, err := p.session(t, 1, "2023-12-04 13:30", "2023-12-04 17:00", "Hội trường A")
		if err != nil {
			t.Fatal(err)
		}
		from := vnTime(t, "2023-12-04 11:00")
		_, err = p.s.UpdateSession(t.Context(), second.ID, courses.SessionPatch{StartsAt: &from})
		clashArgs(t, err, courses.ErrRoomTaken)
		// Moving a session within its own slot is no clash with itself.
		later := vnTime(t, "2023-12-04 14:00")
		if got, err := p.s.UpdateSession(t.Context(), second.ID, courses.SessionPatch{StartsAt: &later}); err != nil || !got.StartsAt.Equal(later.Time) {
			t.Errorf("move within own slot: %v", err)
		}
	})
	t.Run("new lecturer of a module clashes", func(t *testing.T) {
		p2 := p.modules[1] // its session is the afternoon of 4/12
		busy := "Nguyễn Văn Hùng"
		if _, err := p.s.CreateSession(t.Context(), other.ID, courses.SessionInput{ModuleID: otherModule.ID,
			StartsAt: vnTime(t, "2023-12-04 15:00"), EndsAt: vnTime(t, "2023-12-04 16:00"), Room: "Phòng 305"}); err != nil {
			t.Fatal(err)
		}
		_, err := p.s.UpdateModule(t.Context(), p2.ID, courses.ModulePatch{Lecturer: &busy})
		clashArgs(t, err, courses.ErrLecturerBusy)
	})
	t.Run("cancelled courses hold nothing", func(t *testing.T) {
		if _, err := p.s.SetStatus(t.Context(), other.ID, courses.StatusCancelled); err != nil {
			t.Fatal(err)
		}
		if _, err := p.session(t, 2, "2023-12-05 07:30", "2023-12-05 11:30", "Hội trường A"); err != nil {
			t.Fatal(err)
		}
		if _, err := add(0, "2023-12-05 08:00", "2023-12-05 09:00", "Hội trường A"); err != nil {
			t.Errorf("a session of a cancelled course is still checked: %v", err)
		}
	})
	t.Run("delete", func(t *testing.T) {
		if err := p.s.DeleteSession(t.Context(), first.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := p.s.FindSessionByID(t.Context(), first.ID); !errors.Is(err, courses.ErrNotFound) {
			t.Errorf("deleted session found: %v", err)
		}
		if err := p.s.DeleteSession(t.Context(), first.ID); !errors.Is(err, courses.ErrNotFound) {
			t.Errorf("delete twice: %v", err)
		}
	})
	t.Run("a session with attendance stays", func(t *testing.T) {
		ss, _ := p.s.ListSessions(t.Context(), p.course.ID)
		r := coursestest.Registration(t, p.db, p.course.ID, coursestest.Person{FullName: "Nguyễn Thị Hải Yến"}, courses.RegConfirmed)
		if _, err := p.db.W.Exec(`INSERT INTO attendance_marks (session_id, registration_id, status, updated_at) VALUES (?, ?, 'present', ?)`,
			ss[0].ID, r.ID, database.Now()); err != nil {
			t.Fatal(err)
		}
		if err := p.s.DeleteSession(t.Context(), ss[0].ID); !errors.Is(err, courses.ErrSessionHasMarks) {
			t.Errorf("delete a marked session: %v", err)
		}
	})
}

func TestVenueChangeRechecksRooms(t *testing.T) {
	t.Parallel()
	p := planWorkshop(t)
	if _, err := p.session(t, -1, "2023-12-04 07:30", "2023-12-04 11:30", "Phòng 1"); err != nil {
		t.Fatal(err)
	}
	in := validInput(p.course.OrganizationID)
	in.Venue = "Nhà văn hóa tỉnh"
	other, err := p.s.CreateCourse(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.s.CreateSession(t.Context(), other.ID, courses.SessionInput{StartsAt: vnTime(t, "2023-12-04 08:00"),
		EndsAt: vnTime(t, "2023-12-04 09:00"), Room: "Phòng 1"}); err != nil {
		t.Fatal(err)
	}
	_, err = p.s.UpdateCourse(t.Context(), other.ID, courses.CoursePatch{Venue: &p.course.Venue})
	clashArgs(t, err, courses.ErrRoomTaken)
}

func TestModulesOrder(t *testing.T) {
	t.Parallel()
	p := planWorkshop(t)
	titles := func() []string {
		ms, err := p.s.ListModules(t.Context(), p.course.ID)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for i, m := range ms {
			if m.Position != i+1 {
				t.Errorf("module %q at position %d, want %d", m.Title, m.Position, i+1)
			}
			out = append(out, strings.Fields(m.Title)[0])
		}
		return out
	}
	if got := titles(); !slices.Equal(got, []string{"Quy", "Chiến", "Định", "Đài"}) {
		t.Fatalf("order %q", got)
	}
	if _, err := p.s.CreateModule(t.Context(), p.course.ID, courses.ModuleInput{Title: "Khai mạc", Position: 1}); err != nil {
		t.Fatal(err)
	}
	if got := titles(); got[0] != "Khai" || got[1] != "Quy" {
		t.Errorf("insert at 1: %q", got)
	}
	if _, err := p.s.MoveModule(t.Context(), p.modules[3].ID, -1); err != nil {
		t.Fatal(err)
	}
	if got := titles(); got[3] != "Đài" || got[4] != "Định" {
		t.Errorf("move up: %q", got)
	}
	if err := p.s.DeleteModule(t.Context(), p.modules[0].ID); err != nil {
		t.Fatal(err)
	}
	if got := titles(); len(got) != 4 || got[1] != "Chiến" {
		t.Errorf("after delete: %q", got)
	}
	ms, _ := p.s.ListModules(t.Context(), p.course.ID)
	rev := []int64{ms[3].ID, ms[2].ID, ms[1].ID, ms[0].ID}
	if _, err := p.s.ReorderModules(t.Context(), p.course.ID, rev); err != nil {
		t.Fatal(err)
	}
	if got := titles(); got[0] != "Định" || got[3] != "Khai" {
		t.Errorf("reversed: %q", got)
	}
	if _, err := p.s.ReorderModules(t.Context(), p.course.ID, rev[:3]); fieldsOf(t, err)["order"] != "courses.err.order" {
		t.Errorf("partial order: %v", err)
	}
	for _, tc := range []struct {
		in    courses.ModuleInput
		field string
	}{
		{courses.ModuleInput{Title: " "}, "title"},
		{courses.ModuleInput{Title: "X", DurationMinutes: 24*60 + 1}, "duration_minutes"},
		{courses.ModuleInput{Title: "X", Lecturer: strings.Repeat("Nguyễn ", 40)}, "lecturer"},
	} {
		if _, err := p.s.CreateModule(t.Context(), p.course.ID, tc.in); fieldsOf(t, err)[tc.field] == "" {
			t.Errorf("%+v: no message on %s", tc.in, tc.field)
		}
	}
	if _, err := p.s.CreateModule(t.Context(), 9999, courses.ModuleInput{Title: "X"}); !errors.Is(err, courses.ErrNotFound) {
		t.Errorf("unknown course: %v", err)
	}
}

func TestCopyCourse(t *testing.T) {
	t.Parallel()
	p := planWorkshop(t)
	for i, sl := range [][2]string{{"2023-12-04 07:30", "2023-12-04 11:30"}, {"2023-12-05 13:30", "2023-12-05 17:00"}} {
		if _, err := p.session(t, i, sl[0], sl[1], "Hội trường A"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := p.s.SetStatus(t.Context(), p.course.ID, courses.StatusOpen); err != nil {
		t.Fatal(err)
	}
	coursestest.Registration(t, p.db, p.course.ID, coursestest.Person{FullName: "Võ Thị Thu"}, courses.RegConfirmed)

	cp, err := p.s.CopyCourse(t.Context(), p.course.ID, courses.CopyInput{StartsOn: "02/12/2024",
		Title: "Tập huấn nâng cao năng lực cán bộ thông tin và truyền thông cơ sở năm 2024"})
	if err != nil {
		t.Fatal(err)
	}
	if cp.Status != courses.StatusDraft || cp.StartsOn != "2024-12-02" || cp.EndsOn != "2024-12-03" || cp.Capacity != 200 || cp.CoOrganizer != p.course.CoOrganizer {
		t.Errorf("copy %+v", cp)
	}
	ms, _ := p.s.ListModules(t.Context(), cp.ID)
	if len(ms) != 4 || ms[2].Lecturer != "Lê Quang Vinh" {
		t.Errorf("copied modules %+v", ms)
	}
	ss, _ := p.s.ListSessions(t.Context(), cp.ID)
	if len(ss) != 2 {
		t.Fatalf("%d sessions copied, want 2", len(ss))
	}
	if got := ss[0].StartsAt.In(time.FixedZone("ICT", 7*3600)).Format("2006-01-02 15:04"); got != "2024-12-02 07:30" {
		t.Errorf("first session at %s, want 2024-12-02 07:30", got)
	}
	if ss[1].ModuleTitle != p.modules[1].Title || ss[1].ModuleID.Int64 == p.modules[1].ID {
		t.Errorf("second session points at module %d %q, want the copy of module 2", ss[1].ModuleID.Int64, ss[1].ModuleTitle)
	}
	if n := coursestest.Confirmed(t, p.s, cp.ID); n != 0 {
		t.Errorf("copy has %d registrations", n)
	}
	t.Run("copy onto the same days clashes", func(t *testing.T) {
		_, err := p.s.CopyCourse(t.Context(), p.course.ID, courses.CopyInput{StartsOn: "2023-12-04"})
		clashArgs(t, err, courses.ErrRoomTaken)
		_, total, _ := p.s.ListCourses(t.Context(), courses.CourseFilter{AllOrganizations: true})
		if total != 2 {
			t.Errorf("%d courses after a refused copy, want 2", total)
		}
	})
	t.Run("bad date", func(t *testing.T) {
		_, err := p.s.CopyCourse(t.Context(), p.course.ID, courses.CopyInput{StartsOn: "30/02/2024"})
		if fieldsOf(t, err)["starts_on"] != "courses.err.date" {
			t.Errorf("err %v", err)
		}
	})
}

func TestProgramTree(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	org := coursestest.Org(t, db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	s := courses.New(db)
	ctx := t.Context()
	root, err := s.CreateProgram(ctx, courses.ProgramInput{Name: "Chương trình mục tiêu quốc gia giảm nghèo bền vững 2021–2025"})
	if err != nil {
		t.Fatal(err)
	}
	d6, err := s.CreateProgram(ctx, courses.ProgramInput{ParentID: root.ID, Name: "Dự án 6: Truyền thông và giảm nghèo về thông tin"})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := s.CreateProgram(ctx, courses.ProgramInput{ParentID: d6.ID, Name: "Tiểu dự án 2: Giảm nghèo về thông tin"})
	if err != nil {
		t.Fatal(err)
	}
	d7, err := s.CreateProgram(ctx, courses.ProgramInput{ParentID: root.ID, Name: "Dự án 7: Nâng cao năng lực"})
	if err != nil {
		t.Fatal(err)
	}
	if want := root.Name + " / " + d6.Name + " / " + sub.Name; sub.Path != want || sub.Depth != 2 {
		t.Errorf("path %q depth %d, want %q 2", sub.Path, sub.Depth, want)
	}
	in := validInput(org.ID)
	in.ProgramID = sub.ID
	filed, err := s.CreateCourse(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if filed.Program != sub.Path || filed.ProgramID.Int64 != sub.ID {
		t.Errorf("course filed as %q (%v)", filed.Program, filed.ProgramID)
	}

	// Renaming never rewrites history: the course keeps the path it was filed with.
	if _, err := s.UpdateProgram(ctx, d6.ID, courses.ProgramInput{ParentID: root.ID, Name: "Dự án 6 (2026–2035)"}); err != nil {
		t.Fatal(err)
	}
	again, _ := s.FindCourseByID(ctx, filed.ID)
	if again.Program != filed.Program {
		t.Errorf("renaming the node rewrote the course's program to %q", again.Program)
	}
	title := "Tập huấn sửa tiêu đề"
	if again, _ = s.UpdateCourse(ctx, filed.ID, courses.CoursePatch{Title: &title, ProgramID: &sub.ID}); again.Program != filed.Program {
		t.Errorf("an edit that keeps the node rewrote the program to %q", again.Program)
	}
	if again, _ = s.UpdateCourse(ctx, filed.ID, courses.CoursePatch{ProgramID: &d7.ID}); again.Program != root.Name+" / "+d7.Name {
		t.Errorf("filed anew as %q", again.Program)
	}
	free := "Kế hoạch riêng của Sở"
	if again, _ = s.UpdateCourse(ctx, filed.ID, courses.CoursePatch{Program: &free}); again.Program != free || again.ProgramID.Valid {
		t.Errorf("free text program: %q %v", again.Program, again.ProgramID)
	}
	if _, err := s.UpdateCourse(ctx, filed.ID, courses.CoursePatch{ProgramID: &sub.ID}); err != nil {
		t.Fatal(err)
	}

	t.Run("list by program includes the nodes below", func(t *testing.T) {
		for id, want := range map[int64]int{root.ID: 1, d6.ID: 1, sub.ID: 1, d7.ID: 0} {
			_, total, err := s.ListCourses(ctx, courses.CourseFilter{AllOrganizations: true, ProgramID: id})
			if err != nil || total != want {
				t.Errorf("program %d: %d courses (%v), want %d", id, total, err, want)
			}
		}
	})
	t.Run("no cycles", func(t *testing.T) {
		for _, parent := range []int64{root.ID, sub.ID} {
			_, err := s.UpdateProgram(ctx, root.ID, courses.ProgramInput{ParentID: parent, Name: root.Name})
			if fieldsOf(t, err)["parent_id"] != "courses.err.program_cycle" {
				t.Errorf("move under %d: %v", parent, err)
			}
		}
		_, err := s.CreateProgram(ctx, courses.ProgramInput{ParentID: 9999, Name: "X"})
		if fieldsOf(t, err)["parent_id"] != "courses.err.program_unknown" {
			t.Errorf("unknown parent: %v", err)
		}
	})
	t.Run("delete", func(t *testing.T) {
		if err := s.DeleteProgram(ctx, d6.ID); !errors.Is(err, courses.ErrProgramInUse) {
			t.Errorf("node with children: %v", err)
		}
		if err := s.DeleteProgram(ctx, sub.ID); !errors.Is(err, courses.ErrProgramInUse) {
			t.Errorf("node with a course: %v", err)
		}
		if err := s.DeleteProgram(ctx, d7.ID); err != nil {
			t.Errorf("empty leaf: %v", err)
		}
		if err := s.DeleteProgram(ctx, d7.ID); !errors.Is(err, courses.ErrNotFound) {
			t.Errorf("twice: %v", err)
		}
	})
	all, err := s.ListPrograms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range all {
		got = append(got, fmt.Sprintf("%d:%s", p.Depth, strings.Fields(p.Name)[0]))
	}
	if want := []string{"0:Chương", "1:Dự", "2:Tiểu"}; !slices.Equal(got, want) {
		t.Errorf("tree %q, want %q", got, want)
	}
}

// TestClashUnderConcurrency: organizers of two courses book the same hall at the same time
// at once; exactly one gets it.
func TestClashUnderConcurrency(t *testing.T) {
	t.Parallel()
	p := planWorkshop(t)
	other, err := p.s.CreateCourse(t.Context(), validInput(p.course.OrganizationID))
	if err != nil {
		t.Fatal(err)
	}
	in := courses.SessionInput{StartsAt: vnTime(t, "2023-12-04 07:30"), EndsAt: vnTime(t, "2023-12-04 11:30"), Room: "Hội trường A"}
	errs := make(chan error, 8)
	for i := range 8 {
		id := p.course.ID
		if i%2 == 1 {
			id = other.ID
		}
		go func() {
			_, err := p.s.CreateSession(t.Context(), id, in)
			errs <- err
		}()
	}
	won := 0
	for range 8 {
		err := <-errs
		switch {
		case err == nil:
			won++
		case !errors.Is(err, courses.ErrRoomTaken):
			t.Errorf("unexpected %v", err)
		}
	}
	if won != 1 {
		t.Errorf("%d bookings of the same hall at the same time, want 1", won)
	}
}

// TestDeleteSessionAsksTheRecords: courses never reads the attendance marks itself; a
// service that has no one to ask refuses to delete (rather than erase marks it cannot see),
// and the session stays.
func TestDeleteSessionAsksTheRecords(t *testing.T) {
	t.Parallel()
	p := planWorkshop(t)
	ss, err := p.session(t, 0, "2023-12-04 07:30", "2023-12-04 11:30", "Hội trường A")
	if err != nil {
		t.Fatal(err)
	}
	bare := courses.New(p.db)
	if err := bare.DeleteSession(t.Context(), ss.ID); err == nil || errs.CodeOf(err) != errs.Internal {
		t.Errorf("delete without SessionRecords: %v, want an internal error", err)
	}
	if _, err := bare.FindSessionByID(t.Context(), ss.ID); err != nil {
		t.Errorf("the session went: %v", err)
	}
	if err := p.s.DeleteSession(t.Context(), ss.ID); err != nil {
		t.Errorf("delete with attendance asked: %v", err)
	}
}
