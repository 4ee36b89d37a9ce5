package attendance_test

import (
	"context"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"taphuan/pdfdoc/pdftest"
	"testing"
	"time"

	"taphuan/accounts"
	"taphuan/attendance"
	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/database"
	"taphuan/database/dbtest"
	"taphuan/vn"
)

// scene is an organization with a course, its users and the attendance service over a
// fresh database.
type scene struct {
	t                       *testing.T
	db                      *database.DB
	svc                     *attendance.Service
	org                     *accounts.Organization
	course                  *courses.Course
	staff, organizer, admin *accounts.User
}

func newScene(t *testing.T) *scene {
	t.Helper()
	db := dbtest.New(t)
	sc := &scene{t: t, db: db, svc: attendance.New(db, courses.New(db))}
	sc.org = coursestest.Org(t, db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	sc.course = coursestest.Course(t, db, sc.org.ID)
	sc.staff = sc.user(accounts.RoleStaff, sc.org.ID)
	sc.organizer = sc.user(accounts.RoleOrganizer, sc.org.ID)
	sc.admin = sc.user(accounts.RoleAdmin, 0)
	return sc
}

var userN int

func (sc *scene) user(role string, orgID int64) *accounts.User {
	sc.t.Helper()
	userN++
	u, err := accounts.New(sc.db).CreateUser(context.Background(), accounts.UserInput{
		Email: fmt.Sprintf("%s-%d@example.vn", role, userN), Name: "Cán bộ " + strconv.Itoa(userN), Role: role,
		OrganizationID: orgID, Password: "mat-khau-123"})
	if err != nil {
		sc.t.Fatal(err)
	}
	return u
}

// trainee registers a confirmed trainee.
func (sc *scene) trainee(name string, p ...coursestest.Person) *courses.Registration {
	sc.t.Helper()
	person := coursestest.Person{}
	if len(p) > 0 {
		person = p[0]
	}
	person.FullName = name
	if person.Organization == "" {
		person.Organization = "Phòng Văn hóa và Thông tin huyện Diên Khánh"
	}
	if person.Position == "" {
		person.Position = "Chuyên viên"
	}
	return coursestest.Registration(sc.t, sc.db, sc.course.ID, person, courses.RegConfirmed)
}

// sessionAt adds a session of the course starting at start lasting dur.
func (sc *scene) sessionAt(start time.Time, dur time.Duration) *courses.Session {
	sc.t.Helper()
	return coursestest.Session(sc.t, sc.db, sc.course.ID, start, dur, "Hội trường A")
}

func (sc *scene) mark(sess *courses.Session, r *courses.Registration, status string) {
	sc.t.Helper()
	if _, err := sc.svc.SetMark(context.Background(), attendance.MarkInput{SessionID: sess.ID, RegistrationID: r.ID,
		Status: status, Source: attendance.SourceTap, UserID: sc.organizer.ID}); err != nil {
		sc.t.Fatal(err)
	}
}

var issuer = attendance.Issuer{ParentName: "UBND TỈNH KHÁNH HÒA", Name: "Sở Thông tin và Truyền thông tỉnh Khánh Hòa"}

// names is a list of Vietnamese names, some with the same given name, one typed
// decomposed (NFD) as some keyboards send it.
func names(n int) []string {
	surnames := []string{"Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ"}
	middles := []string{"Thị", "Văn", "Hữu", "Ngọc", "Thị Hải"}
	givens := []string{"Yến", "Đức", "Ánh", "Thưởng", "Hương", "Dũng", "Nguyệt", "Lữ", "Ước", "Mỹ", "Khởi", "Oanh", "Hòa"}
	out := make([]string, n)
	for i := range out {
		out[i] = surnames[i%len(surnames)] + " " + middles[(i/3)%len(middles)] + " " + givens[(i/7)%len(givens)]
	}
	return out
}

// keep saves a report or a rendered page under ATTENDANCE_OUT, to look at.
func keep(t *testing.T, name string, b []byte) {
	if dir := os.Getenv("ATTENDANCE_OUT"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, strings.ReplaceAll(t.Name(), "/", "_")+"-"+name), b, 0o644)
	}
}

// pdfPages returns pdftotext -layout of each page.
func pdfPages(t *testing.T, pdf []byte) []string {
	t.Helper()
	keep(t, "report.pdf", pdf)
	return pdftest.Text(t, pdf, "-layout")
}

// renderPage rasterises a page at dpi with pdftoppm.
func renderPage(t *testing.T, pdf []byte, page, dpi int) image.Image {
	t.Helper()
	img, b := pdftest.Render(t, pdf, page, dpi, nil)
	keep(t, fmt.Sprintf("p%d.png", page), b)
	return img
}

// day returns the Vietnam time date at hh:mm.
func at(date string, hh, mm int) time.Time {
	d, err := time.ParseInLocation("2006-01-02", date, vn.Location)
	if err != nil {
		panic(err)
	}
	return d.Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute)
}
