package server

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"taphuan/accounts"
	"taphuan/attendance"
	"taphuan/certificates"
	"taphuan/courses"
	"taphuan/courses/coursestest"
)

// The scene of the security tests: one home organization with an object behind every path
// parameter of the routes, another organization with a course of its own, and a signed-in
// user (API token and session cookie) of every kind. It is built once per test and reused
// by every request of the authorization matrix.

// Identities, in the order the matrix runs them: those who are refused come before those who
// are let in, so a destructive route is refused before anything can be destroyed.
const (
	idAnon = iota
	idOtherStaff
	idOtherOrganizer
	idStaff
	idOrganizer
	idAdmin
	// idUnit, a sending unit's focal point, comes last: it is refused by one fence before
	// any object is looked up (unitFence), so no request of the others can change its answer.
	idUnit
	nIdentities
)

var identityNames = [nIdentities]string{"anonymous", "staff of another organization",
	"organizer of another organization", "staff", "organizer", "admin", "unit focal point"}

type identity struct {
	name           string
	user           *accounts.User // nil for anonymous
	token, session string
}

// homeSecrets are strings of the home organization that its own people see and nobody of
// another organization may; otherSecrets the same for the other organization.
var (
	homeSecrets  = []string{secCourseTitle, secTraineeName, secPhone, "Sở Nhà vườn tỉnh Khánh Hòa"}
	otherSecrets = []string{secOtherCourseTitle, secOtherTrainee, secOtherPhone, "Sở Biển đảo tỉnh Khánh Hòa"}
)

// Distinctive strings of the scene, to be searched for in any answer: the courses' titles,
// the trainees, and the home trainee's personal data.
const (
	secCourseTitle      = "Lớp bồi dưỡng nghiệp vụ thư viện cơ sở"
	secOtherCourseTitle = "Lớp tập huấn phòng chống dịch bệnh mùa mưa"
	secTraineeName      = "Nguyễn Thị Hải Yến"
	secOtherTrainee     = "Lê Văn Khác"
	secPhone            = "0978123456"
	secOtherPhone       = "0966111222"
	secBirthDate        = "1979-11-23"
	secBirthDay         = "23/11/1979" // as pages write it
	secEthnicity        = "Xơ Đăng"
	secEmail            = "hai.yen.rieng@example.vn"
	secIDNumber         = "056179001234" // CCCD
)

type secScene struct {
	a           *testApp
	home        *accounts.Organization
	other       *accounts.Organization
	ids         [nIdentities]identity
	loginUser   *accounts.User // whose credentials POST /login uses
	course      *courses.Course
	draft       *courses.Course
	otherCourse *courses.Course
	module      int64
	sessions    []*courses.Session
	yen         *courses.Registration // confirmed, with every personal field set
	duc         *courses.Registration // confirmed
	cancelled   *courses.Registration // cancelled: every action on it is refused (409)
	cert        *certificates.Certificate
	superseded  *certificates.Certificate // Đức's first certificate, replaced by a reissue
	program     *courses.Program          // has a child, so it cannot be deleted (409)
	// The other organization's course, with a module, a session and a trainee.
	otherModule  int64
	otherSession *courses.Session
	otherReg     *courses.Registration
	// unit is the focal point's scene (security_units_test.go).
	unit *unitScene
	// vars fill the placeholders of the matrix's paths.
	vars map[string]string
}

func newSecScene(t *testing.T) *secScene {
	t.Helper()
	ctx := context.Background()
	a := newTestApp(t)
	sc := &secScene{a: a}
	sc.home = coursestest.Org(t, a.db, "Sở Nhà vườn tỉnh Khánh Hòa")
	sc.other = coursestest.Org(t, a.db, "Sở Biển đảo tỉnh Khánh Hòa")
	users := [nIdentities]*accounts.User{
		idOtherStaff:     a.user(accounts.RoleStaff, sc.other.ID),
		idOtherOrganizer: a.user(accounts.RoleOrganizer, sc.other.ID),
		idStaff:          a.user(accounts.RoleStaff, sc.home.ID),
		idOrganizer:      a.user(accounts.RoleOrganizer, sc.home.ID),
		idAdmin:          a.user(accounts.RoleAdmin, 0),
		idUnit:           sc.newUnitUser(t),
	}
	for i := range nIdentities {
		sc.ids[i] = identity{name: identityNames[i], user: users[i]}
		if users[i] != nil {
			sc.ids[i].token = a.token(users[i])
			sc.ids[i].session = sc.newSession(users[i])
		}
	}
	sc.loginUser = a.user(accounts.RoleStaff, sc.home.ID)

	sc.course = coursestest.Course(t, a.db, sc.home.ID, coursestest.Upcoming, func(c *courses.Course) { c.Title = secCourseTitle })
	sc.draft = coursestest.Course(t, a.db, sc.home.ID, func(c *courses.Course) {
		c.Title, c.Status = "Lớp còn đang soạn thảo", courses.StatusDraft
	})
	sc.otherCourse = coursestest.Course(t, a.db, sc.other.ID, func(c *courses.Course) { c.Title = secOtherCourseTitle })
	sc.module = coursestest.Module(t, a.db, sc.course.ID, "Nghiệp vụ thư viện", "ThS. Trần Văn Sách")
	m, af := coursestest.Day(t, a.db, sc.course.ID, sc.course.StartsOn)
	sc.sessions = []*courses.Session{m, af}

	sc.yen = coursestest.Registration(t, a.db, sc.course.ID, coursestest.Person{FullName: secTraineeName,
		Gender: "Nữ", BirthDate: secBirthDate, Ethnicity: secEthnicity, Phone: secPhone, Email: secEmail,
		Position: "Viên chức", Organization: "Thư viện huyện Diên Khánh", Locality: "Diên Khánh"}, courses.RegConfirmed)
	if _, err := a.db.W.Exec(`UPDATE registrations SET id_number = ? WHERE id = ?`, secIDNumber, sc.yen.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.db.W.Exec(`UPDATE people SET id_number = ? WHERE id = ?`, secIDNumber, sc.yen.PersonID); err != nil {
		t.Fatal(err)
	}
	sc.duc = coursestest.Registration(t, a.db, sc.course.ID, coursestest.Person{FullName: "Đặng Văn Đức", Gender: "Nam"}, courses.RegConfirmed)
	gone := coursestest.Registration(t, a.db, sc.course.ID, coursestest.Person{FullName: "Trần Thị Bình"}, courses.RegConfirmed)
	var err error
	if sc.cancelled, _, err = a.srv.courses.Cancel(ctx, courses.CancelInput{ID: gone.ID, Reason: "Bận việc cơ quan"}); err != nil {
		t.Fatal(err)
	}
	sc.otherReg = coursestest.Registration(t, a.db, sc.otherCourse.ID, coursestest.Person{FullName: secOtherTrainee, Phone: secOtherPhone}, courses.RegConfirmed)
	sc.otherModule = coursestest.Module(t, a.db, sc.otherCourse.ID, "Phòng chống sốt xuất huyết", "BS. Lê Thị Dịch")
	sc.otherSession, _ = coursestest.Day(t, a.db, sc.otherCourse.ID, "2023-12-04")

	for _, r := range []*courses.Registration{sc.yen, sc.duc} {
		for _, ss := range sc.sessions {
			if _, err := a.srv.attend.SetMark(ctx, attendance.MarkInput{SessionID: ss.ID, RegistrationID: r.ID,
				Status: attendance.Present, Source: attendance.SourceTap}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := a.srv.certs.SaveSettings(ctx, certificates.SettingsInput{OrganizationID: sc.home.ID,
		NumberFormat: "%03d/GCN-SNV", PlaceName: "Khánh Hòa", SignerTitle: "GIÁM ĐỐC",
		Wording: "Đã hoàn thành khóa", Logo: certPNGLogo(t)}); err != nil {
		t.Fatal(err)
	}
	verifyBase := a.ts.URL + "/verify/"
	res, err := a.srv.certs.Issue(ctx, certificates.IssueInput{CourseID: sc.course.ID, VerifyBase: verifyBase})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Issued) != 2 {
		t.Fatalf("issued %d certificates, want 2", len(res.Issued))
	}
	for _, is := range res.Issued {
		c, err := a.srv.certs.FindByID(ctx, is.CertificateID)
		if err != nil {
			t.Fatal(err)
		}
		if is.RegistrationID == sc.yen.ID {
			sc.cert = c
		} else {
			sc.superseded = c
		}
	}
	if _, err := a.srv.certs.Reissue(ctx, certificates.ReissueInput{CertificateID: sc.superseded.ID, VerifyBase: verifyBase}); err != nil {
		t.Fatal(err)
	}

	if sc.program, err = a.srv.courses.CreateProgram(ctx, courses.ProgramInput{Name: "Chương trình bồi dưỡng văn hóa cơ sở"}); err != nil {
		t.Fatal(err)
	}
	if _, err = a.srv.courses.CreateProgram(ctx, courses.ProgramInput{ParentID: sc.program.ID, Name: "Thư viện"}); err != nil {
		t.Fatal(err)
	}

	sc.vars = map[string]string{
		"course": itoa(sc.course.ID), "draft": itoa(sc.draft.ID), "module": itoa(sc.module),
		"session": itoa(sc.sessions[0].ID), "reg": itoa(sc.yen.ID), "cancelled": itoa(sc.cancelled.ID),
		"ticket": sc.yen.Code, "cancelled-ticket": sc.cancelled.Code, "cert": itoa(sc.cert.ID),
		"superseded": itoa(sc.superseded.ID), "verify": sc.cert.Code, "program": itoa(sc.program.ID),
		"person": itoa(sc.yen.PersonID), "org": itoa(sc.home.ID),
		"other-org": itoa(sc.other.ID), "other-course": itoa(sc.otherCourse.ID), "other-module": itoa(sc.otherModule),
		"other-session": itoa(sc.otherSession.ID), "other-reg": itoa(sc.otherReg.ID), "other-ticket": sc.otherReg.Code,
	}
	for _, ar := range secAreas {
		if ar.setup != nil {
			ar.setup(t, sc)
		}
	}
	return sc
}

// secArea lets an area keep its scene objects and its rows of the matrix in its own test
// file (security_<area>_test.go registers one in an init function): setup adds the area's
// objects to the scene and their placeholders to sc.vars; rows are the area's routes.
type secArea struct {
	setup func(t *testing.T, sc *secScene)
	rows  func(sc *secScene) []secRow
}

var secAreas []secArea

// newSession signs u in (a session as the login form makes) and returns the cookie value.
func (sc *secScene) newSession(u *accounts.User) string {
	sc.a.t.Helper()
	tok, err := sc.a.acc.CreateSession(context.Background(), u.ID)
	if err != nil {
		sc.a.t.Fatal(err)
	}
	return tok
}

// expand fills the {placeholders} of a path. Two make a new object for every request, for
// the routes that destroy it when allowed: {new-module} a module of the home course,
// {upload} a previewed import file of the requesting user (an upload belongs to whoever
// previewed it); its rows are all invalid, so confirming it imports nothing.
func (sc *secScene) expand(t *testing.T, path string, who identity) string {
	t.Helper()
	return placeholder.ReplaceAllStringFunc(path, func(m string) string {
		name := m[1 : len(m)-1]
		switch name {
		case "new-module":
			return itoa(coursestest.Module(t, sc.a.db, sc.course.ID, "Chuyên đề để xóa", ""))
		case "upload":
			uid := sc.ids[idOrganizer].user.ID
			if who.user != nil {
				uid = who.user.ID
			}
			tok, err := sc.a.srv.courses.SaveUpload(context.Background(), sc.course.ID, uid, "ds.csv",
				[]byte("Họ và tên,Số điện thoại\n<không hợp lệ>,123\n"))
			if err != nil {
				t.Fatal(err)
			}
			return tok
		}
		v, ok := sc.vars[name]
		if !ok {
			t.Fatalf("%s: no value for %s", path, m)
		}
		return v
	})
}

var placeholder = regexp.MustCompile(`\{[a-z-]+\}`)

// secBody is what a request sends: a form, a JSON value, or nothing. freshSession sends a
// session made for this one request, for a request that ends the session it sends (logout).
type secBody struct {
	form         url.Values
	json         string
	freshSession bool
}

func formBody(kv ...string) secBody {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return secBody{form: v}
}

func jsonBody(s string) secBody { return secBody{json: s} }

// secResponse is what the matrix looks at.
type secResponse struct {
	status      int
	location    string
	contentType string
	body        string
	header      http.Header
}

// request sends method path as who: the API with who's Bearer token, pages with who's
// session cookie, form posts with the headers of a same-origin browser. Redirects are not
// followed and cookies set by the answer are not kept, so no request changes who the next
// one is.
func (sc *secScene) request(t *testing.T, who identity, method, path string, body secBody) secResponse {
	t.Helper()
	headers := map[string]string{}
	if strings.HasPrefix(path, "/api/") {
		if who.token != "" {
			headers["Authorization"] = "Bearer " + who.token
		}
		who.session = ""
	} else if method != http.MethodGet && method != http.MethodHead {
		headers["Origin"] = sc.a.ts.URL
		headers["Sec-Fetch-Site"] = "same-origin"
	}
	return sc.send(t, who.session, method, path, body, headers)
}

// crossSite sends method path as a page of another site would make who's browser send it:
// with who's session cookie (pages and API alike: a browser has no token to send) and the
// given headers (Origin, Sec-Fetch-Site…).
func (sc *secScene) crossSite(t *testing.T, who identity, method, path string, body secBody, headers map[string]string) secResponse {
	t.Helper()
	return sc.send(t, who.session, method, path, body, headers)
}

func (sc *secScene) send(t *testing.T, session, method, path string, body secBody, headers map[string]string) secResponse {
	t.Helper()
	var rd io.Reader
	ct := ""
	switch {
	case body.json != "":
		rd, ct = strings.NewReader(body.json), "application/json"
	case body.form != nil:
		rd, ct = strings.NewReader(body.form.Encode()), "application/x-www-form-urlencoded"
	}
	req, err := http.NewRequest(method, sc.a.ts.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if session != "" {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: session})
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return secResponse{status: resp.StatusCode, location: resp.Header.Get("Location"),
		contentType: resp.Header.Get("Content-Type"), body: string(b), header: resp.Header}
}

// lockedBuffer is a bytes.Buffer safe for the server's goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
