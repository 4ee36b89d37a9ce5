package finance_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"taphuan/accounts"
	"taphuan/attendance"
	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/database/dbtest"
	"taphuan/finance"
	"taphuan/pdfdoc/pdftest"
)

// TestSupportFromTheCourseAmount: without a meal rate in the cost norms, the support list is
// the former attendance payments list: the course's amount per attended day (present or
// late at one session at least), the trainees without an attended day left out.
func TestSupportFromTheCourseAmount(t *testing.T) {
	ctx := context.Background()
	db := dbtest.New(t)
	crs := courses.New(db)
	att := attendance.New(db, crs)
	fin := finance.New(db, crs, att)
	org := coursestest.Org(t, db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	course := coursestest.Course(t, db, org.ID) // 4–5/12/2023, 150.000 đồng per day
	organizer, err := accounts.New(db).CreateUser(ctx, accounts.UserInput{Email: "tc@example.vn", Name: "Tổ chức",
		Role: accounts.RoleOrganizer, OrganizationID: org.ID, Password: "mat-khau-123"})
	if err != nil {
		t.Fatal(err)
	}
	m1, a1 := coursestest.Day(t, db, course.ID, "2023-12-04")
	m2, _ := coursestest.Day(t, db, course.ID, "2023-12-05")
	reg := func(name string) *courses.Registration {
		return coursestest.Registration(t, db, course.ID, coursestest.Person{FullName: name, Organization: "Phòng Văn hóa và Thông tin huyện Diên Khánh"}, courses.RegConfirmed)
	}
	yen, duc := reg("Nguyễn Thị Hải Yến"), reg("Đặng Văn Đức")
	reg("Bùi Thị Ánh") // absent throughout: not on the list
	mark := func(s *courses.Session, r *courses.Registration, st string) {
		if _, err := att.SetMark(ctx, attendance.MarkInput{SessionID: s.ID, RegistrationID: r.ID, Status: st, UserID: organizer.ID}); err != nil {
			t.Fatal(err)
		}
	}
	mark(m1, yen, attendance.Present)
	mark(a1, yen, attendance.Present)
	mark(m2, yen, attendance.Late)
	mark(a1, duc, attendance.Present)
	mark(m2, duc, attendance.Present)
	// Yến 2 days, Đức 2 days: 600.000 đồng.
	sp, err := fin.Support(ctx, course.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(sp.Lines) != 2 || sp.Lines[0].FullName != "Đặng Văn Đức" || sp.Lines[0].Days != 2 || sp.Lines[0].Amount != 300_000 ||
		sp.Total != 600_000 || sp.TotalDays != 4 || len(sp.Flags) != 0 {
		t.Fatalf("support %+v", sp)
	}
	rep, err := fin.ReportFile(ctx, issuer, course.ID, finance.KindSupport, "pdf", finance.ReportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(pdftest.Text(t, rep.Data, "-layout"), "\n")
	for _, s := range []string{finance.SupportTitle, "Ngày 04/12/2023: 150.000 đồng/người", "Số tiền", "Ký nhận",
		"Bằng chữ: Sáu trăm nghìn đồng.", "NGƯỜI LẬP BIỂU", "KẾ TOÁN", "THỦ TRƯỞNG ĐƠN VỊ"} {
		if !strings.Contains(all, s) {
			t.Errorf("support list lacks %q", s)
		}
	}
	if strings.Contains(all, "Bùi Thị Ánh") {
		t.Error("a trainee with no attended day is on the list")
	}
	if !regexp.MustCompile(`Tổng cộng\s+4\s+600\.000`).MatchString(all) {
		t.Errorf("no total line 'Tổng cộng 4 600.000' in:\n%s", all)
	}
	if !regexp.MustCompile(`1\s+Đặng Văn Đức.*2\s+300\.000`).MatchString(all) {
		t.Error("Đức's row is not '1 Đặng Văn Đức … 2 300.000'")
	}
	// Without any amount at all, nothing is paid from a guess: the days are flagged.
	bare := coursestest.Course(t, db, org.ID, func(c *courses.Course) { c.SupportAmountPerDay = 0 })
	coursestest.Day(t, db, bare.ID, "2023-12-04")
	sp, err = fin.Support(ctx, bare.ID)
	if err != nil || len(sp.Flags) != 1 || sp.Flags[0].Msg.Key != "finance.flag.no_rate.meal" || sp.Total != 0 {
		t.Errorf("no rate: %+v %v", sp, err)
	}
}
