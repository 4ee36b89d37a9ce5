// Package demo builds a realistic data set through the domain services — the Khánh Hòa
// grassroots-information workshop of 4/12/2023 — so a newcomer sees a working course in a
// minute (`taphuan demo`, or `taphuan serve -demo`). Each domain adds its step here.
package demo

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"taphuan/accounts"
	"taphuan/database"
)

// ErrAlreadyLoaded is returned when the demo organization exists already.
var ErrAlreadyLoaded = errors.New("demo: the demo data is already loaded")

// Password of the demo accounts. Demo data is for trying the system out, never for real use.
const Password = "demo-taphuan"

// Logins lists the demo accounts.
type Logins struct {
	Accounts []Login
	CourseID int64
}

// Login is one demo account.
type Login struct{ Role, Email, Password string }

func (l Logins) String() string {
	var b strings.Builder
	b.WriteString("Demo data loaded — dữ liệu mẫu đã được tạo. Sign in with / đăng nhập bằng:\n")
	for _, a := range l.Accounts {
		fmt.Fprintf(&b, "  %-10s %-32s %s\n", a.Role, a.Email, a.Password)
	}
	if l.CourseID != 0 {
		fmt.Fprintf(&b, "  demo course / lớp mẫu: /courses/%d\n", l.CourseID)
	}
	return b.String()
}

// Names used by the demo.
const (
	OrgName       = "Sở Thông tin và Truyền thông tỉnh Khánh Hòa"
	OrgShort      = "STTTT"
	OrgParent     = "UBND TỈNH KHÁNH HÒA"
	OrganizerMail = "tochuc@demo.taphuan.local"
	StaffMail     = "diemdanh@demo.taphuan.local"
)

// Load creates the demo organization, its accounts and the course with its modules,
// sessions, trainees, attendance and certificates. baseURL is the server's public address,
// which the certificates' QR codes point to ("" for DefaultBaseURL).
func Load(ctx context.Context, db *database.DB, baseURL string) (*Logins, error) {
	acc := accounts.New(db)
	org, err := acc.CreateOrganization(ctx, accounts.OrganizationInput{Name: OrgName, ShortName: OrgShort, ParentName: OrgParent})
	if errors.Is(err, accounts.ErrDuplicateOrgName) {
		return nil, ErrAlreadyLoaded
	}
	if err != nil {
		return nil, err
	}
	logins := &Logins{}
	for _, u := range []accounts.UserInput{
		{Email: OrganizerMail, Name: "Nguyễn Thị Hải Yến", Role: accounts.RoleOrganizer, OrganizationID: org.ID, Password: Password},
		{Email: StaffMail, Name: "Trần Văn Bình", Role: accounts.RoleStaff, OrganizationID: org.ID, Password: Password},
	} {
		if _, err := acc.CreateUser(ctx, u); err != nil {
			return nil, err
		}
		logins.Accounts = append(logins.Accounts, Login{Role: u.Role, Email: u.Email, Password: Password})
	}
	if logins.CourseID, err = loadCourses(ctx, db, org.ID); err != nil {
		return nil, err
	}
	if err := loadUnits(ctx, db); err != nil { // before the roster, which is matched to them
		return nil, err
	}
	if err := loadUnitQuotas(ctx, db, org.ID, logins); err != nil {
		return nil, err
	}
	if err := loadRegistrations(ctx, db, logins); err != nil {
		return nil, err
	}
	if err := loadAttendance(ctx, db, logins.CourseID); err != nil {
		return nil, err
	}
	if err := loadFinance(ctx, db, org.ID, logins.CourseID); err != nil {
		return nil, err
	}
	if err := loadCertificates(ctx, db, org.ID, logins.CourseID, baseURL); err != nil { // after attendance
		return nil, err
	}
	if err := loadEvaluation(ctx, db, logins.CourseID); err != nil {
		return nil, err
	}
	return logins, nil
}
