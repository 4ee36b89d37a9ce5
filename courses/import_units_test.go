package courses_test

import (
	"testing"

	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/database/dbtest"
	"taphuan/units"
)

// The sending units' file writes one commune four ways, and a school the directory does not
// have.
const rosterUnits = "Họ và tên,Giới tính,Ngày sinh,Đơn vị công tác,Số điện thoại\n" +
	"Lê Văn Một,Nam,01/01/1980,UBND xã Cam Hải Tây,0905000001\n" + // exact name
	"Lê Văn Hai,Nam,01/01/1981,Ủy ban nhân dân X. Cam Hai Tay,0905000002\n" + // abbreviations, no diacritics
	"Lê Văn Ba,Nam,01/01/1982,UB xã Cam Hải Tây,0905000003\n" + // close: suggested
	"Lê Văn Bốn,Nam,01/01/1983,Trường THCS Cam Hải,0905000004\n" + // nothing
	"Lê Văn Năm,Nam,01/01/1984,ubnd xa cam hai tay,0905000005\n" + // same key as line 2
	"Lê Văn Sáu,Nam,01/01/1985,Trường THCS Cam Hải,0905000006\n"

// TestImportMapsUnitsAndRemembers: the preview matches spellings of a unit by key at once,
// suggests the unit for a close spelling, flags the unknown one; the organizer's choices
// (the suggested unit; a new unit) are applied in the import and remembered as aliases, so
// the next file maps itself.
func TestImportMapsUnitsAndRemembers(t *testing.T) {
	db := dbtest.New(t)
	org := coursestest.Org(t, db, "Sở Nội vụ")
	c := coursestest.Course(t, db, org.ID)
	s := courses.New(db)
	ctx := t.Context()
	commune := coursestest.Unit(t, db, "UBND xã Cam Hải Tây")
	rows := parse(t, rosterUnits, "ds.csv")
	maps, err := s.ImportUnits(ctx, rows)
	if err != nil {
		t.Fatal(err)
	}
	if len(maps) != 3 {
		t.Fatalf("distinct texts %+v, want 3 (one key for lines 2, 3, 6)", maps)
	}
	if maps[0].UnitID != commune.ID || maps[0].Rows != 3 {
		t.Errorf("exact and abbreviated spellings: %+v", maps[0])
	}
	if maps[1].UnitID != 0 || len(maps[1].Suggestions) == 0 || maps[1].Suggestions[0].Unit.ID != commune.ID {
		t.Errorf("close spelling: %+v, want the commune suggested", maps[1])
	}
	if maps[2].UnitID != 0 || len(maps[2].Suggestions) != 0 || maps[2].Rows != 2 {
		t.Errorf("unknown unit: %+v", maps[2])
	}
	res, err := s.Import(ctx, courses.ImportInput{CourseID: c.ID, Rows: rows, Units: []courses.UnitChoice{
		{Text: maps[1].Text, UnitID: commune.ID}, {Text: maps[2].Text, Create: true}}})
	if err != nil || res.Imported != 6 {
		t.Fatalf("import: %+v %v", res, err)
	}
	regs, _, _ := s.ListRegistrations(ctx, courses.RegistrationFilter{CourseID: c.ID, UnitID: commune.ID})
	if len(regs) != 4 {
		t.Errorf("%d registrations of the commune, want 4", len(regs))
	}
	school, ok, _ := units.New(db).Match(ctx, "Trường THCS Cam Hải")
	if !ok {
		t.Fatal("the new unit was not created")
	}
	regs, _, _ = s.ListRegistrations(ctx, courses.RegistrationFilter{CourseID: c.ID, UnitID: school})
	if len(regs) != 2 || regs[0].Organization != "Trường THCS Cam Hải" {
		t.Errorf("registrations of the school: %+v", regs)
	}
	// Remembered: a second file with the same spellings maps itself.
	c2 := coursestest.Course(t, db, org.ID)
	again, err := s.ImportUnits(ctx, parse(t, rosterUnits, "ds.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range again {
		if m.UnitID == 0 {
			t.Errorf("not remembered: %+v", m)
		}
	}
	_ = c2
	// A dry run remembers nothing.
	db2 := dbtest.New(t)
	s2 := courses.New(db2)
	o2 := coursestest.Org(t, db2, "Sở Nội vụ")
	cc := coursestest.Course(t, db2, o2.ID)
	if _, err := s2.Import(ctx, courses.ImportInput{CourseID: cc.ID, Rows: rows, Mode: courses.ImportDryRun,
		Units: []courses.UnitChoice{{Text: "Trường THCS Cam Hải", Create: true}}}); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := units.New(db2).Match(ctx, "Trường THCS Cam Hải"); ok {
		t.Error("a dry run created a unit")
	}
}
