package demo

import (
	"context"
	"testing"

	"taphuan/accounts"
	"taphuan/attendance"
	"taphuan/courses"
	"taphuan/database/dbtest"
	"taphuan/finance"
)

// TestLoadFinance: the demo course has lecturers with tiers on every module, a rate table,
// an estimate, the payment lists and a settlement, with nothing left unpriced.
func TestLoadFinance(t *testing.T) {
	ctx := context.Background()
	db := dbtest.New(t)
	logins, err := Load(ctx, db, "")
	if err != nil {
		t.Fatal(err)
	}
	orgs, _ := accounts.New(db).ListOrganizations(ctx)
	cs := courses.New(db)
	fin := finance.New(db, cs, attendance.New(db, cs))
	modules, _ := cs.ListModules(ctx, logins.CourseID)
	for _, m := range modules {
		if m.LecturerID == 0 {
			t.Errorf("module %q has no lecturer record", m.Title)
		}
	}
	if m := modules[0]; m.Lecturer != "ThS. Nguyễn Văn Hùng" {
		t.Errorf("module lecturer %q, want the name as written", m.Lecturer)
	}
	ls, _ := fin.ListLecturers(ctx, orgs[0].ID)
	if len(ls) != 7 {
		t.Errorf("%d lecturers, want 7", len(ls))
	}
	e, err := fin.Estimate(ctx, logins.CourseID)
	if err != nil || e.Total == 0 || len(e.Flags) != 0 {
		t.Fatalf("estimate %+v %v", e, err)
	}
	h, err := fin.Honoraria(ctx, logins.CourseID)
	if err != nil || len(h.Lines) != 4 || len(h.Flags) != 0 {
		t.Fatalf("honoraria %+v %v", h, err)
	}
	// One session each: Hùng 1.000.000 (4/12, Nghị quyết 38), Mai 2.000.000 (central,
	// withheld 10%), Vinh 1.200.000 (5/12, the new rate), Tuấn 600.000.
	if h.Gross != 4_800_000 || h.TaxTotal != 200_000 {
		t.Errorf("honoraria gross %d tax %d", h.Gross, h.TaxTotal)
	}
	sp, err := fin.Support(ctx, logins.CourseID)
	if err != nil || sp.Total == 0 || sp.Total%150_000 != 0 {
		t.Errorf("support %d %v", sp.Total, err)
	}
	st, err := fin.Settlement(ctx, logins.CourseID)
	if err != nil || st.Total == 0 || st.EstimateTotal != e.Total || len(st.Flags) != 0 {
		t.Errorf("settlement %+v %v", st, err)
	}
}
