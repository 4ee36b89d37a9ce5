package demo

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"taphuan/accounts"
	"taphuan/attendance"
	"taphuan/certificates"
	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/database/dbtest"
)

// TestDemoCertificates: the demo organization gets its certificate template, and once the
// demo course has attendance its qualifying trainees get numbered certificates whose QR
// codes point to the demo server.
func TestDemoCertificates(t *testing.T) {
	t.Setenv("TAPHUAN_BASE_URL", "")
	ctx := context.Background()
	db := dbtest.New(t)
	if _, err := Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	acc := accounts.New(db)
	cs := courses.New(db)
	att := attendance.New(db, cs)
	svc := certificates.New(db, cs, att, acc)
	orgs, err := acc.ListOrganizations(ctx)
	if err != nil || len(orgs) != 1 {
		t.Fatalf("organizations %v %v", orgs, err)
	}
	org := orgs[0]
	st, err := svc.Settings(ctx, org.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st.UpdatedAt.IsZero() || st.NumberFormat != "%03d/GCN-STTTT" || st.PlaceName != "Khánh Hòa" ||
		st.SignerTitle != "KT. GIÁM ĐỐC" || st.SignerSubtitle != "PHÓ GIÁM ĐỐC" || st.SignerName == "" {
		t.Errorf("demo settings %+v", st)
	}

	// As after the courses and attendance steps: a course with marks.
	course := coursestest.Course(t, db, org.ID)
	m, a := coursestest.Day(t, db, course.ID, "2023-12-04")
	full := coursestest.Registration(t, db, course.ID, coursestest.Person{FullName: "Nguyễn Thị Hải Yến"}, courses.RegConfirmed)
	half := coursestest.Registration(t, db, course.ID, coursestest.Person{FullName: "Trần Văn Bình", Gender: "Nam"}, courses.RegConfirmed)
	for _, mk := range []attendance.MarkInput{
		{SessionID: m.ID, RegistrationID: full.ID, Status: attendance.Present},
		{SessionID: a.ID, RegistrationID: full.ID, Status: attendance.Late},
		{SessionID: m.ID, RegistrationID: half.ID, Status: attendance.Present},
		{SessionID: a.ID, RegistrationID: half.ID, Status: attendance.Absent},
	} {
		if _, err := att.SetMark(ctx, mk); err != nil {
			t.Fatal(err)
		}
	}
	if err := loadCertificates(ctx, db, org.ID, course.ID); err != nil {
		t.Fatal(err)
	}
	list, _, err := svc.List(ctx, certificates.Filter{CourseID: course.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].RegistrationID != full.ID || list[0].Number != "001/GCN-STTTT" || !list[0].IssuedBy.Valid {
		t.Fatalf("demo certificates %+v", list)
	}
	pdf, _, err := svc.PDF(ctx, list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "c.pdf")
	if err := os.WriteFile(f, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", f, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext (poppler-utils): %v %s", err, out)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, s := range []string{"Số: 001/GCN-STTTT", "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC", DefaultBaseURL + "/verify/" + list[0].Code} {
		if !strings.Contains(text, s) {
			t.Errorf("demo certificate lacks %q:\n%s", s, text)
		}
	}
	v, err := svc.Verify(ctx, list[0].Code)
	if err != nil || v.Status != certificates.Valid {
		t.Errorf("verify %+v %v", v, err)
	}
}
