package courses_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"taphuan/accounts"
	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/database/dbtest"
	"taphuan/errs"
	"taphuan/units"
)

// hasFields reports whether err is an invalid error naming every field.
func hasFields(err error, fields ...string) bool {
	var e *errs.Error
	if !errors.As(err, &e) || e.Code != errs.Invalid {
		return false
	}
	for _, f := range fields {
		if _, ok := e.Fields[f]; !ok {
			return false
		}
	}
	return true
}

func future(c *courses.Course) {
	d := time.Now().AddDate(0, 0, 20)
	c.StartsOn, c.EndsOn = d.Format("2006-01-02"), d.AddDate(0, 0, 1).Format("2006-01-02")
}

// TestQuotaHoldsUnderConcurrencyWhateverTheSpelling: 40 registrations of one commune,
// spelled three ways, fired at once against a quota of 5: exactly 5 are confirmed for the
// unit, the others wait, and every one of them is matched to the unit.
func TestQuotaHoldsUnderConcurrencyWhateverTheSpelling(t *testing.T) {
	db := dbtest.New(t)
	org := coursestest.Org(t, db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	c := coursestest.Course(t, db, org.ID, coursestest.Upcoming, func(c *courses.Course) { c.Capacity = 100 })
	s := courses.New(db)
	commune := coursestest.Unit(t, db, "UBND xã Cam Hải Tây")
	coursestest.Quota(t, db, c.ID, commune.ID, 5)
	spellings := []string{"UBND xã Cam Hải Tây", "Ủy ban nhân dân xã Cam Hải Tây", "uy ban nhan dan X. Cam Hai Tay"}
	var wg sync.WaitGroup
	errc := make(chan error, 40)
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in := valid(c.ID, i)
			in.Organization = spellings[i%3]
			if _, err := s.Register(t.Context(), in); err != nil {
				errc <- err
			}
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Fatal(err)
	}
	var got struct {
		Confirmed  int `db:"confirmed"`
		Waitlisted int `db:"waitlisted"`
		Matched    int `db:"matched"`
		Texts      int `db:"texts"`
	}
	if err := db.R.Get(&got, `SELECT SUM(CASE WHEN status = 'confirmed' THEN 1 ELSE 0 END) AS confirmed,
		SUM(CASE WHEN status = 'waitlisted' THEN 1 ELSE 0 END) AS waitlisted,
		SUM(CASE WHEN unit_id = ? THEN 1 ELSE 0 END) AS matched, COUNT(DISTINCT organization) AS texts FROM registrations WHERE course_id = ?`, commune.ID, c.ID); err != nil {
		t.Fatal(err)
	}
	if got.Confirmed != 5 || got.Waitlisted != 35 || got.Matched != 40 || got.Texts != 3 {
		t.Fatalf("got %+v, want 5 confirmed, 35 waitlisted, 40 matched to the unit, 3 texts kept as written", got)
	}
	fill, err := s.QuotaFill(t.Context(), c.ID)
	if err != nil || len(fill) != 1 || fill[0].UnitID != commune.ID || fill[0].Confirmed != 5 || fill[0].Waitlisted != 35 {
		t.Fatalf("fill: %+v %v, want one row for the unit", fill, err)
	}
}

func TestUnmatchedTextIsKeptAndFlagged(t *testing.T) {
	db := dbtest.New(t)
	org := coursestest.Org(t, db, "Sở Nội vụ")
	c := coursestest.Course(t, db, org.ID, coursestest.Upcoming)
	s := courses.New(db)
	u := coursestest.Unit(t, db, "UBND xã Cam Hải Tây")
	in := valid(c.ID, 1)
	in.Organization = "Trường Tiểu học Cam Hải"
	r, err := s.Register(t.Context(), in)
	if err != nil || r.UnitID != nil || r.Organization != "Trường Tiểu học Cam Hải" {
		t.Fatalf("unmatched: %+v %v", r, err)
	}
	list, err := s.UnmatchedUnits(t.Context(), c.ID, nil)
	if err != nil || len(list) != 1 || list[0].Text != "Trường Tiểu học Cam Hải" || list[0].Count != 1 {
		t.Fatalf("unmatched list %+v %v", list, err)
	}
	// The organizer maps it: remembered as an alias, the registration gets the unit, the
	// text stays as written.
	n, err := s.MapUnitText(t.Context(), "Trường Tiểu học Cam Hải", u.ID)
	if err != nil || n != 1 {
		t.Fatalf("map: %d %v", n, err)
	}
	r, _ = s.FindRegistrationByID(t.Context(), r.ID)
	if r.UnitID == nil || *r.UnitID != u.ID || r.Organization != "Trường Tiểu học Cam Hải" {
		t.Fatalf("after mapping: %+v", r)
	}
	in = valid(c.ID, 2)
	in.Organization = "truong tieu hoc cam hai"
	if r2, err := s.Register(t.Context(), in); err != nil || r2.UnitID == nil || *r2.UnitID != u.ID {
		t.Fatalf("the alias is not remembered: %+v %v", r2, err)
	}
	// A unit chosen from the directory wins over the text; an unknown id is a field error.
	in = valid(c.ID, 3)
	in.Organization, in.UnitID = "", u.ID
	if r3, err := s.Register(t.Context(), in); err != nil || r3.Organization != "UBND xã Cam Hải Tây" {
		t.Fatalf("by unit id: %+v %v", r3, err)
	}
	in = valid(c.ID, 4)
	in.UnitID = 9999
	if _, err := s.Register(t.Context(), in); !hasFields(err, "unit_id") {
		t.Errorf("unknown unit id: %v", err)
	}
}

func TestMergeUnits(t *testing.T) {
	db := dbtest.New(t)
	org := coursestest.Org(t, db, "Sở Nội vụ")
	c := coursestest.Course(t, db, org.ID, coursestest.Upcoming)
	s := courses.New(db)
	us := units.New(db)
	keep := coursestest.Unit(t, db, "UBND xã Cam Hải Tây")
	gone := coursestest.Unit(t, db, "Xã Cam Hải Tây cũ", "Cam Hai Tay")
	coursestest.Quota(t, db, c.ID, keep.ID, 2)
	coursestest.Quota(t, db, c.ID, gone.ID, 3)
	r := coursestest.Registration(t, db, c.ID, coursestest.Person{FullName: "Lê Văn Tám", Organization: "Cam Hải Tây"}, courses.RegConfirmed)
	if r.UnitID == nil || *r.UnitID != gone.ID {
		t.Fatalf("fixture not matched: %+v", r)
	}
	acc := accounts.New(db)
	focal, err := acc.CreateUser(t.Context(), accounts.UserInput{Email: "dau-moi@example.vn", Name: "Đầu Mối",
		Role: accounts.RoleUnit, UnitID: gone.ID, Password: "mat-khau-dau-moi-2026"})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("ErrSelfMerge", func(t *testing.T) {
		if _, err := s.MergeUnits(t.Context(), keep.ID, keep.ID, 0); !errors.Is(err, units.ErrSelfMerge) {
			t.Errorf("self merge: %v", err)
		}
	})
	t.Run("ErrCycle", func(t *testing.T) {
		child, err := us.Create(t.Context(), units.Input{Name: "Đài truyền thanh xã Cam Hải Tây", ParentID: keep.ID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.MergeUnits(t.Context(), keep.ID, child.ID, 0); !errors.Is(err, units.ErrCycle) {
			t.Errorf("merge into a child: %v", err)
		}
		p := child.ID
		if _, err := us.Update(t.Context(), keep.ID, units.Patch{ParentID: &p}); !errors.Is(err, units.ErrCycle) {
			t.Errorf("parent cycle: %v", err)
		}
	})
	survivor, err := s.MergeUnits(t.Context(), gone.ID, keep.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if u, err := acc.FindUserByID(t.Context(), focal.ID); err != nil || u.UnitID != keep.ID {
		t.Errorf("the merged unit's focal point after merge: %+v %v, want unit %d", u, err, keep.ID)
	}
	if len(survivor.Aliases) < 2 {
		t.Errorf("aliases not moved: %v", survivor.Aliases)
	}
	r, _ = s.FindRegistrationByID(t.Context(), r.ID)
	if *r.UnitID != keep.ID || r.Organization != "Cam Hải Tây" {
		t.Errorf("registration after merge: %+v", r)
	}
	fill, _ := s.QuotaFill(t.Context(), c.ID)
	if len(fill) != 1 || *fill[0].Seats != 3 || fill[0].Confirmed != 1 {
		t.Errorf("quotas after merge: %+v, want one quota of 3 (the larger)", fill)
	}
	if id, ok, _ := us.Match(t.Context(), "Xã Cam Hải Tây cũ"); !ok || id != keep.ID {
		t.Errorf("the merged unit's name no longer matches the survivor: %d %v", id, ok)
	}
	log, err := us.Merges(t.Context())
	if err != nil || len(log) != 1 || log[0].MovedRegistrations != 1 || log[0].MovedQuotas != 0 {
		t.Errorf("merge log: %+v %v", log, err)
	}
	if _, err := s.MergeUnits(t.Context(), gone.ID, keep.ID, 0); !errors.Is(err, units.ErrNotFound) {
		t.Errorf("merging a merged unit again: %v", err)
	}
}

// TestCrossedMergesUnderConcurrency: two administrators merge the same two units at the
// same moment, one each way; exactly one merge happens, the other is refused, and no unit
// ends merged into a unit that is itself merged.
func TestCrossedMergesUnderConcurrency(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	s := courses.New(db)
	us := units.New(db)
	for round := range 10 {
		a := coursestest.Unit(t, db, fmt.Sprintf("UBND xã Hải An %d", round))
		b := coursestest.Unit(t, db, fmt.Sprintf("UBND xã Hải Bình %d", round))
		var wg sync.WaitGroup
		results := make([]error, 2)
		for i, pair := range [][2]int64{{a.ID, b.ID}, {b.ID, a.ID}} {
			wg.Go(func() { _, results[i] = s.MergeUnits(t.Context(), pair[0], pair[1], 0) })
		}
		wg.Wait()
		won := 0
		for _, err := range results {
			switch {
			case err == nil:
				won++
			case !errors.Is(err, units.ErrNotFound):
				t.Errorf("round %d: unexpected %v", round, err)
			}
		}
		if won != 1 {
			t.Errorf("round %d: %d crossed merges both went through, want 1", round, won)
		}
		ua, errA := us.Find(t.Context(), a.ID)
		ub, errB := us.Find(t.Context(), b.ID)
		if errA != nil || errB != nil {
			t.Fatal(errA, errB)
		}
		if (ua.MergedInto != nil) == (ub.MergedInto != nil) {
			t.Errorf("round %d: both units or neither merged (%v, %v), want exactly one", round, ua.MergedInto != nil, ub.MergedInto != nil)
		}
	}
}

func TestNominateAndSubstitute(t *testing.T) {
	db := dbtest.New(t)
	org := coursestest.Org(t, db, "Sở Nội vụ")
	c := coursestest.Course(t, db, org.ID, future)
	s := courses.New(db)
	u := coursestest.Unit(t, db, "UBND xã Cam Hải Tây")
	other := coursestest.Unit(t, db, "UBND xã Cam Hải Đông")
	nominate := func(n int, unit int64) (*courses.Registration, error) {
		in := valid(c.ID, n)
		in.Organization = ""
		return s.Nominate(t.Context(), courses.NominateInput{RegisterInput: in, UnitID: unit})
	}
	if _, err := nominate(1, u.ID); !errors.Is(err, courses.ErrNoQuota) {
		t.Fatalf("without a quota: %v", err)
	}
	coursestest.Quota(t, db, c.ID, u.ID, 2)
	a, err := nominate(1, u.ID)
	if err != nil || a.Status != courses.RegConfirmed || *a.UnitID != u.ID || a.Organization != u.Name {
		t.Fatalf("nominate: %+v %v", a, err)
	}
	if _, err := nominate(2, u.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := nominate(3, u.ID); !errors.Is(err, courses.ErrQuotaFull) {
		t.Errorf("beyond the quota: %v", err)
	}
	bad := valid(c.ID, 4)
	bad.Phone = "12"
	if _, err := s.Nominate(t.Context(), courses.NominateInput{RegisterInput: bad, UnitID: u.ID}); !hasFields(err, "phone") {
		t.Errorf("validation: %v", err)
	}
	sub := valid(c.ID, 5)
	sub.FullName = "Trần Văn Thay"
	if _, err := s.Substitute(t.Context(), courses.SubstituteInput{RegistrationID: a.ID, UnitID: other.ID, Person: sub}); !errors.Is(err, courses.ErrNotFound) {
		t.Errorf("another unit's nominee: %v", err)
	}
	b, err := s.Substitute(t.Context(), courses.SubstituteInput{RegistrationID: a.ID, UnitID: u.ID, Person: sub, Reason: "Ốm"})
	if err != nil || b.Status != courses.RegConfirmed || b.SubstituteFor == nil || *b.SubstituteFor != a.ID || *b.UnitID != u.ID {
		t.Fatalf("substitute: %+v %v", b, err)
	}
	a, _ = s.FindRegistrationByID(t.Context(), a.ID)
	if a.Status != courses.RegCancelled || a.StatusReason != "Ốm" {
		t.Errorf("the nominee after substitution: %+v", a)
	}
	fill, _ := s.QuotaFill(t.Context(), c.ID)
	if len(fill) != 1 || fill[0].Confirmed != 2 {
		t.Errorf("fill after substitution: %+v", fill)
	}
	if _, err := s.Substitute(t.Context(), courses.SubstituteInput{RegistrationID: a.ID, UnitID: u.ID, Person: valid(c.ID, 6)}); !errors.Is(err, courses.ErrBadTransition) {
		t.Errorf("substituting a cancelled nominee: %v", err)
	}
	// Once the course began, a focal point changes nothing; the door staff still can.
	if _, err := db.W.Exec(`UPDATE courses SET starts_on = '2023-01-01' WHERE id = ?`, c.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := nominate(7, u.ID); !errors.Is(err, courses.ErrNominationClosed) {
		t.Errorf("nominate after start: %v", err)
	}
	if _, err := s.Substitute(t.Context(), courses.SubstituteInput{RegistrationID: b.ID, UnitID: u.ID, Person: valid(c.ID, 8)}); !errors.Is(err, courses.ErrNominationClosed) {
		t.Errorf("focal point substitute after start: %v", err)
	}
	door := valid(c.ID, 9)
	door.FullName = "Phạm Thị Cửa"
	if d, err := s.Substitute(t.Context(), courses.SubstituteInput{RegistrationID: b.ID, Person: door, AtDoor: true, UserID: 0}); err != nil || d.Status != courses.RegConfirmed {
		t.Errorf("door substitute: %+v %v", d, err)
	}
	events, _ := s.RegistrationEvents(t.Context(), b.ID)
	if len(events) != 2 || events[1].NewStatus != courses.RegCancelled || events[1].Reason != courses.ReasonSubstituted {
		t.Errorf("substitution not logged: %+v", events)
	}
}

// TestReconcileLegacyQuotas: text quotas from before the directory — two spellings of one
// commune with a quota each — become one unit with the larger quota, and the registrations
// written either way are matched to it.
func TestReconcileLegacyQuotas(t *testing.T) {
	db := dbtest.New(t)
	org := coursestest.Org(t, db, "Sở Nội vụ")
	c := coursestest.Course(t, db, org.ID, coursestest.Upcoming)
	s := courses.New(db)
	// What the migration leaves from two text quotas: units keyed by folded text only.
	for i, name := range []string{"UBND xã Cam Hải Tây", "Ủy ban nhân dân xã Cam Hải Tây"} {
		var id int64
		if err := db.W.Get(&id, `INSERT INTO units (name, kind, created_at, updated_at) VALUES (?, 'other', '', '') RETURNING id`, name); err != nil {
			t.Fatal(err)
		}
		if _, err := db.W.Exec(`INSERT INTO unit_keys (match_key, unit_id, source, text) VALUES (?, ?, 'name', ?)`,
			fmt.Sprintf("legacy:%d", i), id, name); err != nil {
			t.Fatal(err)
		}
		if _, err := db.W.Exec(`INSERT INTO course_unit_quotas (course_id, unit_id, seats) VALUES (?, ?, ?)`, c.ID, id, i+1); err != nil {
			t.Fatal(err)
		}
	}
	coursestest.Registration(t, db, c.ID, coursestest.Person{FullName: "Lê Văn Một", Organization: "UBND X. Cam Hải Tây"}, courses.RegConfirmed)
	n, err := s.ReconcileUnits(t.Context())
	if err != nil || n != 1 {
		t.Fatalf("reconcile: %d %v", n, err)
	}
	fill, _ := s.QuotaFill(t.Context(), c.ID)
	if len(fill) != 1 || fill[0].Seats == nil || *fill[0].Seats != 2 || fill[0].Confirmed != 1 {
		t.Fatalf("fill after reconcile: %+v", fill)
	}
	if n, err := s.ReconcileUnits(t.Context()); err != nil || n != 0 {
		t.Errorf("second reconcile: %d %v", n, err)
	}
}
