package certificates

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"taphuan/pdfdoc/pdftest"
	"testing"
	"time"

	"taphuan/accounts"
	"taphuan/attendance"
	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/database"
	"taphuan/database/dbtest"
	"taphuan/errs"
)

const verifyBase = "https://taphuan.khanhhoa.gov.vn/verify/"

// scene is an organization with certificate settings and a two-day course of four
// sessions (minimum 75%).
type scene struct {
	t        testing.TB
	db       *database.DB
	svc      *Service
	att      *attendance.Service
	org      *accounts.Organization
	user     *accounts.User
	course   *courses.Course
	sessions []*courses.Session
}

func newScene(t testing.TB) *scene {
	t.Helper()
	db := dbtest.New(t)
	cs := courses.New(db)
	acc := accounts.New(db)
	sc := &scene{t: t, db: db, att: attendance.New(db, cs)}
	sc.svc = New(db, cs, sc.att, acc)
	sc.org = coursestest.Org(t, db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	u, err := acc.CreateUser(context.Background(), accounts.UserInput{Email: "tochuc@example.vn",
		Name: "Lê Thị Tổ Chức", Role: accounts.RoleOrganizer, OrganizationID: sc.org.ID, Password: "mat-khau-123"})
	if err != nil {
		t.Fatal(err)
	}
	sc.user = u
	_, err = sc.svc.SaveSettings(context.Background(), SettingsInput{OrganizationID: sc.org.ID,
		NumberFormat: "%03d/GCN-STTTT", PlaceName: "Khánh Hòa", SignerName: "Trần Văn Đức",
		SignerTitle: "KT. GIÁM ĐỐC", SignerSubtitle: "PHÓ GIÁM ĐỐC", Wording: DefaultWording})
	if err != nil {
		t.Fatal(err)
	}
	sc.course, sc.sessions = sc.newCourse()
	return sc
}

// newCourse adds a two-day course (4/12–5/12/2023) of four sessions.
func (sc *scene) newCourse(opts ...func(*courses.Course)) (*courses.Course, []*courses.Session) {
	c := coursestest.Course(sc.t, sc.db, sc.org.ID, opts...)
	m1, a1 := coursestest.Day(sc.t, sc.db, c.ID, "2023-12-04")
	m2, a2 := coursestest.Day(sc.t, sc.db, c.ID, "2023-12-05")
	return c, []*courses.Session{m1, a1, m2, a2}
}

func (sc *scene) trainee(courseID int64, name, gender string) *courses.Registration {
	return coursestest.Registration(sc.t, sc.db, courseID, coursestest.Person{FullName: name, Gender: gender,
		Organization: "Phòng Văn hóa và Thông tin huyện Diên Khánh"}, courses.RegConfirmed)
}

// marks sets the trainee's marks on the sessions in order ("" leaves one unmarked).
func (sc *scene) marks(reg *courses.Registration, sessions []*courses.Session, statuses ...string) {
	sc.t.Helper()
	for i, st := range statuses {
		if st == "" {
			continue
		}
		_, err := sc.att.SetMark(context.Background(), attendance.MarkInput{SessionID: sessions[i].ID,
			RegistrationID: reg.ID, Status: st, Source: "tap", UserID: sc.user.ID})
		if err != nil {
			sc.t.Fatal(err)
		}
	}
}

func (sc *scene) issue(courseID int64) *IssueResult {
	sc.t.Helper()
	res, err := sc.svc.Issue(context.Background(), IssueInput{CourseID: courseID, UserID: sc.user.ID, VerifyBase: verifyBase})
	if err != nil {
		sc.t.Fatalf("Issue: %v", err)
	}
	return res
}

func (sc *scene) row(p *Preview, regID int64) *Eligibility {
	for i := range p.Rows {
		if p.Rows[i].RegistrationID == regID {
			return &p.Rows[i]
		}
	}
	sc.t.Fatalf("registration %d not in the preview", regID)
	return nil
}

const (
	P = attendance.Present
	L = attendance.Late
	A = attendance.Absent
	E = attendance.Excused
)

func TestMeetsRule(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		attended, planned, min int
		want                   bool
	}{
		{3, 4, 75, true},       // exactly 75% meets 75
		{749, 1000, 75, false}, // 74.9% does not
		{750, 1000, 75, true},
		{2, 3, 67, false}, // 66.67% < 67: no float rounding to 67
		{2, 3, 66, true},
		{4, 4, 100, true},
		{99, 100, 100, false},
		{0, 4, 0, true},
		{0, 0, 75, false}, // no sessions: no attendance
		{0, 0, 0, true},
	} {
		if got := MeetsRule(tc.attended, tc.planned, tc.min); got != tc.want {
			t.Errorf("MeetsRule(%d, %d, %d) = %v, want %v", tc.attended, tc.planned, tc.min, got, tc.want)
		}
	}
}

func TestEligibility(t *testing.T) {
	t.Parallel()
	sc := newScene(t)
	ctx := context.Background()
	s := sc.sessions
	all := sc.trainee(sc.course.ID, "Nguyễn Văn An", "Nam")
	exactly75 := sc.trainee(sc.course.ID, "Trần Thị Bình", "Nữ")
	half := sc.trainee(sc.course.ID, "Lê Thị Chi", "Nữ")
	mandatory := sc.trainee(sc.course.ID, "Phạm Văn Dũng", "Nam")
	none := sc.trainee(sc.course.ID, "Võ Thị Em", "Nữ")
	waiting := coursestest.Registration(t, sc.db, sc.course.ID, coursestest.Person{FullName: "Đỗ Văn Giang"}, courses.RegWaitlisted)
	sc.marks(all, s, P, P, P, P)
	sc.marks(exactly75, s, P, L, P, A) // late counts as attended: 3 of 4
	sc.marks(half, s, P, E, P, A)      // excused does not count: 2 of 4
	sc.marks(mandatory, s, P, P, P, A)
	if _, err := sc.db.W.Exec(`UPDATE sessions SET mandatory = 1 WHERE id = ?`, s[3].ID); err != nil {
		t.Fatal(err)
	}

	p, err := sc.svc.Eligibility(ctx, sc.course.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Rows) != 5 {
		t.Fatalf("%d rows, want the 5 confirmed trainees", len(p.Rows))
	}
	for _, r := range p.Rows {
		if r.RegistrationID == waiting.ID {
			t.Error("a waitlisted trainee is in the preview")
		}
	}
	check := func(p *Preview, reg *courses.Registration, eligible bool, reasons ...string) *Eligibility {
		t.Helper()
		r := sc.row(p, reg.ID)
		if r.Eligible != eligible || strings.Join(r.Reasons, ",") != strings.Join(reasons, ",") {
			t.Errorf("%s: eligible %v reasons %v, want %v %v", reg.FullName, r.Eligible, r.Reasons, eligible, reasons)
		}
		return r
	}
	check(p, all, true)
	// 3 of 4 meets the 75% minimum, but the missed session is mandatory.
	r := check(p, exactly75, false, ReasonMandatory)
	if r.Attended != 3 || r.Planned != 4 || r.Percent != 75 {
		t.Errorf("exactly75: %d/%d %.2f%%", r.Attended, r.Planned, r.Percent)
	}
	r = check(p, half, false, ReasonAttendance, ReasonMandatory)
	if len(r.Missed) != 2 || r.Missed[0].ID != s[1].ID || r.Missed[1].ID != s[3].ID {
		t.Errorf("half: missed %v, want sessions %d and %d", r.Missed, s[1].ID, s[3].ID)
	}
	r = check(p, mandatory, false, ReasonMandatory)
	if len(r.MandatoryMissed) != 1 || r.MandatoryMissed[0].ID != s[3].ID {
		t.Errorf("mandatory: mandatory missed %v", r.MandatoryMissed)
	}
	check(p, none, false, ReasonAttendance, ReasonMandatory)

	t.Run("exactly 75% with min 75", func(t *testing.T) {
		if _, err := sc.db.W.Exec(`UPDATE sessions SET mandatory = 0`); err != nil {
			t.Fatal(err)
		}
		p, _ := sc.svc.Eligibility(ctx, sc.course.ID)
		check(p, exactly75, true)
		check(p, mandatory, true)
		check(p, half, false, ReasonAttendance)
		if _, err := sc.db.W.Exec(`UPDATE courses SET min_attendance_percent = 76 WHERE id = ?`, sc.course.ID); err != nil {
			t.Fatal(err)
		}
		p, _ = sc.svc.Eligibility(ctx, sc.course.ID)
		check(p, exactly75, false, ReasonAttendance)
		check(p, all, true)
		if _, err := sc.db.W.Exec(`UPDATE courses SET min_attendance_percent = 75 WHERE id = ?`, sc.course.ID); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("Override", func(t *testing.T) {
		err := sc.svc.SetOverride(ctx, OverrideInput{CourseID: sc.course.ID, RegistrationID: half.ID, Decision: Grant, UserID: sc.user.ID})
		var e *errs.Error
		if !errors.As(err, &e) || e.Code != errs.Invalid || e.Fields["reason"].Key != "cert.err.reason_required" {
			t.Fatalf("grant without a reason: %v, want the reason required", err)
		}
		err = sc.svc.SetOverride(ctx, OverrideInput{CourseID: sc.course.ID, RegistrationID: half.ID, Decision: "maybe", Reason: "x"})
		if !errors.As(err, &e) || e.Fields["decision"].Key == "" {
			t.Errorf("unknown decision: %v", err)
		}
		other, _ := sc.newCourse()
		err = sc.svc.SetOverride(ctx, OverrideInput{CourseID: other.ID, RegistrationID: half.ID, Decision: Grant, Reason: "x"})
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("override in another course: %v, want ErrNotFound", err)
		}

		before := time.Now().Add(-time.Second)
		must(t, sc.svc.SetOverride(ctx, OverrideInput{CourseID: sc.course.ID, RegistrationID: half.ID, Decision: Grant,
			Reason: "  Nghỉ buổi chiều do đi công tác theo quyết định của UBND huyện  ", UserID: sc.user.ID}))
		must(t, sc.svc.SetOverride(ctx, OverrideInput{CourseID: sc.course.ID, RegistrationID: all.ID, Decision: Deny,
			Reason: "Không nộp bài thu hoạch", UserID: sc.user.ID}))
		p, _ := sc.svc.Eligibility(ctx, sc.course.ID)
		r := check(p, half, true)
		if r.ByRule || r.Override == nil || !r.Override.Eligible ||
			r.Override.Reason != "Nghỉ buổi chiều do đi công tác theo quyết định của UBND huyện" ||
			r.Override.UserName != "Lê Thị Tổ Chức" || r.Override.At.Before(before) {
			t.Errorf("granted override: %+v by rule %v", r.Override, r.ByRule)
		}
		r = check(p, all, false, ReasonDenied)
		if !r.ByRule || r.Override == nil || r.Override.Eligible {
			t.Errorf("denied override: %+v", r.Override)
		}

		res := sc.issue(sc.course.ID)
		got := map[int64]bool{}
		for _, is := range res.Issued {
			got[is.RegistrationID] = true
		}
		if !got[half.ID] || got[all.ID] {
			t.Errorf("issued to %v: want the granted trainee and not the denied one", got)
		}

		must(t, sc.svc.SetOverride(ctx, OverrideInput{CourseID: sc.course.ID, RegistrationID: all.ID, Decision: Clear}))
		p, _ = sc.svc.Eligibility(ctx, sc.course.ID)
		if r := check(p, all, true); r.Override != nil {
			t.Errorf("cleared override still there: %+v", r.Override)
		}
	})
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestIssue(t *testing.T) {
	t.Parallel()
	sc := newScene(t)
	ctx := context.Background()
	names := []string{"Nguyễn Thị Hải Yến", "Đặng Văn Đức", "Lê Văn An", "Trần Thị Bích"}
	regs := make([]*courses.Registration, len(names))
	for i, n := range names {
		regs[i] = sc.trainee(sc.course.ID, n, []string{"Nữ", "Nam", "Nam", "Nữ"}[i])
	}
	sc.marks(regs[0], sc.sessions, P, P, P, P)
	sc.marks(regs[1], sc.sessions, P, P, L, A)
	sc.marks(regs[2], sc.sessions, P, P, P, P)
	sc.marks(regs[3], sc.sessions, P, A, A, A)

	res := sc.issue(sc.course.ID)
	// Vietnamese order by given name: An, Đức, Yến.
	want := []struct {
		reg    *courses.Registration
		number string
	}{{regs[2], "001/GCN-STTTT"}, {regs[1], "002/GCN-STTTT"}, {regs[0], "003/GCN-STTTT"}}
	if len(res.Issued) != len(want) {
		t.Fatalf("issued %+v, want 3", res.Issued)
	}
	for i, w := range want {
		if got := res.Issued[i]; got.RegistrationID != w.reg.ID || got.Number != w.number {
			t.Errorf("issued[%d] = %+v, want %s for %s", i, got, w.number, w.reg.FullName)
		}
	}
	if len(res.Ineligible) != 1 || res.Ineligible[0].RegistrationID != regs[3].ID ||
		res.Ineligible[0].Reasons[0] != ReasonAttendance {
		t.Errorf("ineligible %+v, want Bích for attendance", res.Ineligible)
	}

	pdf, c, err := sc.svc.PDF(ctx, res.Issued[2].CertificateID)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(pdf)
	if c.SHA256 != hex.EncodeToString(sum[:]) || c.Status != Valid || c.IssuedOn != "2023-12-05" || c.Year != 2023 ||
		c.Seq != 3 || c.FullName != "Nguyễn Thị Hải Yến" || !c.IssuedBy.Valid || c.IssuedBy.Int64 != sc.user.ID {
		t.Errorf("certificate %+v", c)
	}
	if !regexp.MustCompile(`^[A-Za-z0-9_-]{22}$`).MatchString(c.Code) {
		t.Errorf("code %q is not 22 URL-safe characters (128 bits)", c.Code)
	}
	text := strings.Join(strings.Fields(pdftest.Text(t, pdf)[0]), " ")
	for _, s := range []string{"Số: 003/GCN-STTTT", "GIẤY CHỨNG NHẬN", "Nguyễn Thị Hải Yến", "Ngày sinh: 15/03/1985",
		"Tập huấn nâng cao năng lực cán bộ thông tin và truyền thông cơ sở năm 2023",
		"Khánh Hòa, ngày 05 tháng 12 năm 2023", verifyBase + c.Code, "Trần Văn Đức"} {
		if !strings.Contains(text, s) {
			t.Errorf("PDF lacks %q:\n%s", s, text)
		}
	}

	t.Run("nothing issued twice", func(t *testing.T) {
		again := sc.issue(sc.course.ID)
		if len(again.Issued) != 0 {
			t.Errorf("second issue gave %+v", again.Issued)
		}
		var n int
		must(t, sc.db.R.Get(&n, `SELECT last_number FROM certificate_counters WHERE organization_id = ? AND year = 2023`, sc.org.ID))
		if n != 3 {
			t.Errorf("counter %d, want 3", n)
		}
		// A trainee who now qualifies gets the next number.
		sc.marks(regs[3], sc.sessions, P, P, P, P)
		late := sc.issue(sc.course.ID)
		if len(late.Issued) != 1 || late.Issued[0].Number != "004/GCN-STTTT" {
			t.Errorf("late issue %+v, want 004", late.Issued)
		}
	})

	t.Run("a new year starts at 001", func(t *testing.T) {
		c2, s2 := sc.newCourse(func(c *courses.Course) { c.StartsOn, c.EndsOn = "2024-01-08", "2024-01-09" })
		r := sc.trainee(c2.ID, "Hoàng Văn Hải", "Nam")
		sc.marks(r, s2, P, P, P, P)
		res := sc.issue(c2.ID)
		if len(res.Issued) != 1 || res.Issued[0].Number != "001/GCN-STTTT" {
			t.Errorf("issued %+v, want 001 of 2024", res.Issued)
		}
		// The date printed may be chosen; its year picks the sequence.
		c3, s3 := sc.newCourse()
		r3 := sc.trainee(c3.ID, "Hoàng Văn Bảo", "Nam")
		sc.marks(r3, s3, P, P, P, P)
		got, err := sc.svc.Issue(ctx, IssueInput{CourseID: c3.ID, IssuedOn: "2024-02-01", VerifyBase: verifyBase})
		if err != nil || len(got.Issued) != 1 || got.Issued[0].Number != "002/GCN-STTTT" {
			t.Fatalf("issue dated 2024: %+v %v", got, err)
		}
		pdf, _, _ := sc.svc.PDF(ctx, got.Issued[0].CertificateID)
		if text := strings.Join(strings.Fields(pdftest.Text(t, pdf)[0]), " "); !strings.Contains(text, "Khánh Hòa, ngày 01 tháng 02 năm 2024") {
			t.Errorf("date line of an issue dated 01/02/2024:\n%s", text)
		}
		_, err = sc.svc.Issue(ctx, IssueInput{CourseID: c3.ID, IssuedOn: "31/02/2024", VerifyBase: verifyBase})
		if e := (*errs.Error)(nil); !errors.As(err, &e) || e.Fields["issued_on"].Key == "" {
			t.Errorf("issue dated 31/02: %v", err)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		if _, err := sc.svc.Issue(ctx, IssueInput{CourseID: 99999, VerifyBase: verifyBase}); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("unknown course: %v", err)
		}
		if _, err := sc.svc.FindByCode(ctx, "nope"); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown code: %v", err)
		}
	})
}

// TestIssueConcurrently: two courses of one organization issue at the same time, and a
// second issue of the first course races them; the numbers are distinct and gap-free,
// each trainee holds one certificate, and each PDF prints the number it is registered with.
func TestIssueConcurrently(t *testing.T) {
	t.Parallel()
	sc := newScene(t)
	ctx := context.Background()
	c2, s2 := sc.newCourse(func(c *courses.Course) { c.Title = "Bồi dưỡng cán bộ giảm nghèo năm 2023" })
	const per = 30
	for i := range per {
		r := sc.trainee(sc.course.ID, fmt.Sprintf("Nguyễn Văn Học Viên %02d", i), "Nam")
		sc.marks(r, sc.sessions, P, P, P, P)
		r = sc.trainee(c2.ID, fmt.Sprintf("Trần Thị Cán Bộ %02d", i), "Nữ")
		sc.marks(r, s2, P, P, P, L)
	}
	var wg sync.WaitGroup
	results := make([]*IssueResult, 3)
	errc := make([]error, 3)
	for i, id := range []int64{sc.course.ID, c2.ID, sc.course.ID} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errc[i] = sc.svc.Issue(ctx, IssueInput{CourseID: id, UserID: sc.user.ID, VerifyBase: verifyBase})
		}()
	}
	wg.Wait()
	total := 0
	for i, err := range errc {
		if err != nil {
			t.Fatalf("issue %d: %v", i, err)
		}
		total += len(results[i].Issued)
	}
	if total != 2*per {
		t.Errorf("issued %d certificates in all, want %d", total, 2*per)
	}
	var rows []struct {
		Seq    int    `db:"seq"`
		Number string `db:"number"`
		Reg    int64  `db:"registration_id"`
		PDF    []byte `db:"pdf"`
	}
	must(t, sc.db.R.Select(&rows, `SELECT seq, number, registration_id, pdf FROM certificates ORDER BY seq`))
	if len(rows) != 2*per {
		t.Fatalf("%d certificates in the register, want %d", len(rows), 2*per)
	}
	regs := map[int64]bool{}
	for i, r := range rows {
		if r.Seq != i+1 || r.Number != fmt.Sprintf("%03d/GCN-STTTT", i+1) {
			t.Errorf("register row %d: seq %d number %s, want %d with no gap or repeat", i, r.Seq, r.Number, i+1)
		}
		if regs[r.Reg] {
			t.Errorf("registration %d holds two certificates", r.Reg)
		}
		regs[r.Reg] = true
	}
	var counter int
	must(t, sc.db.R.Get(&counter, `SELECT last_number FROM certificate_counters WHERE organization_id = ?`, sc.org.ID))
	if counter != 2*per {
		t.Errorf("counter %d, want %d", counter, 2*per)
	}
	// Predicted numbers collided; the ones rendered again inside the transaction must
	// print their final number. Check every file.
	var wgText sync.WaitGroup
	var mu sync.Mutex
	for _, r := range rows {
		wgText.Add(1)
		go func() {
			defer wgText.Done()
			text := pdftest.Text(t, r.PDF)[0]
			if !strings.Contains(text, "Số: "+r.Number+"\n") {
				mu.Lock()
				t.Errorf("certificate registered as %s prints another number:\n%s", r.Number, text[:min(len(text), 300)])
				mu.Unlock()
			}
		}()
	}
	wgText.Wait()
}

// TestDownloadsUnchanged: what was issued is what every later download returns, byte for
// byte, whatever is edited afterwards; a reissue prints the corrections.
func TestDownloadsUnchanged(t *testing.T) {
	t.Parallel()
	sc := newScene(t)
	ctx := context.Background()
	r := sc.trainee(sc.course.ID, "Nguyễn Thị Hải Yến", "Nữ")
	sc.marks(r, sc.sessions, P, P, P, P)
	id := sc.issue(sc.course.ID).Issued[0].CertificateID
	first, c, err := sc.svc.PDF(ctx, id)
	must(t, err)

	for _, q := range []string{
		`UPDATE courses SET title = 'Tên lớp đã sửa', starts_on = '2024-01-08', ends_on = '2024-01-09' WHERE id = ?`,
		`UPDATE organizations SET name = 'Sở Khoa học và Công nghệ tỉnh Khánh Hòa' WHERE id = (SELECT organization_id FROM courses WHERE id = ?)`,
		`UPDATE registrations SET full_name = 'Nguyễn Thị Hải Yến Sửa', birth_date = '1990-01-01' WHERE id = ?`,
	} {
		arg := sc.course.ID
		if strings.Contains(q, "registrations") {
			arg = r.ID
		}
		if _, err := sc.db.W.Exec(q, arg); err != nil {
			t.Fatal(err)
		}
	}
	_, err = sc.svc.SaveSettings(ctx, SettingsInput{OrganizationID: sc.org.ID, NumberFormat: "%d/GCN-MOI",
		PlaceName: "Nha Trang", SignerTitle: "GIÁM ĐỐC", SignerName: "Người Ký Mới", Wording: "Đã tham dự", Logo: testLogo(t)})
	must(t, err)

	again, c2, err := sc.svc.PDF(ctx, id)
	must(t, err)
	if !bytes.Equal(first, again) {
		t.Fatal("the stored PDF changed after edits")
	}
	sum := sha256.Sum256(again)
	if c2.SHA256 != c.SHA256 || c2.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("sha256 %s / %s, want %x", c.SHA256, c2.SHA256, sum)
	}
	if c2.FullName != "Nguyễn Thị Hải Yến" || c2.CourseTitle != sc.course.Title {
		t.Errorf("register name %q or course title %q changed", c2.FullName, c2.CourseTitle)
	}
	// Whoever checks the paper sees what is printed on it — title, dates, agency — not the
	// course's new title and dates or the agency's new name.
	if v, err := sc.svc.Verify(ctx, c.Code); err != nil || v.CourseTitle != sc.course.Title ||
		v.CourseDates != CourseDates(sc.course.StartsOn, sc.course.EndsOn) || v.Organization != sc.org.Name {
		t.Errorf("verify after renaming and moving the course and renaming the agency: %+v %v, want the printed title %q, dates %q and agency %q",
			v, err, sc.course.Title, CourseDates(sc.course.StartsOn, sc.course.EndsOn), sc.org.Name)
	}

	// The correction goes through a reissue, which prints today's data.
	n, err := sc.svc.Reissue(ctx, ReissueInput{CertificateID: id, UserID: sc.user.ID, VerifyBase: verifyBase})
	must(t, err)
	pdf, _, err := sc.svc.PDF(ctx, n.ID)
	must(t, err)
	text := strings.Join(strings.Fields(pdftest.Text(t, pdf)[0]), " ")
	for _, s := range []string{"Số: 2/GCN-MOI", "Nguyễn Thị Hải Yến Sửa", "Ngày sinh: 01/01/1990", "Tên lớp đã sửa",
		"Nha Trang, ngày 05 tháng 12 năm 2023", "Người Ký Mới", "Đã tham dự"} {
		if !strings.Contains(text, s) {
			t.Errorf("reissued PDF lacks %q:\n%s", s, text)
		}
	}
	if old, _, _ := sc.svc.PDF(ctx, id); !bytes.Equal(old, first) {
		t.Error("the superseded certificate's file changed")
	}
	if v, err := sc.svc.Verify(ctx, n.Code); err != nil || v.CourseTitle != "Tên lớp đã sửa" {
		t.Errorf("verify of the reissue: %+v %v, want the title it prints", v, err)
	}
}

func TestRevokeAndReissue(t *testing.T) {
	t.Parallel()
	sc := newScene(t)
	ctx := context.Background()
	a := sc.trainee(sc.course.ID, "Nguyễn Văn An", "Nam")
	b := sc.trainee(sc.course.ID, "Trần Thị Bình", "Nữ")
	sc.marks(a, sc.sessions, P, P, P, P)
	sc.marks(b, sc.sessions, P, P, P, P)
	res := sc.issue(sc.course.ID)
	idA, idB := res.Issued[0].CertificateID, res.Issued[1].CertificateID

	_, err := sc.svc.Revoke(ctx, RevokeInput{CertificateID: idA, Reason: "   "})
	if e := (*errs.Error)(nil); !errors.As(err, &e) || e.Fields["reason"].Key != "cert.err.reason_required" {
		t.Fatalf("revoke without a reason: %v", err)
	}
	before := time.Now().Add(-time.Second)
	c, err := sc.svc.Revoke(ctx, RevokeInput{CertificateID: idA, Reason: "Điểm danh hộ", UserID: sc.user.ID})
	must(t, err)
	if c.Status != Revoked || c.RevokeReason != "Điểm danh hộ" || c.RevokedAt.Before(before) ||
		c.RevokedBy.Int64 != sc.user.ID || c.RevokedByName.String != "Lê Thị Tổ Chức" {
		t.Errorf("revoked %+v", c)
	}
	if _, err := sc.svc.Revoke(ctx, RevokeInput{CertificateID: idA, Reason: "lần nữa"}); !errors.Is(err, ErrNotValid) {
		t.Errorf("revoke twice: %v, want ErrNotValid", err)
	}
	if _, err := sc.svc.Revoke(ctx, RevokeInput{CertificateID: 99999, Reason: "x"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("revoke unknown: %v, want ErrNotFound", err)
	}
	// A revoked trainee is not given a new certificate by the next bulk issue.
	again := sc.issue(sc.course.ID)
	if len(again.Issued) != 0 || len(again.Ineligible) != 1 || again.Ineligible[0].Reasons[0] != ReasonRevoked {
		t.Errorf("issue after revoke: %+v", again)
	}

	// Reissue a valid certificate: new number, the old one superseded and linked.
	nb, err := sc.svc.Reissue(ctx, ReissueInput{CertificateID: idB, UserID: sc.user.ID, VerifyBase: verifyBase})
	must(t, err)
	oldB, _ := sc.svc.FindByID(ctx, idB)
	if nb.Number != "003/GCN-STTTT" || nb.Status != Valid || !nb.ReplacesID.Valid || nb.ReplacesID.Int64 != idB ||
		nb.RegistrationID != b.ID || nb.Code == oldB.Code {
		t.Errorf("reissued %+v", nb)
	}
	if oldB.Status != Superseded || oldB.SupersededBy.Int64 != nb.ID || oldB.SupersededNo.String != "003/GCN-STTTT" {
		t.Errorf("old after reissue %+v", oldB)
	}
	if _, err := sc.svc.Reissue(ctx, ReissueInput{CertificateID: idB, VerifyBase: verifyBase}); !errors.Is(err, ErrSuperseded) {
		t.Errorf("reissue a superseded certificate: %v, want ErrSuperseded", err)
	}
	if v, _ := sc.svc.FindValidByRegistration(ctx, b.ID); v == nil || v.ID != nb.ID {
		t.Errorf("valid certificate of B: %+v", v)
	}

	// Reissuing the revoked one grants it again; the revoked one stays revoked.
	na, err := sc.svc.Reissue(ctx, ReissueInput{CertificateID: idA, VerifyBase: verifyBase})
	must(t, err)
	oldA, _ := sc.svc.FindByID(ctx, idA)
	if na.Number != "004/GCN-STTTT" || oldA.Status != Revoked || oldA.SupersededBy.Int64 != na.ID {
		t.Errorf("reissue of revoked: new %+v old %+v", na, oldA)
	}

	t.Run("Verify", func(t *testing.T) {
		v, err := sc.svc.Verify(ctx, nb.Code)
		must(t, err)
		if v.Status != Valid || v.Number != "003/GCN-STTTT" || v.FullName != "Trần Thị Bình" ||
			v.CourseTitle != sc.course.Title || v.IssuedOn != "2023-12-05" ||
			v.Organization != "Sở Thông tin và Truyền thông tỉnh Khánh Hòa" {
			t.Errorf("verify valid: %+v", v)
		}
		v, _ = sc.svc.Verify(ctx, oldA.Code)
		if v.Status != Revoked || v.RevokedAt.IsZero() {
			t.Errorf("verify revoked: %+v", v)
		}
		v, _ = sc.svc.Verify(ctx, oldB.Code)
		if v.Status != Superseded || v.ReplacedBy != "003/GCN-STTTT" {
			t.Errorf("verify superseded: %+v", v)
		}
		if _, err := sc.svc.Verify(ctx, "AAAAAAAAAAAAAAAAAAAAAA"); !errors.Is(err, ErrNotFound) {
			t.Errorf("verify unknown: %v", err)
		}
	})
}

func TestCombinedPDFAndZIP(t *testing.T) {
	t.Parallel()
	sc := newScene(t)
	ctx := context.Background()
	names := []string{"Nguyễn Thị Hải Yến", "Đặng Văn Đức", "Lê Văn An"}
	for _, n := range names {
		r := sc.trainee(sc.course.ID, n, "Nữ")
		sc.marks(r, sc.sessions, P, P, P, P)
	}
	if _, err := sc.svc.CombinedPDF(ctx, sc.course.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("combined PDF with no certificate: %v, want ErrNotFound", err)
	}
	res := sc.issue(sc.course.ID)
	// A revoked one is left out of both.
	_, err := sc.svc.Revoke(ctx, RevokeInput{CertificateID: res.Issued[1].CertificateID, Reason: "Sai thông tin"})
	must(t, err)

	all, err := sc.svc.CombinedPDF(ctx, sc.course.ID)
	must(t, err)
	keep(t, "combined.pdf", all)
	pages := pdftest.Text(t, all) // fails on any complaint of poppler
	if len(pages) != 2 {
		t.Fatalf("combined PDF has %d pages, want 2", len(pages))
	}
	for i, want := range []string{"Số: 001/GCN-STTTT", "Số: 003/GCN-STTTT"} {
		if !strings.Contains(pages[i], want) {
			t.Errorf("page %d lacks %q", i+1, want)
		}
	}
	if !strings.Contains(pages[0], "Lê Văn An") || !strings.Contains(pages[1], "Nguyễn Thị Hải Yến") {
		t.Errorf("pages out of order:\n%s", pages)
	}
	// The pages are the stored ones: rendered, they look the same as the single files.
	single, _, _ := sc.svc.PDF(ctx, res.Issued[2].CertificateID)
	a, b := render(t, single, 40, nil, ""), renderPage(t, all, 2, 40, nil, "")
	if !sameImage(a, b) {
		t.Error("page 2 of the combined PDF does not look like the stored file")
	}

	var buf bytes.Buffer
	n, err := sc.svc.WriteZIP(ctx, sc.course.ID, &buf)
	must(t, err)
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	must(t, err)
	valid, _, err := sc.svc.List(ctx, Filter{CourseID: sc.course.ID, Statuses: []string{Valid}})
	must(t, err)
	byName := map[string]int64{}
	for _, c := range valid {
		byName[FileName(c.Number, c.FullName)] = c.ID
	}
	var got []string
	for _, f := range zr.File {
		got = append(got, f.Name)
		rc, _ := f.Open()
		body, _ := io.ReadAll(rc)
		rc.Close()
		stored, _, _ := sc.svc.PDF(ctx, byName[f.Name])
		if !bytes.Equal(body, stored) {
			t.Errorf("%s differs from the stored file", f.Name)
		}
	}
	sort.Strings(got)
	if n != 2 || strings.Join(got, " ") != "001-GCN-STTTT_Le-Van-An.pdf 003-GCN-STTTT_Nguyen-Thi-Hai-Yen.pdf" {
		t.Errorf("zip holds %d: %v", n, got)
	}
}

// sameImage reports whether two renderings are pixel for pixel the same.
func sameImage(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			r1, g1, b1, _ := a.At(x, y).RGBA()
			r2, g2, b2, _ := b.At(x, y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 {
				return false
			}
		}
	}
	return true
}

func TestSettings(t *testing.T) {
	t.Parallel()
	sc := newScene(t)
	ctx := context.Background()
	other := coursestest.Org(t, sc.db, "Sở Lao động - Thương binh và Xã hội tỉnh Khánh Hòa")
	st, err := sc.svc.Settings(ctx, other.ID)
	must(t, err)
	if st.NumberFormat != DefaultNumberFormat || st.SignerTitle != DefaultSignerTitle || st.Wording != DefaultWording ||
		!st.UpdatedAt.IsZero() || st.HasLogo {
		t.Errorf("defaults %+v", st)
	}
	_, err = sc.svc.SaveSettings(ctx, SettingsInput{OrganizationID: other.ID, NumberFormat: "%s/GCN", SignerTitle: "",
		Wording: "", PlaceName: strings.Repeat("x", 101), Logo: []byte("GIF89a")})
	var e *errs.Error
	if !errors.As(err, &e) {
		t.Fatalf("invalid settings: %v", err)
	}
	for field, key := range map[string]string{"number_format": "cert.err.number_format", "signer_title": "err.required",
		"wording": "err.required", "place_name": "err.too_long", "logo": "cert.err.logo"} {
		if e.Fields[field].Key != key {
			t.Errorf("field %s: %q, want %q", field, e.Fields[field].Key, key)
		}
	}
	saved, err := sc.svc.SaveSettings(ctx, SettingsInput{OrganizationID: other.ID, NumberFormat: " %03d/GCN-SLĐTBXH ",
		PlaceName: "Khánh  Hòa", SignerTitle: "GIÁM ĐỐC", Wording: DefaultWording, Logo: testLogo(t)})
	must(t, err)
	if saved.NumberFormat != "%03d/GCN-SLĐTBXH" || saved.PlaceName != "Khánh Hòa" || !saved.HasLogo || saved.UpdatedAt.IsZero() {
		t.Errorf("saved %+v", saved)
	}
	// Saving without a logo keeps it; RemoveLogo drops it.
	saved, _ = sc.svc.SaveSettings(ctx, SettingsInput{OrganizationID: other.ID, NumberFormat: "%03d/GCN",
		SignerTitle: "GIÁM ĐỐC", Wording: DefaultWording})
	if !saved.HasLogo {
		t.Error("logo lost on a save without one")
	}
	saved, _ = sc.svc.SaveSettings(ctx, SettingsInput{OrganizationID: other.ID, NumberFormat: "%03d/GCN",
		SignerTitle: "GIÁM ĐỐC", Wording: DefaultWording, RemoveLogo: true})
	if saved.HasLogo {
		t.Error("logo kept after RemoveLogo")
	}
	if _, err := sc.svc.SaveSettings(ctx, SettingsInput{OrganizationID: 99999, NumberFormat: "%d", SignerTitle: "x", Wording: "y"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("settings of an unknown organization: %v", err)
	}
}

// TestIssueRenumbersAfterARace makes the race happen every time: between rendering with
// the predicted numbers and registering them, another course of the organization takes
// those numbers. The certificates are rendered again and print the numbers they get.
func TestIssueRenumbersAfterARace(t *testing.T) {
	t.Parallel()
	sc := newScene(t)
	ctx := context.Background()
	c2, s2 := sc.newCourse()
	for _, n := range []string{"Lê Văn An", "Lê Thị Bích", "Lê Văn Cường"} {
		sc.marks(sc.trainee(sc.course.ID, n, "Nam"), sc.sessions, P, P, P, P)
	}
	for _, n := range []string{"Phạm Văn Dũng", "Phạm Thị Em"} {
		sc.marks(sc.trainee(c2.ID, n, "Nữ"), s2, P, P, P, P)
	}
	raced := false
	sc.svc.beforeRegister = func() {
		if raced { // the interloper's own issue passes here too
			return
		}
		raced = true
		res := sc.issue(c2.ID)
		if len(res.Issued) != 2 || res.Issued[0].Number != "001/GCN-STTTT" {
			t.Errorf("the interloper got %+v", res.Issued)
		}
	}
	res := sc.issue(sc.course.ID)
	if len(res.Issued) != 3 {
		t.Fatalf("issued %+v", res.Issued)
	}
	for i, is := range res.Issued {
		want := fmt.Sprintf("%03d/GCN-STTTT", i+3)
		if is.Number != want {
			t.Errorf("issued[%d] = %s, want %s after the interloper's 001–002", i, is.Number, want)
		}
		pdf, c, err := sc.svc.PDF(ctx, is.CertificateID)
		must(t, err)
		if text := pdftest.Text(t, pdf)[0]; !strings.Contains(text, "Số: "+want+"\n") || !strings.Contains(text, c.Code) {
			t.Errorf("%s prints another number or code:\n%s", want, text)
		}
		sum := sha256.Sum256(pdf)
		if c.SHA256 != hex.EncodeToString(sum[:]) {
			t.Errorf("%s: stored sha256 is not the file's", want)
		}
	}
}

// TestCombinedPDFWithOlderFiles: files stored before pdfcpu wrote them (testdata: one
// written by the hand-made writer this package had before) are combined with new ones,
// their pages unchanged.
func TestCombinedPDFWithOlderFiles(t *testing.T) {
	t.Parallel()
	older, err := os.ReadFile(filepath.Join("testdata", "issued-by-pdfcat.pdf"))
	must(t, err)
	newer := renderOK(t, sampleContent())
	all, err := concatPDF([][]byte{older, newer}, pdfInfo{Title: "Giấy chứng nhận"})
	must(t, err)
	if pages := pdftest.Text(t, all); len(pages) != 2 {
		t.Fatalf("combined PDF has %d pages, want 2", len(pages))
	}
	for i, f := range [][]byte{older, newer} {
		if !sameImage(render(t, f, 40, nil, ""), renderPage(t, all, i+1, 40, nil, "")) {
			t.Errorf("page %d of the combined PDF does not look like its file", i+1)
		}
	}
}
