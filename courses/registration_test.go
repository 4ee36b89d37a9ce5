package courses_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/database"
	"taphuan/database/dbtest"
	"taphuan/errs"
)

// valid returns a registration that passes validation; n makes the phone unique.
func valid(courseID int64, n int) courses.RegisterInput {
	return courses.RegisterInput{CourseID: courseID, FullName: "Nguyễn Thị Hải Yến", Gender: "Nữ",
		BirthDate: "15/03/1985", Ethnicity: "Kinh", Position: "Phóng viên",
		Organization: "Đài truyền thanh xã Ninh Xuân", Locality: "xã Ninh Xuân",
		Phone: fmt.Sprintf("0912%06d", n), Email: fmt.Sprintf("hv%d@example.vn", n)}
}

func TestRegisterInputValidation(t *testing.T) {
	t.Parallel()
	ok := valid(1, 1)
	ok.Normalize()
	if err := ok.Validate(); err != nil {
		t.Fatalf("a good registration is refused: %v", err)
	}
	if ok.BirthDate != "1985-03-15" || ok.Phone != "0912000001" {
		t.Errorf("normalized to %q %q", ok.BirthDate, ok.Phone)
	}
	cases := []struct {
		name  string
		edit  func(*courses.RegisterInput)
		field string
		key   string
	}{
		{"name empty", func(in *courses.RegisterInput) { in.FullName = "   " }, "full_name", "err.required"},
		{"name with markup", func(in *courses.RegisterInput) { in.FullName = "<script>alert(1)</script>" }, "full_name", "reg.err.name_chars"},
		{"name with digits", func(in *courses.RegisterInput) { in.FullName = "Nguyễn Văn 2" }, "full_name", "reg.err.name_chars"},
		{"name too long", func(in *courses.RegisterInput) { in.FullName = strings.Repeat("Nguyễn ", 20) + "An" }, "full_name", "err.too_long"},
		{"name one letter", func(in *courses.RegisterInput) { in.FullName = "A" }, "full_name", "reg.err.name_short"},
		{"gender missing", func(in *courses.RegisterInput) { in.Gender = "" }, "gender", "err.required"},
		{"gender other", func(in *courses.RegisterInput) { in.Gender = "Khác" }, "gender", "reg.err.gender"},
		{"birth date missing", func(in *courses.RegisterInput) { in.BirthDate = "" }, "birth_date", "err.required"},
		{"birth date not a day", func(in *courses.RegisterInput) { in.BirthDate = "31/02/1990" }, "birth_date", "reg.err.date"},
		{"birth date garbage", func(in *courses.RegisterInput) { in.BirthDate = "hôm qua" }, "birth_date", "reg.err.date"},
		{"birth date a child", func(in *courses.RegisterInput) { in.BirthDate = time.Now().AddDate(-3, 0, 0).Format("02/01/2006") }, "birth_date", "reg.err.birth_range"},
		{"birth date too old", func(in *courses.RegisterInput) { in.BirthDate = "01/01/1890" }, "birth_date", "reg.err.birth_range"},
		{"ethnicity with digits", func(in *courses.RegisterInput) { in.Ethnicity = "Kinh1" }, "ethnicity", "reg.err.ethnicity"},
		{"position too long", func(in *courses.RegisterInput) { in.Position = strings.Repeat("a", 101) }, "position", "err.too_long"},
		{"unit missing", func(in *courses.RegisterInput) { in.Organization = "" }, "organization", "err.required"},
		{"unit too long", func(in *courses.RegisterInput) { in.Organization = strings.Repeat("đ", 201) }, "organization", "err.too_long"},
		{"locality too long", func(in *courses.RegisterInput) { in.Locality = strings.Repeat("x", 101) }, "locality", "err.too_long"},
		{"phone missing", func(in *courses.RegisterInput) { in.Phone = "" }, "phone", "err.required"},
		{"phone short", func(in *courses.RegisterInput) { in.Phone = "091234567" }, "phone", "reg.err.phone"},
		{"phone letters", func(in *courses.RegisterInput) { in.Phone = "09123abc78" }, "phone", "reg.err.phone"},
		{"email bad", func(in *courses.RegisterInput) { in.Email = "hv@" }, "email", "err.email"},
		{"email with name", func(in *courses.RegisterInput) { in.Email = "Yến <hv@example.vn>" }, "email", "err.email"},
		{"cccd short", func(in *courses.RegisterInput) { in.IDNumber = "05618900" }, "id_number", "reg.err.id_number"},
		{"cccd letters", func(in *courses.RegisterInput) { in.IDNumber = "05618900123A" }, "id_number", "reg.err.id_number"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := valid(1, 1)
			c.edit(&in)
			in.Normalize()
			f := fieldsOf(t, in.Validate())
			if got := f[c.field]; got != c.key {
				t.Errorf("field %s: %q, want %q (all: %v)", c.field, got, c.key, f)
			}
			if len(f) != 1 {
				t.Errorf("other fields blamed too: %v", f)
			}
		})
	}
	t.Run("normalizes", func(t *testing.T) {
		in := valid(1, 1)
		in.FullName = "  Nguye\u0302\u0303n   Thi\u0323 Ha\u0309i Ye\u0302\u0301n " // NFD, stray spaces
		in.Gender = "nu"
		in.BirthDate = "1985-03-15"
		in.Phone = "+84 912 345 678"
		in.Email = " HV@Example.VN "
		in.IDNumber = "056 189 001 234"
		in.Normalize()
		if err := in.Validate(); err != nil {
			t.Fatal(err)
		}
		if in.FullName != "Nguyễn Thị Hải Yến" || in.Gender != "Nữ" || in.Phone != "0912345678" ||
			in.Email != "hv@example.vn" || in.IDNumber != "056189001234" {
			t.Errorf("normalized: %+v", in)
		}
	})
	t.Run("every bad field at once", func(t *testing.T) {
		in := courses.RegisterInput{FullName: "x<y", Gender: "?", BirthDate: "99/99/1999", Phone: "12", Email: "no"}
		in.Normalize()
		f := fieldsOf(t, in.Validate())
		for _, k := range []string{"full_name", "gender", "birth_date", "organization", "phone", "email"} {
			if _, ok := f[k]; !ok {
				t.Errorf("no message for %s", k)
			}
		}
	})
}

func TestRegisterCapacityWaitlistAndCancel(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	org := coursestest.Org(t, db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	c := coursestest.Course(t, db, org.ID, func(c *courses.Course) { c.Capacity = 2 }, coursestest.Upcoming)
	s := courses.New(db)
	ctx := t.Context()
	var regs []*courses.Registration
	for i := range 4 {
		r, err := s.Register(ctx, valid(c.ID, i))
		if err != nil {
			t.Fatal(err)
		}
		regs = append(regs, r)
	}
	want := []string{"confirmed", "confirmed", "waitlisted", "waitlisted"}
	for i, r := range regs {
		if r.Status != want[i] {
			t.Errorf("registration %d: %s, want %s", i, r.Status, want[i])
		}
		if len(r.Code) != courses.CodeLength || strings.ContainsAny(r.Code, "01OIL") {
			t.Errorf("ticket code %q", r.Code)
		}
	}
	if p := regs[2].WaitlistPosition; p == nil || *p != 1 {
		t.Errorf("first waitlisted at %v, want 1", p)
	}
	if p := regs[3].WaitlistPosition; p == nil || *p != 2 {
		t.Errorf("second waitlisted at %v, want 2", p)
	}
	if regs[0].Code == regs[1].Code {
		t.Error("two registrations share a ticket code")
	}

	t.Run("ErrAlreadyRegistered", func(t *testing.T) {
		in := valid(c.ID, 0)
		in.Phone = "+84912000000" // the same number written another way
		_, err := s.Register(ctx, in)
		if !errors.Is(err, courses.ErrAlreadyRegistered) || errs.CodeOf(err) != errs.Conflict {
			t.Fatalf("same phone again: %v", err)
		}
		var dup *courses.DuplicateError
		if !errors.As(err, &dup) || dup.ExistingID != regs[0].ID {
			t.Errorf("the error does not name registration %d: %v", regs[0].ID, err)
		}
	})

	t.Run("cancel promotes the first waitlisted", func(t *testing.T) {
		got, promoted, err := s.Cancel(ctx, courses.CancelInput{ID: regs[1].ID, Reason: "Bận công tác", UserID: 0})
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != courses.RegCancelled || got.StatusReason != "Bận công tác" {
			t.Errorf("cancelled: %+v", got)
		}
		if promoted == nil || promoted.ID != regs[2].ID || promoted.Status != courses.RegConfirmed {
			t.Fatalf("promoted %+v, want registration %d confirmed", promoted, regs[2].ID)
		}
		last, _ := s.FindRegistrationByID(ctx, regs[3].ID)
		if last.WaitlistPosition == nil || *last.WaitlistPosition != 1 {
			t.Errorf("the last one now waits at %v, want 1", last.WaitlistPosition)
		}
		if _, _, err := s.Cancel(ctx, courses.CancelInput{ID: regs[1].ID}); !errors.Is(err, courses.ErrBadTransition) {
			t.Errorf("cancel twice: %v", err)
		}
		// The cancelled phone may register again.
		if r, err := s.Register(ctx, valid(c.ID, 1)); err != nil || r.Status != courses.RegWaitlisted {
			t.Errorf("register again after cancelling: %v %v", r, err)
		}
		evs, err := s.RegistrationEvents(ctx, regs[2].ID)
		if err != nil || len(evs) != 2 || evs[1].NewStatus != courses.RegConfirmed || evs[1].Reason != courses.ReasonPromoted {
			t.Errorf("history of the promoted: %+v %v", evs, err)
		}
	})

	t.Run("cancel by ticket code", func(t *testing.T) {
		if _, _, err := s.Cancel(ctx, courses.CancelInput{Code: "KHONGCOMAVE2"}); !errors.Is(err, courses.ErrNotFound) {
			t.Errorf("unknown code: %v", err)
		}
		if _, _, err := s.Cancel(ctx, courses.CancelInput{ID: regs[0].ID, Code: regs[3].Code}); !errors.Is(err, courses.ErrNotFound) {
			t.Errorf("code of another registration: %v", err)
		}
		got, promoted, err := s.Cancel(ctx, courses.CancelInput{Code: regs[0].Code})
		if err != nil || got.Status != courses.RegCancelled {
			t.Fatalf("self cancel: %v %v", got, err)
		}
		if promoted == nil || promoted.ID != regs[3].ID {
			t.Errorf("promoted %v, want %d", promoted, regs[3].ID)
		}
	})

	t.Run("no self-cancel once the course is completed", func(t *testing.T) {
		db.W.Exec(`UPDATE courses SET status = 'completed' WHERE id = ?`, c.ID)
		defer db.W.Exec(`UPDATE courses SET status = 'open' WHERE id = ?`, c.ID)
		if _, _, err := s.Cancel(ctx, courses.CancelInput{Code: regs[2].Code}); !errors.Is(err, courses.ErrRegistrationClosed) {
			t.Errorf("self-cancel in a completed course: %v", err)
		}
	})

	t.Run("capacity growth promotes", func(t *testing.T) {
		r, err := s.Register(ctx, valid(c.ID, 10))
		if err != nil || r.Status != courses.RegWaitlisted {
			t.Fatalf("%v %v", r, err)
		}
		if _, err := db.W.Exec(`UPDATE courses SET capacity = 10 WHERE id = ?`, c.ID); err != nil {
			t.Fatal(err)
		}
		promoted, err := s.PromoteWaitlisted(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(promoted) != 2 {
			t.Errorf("promoted %d, want the 2 waiting", len(promoted))
		}
		_, waiting, _ := s.ListRegistrations(ctx, courses.RegistrationFilter{CourseID: c.ID, Statuses: []string{courses.RegWaitlisted}})
		if waiting != 0 {
			t.Errorf("%d still waiting with free seats", waiting)
		}
	})
}

func TestRegisterClosedAndUnknown(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	org := coursestest.Org(t, db, "Sở Tư pháp")
	s := courses.New(db)
	ctx := t.Context()
	if _, err := s.Register(ctx, valid(9999, 1)); !errors.Is(err, courses.ErrNotFound) {
		t.Errorf("unknown course: %v", err)
	}
	for name, opt := range map[string]func(*courses.Course){
		"draft":         func(c *courses.Course) { c.Status = courses.StatusDraft },
		"closed":        func(c *courses.Course) { c.Status = courses.StatusClosed },
		"window passed": func(c *courses.Course) {},
	} {
		t.Run(name, func(t *testing.T) {
			c := coursestest.Course(t, db, org.ID, opt)
			if name == "window passed" {
				db.W.Exec(`UPDATE courses SET registration_closes_at = ? WHERE id = ?`, database.FormatTime(time.Now().Add(-time.Hour)), c.ID)
			}
			_, err := s.Register(ctx, valid(c.ID, 1))
			if !errors.Is(err, courses.ErrRegistrationClosed) || errs.CodeOf(err) != errs.Closed {
				t.Errorf("register: %v, want closed", err)
			}
			var n int
			db.R.Get(&n, `SELECT COUNT(*) FROM people`)
			if n != 0 {
				t.Errorf("%d people written by a refused registration", n)
			}
		})
	}
}

func TestApprovalFlow(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	org := coursestest.Org(t, db, "Sở Lao động - Thương binh và Xã hội")
	c := coursestest.Course(t, db, org.ID, func(c *courses.Course) { c.Capacity = 1; c.RegistrationMode = courses.ModeApproval }, coursestest.Upcoming)
	s := courses.New(db)
	ctx := t.Context()
	var regs []*courses.Registration
	for i := range 3 {
		r, err := s.Register(ctx, valid(c.ID, i))
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != courses.RegPending {
			t.Fatalf("approval mode: %s, want pending", r.Status)
		}
		regs = append(regs, r)
	}
	a, err := s.Approve(ctx, regs[0].ID, 0)
	if err != nil || a.Status != courses.RegConfirmed {
		t.Fatalf("approve first: %v %v", a, err)
	}
	b, err := s.Approve(ctx, regs[1].ID, 0)
	if err != nil || b.Status != courses.RegWaitlisted {
		t.Fatalf("approve beyond capacity: %v %v, want waitlisted", b, err)
	}
	if _, err := s.Approve(ctx, regs[0].ID, 0); !errors.Is(err, courses.ErrBadTransition) {
		t.Errorf("approve twice: %v", err)
	}
	r, err := s.Reject(ctx, courses.RejectInput{ID: regs[2].ID, Reason: "Không đúng đối tượng"})
	if err != nil || r.Status != courses.RegRejected || r.StatusReason != "Không đúng đối tượng" {
		t.Errorf("reject: %v %v", r, err)
	}
	// A rejected phone may register again (and waits for approval again).
	if r, err := s.Register(ctx, valid(c.ID, 2)); err != nil || r.Status != courses.RegPending {
		t.Errorf("register after rejection: %v %v", r, err)
	}
}

func TestUnitQuotas(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	org := coursestest.Org(t, db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	c := coursestest.Course(t, db, org.ID, func(c *courses.Course) { c.Capacity = 5 }, coursestest.Upcoming)
	s := courses.New(db)
	ctx := t.Context()
	bao := coursestest.Unit(t, db, "Báo Khánh Hòa")
	coursestest.Quota(t, db, c.ID, bao.ID, 1)
	reg := func(n int, unit string) *courses.Registration {
		in := valid(c.ID, n)
		in.Organization = unit
		r, err := s.Register(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	a := reg(1, "Báo Khánh Hòa")
	b := reg(2, "báo  khánh hoà") // the same unit written another way
	other := reg(3, "Đài truyền thanh xã Ninh Xuân")
	if a.Status != courses.RegConfirmed || b.Status != courses.RegWaitlisted || other.Status != courses.RegConfirmed {
		t.Fatalf("quota 1: %s %s %s, want confirmed waitlisted confirmed", a.Status, b.Status, other.Status)
	}
	fill, err := s.QuotaFill(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var baoFill *courses.UnitFill
	for i := range fill {
		if fill[i].UnitID == bao.ID {
			baoFill = &fill[i]
		}
	}
	if baoFill == nil || baoFill.Name != "Báo Khánh Hòa" || baoFill.Seats == nil || *baoFill.Seats != 1 || baoFill.Confirmed != 1 || baoFill.Waitlisted != 1 || !baoFill.Full() {
		t.Fatalf("fill: %+v", fill)
	}
	if _, _, err := s.Move(ctx, courses.MoveInput{ID: b.ID, To: courses.RegConfirmed, Reason: "Ưu tiên"}); !errors.Is(err, courses.ErrQuotaFull) {
		t.Errorf("move over the quota: %v", err)
	}
	// Cancelling the unit's trainee gives the unit's seat to the unit's waitlisted.
	_, promoted, err := s.Cancel(ctx, courses.CancelInput{ID: a.ID, Reason: "Đổi người"})
	if err != nil || promoted == nil || promoted.ID != b.ID {
		t.Fatalf("cancel in quota: promoted %v %v, want %d", promoted, err, b.ID)
	}
	// A raised quota lets the next one in at once.
	c2 := reg(4, "Báo Khánh Hòa")
	if c2.Status != courses.RegWaitlisted {
		t.Fatalf("over quota: %s", c2.Status)
	}
	two, bad := 2, -1
	ids, _, err := s.SetQuotas(ctx, c.ID, []courses.QuotaItem{{UnitID: bao.ID, Seats: &two}})
	if err != nil || len(ids) != 1 || ids[0] != c2.ID {
		t.Errorf("raise quota: promoted %v %v", ids, err)
	}
	if _, _, err := s.SetQuotas(ctx, c.ID, []courses.QuotaItem{{UnitID: 0, Seats: &two}, {UnitID: bao.ID, Seats: &bad}}); !hasFields(err, "items.0.unit_id", "items.1.seats") {
		t.Errorf("a quota without a unit, and negative seats: %v", err)
	}
}

func TestMove(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	org := coursestest.Org(t, db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	c := coursestest.Course(t, db, org.ID, func(c *courses.Course) { c.Capacity = 1 }, coursestest.Upcoming)
	s := courses.New(db)
	ctx := t.Context()
	a, _ := s.Register(ctx, valid(c.ID, 1))
	b, _ := s.Register(ctx, valid(c.ID, 2))
	if _, _, err := s.Move(ctx, courses.MoveInput{ID: b.ID, To: courses.RegConfirmed}); err == nil {
		t.Error("a move without a reason is accepted")
	}
	if _, _, err := s.Move(ctx, courses.MoveInput{ID: b.ID, To: courses.RegConfirmed, Reason: "x"}); !errors.Is(err, courses.ErrCourseFull) {
		t.Errorf("move into a full course: %v", err)
	}
	got, promoted, err := s.Move(ctx, courses.MoveInput{ID: a.ID, To: courses.RegWaitlisted, Reason: "Nhường chỗ"})
	if err != nil || got.Status != courses.RegWaitlisted || len(promoted) != 1 || promoted[0].ID != b.ID {
		t.Fatalf("demote: %v %v %v", got, promoted, err)
	}
	got, _, err = s.Move(ctx, courses.MoveInput{ID: a.ID, To: courses.RegCancelled, Reason: "Vắng"})
	if err != nil || got.Status != courses.RegCancelled {
		t.Fatalf("cancel by move: %v %v", got, err)
	}
	// Back from cancelled, but someone took the phone meanwhile.
	in := valid(c.ID, 1)
	in.FullName = "Trần Văn Bình"
	if _, err := s.Register(ctx, in); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Move(ctx, courses.MoveInput{ID: a.ID, To: courses.RegWaitlisted, Reason: "Nhầm"}); !errors.Is(err, courses.ErrAlreadyRegistered) {
		t.Errorf("reinstate a phone taken again: %v", err)
	}
	evs, _ := s.RegistrationEvents(ctx, a.ID)
	if len(evs) != 3 || evs[1].Reason != "Nhường chỗ" || evs[2].NewStatus != courses.RegCancelled {
		t.Errorf("history %+v", evs)
	}
}

func TestPeopleDirectory(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	org := coursestest.Org(t, db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	other := coursestest.Org(t, db, "Sở Tư pháp")
	c1 := coursestest.Course(t, db, org.ID, func(c *courses.Course) { c.Title = "Lớp một"; c.StartsOn, c.EndsOn = "2098-08-01", "2098-12-05" })
	c2 := coursestest.Course(t, db, org.ID, func(c *courses.Course) { c.Title = "Lớp hai"; c.StartsOn, c.EndsOn = "2098-12-04", "2098-12-05" })
	c3 := coursestest.Course(t, db, other.ID, func(c *courses.Course) { c.Title = "Lớp khác"; c.StartsOn, c.EndsOn = "2098-12-04", "2098-12-05" })
	s := courses.New(db)
	ctx := t.Context()
	in := valid(c1.ID, 7)
	in.Organization = "Phòng Văn hóa và Thông tin huyện Diên Khánh"
	r1, err := s.Register(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	in2 := valid(c2.ID, 7) // same phone, the unit renamed meanwhile
	in2.Organization = "Phòng Văn hóa - Xã hội xã Diên Khánh"
	in2.Email = ""
	r2, err := s.Register(ctx, in2)
	if err != nil {
		t.Fatal(err)
	}
	in3 := valid(c3.ID, 8) // another phone, same e-mail: the same person
	in3.Email = "hv7@example.vn"
	r3, err := s.Register(ctx, in3)
	if err != nil {
		t.Fatal(err)
	}
	if r1.PersonID != r2.PersonID || r2.PersonID != r3.PersonID {
		t.Fatalf("one person became %d, %d, %d", r1.PersonID, r2.PersonID, r3.PersonID)
	}
	p, err := s.FindPersonByID(ctx, r1.PersonID)
	if err != nil || p.Email != "hv7@example.vn" || p.Phone != "0912000008" || p.Courses != 3 {
		t.Errorf("person %+v %v", p, err)
	}
	hist, err := s.PersonHistory(ctx, p.ID, org.ID)
	if err != nil || len(hist) != 2 {
		t.Fatalf("history in the organization: %v %v", hist, err)
	}
	if hist[1].CourseTitle != "Lớp một" || hist[1].Organization != "Phòng Văn hóa và Thông tin huyện Diên Khánh" {
		t.Errorf("the old registration's unit was rewritten: %+v", hist[1])
	}
	people, total, err := s.ListPeople(ctx, courses.PeopleFilter{Query: "nguyen thi hai yen", OrganizationID: org.ID})
	if err != nil || total != 1 || people[0].Courses != 2 {
		t.Errorf("search people: %v %d %v", people, total, err)
	}
	// The organization sees what was given to it (its latest registration), not the phone
	// given to the other organization since, and does not find the person by it.
	if len(people) == 1 && (people[0].Phone != "0912000007" || people[0].Email != "" ||
		people[0].Organization != "Phòng Văn hóa - Xã hội xã Diên Khánh") {
		t.Errorf("the organization's view of the person: %+v", people[0])
	}
	if _, total, _ := s.ListPeople(ctx, courses.PeopleFilter{Query: "0912000008", OrganizationID: org.ID}); total != 0 {
		t.Errorf("searching the phone given only to another organization finds %d", total)
	}
	if _, total, _ := s.ListPeople(ctx, courses.PeopleFilter{Query: "0912000008"}); total != 1 {
		t.Errorf("searching the phone across organizations finds %d, want 1", total)
	}
	if _, total, _ := s.ListPeople(ctx, courses.PeopleFilter{OrganizationID: 424242}); total != 0 {
		t.Errorf("another organization sees %d people", total)
	}
}

// TestOnePersonManyCoursesAtOnce: a new trainee registers in ten courses at the same moment
// (ten sending units' lists arriving together; on PostgreSQL ten transactions that lock
// ten different course rows). Every registration succeeds, and the directory holds one
// person with all ten.
func TestOnePersonManyCoursesAtOnce(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	org := coursestest.Org(t, db, "Sở Lao động – Thương binh và Xã hội tỉnh Ninh Thuận")
	s := courses.New(db)
	var ids []int64
	for range 10 {
		ids = append(ids, coursestest.Course(t, db, org.ID, coursestest.Upcoming).ID)
	}
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Go(func() {
			_, err := s.Register(context.Background(), courses.RegisterInput{CourseID: id, FullName: "Chamaléa Thị Hoa",
				Gender: "Nữ", BirthDate: "1992-07-01", Ethnicity: "Raglai", Position: "Cán bộ văn hóa xã",
				Organization: "UBND xã Phước Bình", Locality: "huyện Bác Ái", Phone: "0977123456", Source: courses.SourceAPI})
			if err != nil {
				t.Errorf("course %d: %v", id, err)
			}
		})
	}
	wg.Wait()
	var people, regs int
	if err := db.R.Get(&people, `SELECT COUNT(*) FROM people WHERE phone = '0977123456'`); err != nil {
		t.Fatal(err)
	}
	if err := db.R.Get(&regs, `SELECT COUNT(DISTINCT r.course_id) FROM registrations r JOIN people p ON p.id = r.person_id
		WHERE p.phone = '0977123456'`); err != nil {
		t.Fatal(err)
	}
	if people != 1 || regs != 10 {
		t.Errorf("%d people and registrations in %d courses, want one person in 10", people, regs)
	}
}

// TestReasonRules: the rules of a reason live on the input types — the staff pages' demand
// of one (ReasonRequired) and a burst's three letters — and refuse before anything changes.
func TestReasonRules(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	org := coursestest.Org(t, db, "Sở Nội vụ tỉnh Khánh Hòa")
	c := coursestest.Course(t, db, org.ID, coursestest.Upcoming, func(c *courses.Course) { c.RegistrationMode = courses.ModeApproval })
	s := courses.New(db)
	reg, err := s.Register(t.Context(), valid(c.ID, 1))
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Reject(t.Context(), courses.RejectInput{ID: reg.ID, Reason: "  ", ReasonRequired: true})
	if e := (*errs.Error)(nil); !errors.As(err, &e) || e.Fields["reason"].Key != "reg.err.reason_required" {
		t.Errorf("reject without the reason the page asks: %v", err)
	}
	if got, _ := s.FindRegistrationByID(t.Context(), reg.ID); got.Status != courses.RegPending {
		t.Errorf("after the refusal the registration is %s, want pending", got.Status)
	}
	_, err = s.CancelBurst(t.Context(), courses.BurstCancelInput{CourseID: c.ID, Addr: "203.0.113.0/24", Reason: " ab "})
	if e := (*errs.Error)(nil); !errors.As(err, &e) || e.Fields["reason"].Key != "reg.burst.reason_required" {
		t.Errorf("burst cancel with a two-letter reason: %v", err)
	}
	if got, err := s.Reject(t.Context(), courses.RejectInput{ID: reg.ID}); err != nil || got.Status != courses.RegRejected {
		t.Errorf("the API's reject needs no reason: %+v %v", got, err)
	}
}
