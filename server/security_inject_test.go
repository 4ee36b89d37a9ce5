package server

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"taphuan/accounts"
	"taphuan/attendance"
	"taphuan/certificates"
	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/database"
	"taphuan/vn"
)

// The HTML injection scene: every text a user can type and a page shows holds markup that
// would run as script if it were written out raw. Each field gets its own tag, so that a
// failure names the field and the page.

// xss is the payload of the field tagged tag: a script element, an attribute break-out
// into an element with an event handler, and an attribute break-out within the tag. With
// a tag of up to 7 letters it fits the fields of 100 characters.
func xss(tag string) string {
	return `<script>alert('` + tag + `')</script>"><img src=x onerror=alert('` + tag + `')>" onfocus="alert('` + tag + `')`
}

// xssShort fits fields of 30 characters.
func xssShort(tag string) string { return `<script>alert('` + tag + `')</script>` }

// xssEscaped is how the payload's script element reads once escaped by html/template.
func xssEscaped(tag string) string {
	return `&lt;script&gt;alert(&#39;` + tag + `&#39;)&lt;/script&gt;`
}

// rawMarkup are the pieces of the payloads that only appear in a page written out raw.
var rawMarkup = []string{"<script>alert(", "<img src=x", `" onfocus=`}

// The fields and their tags.
const (
	tagOrgName      = "org-name"
	tagOrgShort     = "os"
	tagOrgParent    = "org-parent"
	tagUserName     = "user-name"
	tagProgram      = "program-node"
	tagTitle        = "title"
	tagCoOrganizer  = "co-organizer"
	tagProgramText  = "program-text"
	tagVenue        = "venue"
	tagPlace        = "place"
	tagDescription  = "description"
	tagAudience     = "audience"
	tagModule       = "module"
	tagLecturer     = "lecturer"
	tagRoom         = "room"
	tagPosition     = "pos"
	tagUnit         = "unit"
	tagLocality     = "local"
	tagCancelReason = "cancel-reason"
	tagNumber       = "nf"
	tagCertPlace    = "plc"
	tagSigner       = "signer"
	tagSignerTitle  = "s-title"
	tagSignerSub    = "s-sub"
	tagWording      = "wording"
	tagOverride     = "override-reason"
	tagRevoke       = "revoke-reason"
)

type injectScene struct {
	a            *testApp
	org          *accounts.Organization
	organizer    *accounts.User
	admin        *accounts.User
	course       *courses.Course
	session      *courses.Session
	module       *courses.Module
	trainee      *courses.Registration     // every free-text field holds markup; refused a certificate, with a reason
	holder       *courses.Registration     // plain fields; holds cert
	cert         *certificates.Certificate // revoked, with a reason
	orgWeb       *http.Client
	adminWeb     *http.Client
	anonWeb      *http.Client
	organizerTok string
}

func newInjectScene(t *testing.T) *injectScene {
	t.Helper()
	ctx := context.Background()
	a := newTestApp(t)
	sc := &injectScene{a: a}
	var err error
	if sc.org, err = a.acc.CreateOrganization(ctx, accounts.OrganizationInput{Name: xss(tagOrgName),
		ShortName: xssShort(tagOrgShort), ParentName: xss(tagOrgParent)}); err != nil {
		t.Fatal(err)
	}
	if sc.organizer, err = a.acc.CreateUser(ctx, accounts.UserInput{Email: "to-chuc@example.vn", Name: xss(tagUserName),
		Role: accounts.RoleOrganizer, OrganizationID: sc.org.ID, Password: testPassword}); err != nil {
		t.Fatal(err)
	}
	sc.admin = a.user(accounts.RoleAdmin, 0)
	// A node of the program tree; the course keeps a free-text program of its own.
	if _, err = a.srv.courses.CreateProgram(ctx, courses.ProgramInput{Name: xss(tagProgram)}); err != nil {
		t.Fatal(err)
	}
	in := courses.NewCourseInput()
	in.OrganizationID, in.Title, in.CoOrganizer, in.Program = sc.org.ID, xss(tagTitle), xss(tagCoOrganizer), xss(tagProgramText)
	in.Venue, in.PlaceName, in.Description, in.TargetAudience = xss(tagVenue), xss(tagPlace), xss(tagDescription)+"\n"+"Dòng hai", xss(tagAudience)
	up := &courses.Course{}
	coursestest.Upcoming(up) // a course still to come takes registrations
	in.StartsOn, in.EndsOn, in.Capacity, in.MinAttendancePercent = up.StartsOn, up.EndsOn, 30, 50
	if sc.course, err = a.srv.courses.CreateCourse(ctx, in); err != nil {
		t.Fatal(err)
	}
	if sc.module, err = a.srv.courses.CreateModule(ctx, sc.course.ID, courses.ModuleInput{Title: xss(tagModule), Lecturer: xss(tagLecturer)}); err != nil {
		t.Fatal(err)
	}
	day := up.StartDate()
	start := time.Date(day.Year(), day.Month(), day.Day(), 7, 30, 0, 0, vn.Location)
	if sc.session, err = a.srv.courses.CreateSession(ctx, sc.course.ID, courses.SessionInput{ModuleID: sc.module.ID,
		StartsAt: database.Time{Time: start}, EndsAt: database.Time{Time: start.Add(4 * time.Hour)}, Room: xss(tagRoom)}); err != nil {
		t.Fatal(err)
	}
	if sc.course, err = a.srv.courses.SetStatus(ctx, sc.course.ID, courses.StatusOpen); err != nil {
		t.Fatal(err)
	}
	register := func(name, phone string, markup bool) *courses.Registration {
		r := courses.RegisterInput{CourseID: sc.course.ID, FullName: name, Gender: "Nữ", BirthDate: "1990-05-06",
			Ethnicity: "Kinh", Position: "Cán bộ", Organization: "UBND xã Ninh Ích", Locality: "Ninh Hòa", Phone: phone}
		if markup {
			r.Position, r.Organization, r.Locality = xss(tagPosition), xss(tagUnit), xss(tagLocality)
		}
		reg, err := a.srv.courses.Register(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		return reg
	}
	sc.trainee = register("Võ Thị Hồng Nhung", "0905111222", true)
	sc.holder = register("Hồ Văn Tâm", "0905111333", false)
	leaving := register("Đỗ Minh Khoa", "0905111444", false)
	if _, _, err = a.srv.courses.Cancel(ctx, courses.CancelInput{ID: leaving.ID, Reason: xss(tagCancelReason), UserID: sc.organizer.ID}); err != nil {
		t.Fatal(err)
	}
	unit := coursestest.Unit(t, a.db, xss(tagUnit))
	coursestest.Quota(t, a.db, sc.course.ID, unit.ID, 5)
	for _, r := range []*courses.Registration{sc.trainee, sc.holder} {
		if _, err := a.srv.attend.SetMark(ctx, attendance.MarkInput{SessionID: sc.session.ID, RegistrationID: r.ID,
			Status: attendance.Present, Source: attendance.SourceTap, UserID: sc.organizer.ID}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err = a.srv.certs.SaveSettings(ctx, certificates.SettingsInput{OrganizationID: sc.org.ID,
		// The place (30 characters) and the signer lines (60, 50) are short fields: the short
		// payload fits them.
		NumberFormat: "%03d" + xssShort(tagNumber), PlaceName: xssShort(tagCertPlace),
		SignerName:  xssShort(tagSigner),
		SignerTitle: xssShort(tagSignerTitle), SignerSubtitle: xssShort(tagSignerSub), Wording: xss(tagWording)}); err != nil {
		t.Fatal(err)
	}
	if err = a.srv.certs.SetOverride(ctx, certificates.OverrideInput{CourseID: sc.course.ID, RegistrationID: sc.trainee.ID,
		Decision: certificates.Deny, Reason: xss(tagOverride), UserID: sc.organizer.ID}); err != nil {
		t.Fatal(err)
	}
	res, err := a.srv.certs.Issue(ctx, certificates.IssueInput{CourseID: sc.course.ID, UserID: sc.organizer.ID,
		VerifyBase: a.ts.URL + "/verify/"})
	if err != nil || len(res.Issued) != 1 {
		t.Fatalf("issue: %+v %v", res, err)
	}
	if sc.cert, err = a.srv.certs.Revoke(ctx, certificates.RevokeInput{CertificateID: res.Issued[0].CertificateID,
		Reason: xss(tagRevoke), UserID: sc.organizer.ID}); err != nil {
		t.Fatal(err)
	}
	sc.orgWeb = a.login(sc.organizer)
	sc.adminWeb = a.login(sc.admin)
	sc.anonWeb = a.browserClient()
	sc.organizerTok = a.token(sc.organizer)
	return sc
}

// checkEscaped fails unless page is free of raw markup and shows every tagged payload
// escaped.
func checkEscaped(t *testing.T, what, page string, tags ...string) {
	t.Helper()
	for _, raw := range rawMarkup {
		if i := strings.Index(page, raw); i >= 0 {
			t.Errorf("%s writes markup out raw: …%s…", what, page[max(0, i-80):min(len(page), i+80)])
		}
	}
	for _, tag := range tags {
		if !strings.Contains(page, xssEscaped(tag)) {
			t.Errorf("%s does not show the %s field (escaped)", what, tag)
		}
	}
}
