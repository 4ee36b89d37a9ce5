package documents

import (
	"context"
	"testing"
	"time"

	"taphuan/accounts"
	"taphuan/attendance"
	"taphuan/certificates"
	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/database"
	"taphuan/database/dbtest"
)

// scene is an organization with certificate settings and a two-day course of four
// sessions, three units with quotas and one without, trainees of each, their marks and
// their certificates.
type scene struct {
	t      testing.TB
	db     *database.DB
	svc    *Service
	cs     *courses.Service
	att    *attendance.Service
	certs  *certificates.Service
	org    *accounts.Organization
	user   *accounts.User
	course *courses.Course
	// by unit
	unitIDs map[string]int64 // the units of the directory (unitD is a text that matched none)
	regs    map[string][]*courses.Registration
	// not to be named anywhere as called up
	waitlisted, cancelled *courses.Registration
}

const (
	unitA = "Phòng Văn hóa và Thông tin huyện Diên Khánh"
	unitB = "Đài Truyền thanh - Truyền hình thị xã Ninh Hòa"
	unitC = "UBND xã Cam Hải Tây"
	unitD = "Trung tâm Văn hóa - Thông tin - Thể thao huyện Khánh Vĩnh"
)

var fixedNow = time.Date(2023, 12, 6, 9, 0, 0, 0, time.UTC)

func newScene(t testing.TB, src Sources) *scene {
	t.Helper()
	ctx := context.Background()
	db := dbtest.New(t)
	sc := &scene{t: t, db: db, cs: courses.New(db), regs: map[string][]*courses.Registration{}}
	acc := accounts.New(db)
	sc.att = attendance.New(db, sc.cs)
	sc.certs = certificates.New(db, sc.cs, sc.att, acc)
	sc.svc = New(db, sc.cs, sc.att, sc.certs, acc, src)
	sc.svc.now = func() time.Time { return fixedNow }
	sc.org = coursestest.Org(t, db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	u, err := acc.CreateUser(ctx, accounts.UserInput{Email: "tochuc@example.vn", Name: "Lê Thị Tổ Chức",
		Role: accounts.RoleOrganizer, OrganizationID: sc.org.ID, Password: "mat-khau-123"})
	if err != nil {
		t.Fatal(err)
	}
	sc.user = u
	_, err = sc.certs.SaveSettings(ctx, certificates.SettingsInput{OrganizationID: sc.org.ID,
		NumberFormat: "%03d/GCN-STTTT", PlaceName: "Khánh Hòa", SignerName: "Trần Văn Đức",
		SignerTitle: "KT. GIÁM ĐỐC", SignerSubtitle: "PHÓ GIÁM ĐỐC", Wording: certificates.DefaultWording})
	if err != nil {
		t.Fatal(err)
	}
	sc.course = coursestest.Course(t, db, sc.org.ID, func(c *courses.Course) {
		c.Description = "Cập nhật quy định mới về thông tin cơ sở cho cán bộ cấp huyện và cấp xã."
		c.TargetAudience = "Công chức văn hóa - xã hội, cán bộ đài truyền thanh cấp xã."
		c.Program = "Chương trình mục tiêu quốc gia giảm nghèo bền vững 2021–2025"
	})
	m1 := coursestest.Module(t, db, sc.course.ID, "Quy định về hoạt động thông tin cơ sở", "ThS. Nguyễn Văn Hùng")
	m2 := coursestest.Module(t, db, sc.course.ID, "Vận hành đài truyền thanh ứng dụng CNTT - viễn thông", "KS. Phạm Minh Tuấn")
	s1, s2 := coursestest.Day(t, db, sc.course.ID, "2023-12-04")
	s3, s4 := coursestest.Day(t, db, sc.course.ID, "2023-12-05")
	for i, s := range []*courses.Session{s1, s2, s3, s4} {
		m := m1
		if i >= 2 {
			m = m2
		}
		if _, err := db.W.Exec(`UPDATE sessions SET module_id = ? WHERE id = ?`, m, s.ID); err != nil {
			t.Fatal(err)
		}
	}
	sc.unitIDs = map[string]int64{}
	for unit, seats := range map[string]int{unitA: 4, unitB: 2, unitC: 3} {
		u := coursestest.Unit(t, db, unit)
		coursestest.Quota(t, db, sc.course.ID, u.ID, seats)
		sc.unitIDs[unit] = u.ID
	}
	add := func(unit, name, gender, ethnicity, birth string) *courses.Registration {
		r := coursestest.Registration(t, db, sc.course.ID, coursestest.Person{FullName: name, Gender: gender,
			Ethnicity: ethnicity, BirthDate: birth, Position: "Chuyên viên", Organization: unit}, courses.RegConfirmed)
		sc.regs[unit] = append(sc.regs[unit], r)
		return r
	}
	a1 := add(unitA, "Nguyễn Thị Hải Yến", "Nữ", "Kinh", "1988-02-03")
	a2 := add(unitA, "Trần Văn Bình", "Nam", "Raglai", "1990-11-21")
	a3 := add(unitA, "Lê Minh Châu", "Nữ", "Kinh", "1979-07-09")
	b1 := add(unitB, "Phạm Quốc Dũng", "Nam", "Kinh", "1985-05-05")
	b2 := add(unitB, "Võ Thị Én", "Nữ", "Ê Đê", "1992-12-30")
	d1 := add(unitD, "Cao Văn Giang", "Nam", "Kinh", "1983-01-15")
	sc.waitlisted = coursestest.Registration(t, db, sc.course.ID, coursestest.Person{FullName: "Đinh Văn Hậu",
		Organization: unitA}, courses.RegWaitlisted)
	sc.cancelled = coursestest.Registration(t, db, sc.course.ID, coursestest.Person{FullName: "Hồ Thị Khuyên",
		Organization: unitA}, courses.RegCancelled)
	P, A := attendance.Present, attendance.Absent
	sessions := []*courses.Session{s1, s2, s3, s4}
	for r, st := range map[*courses.Registration][]string{
		a1: {P, P, P, P}, a2: {P, P, P, A}, a3: {A, A, A, A}, b1: {P, P, P, P}, b2: {P, A, P, P}, d1: {P, P, A, A},
	} {
		for i, s := range st {
			_, err := sc.att.SetMark(ctx, attendance.MarkInput{SessionID: sessions[i].ID, RegistrationID: r.ID,
				Status: s, Source: "tap", UserID: u.ID})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := sc.certs.Issue(ctx, certificates.IssueInput{CourseID: sc.course.ID, UserID: u.ID,
		VerifyBase: "https://taphuan.example.vn/verify/"}); err != nil {
		t.Fatal(err)
	}
	return sc
}
