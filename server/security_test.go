package server

// The security tests of issue 7: the authorization matrix of every route × every kind of
// caller (its rules below), HTML injection, no personal data on public pages, cookie flags,
// cross-site requests, credentials stored hashed, another organization's objects named in
// a request, open redirects. The login throttle per account is in foundation_test.go; the
// scenes and request helpers are in security_scene_test.go and security_inject_test.go.
//
// Rules of the table (securityTable):
//   - Every route the engine has (a.srv.engine.Routes(), method and pattern) is covered by at
//     least one row; a route without a row fails the test, so a new route cannot be added
//     without deciding who may use it. A row whose path matches no route fails too.
//   - A row's path is a real address of the scene: {course}, {session}, {cert}… stand for
//     objects of the home organization (newSecScene); {new-module} and {upload} are made
//     afresh for every request, for the routes that destroy them when allowed.
//   - The callers, in this order: anonymous, staff of another organization, organizer of
//     another organization, staff, organizer, admin of the home organization, and a sending
//     unit's focal point (role unit, refused on every staff page and API route by one
//     fence; its own pages are in security_units_test.go). The API is called with the
//     caller's Bearer token, pages with their session cookie.
//   - Outcomes:
//     allow      — access granted: any status but 401, 403, 404, 5xx, and not a redirect to
//     /login?next=…. 200, 201, 204, 303, 409 and 422 all count: bodies are harmless or
//     invalid on purpose, so that a granted change is refused by validation (422)
//     or by the object's state (409) instead of destroying the scene.
//     unauth     — not signed in: 401 from the API and from a page's POST; a page's GET
//     redirects (303) to /login?next=….
//     notFound   — 404: the object belongs to another organization and must not be told
//     apart from one that does not exist.
//     forbidden  — 403: the caller sees the object but their role may not do this.
//   - Policies, for the usual rules: public (everyone), anySignedIn (anyone signed in, focal
//     points too), signedIn (anyone of the staff signed in; what they
//     see is scoped), organizers (organizers of any organization and admins: things with
//     no object, like creating a course), adminOnly, orgView (staff, organizers of the
//     object's organization and admins), orgManage (organizers of the object's
//     organization and admins; its staff 403), draftPreview (a draft's public page: only
//     its organization's people and admins).
//   - Besides the status, no answer to a caller of another organization (or to anonymous, off
//     the public pages) holds the home organization's course title, trainee name, phone or
//     organization name, and no answer to the home organization's people holds the other
//     organization's.
//   - Callers refused come first on every route, so a destructive route is refused before it
//     is allowed; the scene is checked intact at the end.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/crypto/bcrypt"

	"taphuan/accounts"
	"taphuan/certificates"
	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/database/dbtest"
)

type outcome int

const (
	allow outcome = iota
	unauth
	notFound
	forbidden
)

func (o outcome) String() string {
	return [...]string{"allow", "unauth", "404", "403"}[o]
}

type policy [nIdentities]outcome

var (
	public       = policy{allow, allow, allow, allow, allow, allow, allow}
	anySignedIn  = policy{unauth, allow, allow, allow, allow, allow, allow}
	signedIn     = policy{unauth, allow, allow, allow, allow, allow, forbidden}
	organizers   = policy{unauth, forbidden, allow, forbidden, allow, allow, forbidden}
	adminOnly    = policy{unauth, forbidden, forbidden, forbidden, forbidden, allow, forbidden}
	orgView      = policy{unauth, notFound, notFound, allow, allow, allow, forbidden}
	orgManage    = policy{unauth, notFound, notFound, forbidden, allow, allow, forbidden}
	draftPreview = policy{notFound, notFound, notFound, allow, allow, allow, notFound}
	// orgViewUnitSeats: orgView, and a focal point where the course gives its unit seats
	// (the home course gives none: 404; security_units_test.go has the course that does).
	orgViewUnitSeats = policy{unauth, notFound, notFound, allow, allow, allow, notFound}
	// The people directory is for organizers (their own organization's people) and
	// administrators; staff work from the session's roster (issue 10).
	peopleList   = policy{unauth, forbidden, allow, forbidden, allow, allow, forbidden}
	peopleDetail = policy{unauth, forbidden, notFound, forbidden, allow, allow, forbidden}
	// orgManageUnitSeats: orgManage, and a focal point where the course gives its unit seats.
	orgManageUnitSeats = policy{unauth, notFound, notFound, forbidden, allow, allow, notFound}
)

type secRow struct {
	method, path string
	body         secBody
	want         policy
}

func securityTable(sc *secScene) []secRow {
	rows := coreSecurityRows(sc)
	for _, ar := range secAreas {
		rows = append(rows, ar.rows(sc)...)
	}
	return rows
}

func coreSecurityRows(sc *secScene) []secRow {
	none := secBody{}
	return []secRow{
		// Foundation.
		{"GET", "/healthz", none, public},
		{"GET", "/static/app.css", none, public},
		{"HEAD", "/static/app.css", none, public},
		{"GET", "/login", none, public},
		{"POST", "/login", formBody("email", sc.loginUser.Email, "password", testPassword), public},
		{"POST", "/logout", secBody{freshSession: true}, public},
		{"GET", "/lang/vi?next=/", none, public},
		{"GET", "/", none, anySignedIn},
		{"GET", "/admin/organizations", none, adminOnly},
		{"POST", "/admin/organizations", formBody("name", ""), adminOnly},
		{"GET", "/admin/users", none, organizers},
		{"POST", "/admin/users", formBody("email", ""), organizers},
		// Issue 10: " admin" from an organizer was stored as admin. Effects: secEffects.
		{"POST", "/admin/users", formBody("name", "Leo Thang", "email", "leo.thang@example.vn", "role", " admin",
			"password", "mat-khau-dai-du"), adminOnly},
		{"POST", "/admin/users", formBody("name", "Người Được Tạo", "email", "duoc.tao@example.vn", "role", " staff ",
			"organization_id", "{org}", "password", "mat-khau-dai-du"), organizers},
		{"GET", "/account", none, anySignedIn},
		{"POST", "/account/password", formBody("current", "sai-mat-khau", "password", "x"), anySignedIn},
		{"POST", "/api/v1/organizations", jsonBody(`{}`), adminOnly},
		{"GET", "/api/v1/organizations", none, signedIn},
		{"GET", "/api/v1/organizations/{org}", none, orgView},

		// Course planning.
		{"GET", "/staff/courses", none, signedIn},
		{"GET", "/staff/courses/new", none, organizers},
		{"POST", "/staff/courses", formBody("title", ""), organizers},
		{"GET", "/staff/courses/{course}", none, orgView},
		{"GET", "/staff/courses/{course}/edit", none, orgManage},
		{"POST", "/staff/courses/{course}", formBody("title", ""), orgManage},
		{"POST", "/staff/courses/{course}/status", formBody("status", "khong-co"), orgManage},
		{"POST", "/staff/courses/{course}/copy", formBody("copy_starts_on", ""), orgManage},
		{"POST", "/staff/courses/{course}/delete", none, orgManage}, // open, with trainees: 409
		{"POST", "/staff/courses/{course}/modules", formBody("module_title", ""), orgManage},
		{"GET", "/staff/courses/{course}/modules/{module}/edit", none, orgManage},
		{"POST", "/staff/courses/{course}/modules/{module}", formBody("title", ""), orgManage},
		{"POST", "/staff/courses/{course}/modules/{module}/move", formBody("dir", "up"), orgManage},
		{"POST", "/staff/courses/{course}/modules/{new-module}/delete", none, orgManage},
		{"POST", "/staff/courses/{course}/sessions", formBody("session_date", ""), orgManage},
		{"GET", "/staff/courses/{course}/sessions/{session}/edit", none, orgManage},
		{"POST", "/staff/courses/{course}/sessions/{session}", formBody("date", ""), orgManage},
		{"POST", "/staff/courses/{course}/sessions/{session}/delete", none, orgManage}, // marked: 409
		{"GET", "/admin/programs", none, adminOnly},
		{"POST", "/admin/programs", formBody("name", ""), adminOnly},
		{"POST", "/admin/programs/{program}", formBody("name", ""), adminOnly},
		{"POST", "/admin/programs/{program}/delete", none, adminOnly}, // has a child: 409
		{"GET", "/api/v1/programs", none, signedIn},
		{"POST", "/api/v1/programs", jsonBody(`{}`), adminOnly},
		{"PATCH", "/api/v1/programs/{program}", jsonBody(`{"name": ""}`), adminOnly},
		{"DELETE", "/api/v1/programs/{program}", none, adminOnly},
		{"POST", "/api/v1/courses", jsonBody(`{}`), organizers},
		{"GET", "/api/v1/courses", none, signedIn},
		{"GET", "/api/v1/courses/{course}", none, orgView},
		{"PATCH", "/api/v1/courses/{course}", jsonBody(`{"title": ""}`), orgManage},
		{"DELETE", "/api/v1/courses/{course}", none, orgManage},
		{"POST", "/api/v1/courses/{course}/copy", jsonBody(`{}`), orgManage},
		{"GET", "/api/v1/courses/{course}/modules", none, orgView},
		{"POST", "/api/v1/courses/{course}/modules", jsonBody(`{}`), orgManage},
		{"PUT", "/api/v1/courses/{course}/modules/order", jsonBody(`{"ids": []}`), orgManage},
		{"PATCH", "/api/v1/modules/{module}", jsonBody(`{"title": ""}`), orgManage},
		{"DELETE", "/api/v1/modules/{new-module}", none, orgManage},
		{"GET", "/api/v1/courses/{course}/sessions", none, orgView},
		{"POST", "/api/v1/courses/{course}/sessions", jsonBody(`{}`), orgManage},
		{"PATCH", "/api/v1/sessions/{session}", jsonBody(`{"module_id": -1}`), orgManage},
		{"DELETE", "/api/v1/sessions/{session}", none, orgManage},

		// Registrations and the roster.
		// Staff get what the door needs; adding people, the exports with CCCD, birth date and
		// phones, the directory, payments and the certificates at once are for organizers.
		{"POST", "/api/v1/courses/{course}/registrations", jsonBody(`{}`), orgManageUnitSeats},
		{"GET", "/api/v1/courses/{course}/registrations", none, orgViewUnitSeats},
		{"POST", "/api/v1/courses/{course}/registrations/import", none, orgManage},
		{"GET", "/api/v1/courses/{course}/registrations.csv", none, orgManage},
		{"GET", "/api/v1/courses/{course}/registrations.xlsx", none, orgManage},
		{"GET", "/api/v1/courses/{course}/quotas", none, orgViewUnitSeats},
		{"PUT", "/api/v1/courses/{course}/quotas", jsonBody(`{"items": [{"unit_id": 0, "seats": 1}]}`), orgManage},
		{"GET", "/api/v1/registrations/{reg}", none, orgView},
		{"POST", "/api/v1/registrations/{cancelled}/cancel", none, orgManage},
		{"POST", "/api/v1/registrations/{cancelled}/approve", none, orgManage},
		{"POST", "/api/v1/registrations/{cancelled}/reject", jsonBody(`{"reason": "Không đủ điều kiện"}`), orgManage},
		{"POST", "/api/v1/registrations/{cancelled}/move", jsonBody(`{}`), orgManage},
		{"GET", "/api/v1/people", none, peopleList},
		{"GET", "/api/v1/people/{person}", none, peopleDetail},
		{"POST", "/courses/{course}/register", formBody("full_name", ""), public},
		{"POST", "/courses/{draft}/register", formBody("full_name", ""), draftPreview},
		{"GET", "/tickets/{ticket}", none, public},
		{"GET", "/tickets/{ticket}/cancel", none, public},
		{"POST", "/tickets/{cancelled-ticket}/cancel", none, public},
		{"GET", "/staff/courses/{course}/registrations", none, orgView},
		{"POST", "/staff/courses/{course}/quotas", formBody("seats_0", ""), orgManage},
		{"GET", "/staff/courses/{course}/registrations/import", none, orgManage},
		{"POST", "/staff/courses/{course}/registrations/import", none, orgManage},
		{"POST", "/staff/courses/{course}/registrations/import/{upload}", none, orgManage},
		{"GET", "/staff/courses/{course}/registrations/import-template.csv", none, orgView},
		{"POST", "/staff/registrations/{cancelled}/status", formBody("to", "approve"), orgManage},
		{"GET", "/staff/people", none, peopleList},
		{"GET", "/staff/people/{person}", none, peopleDetail},

		// Attendance and reports.
		{"PUT", "/api/v1/sessions/{session}/attendance", jsonBody(`{}`), orgView},
		{"GET", "/api/v1/sessions/{session}/attendance", none, orgView},
		{"GET", "/api/v1/sessions/{session}/attendance/log", none, orgView},
		{"POST", "/api/v1/sessions/{session}/checkin", jsonBody(`{"code": "{cancelled-ticket}"}`), orgView},
		{"GET", "/api/v1/sessions/{session}/selfcheckin", none, orgView},
		{"GET", "/api/v1/courses/{course}/attendance", none, orgView},
		{"GET", "/api/v1/courses/{course}/attendance/log", none, orgView},
		{"GET", "/api/v1/courses/{course}/reports/signin.pdf?session={session}", none, orgView},
		{"GET", "/api/v1/courses/{course}/reports/signin.xlsx?session={session}", none, orgView},
		{"GET", "/api/v1/courses/{course}/reports/attendance.pdf", none, orgView},
		{"GET", "/api/v1/courses/{course}/reports/attendance.xlsx", none, orgView},
		{"GET", "/api/v1/courses/{course}/reports/payments.pdf", none, orgManage},
		{"GET", "/api/v1/courses/{course}/reports/payments.xlsx", none, orgManage},
		{"GET", "/api/v1/courses/{course}/reports/statistics.pdf", none, orgView},
		{"GET", "/api/v1/courses/{course}/reports/statistics.xlsx", none, orgView},
		{"GET", "/api/v1/courses/{course}/reports/statistics", none, orgView},
		{"GET", "/api/v1/reports/statistics", none, signedIn},
		{"GET", "/api/v1/reports/statistics?organization_id={org}", none, orgView},
		{"GET", "/api/v1/reports/statistics.pdf?organization_id={org}", none, orgView},
		{"GET", "/api/v1/reports/statistics.xlsx?organization_id={org}", none, orgView},
		{"GET", "/staff/courses/{course}/attendance", none, orgView},
		{"GET", "/staff/courses/{course}/reports", none, orgView},
		{"GET", "/staff/sessions/{session}/checkin", none, orgView},
		{"POST", "/staff/sessions/{session}/checkin", formBody("code", "{cancelled-ticket}"), orgView},
		{"GET", "/staff/sessions/{session}/tickback", none, orgView},
		{"POST", "/staff/sessions/{session}/tickback", none, orgView},
		{"GET", "/staff/sessions/{session}/selfcheckin", none, orgView},
		{"GET", "/staff/sessions/{session}/log", none, orgView},
		{"GET", "/staff/statistics", none, signedIn},
		{"GET", "/staff/statistics?organization_id={org}", none, orgView},
		{"GET", "/self/{session}", none, public},
		{"POST", "/self/{session}", formBody("code", "000000", "ticket", "{ticket}"), public},

		// Certificates.
		{"POST", "/api/v1/courses/{course}/certificates/issue", none, orgManage}, // all have one: issues none
		{"GET", "/api/v1/courses/{course}/certificates", none, orgView},
		{"GET", "/api/v1/courses/{course}/certificates.pdf", none, orgManage},
		{"GET", "/api/v1/courses/{course}/certificates.zip", none, orgManage},
		{"GET", "/api/v1/courses/{course}/eligibility", none, orgView},
		{"PUT", "/api/v1/courses/{course}/eligibility/{reg}", jsonBody(`{}`), orgManage},
		{"GET", "/api/v1/certificates/{cert}", none, orgView},
		{"GET", "/api/v1/certificates/{cert}.pdf", none, orgView},
		{"POST", "/api/v1/certificates/{cert}/revoke", jsonBody(`{}`), orgManage},
		{"POST", "/api/v1/certificates/{superseded}/reissue", none, orgManage},
		{"GET", "/api/v1/organizations/{org}/certificate-settings", none, orgView},
		{"PUT", "/api/v1/organizations/{org}/certificate-settings", jsonBody(`{"number_format": ""}`), orgManage},
		{"GET", "/api/v1/verify/{verify}", none, public},
		{"GET", "/staff/courses/{course}/certificates", none, orgView},
		{"POST", "/staff/courses/{course}/certificates/issue", none, orgManage},
		{"POST", "/staff/courses/{course}/certificates/override", formBody("registration_id", "{reg}"), orgManage},
		{"POST", "/staff/certificates/{cert}/revoke", formBody("reason", ""), orgManage},
		{"POST", "/staff/certificates/{superseded}/reissue", none, orgManage},
		{"GET", "/staff/certificate-settings", none, organizers},
		{"GET", "/staff/certificate-settings?org={org}", none, orgManage},
		{"POST", "/staff/certificate-settings", formBody("org", "{org}", "number_format", ""), orgManage},
		{"GET", "/staff/certificate-settings/logo.png?org={org}", none, orgManage},
		{"GET", "/staff/certificate-settings/sample.pdf?org={org}", none, orgManage},
		{"GET", "/verify/{verify}", none, public},
		{"GET", "/tickets/{ticket}/certificate.pdf", none, public},

		// Public pages.
		{"GET", "/courses/{course}", none, public},
		{"GET", "/courses/{draft}", none, draftPreview},
	}
}

func TestAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	sc := newSecScene(t)
	rows := securityTable(sc)

	// Every route of the engine has a row, and every row names a route.
	covered := map[string]bool{}
	for _, r := range rows {
		route, err := routeOf(sc.a.srv.engine.Routes(), r.method, r.path)
		if err != nil {
			t.Errorf("row %s %s: %v", r.method, r.path, err)
			continue
		}
		covered[route] = true
	}
	var missing []string
	for _, ri := range sc.a.srv.engine.Routes() {
		if key := ri.Method + " " + ri.Path; !covered[key] {
			missing = append(missing, key)
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("route %s has no row in the authorization table: decide who may use it", m)
	}

	checks := 0
	for _, r := range rows {
		name := r.method + " " + r.path
		for i, who := range sc.ids {
			if r.body.freshSession && who.user != nil {
				who.session = sc.newSession(who.user)
			}
			path := sc.expand(t, r.path, who)
			body := r.body
			if body.json != "" {
				body.json = sc.expand(t, body.json, who)
			}
			if body.form != nil {
				f := url.Values{}
				for k, vs := range body.form {
					for _, v := range vs {
						f.Add(k, sc.expand(t, v, who))
					}
				}
				body.form = f
			}
			resp := sc.request(t, who, r.method, path, body)
			checks++
			if msg := judge(r.want[i], r.method, path, resp); msg != "" {
				t.Errorf("%s as %s: %s", name, who.name, msg)
			}
			if fx := secEffects[secEffectKey(r)]; fx != nil {
				fx(t, sc, i, resp)
			}
			if r.want != public {
				sc.checkNoLeak(t, name, i, resp)
			}
		}
	}
	t.Logf("authorization matrix: %d rows covering %d routes × %d callers = %d requests",
		len(rows), len(sc.a.srv.engine.Routes()), nIdentities, checks)
	sc.checkIntact(t)
}

// judge returns what is wrong with resp for the wanted outcome ("" when right).
func judge(want outcome, method, path string, resp secResponse) string {
	api := strings.HasPrefix(path, "/api/")
	toLogin := resp.status >= 300 && resp.status < 400 && strings.HasPrefix(resp.location, "/login?next=")
	got := fmt.Sprintf("got %d", resp.status)
	if resp.location != "" {
		got += " → " + resp.location
	}
	if resp.status >= 500 {
		return got + ": a server error"
	}
	switch want {
	case allow:
		if resp.status == 401 || resp.status == 403 || resp.status == 404 || toLogin {
			return got + ", want access granted"
		}
	case unauth:
		switch {
		case api || method != http.MethodGet:
			if resp.status != http.StatusUnauthorized {
				return got + ", want 401"
			}
		case resp.status != http.StatusSeeOther || !strings.HasPrefix(resp.location, "/login?next="):
			return got + ", want 303 to /login?next=…"
		}
	case notFound:
		if resp.status != http.StatusNotFound {
			return got + ", want 404"
		}
	case forbidden:
		if resp.status != http.StatusForbidden {
			return got + ", want 403"
		}
	}
	return ""
}

// checkNoLeak fails when an answer shows the other side's strings: the home organization's
// to anonymous callers and callers of the other organization, the other organization's to
// the home organization's people. Admins see everything; binary files are not searched.
func (sc *secScene) checkNoLeak(t *testing.T, name string, who int, resp secResponse) {
	t.Helper()
	if !strings.Contains(resp.contentType, "html") && !strings.Contains(resp.contentType, "json") &&
		!strings.Contains(resp.contentType, "text/plain") {
		return
	}
	var secrets []string
	switch who {
	case idAnon, idOtherStaff, idOtherOrganizer:
		secrets = homeSecrets
	case idStaff, idOrganizer:
		secrets = otherSecrets
	case idUnit:
		// A focal point sees its own unit's people only: nobody of either organization's
		// courses that gave its unit no seats.
		secrets = append(append([]string{}, otherSecrets...), homeSecrets...)
	}
	for _, s := range secrets {
		if strings.Contains(resp.body, s) {
			t.Errorf("%s as %s: the answer (%d) shows %q", name, identityNames[who], resp.status, s)
		}
	}
}

// checkIntact verifies that the matrix, which sends every granted change with a harmless
// or invalid body, destroyed nothing of the scene.
func (sc *secScene) checkIntact(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	c, err := sc.a.srv.courses.FindCourseByID(ctx, sc.course.ID)
	if err != nil || c.Status != courses.StatusOpen || c.Title != secCourseTitle {
		t.Errorf("the course after the matrix: %+v, %v", c, err)
	}
	for _, want := range []struct {
		r      *courses.Registration
		status string
	}{{sc.yen, courses.RegConfirmed}, {sc.duc, courses.RegConfirmed}, {sc.cancelled, courses.RegCancelled}} {
		r, err := sc.a.srv.courses.FindRegistrationByID(ctx, want.r.ID)
		if err != nil || r.Status != want.status {
			t.Errorf("registration %s after the matrix: %v %v, want %s", want.r.FullName, r, err, want.status)
		}
	}
	if n := coursestest.Confirmed(t, sc.a.srv.courses, sc.course.ID); n != 2 {
		t.Errorf("confirmed after the matrix: %d, want 2", n)
	}
	if ss, _ := sc.a.srv.courses.ListSessions(ctx, sc.course.ID); len(ss) != 2 {
		t.Errorf("sessions after the matrix: %d, want 2", len(ss))
	}
	if _, err := sc.a.srv.courses.FindModuleByID(ctx, sc.module); err != nil {
		t.Errorf("module after the matrix: %v", err)
	}
	for id, want := range map[int64]string{sc.cert.ID: certificates.Valid, sc.superseded.ID: certificates.Superseded} {
		c, err := sc.a.srv.certs.FindByID(ctx, id)
		if err != nil || c.Status != want {
			t.Errorf("certificate %d after the matrix: %v %v, want %s", id, c, err, want)
		}
	}
	if _, err := sc.a.srv.courses.FindProgramByID(ctx, sc.program.ID); err != nil {
		t.Errorf("program after the matrix: %v", err)
	}
	if org, err := sc.a.acc.FindOrganizationByID(ctx, sc.home.ID); err != nil || org.Name != sc.home.Name {
		t.Errorf("organization after the matrix: %v %v", org, err)
	}
}

// routeOf returns the route ("METHOD /pattern") that serves method path, as the router
// chooses: among the patterns that match, the one with the most literal segments (a static
// segment wins over a parameter). Placeholders and the query are ignored.
func routeOf(routes gin.RoutesInfo, method, path string) (string, error) {
	path, _, _ = strings.Cut(path, "?")
	best, bestScore, tie := "", -1, false
	for _, r := range routes {
		if r.Method != method {
			continue
		}
		score, ok := patternMatch(r.Path, path)
		switch {
		case !ok:
		case score > bestScore:
			best, bestScore, tie = r.Method+" "+r.Path, score, false
		case score == bestScore:
			tie = true
		}
	}
	if best == "" {
		return "", fmt.Errorf("no route serves it")
	}
	if tie {
		return "", fmt.Errorf("more than one route could serve it")
	}
	return best, nil
}

// patternMatch reports whether a gin pattern (/a/:id/b, /static/*file) matches path, and
// how many literal segments it matched.
func patternMatch(pattern, path string) (int, bool) {
	ps := strings.Split(strings.Trim(pattern, "/"), "/")
	xs := strings.Split(strings.Trim(path, "/"), "/")
	score := 0
	for i, p := range ps {
		if strings.HasPrefix(p, "*") {
			return score, i < len(xs)
		}
		if i >= len(xs) {
			return 0, false
		}
		switch {
		case strings.HasPrefix(p, ":"):
			if xs[i] == "" {
				return 0, false
			}
		case p == xs[i]:
			score++
		default:
			return 0, false
		}
	}
	return score, len(ps) == len(xs)
}

// TestPeopleDirectoryKeepsEachOrganizationsData: a trainee registered with one organization,
// then with another under a new e-mail, workplace and CCCD. The directory entry holds the
// latest; the first organization's people must still see only what was given to them —
// in the list and the search, as on the person's page — and the search must not find the
// person by what they gave the other organization.
func TestPeopleDirectoryKeepsEachOrganizationsData(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := t.Context()
	home := coursestest.Org(t, a.db, "Sở Giáo dục và Đào tạo tỉnh Khánh Hòa")
	other := coursestest.Org(t, a.db, "Sở Y tế tỉnh Khánh Hòa")
	homeCourse := coursestest.Course(t, a.db, home.ID, coursestest.Upcoming, func(c *courses.Course) { c.Title = "Lớp giáo viên cốt cán" })
	otherCourse := coursestest.Course(t, a.db, other.ID, coursestest.Upcoming, func(c *courses.Course) { c.Title = "Lớp điều dưỡng" })
	given := courses.RegisterInput{CourseID: homeCourse.ID, FullName: "Phạm Thị Thu", Gender: "Nữ",
		BirthDate: "1990-02-01", Ethnicity: "Kinh", Position: "Giáo viên", Organization: "Trường Tiểu học Ninh Hiệp",
		Locality: "Ninh Hòa", Phone: "0913000111", Email: "thu.truonghoc@example.vn"}
	if _, err := a.srv.courses.Register(ctx, given); err != nil {
		t.Fatal(err)
	}
	later := given
	later.CourseID, later.Position, later.Organization, later.Locality = otherCourse.ID, "Điều dưỡng", "Bệnh viện Đa khoa Cam Ranh", "Cam Ranh"
	later.Email, later.IDNumber = "thu.benhvien@example.vn", "056190009999"
	if _, err := a.srv.courses.Register(ctx, later); err != nil {
		t.Fatal(err)
	}
	othersOnly := []string{"thu.benhvien@example.vn", "056190009999", "Bệnh viện Đa khoa Cam Ranh", "Điều dưỡng", "Lớp điều dưỡng"}
	homeTok := a.token(a.user(accounts.RoleOrganizer, home.ID))
	homeWeb := a.login(a.user(accounts.RoleOrganizer, home.ID))

	status, b := a.call("GET", "/api/v1/people", homeTok, nil)
	got := decode[struct {
		Items []courses.Person `json:"items"`
		Total int              `json:"total"`
	}](t, b)
	if status != 200 || got.Total != 1 || got.Items[0].Email != given.Email || got.Items[0].Organization != given.Organization ||
		got.Items[0].IDNumber != "" || got.Items[0].Courses != 1 {
		t.Errorf("the home organization's directory (%d): %s, want what was given to it", status, b)
	}
	for _, s := range othersOnly {
		if strings.Contains(string(b), s) {
			t.Errorf("the home organization's directory shows %q, given to the other organization", s)
		}
	}
	if _, page := a.get(homeWeb, "/staff/people"); !strings.Contains(page, given.Organization) {
		t.Errorf("the directory page does not show the unit given to the home organization")
	} else {
		for _, s := range othersOnly {
			if strings.Contains(page, s) {
				t.Errorf("the directory page shows %q, given to the other organization", s)
			}
		}
	}
	for _, q := range []string{"thu.benhvien", "056190009999"} {
		if _, b := a.call("GET", "/api/v1/people?q="+q, homeTok, nil); !strings.Contains(string(b), `"total":0`) {
			t.Errorf("searching %q, given only to the other organization, finds: %s", q, b)
		}
	}
	if _, b := a.call("GET", "/api/v1/people?q=thu.truonghoc", homeTok, nil); !strings.Contains(string(b), `"total":1`) {
		t.Errorf("searching the e-mail given to the home organization finds: %s", b)
	}
	// The other organization sees its own, and an administrator the latest.
	_, b = a.call("GET", "/api/v1/people", a.token(a.user(accounts.RoleOrganizer, other.ID)), nil)
	if !strings.Contains(string(b), "thu.benhvien@example.vn") || strings.Contains(string(b), given.Organization) {
		t.Errorf("the other organization's directory: %s", b)
	}
	_, b = a.call("GET", "/api/v1/people", a.token(a.user(accounts.RoleAdmin, 0)), nil)
	if !strings.Contains(string(b), "thu.benhvien@example.vn") {
		t.Errorf("the administrator's directory: %s", b)
	}
}

// TestHTMLInjection: markup typed into any field that a page shows comes out escaped —
// the raw payload never appears, the escaped one does — on the staff pages, the public
// course page, the ticket, the verification page and the self check-in page (PDFs and
// spreadsheets are not HTML and are left out).
func TestHTMLInjection(t *testing.T) {
	t.Parallel()
	sc := newInjectScene(t)
	a := sc.a
	course, sess := itoa(sc.course.ID), itoa(sc.session.ID)
	courseTags := []string{tagTitle, tagCoOrganizer, tagProgramText, tagVenue, tagDescription, tagAudience}
	traineeTags := []string{tagPosition, tagUnit, tagLocality}
	for _, p := range []struct {
		client *http.Client
		path   string
		tags   []string
	}{
		{sc.orgWeb, "/", []string{tagOrgName, tagUserName}},
		{sc.adminWeb, "/admin/organizations", []string{tagOrgName, tagOrgShort, tagOrgParent}},
		{sc.adminWeb, "/admin/users", []string{tagOrgName, tagUserName}},
		{sc.orgWeb, "/admin/users", []string{tagUserName}},
		{sc.orgWeb, "/account", []string{tagUserName}},
		{sc.orgWeb, "/staff/courses", []string{tagTitle, tagProgramText, tagVenue, tagProgram}},
		{sc.orgWeb, "/staff/courses/" + course, append([]string{tagOrgName, tagModule, tagLecturer, tagRoom}, courseTags...)},
		{sc.orgWeb, "/staff/courses/" + course + "/edit", append([]string{tagPlace, tagProgram}, courseTags...)},
		{sc.adminWeb, "/staff/courses/new", []string{tagOrgName, tagProgram}},
		{sc.orgWeb, "/staff/courses/" + course + "/modules/" + itoa(sc.module.ID) + "/edit", []string{tagTitle, tagModule, tagLecturer}},
		{sc.orgWeb, "/staff/courses/" + course + "/sessions/" + sess + "/edit", []string{tagTitle, tagModule, tagLecturer, tagRoom}},
		{sc.adminWeb, "/admin/programs", []string{tagProgram}},
		{sc.orgWeb, "/staff/courses/" + course + "/registrations", append([]string{tagTitle, tagCancelReason}, traineeTags...)},
		{sc.orgWeb, "/staff/courses/" + course + "/registrations/import", []string{tagTitle}},
		{sc.orgWeb, "/staff/people", traineeTags},
		{sc.orgWeb, "/staff/people/" + itoa(sc.trainee.PersonID), append([]string{tagTitle}, traineeTags...)},
		{sc.orgWeb, "/staff/courses/" + course + "/attendance", []string{tagTitle, tagUnit, tagModule}},
		{sc.orgWeb, "/staff/courses/" + course + "/reports", []string{tagTitle, tagModule}},
		{sc.orgWeb, "/staff/sessions/" + sess + "/checkin", []string{tagTitle, tagModule, tagUnit, tagPosition}},
		{sc.orgWeb, "/staff/sessions/" + sess + "/tickback", []string{tagUnit}},
		{sc.orgWeb, "/staff/sessions/" + sess + "/selfcheckin", []string{tagTitle}},
		{sc.orgWeb, "/staff/sessions/" + sess + "/log", []string{tagUserName}},
		{sc.orgWeb, "/staff/statistics", []string{tagTitle, tagUnit, tagLocality}},
		{sc.adminWeb, "/staff/statistics?organization_id=" + itoa(sc.org.ID), []string{tagOrgName, tagTitle}},
		{sc.orgWeb, "/staff/courses/" + course + "/certificates", []string{tagTitle, tagNumber, tagOverride, tagRevoke, tagUnit}},
		{sc.orgWeb, "/staff/certificate-settings", []string{tagOrgName, tagNumber, tagCertPlace, tagSigner,
			tagSignerTitle, tagSignerSub, tagWording}},
		{sc.anonWeb, "/courses/" + course, append([]string{tagOrgName, tagModule, tagLecturer, tagRoom}, courseTags...)},
		{sc.anonWeb, "/tickets/" + sc.trainee.Code, []string{tagOrgName, tagTitle, tagVenue}},
		{sc.anonWeb, "/tickets/" + sc.trainee.Code + "/cancel", []string{tagTitle}},
		{sc.anonWeb, "/verify/" + sc.cert.Code, []string{tagOrgName, tagTitle, tagNumber}},
		{sc.anonWeb, "/self/" + sess, []string{tagTitle, tagModule}},
	} {
		resp, page := a.get(p.client, p.path)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d", p.path, resp.StatusCode)
			continue
		}
		checkEscaped(t, p.path, page, p.tags...)
	}

	// What a request carries comes back escaped too: search boxes, filters, the address to
	// return to after signing in, a refused form.
	q := url.QueryEscape(xss("query"))
	for _, p := range []struct {
		client *http.Client
		path   string
	}{
		{sc.orgWeb, "/staff/courses?q=" + q},
		{sc.orgWeb, "/staff/courses?q=" + q + "&from=" + q},
		{sc.orgWeb, "/staff/courses/" + course + "/registrations?q=" + q + "&unit=" + q},
		{sc.orgWeb, "/staff/people?q=" + q},
		{sc.orgWeb, "/staff/courses/" + course + "/attendance?q=" + q},
		{sc.orgWeb, "/staff/statistics?from=" + q},
		{sc.anonWeb, "/login?next=" + q},
	} {
		_, page := a.get(p.client, p.path)
		checkEscaped(t, p.path, page, "query")
	}
	resp, page := a.postFormBody(sc.orgWeb, "/staff/courses/"+course, url.Values{"title": {xss("query")}, "starts_on": {"không phải ngày"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a refused course form: %d, want 422", resp.StatusCode)
	}
	checkEscaped(t, "the refused course form", page, "query")

	// Names are checked: markup is refused with a message on the field, on the public form
	// and in the API, and the refused form shows what was typed, escaped.
	form := regForm("0905999888")
	form.Set("full_name", xss("name"))
	form.Set("ethnicity", xss("ethnicity"))
	form.Set("organization", xss("typed-unit"))
	resp, page = a.postFormBody(sc.anonWeb, "/courses/"+course+"/register", form)
	if resp.StatusCode != http.StatusUnprocessableEntity || errorOn(page, "full_name") == "" || errorOn(page, "ethnicity") == "" {
		t.Errorf("a name with markup on the public form: %d, errors on full_name %q and ethnicity %q",
			resp.StatusCode, errorOn(page, "full_name"), errorOn(page, "ethnicity"))
	}
	checkEscaped(t, "the refused registration form", page, "name", "typed-unit")
	status, b := a.call("POST", "/api/v1/courses/"+course+"/registrations", sc.organizerTok, map[string]string{
		"full_name": xss("name"), "gender": "Nam", "birth_date": "1980-01-01", "phone": "0905999777",
		"organization": "UBND xã Ninh Ích", "ethnicity": "Kinh"})
	if e := decode[apiErr](t, b); status != http.StatusUnprocessableEntity || e.Error.Fields["full_name"] == "" {
		t.Errorf("a name with markup in the API: %d %s, want 422 with a message on full_name", status, b)
	}
	if strings.Contains(string(b), "<script>") {
		t.Errorf("the API writes markup out raw: %s", b)
	}

	// JSON answers are not pages: they say so and forbid sniffing, and escape < > anyway.
	req, _ := http.NewRequest("GET", a.ts.URL+"/api/v1/verify/"+sc.cert.Code, nil)
	jr, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	jb, _ := io.ReadAll(jr.Body)
	jr.Body.Close()
	if ct := jr.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") ||
		jr.Header.Get("X-Content-Type-Options") != "nosniff" || strings.Contains(string(jb), "<script>") {
		t.Errorf("verify JSON: %s, nosniff %q, body %s", ct, jr.Header.Get("X-Content-Type-Options"), jb)
	}
}

// TestPublicPagesShowNoPersonalData: the pages anyone may open — the course page (also
// when someone types a registered phone number), the ticket and its cancellation, the
// certificate verification (page and JSON), the self check-in — never show a trainee's
// phone, birth date, ethnicity, CCCD or e-mail. The trainee here has distinctive values
// for each, searched for in every form the pages could write them.
func TestPublicPagesShowNoPersonalData(t *testing.T) {
	t.Parallel()
	sc := newSecScene(t)
	a := sc.a
	ctx := t.Context()
	running := coursestest.Session(t, a.db, sc.course.ID, time.Now().Add(-10*time.Minute), 2*time.Hour, "Phòng 2")
	self, err := a.srv.attend.SelfCheckinCode(ctx, running.ID, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	anon := a.browserClient()
	course, ticket, verify := itoa(sc.course.ID), sc.yen.Code, sc.cert.Code

	// Someone who knows the trainee's phone number tries to register with it.
	dup := regForm(secPhone)
	type page struct {
		name, body string
		typed      []string // what the visitor typed themselves, which the page may show back
	}
	var pages []page
	get := func(path string) {
		resp, body := a.get(anon, path)
		if resp.StatusCode >= 400 {
			t.Errorf("GET %s: %d", path, resp.StatusCode)
		}
		pages = append(pages, page{name: "GET " + path, body: body})
	}
	post := func(path string, form url.Values, want int, typed ...string) {
		resp, body := a.postFormBody(anon, path, form)
		if resp.StatusCode != want {
			t.Errorf("POST %s: %d, want %d", path, resp.StatusCode, want)
		}
		pages = append(pages, page{name: "POST " + path, body: body, typed: typed})
	}
	get("/courses/" + course)
	post("/courses/"+course+"/register", dup, http.StatusConflict, secPhone)
	get("/tickets/" + ticket)
	get("/tickets/" + ticket + "/cancel")
	post("/tickets/"+ticket+"/cancel", url.Values{"reason": {strings.Repeat("Bận ", 200)}}, http.StatusUnprocessableEntity)
	get("/verify/" + verify)
	get("/api/v1/verify/" + verify)
	get("/self/" + itoa(running.ID) + "?k=" + self.Code)
	post("/self/"+itoa(running.ID), url.Values{"code": {"000000"}, "ticket": {ticket}}, http.StatusUnprocessableEntity)
	// By phone: refused unless the organizer allows it; then it checks in, naming nobody.
	post("/self/"+itoa(running.ID), url.Values{"code": {self.Code}, "ticket": {secPhone}}, http.StatusUnprocessableEntity, secPhone)
	if err := a.srv.courses.SetSelfPhoneAllowed(ctx, running.ID, true); err != nil {
		t.Fatal(err)
	}
	post("/self/"+itoa(running.ID), url.Values{"code": {self.Code}, "ticket": {secPhone}}, http.StatusOK, secPhone)
	var marked int
	if err := a.db.R.Get(&marked, `SELECT COUNT(*) FROM attendance_marks WHERE session_id = ? AND registration_id = ?`, running.ID, sc.yen.ID); err != nil || marked != 1 {
		t.Errorf("self check-in by phone did not check the trainee in")
	}
	if strings.Contains(pages[len(pages)-1].body, secTraineeName) {
		t.Errorf("self check-in by phone names the ticket's holder")
	}
	private := map[string]string{"phone": secPhone, "birth date": secBirthDate, "birth day": secBirthDay,
		"ethnicity": secEthnicity, "e-mail": secEmail, "CCCD": secIDNumber}
	// Digits are also searched with the separators a page might put between them.
	digits := map[string]string{"phone": "978123456", "birth date": "23111979", "CCCD": "056179001234"}
	strip := strings.NewReplacer(" ", "", ".", "", "-", "", "/", "", "\u00a0", "")
	for _, p := range pages {
		body := p.body
		for _, s := range p.typed {
			body = strings.ReplaceAll(body, s, "")
		}
		for what, s := range private {
			if strings.Contains(body, s) {
				t.Errorf("%s shows the trainee's %s", p.name, what)
			}
		}
		flat := strip.Replace(body)
		for what, s := range digits {
			if strings.Contains(flat, s) && !strings.Contains(strip.Replace(strings.Join(p.typed, "")), s) {
				t.Errorf("%s shows the trainee's %s (with separators)", p.name, what)
			}
		}
	}
	// The control: the organization's own page of the person shows every one of these, as
	// the search above would find them.
	staffPage := sc.request(t, sc.ids[idOrganizer], "GET", "/staff/people/"+itoa(sc.yen.PersonID), secBody{})
	for what, s := range private {
		if what != "birth date" && !strings.Contains(staffPage.body, s) {
			t.Errorf("the staff page of the person does not show the %s %q: the search would miss it", what, s)
		}
	}
	// And the registration the visitor collided with was not given away by the refusal.
	if dupPage := pages[1].body; strings.Contains(dupPage, secTraineeName) || strings.Contains(dupPage, sc.yen.Code) {
		t.Errorf("the refused registration names the person who holds the phone number")
	}
}

// TestCookieFlags: behind an https base address every cookie the server sets — the
// session, the one-time message, the language, and their removal at logout — is Secure,
// and the session and message cookies are HttpOnly and SameSite=Lax. Served over plain
// http (a laptop, the tests) the session cookie is not Secure, or the browser would drop it.
func TestCookieFlags(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	srv, err := New(Config{BaseURL: "https://taphuan.khanhhoa.gov.vn", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, db)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.handler)
	t.Cleanup(ts.Close)
	acc := accounts.New(db)
	u, err := acc.CreateUser(t.Context(), accounts.UserInput{Email: "giam-doc@example.vn", Name: "Giám đốc",
		Role: accounts.RoleAdmin, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	send := func(method, path, session string, form url.Values) *http.Response {
		req, _ := http.NewRequest(method, ts.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if session != "" {
			req.AddCookie(&http.Cookie{Name: sessionCookie, Value: session})
		}
		resp, err := noFollow.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	var all []*http.Cookie
	login := send("POST", "/login", "", url.Values{"email": {u.Email}, "password": {testPassword}})
	all = append(all, login.Cookies()...)
	var session *http.Cookie
	for _, ck := range login.Cookies() {
		if ck.Name == sessionCookie {
			session = ck
		}
	}
	if login.StatusCode != http.StatusSeeOther || session == nil {
		t.Fatalf("login: %d, cookies %v", login.StatusCode, login.Cookies())
	}
	if !session.Secure || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Path != "/" || session.MaxAge <= 0 {
		t.Errorf("session cookie %+v: want Secure, HttpOnly, SameSite=Lax, Path=/, a lifetime", session)
	}
	all = append(all, send("GET", "/lang/en", "", nil).Cookies()...)
	logout := send("POST", "/logout", session.Value, nil)
	all = append(all, logout.Cookies()...)
	// The next page shows the one-time message and removes its cookie.
	req, _ := http.NewRequest("GET", ts.URL+"/login", nil)
	req.AddCookie(&http.Cookie{Name: flashCookie, Value: "x"})
	taken, err := noFollow.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	taken.Body.Close()
	all = append(all, taken.Cookies()...)
	names := map[string]bool{}
	for _, ck := range all {
		names[ck.Name] = true
		if !ck.Secure {
			t.Errorf("cookie %s (%q) is not Secure behind an https address", ck.Name, ck.Raw)
		}
		if ck.Name != langCookie && (!ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode) {
			t.Errorf("cookie %s (%q): want HttpOnly and SameSite=Lax", ck.Name, ck.Raw)
		}
	}
	for _, n := range []string{sessionCookie, flashCookie, langCookie} {
		if !names[n] {
			t.Errorf("no %s cookie was seen", n)
		}
	}
	if n, err := acc.UserBySession(t.Context(), session.Value); err == nil {
		t.Errorf("the session still signs in %v after logout", n)
	}

	// Over plain http the session cookie works: not Secure, still HttpOnly and Lax.
	a := newTestApp(t)
	plain := a.postForm(a.browserClient(), "/login", url.Values{"email": {a.user(accounts.RoleAdmin, 0).Email}, "password": {testPassword}})
	for _, ck := range plain.Cookies() {
		if ck.Name == sessionCookie && (ck.Secure || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode) {
			t.Errorf("session cookie over http %q: want HttpOnly, Lax, not Secure", ck.Raw)
		}
	}
}

// TestCrossSiteRequestsRefused: a page of another site cannot make a signed-in browser
// change anything — form posts and API calls that ride on the session cookie, whether the
// browser says so with Sec-Fetch-Site, with Origin only (older browsers), or is a
// neighbouring subdomain (same-site) — and the refused requests change nothing. Following
// a link from another site still opens the page, and the API grants no cross-origin reads.
// (The login throttle is tested in foundation_test.go.)
func TestCrossSiteRequestsRefused(t *testing.T) {
	t.Parallel()
	sc := newSecScene(t)
	org := sc.ids[idOrganizer]
	hostile := []struct {
		name    string
		headers map[string]string
	}{
		{"cross-site", map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}},
		{"Origin only", map[string]string{"Origin": "https://evil.example"}},
		{"same-site subdomain", map[string]string{"Origin": "https://blog.khanhhoa.gov.vn", "Sec-Fetch-Site": "same-site"}},
	}
	for _, r := range []struct {
		method, path string
		body         secBody
	}{
		{"POST", "/staff/courses/{course}/status", formBody("status", courses.StatusCancelled)},
		{"POST", "/staff/registrations/{reg}/status", formBody("to", courses.RegCancelled, "reason", "Giả mạo")},
		{"POST", "/staff/certificates/{cert}/revoke", formBody("reason", "Giả mạo")},
		{"POST", "/staff/courses/{course}/modules/{module}/delete", secBody{}},
		{"POST", "/account/password", formBody("current", "x", "password", "mat-khau-moi-123")},
		{"POST", "/admin/users", formBody("email", "ke-gian@example.vn", "name", "Kẻ gian", "role", "organizer")},
		{"POST", "/logout", secBody{}},
		{"PATCH", "/api/v1/courses/{course}", jsonBody(`{"status": "cancelled"}`)},
		{"POST", "/api/v1/registrations/{reg}/cancel", secBody{}},
		{"DELETE", "/api/v1/modules/{module}", secBody{}},
		{"POST", "/api/v1/certificates/{cert}/revoke", jsonBody(`{"reason": "Giả mạo"}`)},
	} {
		for _, h := range hostile {
			path := sc.expand(t, r.path, org)
			resp := sc.crossSite(t, org, r.method, path, r.body, h.headers)
			if resp.status != http.StatusForbidden {
				t.Errorf("%s %s (%s, signed in by cookie): %d, want 403", r.method, r.path, h.name, resp.status)
			}
			if strings.HasPrefix(path, "/api/") && !strings.Contains(resp.body, `"code":"forbidden"`) {
				t.Errorf("%s %s (%s): the API refusal is not API.md's error: %s", r.method, r.path, h.name, resp.body)
			}
		}
	}
	sc.checkIntact(t)
	if _, err := sc.a.acc.FindUserByEmail(t.Context(), "ke-gian@example.vn"); err == nil {
		t.Error("a refused cross-site post created a user")
	}
	if u, err := sc.a.acc.UserBySession(t.Context(), org.session); err != nil || u.ID != org.user.ID {
		t.Error("a refused cross-site logout ended the session")
	}

	// A link from another site opens the page; the API's answer to a foreign origin grants
	// it nothing to read.
	nav := sc.crossSite(t, org, "GET", "/staff/courses/"+itoa(sc.course.ID), secBody{},
		map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"})
	if nav.status != http.StatusOK {
		t.Errorf("following a link from another site: %d, want 200", nav.status)
	}
	api := sc.crossSite(t, org, "GET", "/api/v1/courses", secBody{}, map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"})
	if api.header.Get("Access-Control-Allow-Origin") != "" || api.header.Get("Access-Control-Allow-Credentials") != "" {
		t.Errorf("the API allows cross-origin reads: %v", api.header)
	}
	pre := sc.crossSite(t, identity{}, "OPTIONS", "/api/v1/courses", secBody{},
		map[string]string{"Origin": "https://evil.example", "Access-Control-Request-Method": "PATCH"})
	if pre.header.Get("Access-Control-Allow-Origin") != "" || pre.header.Get("Access-Control-Allow-Methods") != "" {
		t.Errorf("a preflight from another site is answered with CORS permissions: %d %v", pre.status, pre.header)
	}
}

// TestLoginThrottleByAddressIgnoresForwardedFor: the throttle per address counts the
// peer's address, so a client cannot escape it by sending X-Forwarded-For headers of its
// choosing (the server trusts no proxy).
func TestLoginThrottleByAddressIgnoresForwardedFor(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	c := a.browserClient()
	login := func(email, password string, n int) int {
		req, _ := http.NewRequest("POST", a.ts.URL+"/login",
			strings.NewReader(url.Values{"email": {email}, "password": {password}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("203.0.113.%d", n%250+1))
		req.Header.Set("X-Real-IP", fmt.Sprintf("198.51.100.%d", n%250+1))
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	// Many accounts tried from one machine, each "from" another address.
	n := 0
	for ; n < 70; n++ {
		if st := login(fmt.Sprintf("khong-co-%d@example.vn", n), "sai", n); st == http.StatusTooManyRequests {
			break
		} else if st != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", n+1, st)
		}
	}
	if n == 70 {
		t.Fatal("70 failed logins from one machine were never throttled")
	}
	u := a.user(accounts.RoleAdmin, 0)
	if st := login(u.Email, testPassword, 999); st != http.StatusTooManyRequests {
		t.Errorf("a right password from the throttled machine under another X-Forwarded-For: %d, want 429", st)
	}
}

// TestCredentialsStoredHashed: no password (chosen, generated, changed), API token or
// session cookie value is stored in clear anywhere in the database, nor written to the
// log. Passwords are bcrypt hashes at the default cost or more; tokens and sessions are
// stored as their SHA-256.
func TestCredentialsStoredHashed(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	var logBuf lockedBuffer
	srv, err := New(Config{Logger: slog.New(slog.NewTextHandler(&logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}))}, db)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.handler)
	t.Cleanup(ts.Close)
	a := &testApp{t: t, db: db, srv: srv, ts: ts, acc: accounts.New(db)}
	srv.cfg.BaseURL = ts.URL
	org := a.org("Sở Tài chính tỉnh Khánh Hòa")
	admin := a.user(accounts.RoleAdmin, 0)
	adminWeb := a.login(admin)
	secrets := []string{testPassword}

	chosen := "Mat-khau-rieng-2024!"
	if resp := a.postForm(adminWeb, "/admin/users", url.Values{"email": {"ke-toan@example.vn"}, "name": {"Kế toán"},
		"role": {"organizer"}, "organization_id": {itoa(org.ID)}, "password": {chosen}}); resp.StatusCode != http.StatusCreated {
		t.Fatalf("create user: %d", resp.StatusCode)
	}
	resp, page := a.postFormBody(adminWeb, "/admin/users", url.Values{"email": {"thu-quy@example.vn"}, "name": {"Thủ quỹ"},
		"role": {"staff"}, "organization_id": {itoa(org.ID)}})
	m := regexp.MustCompile(`id="new-password">[^<]*<code>([^<]+)</code>`).FindStringSubmatch(page)
	if resp.StatusCode != http.StatusCreated || m == nil {
		t.Fatalf("create user with a generated password: %d, password shown: %v", resp.StatusCode, m)
	}
	generated := html.UnescapeString(m[1])
	secrets = append(secrets, chosen, generated)

	// Sign in with each; a wrong password is tried too; one changes their password.
	web := a.browserClient()
	login := a.postForm(web, "/login", url.Values{"email": {"ke-toan@example.vn"}, "password": {chosen}})
	a.postForm(a.browserClient(), "/login", url.Values{"email": {"thu-quy@example.vn"}, "password": {"sai-" + generated}})
	a.postForm(a.browserClient(), "/login", url.Values{"email": {"thu-quy@example.vn"}, "password": {generated}})
	for _, ck := range login.Cookies() {
		if ck.Name == sessionCookie {
			secrets = append(secrets, ck.Value)
		}
	}
	changed := "Mat-khau-moi-2025#"
	if resp := a.postForm(web, "/account/password", url.Values{"current": {chosen}, "password": {changed}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("change password: %d", resp.StatusCode)
	}
	secrets = append(secrets, changed, "sai-"+generated)
	token := a.token(admin)
	if st, _ := a.call("GET", "/api/v1/organizations", token, nil); st != http.StatusOK {
		t.Fatalf("the token does not work: %d", st)
	}
	secrets = append(secrets, token)
	if len(secrets) != 7 {
		t.Fatalf("collected %d secrets", len(secrets))
	}

	// Every text in every table of the database.
	tables, err := db.Tables(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	cells := 0
	for _, table := range tables {
		rows, err := db.R.Queryx(`SELECT * FROM "` + table + `"`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			vals, err := rows.SliceScan()
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				var s string
				switch x := v.(type) {
				case string:
					s = x
				case []byte:
					s = string(x)
				default:
					continue
				}
				cells++
				for _, secret := range secrets {
					if strings.Contains(s, secret) {
						t.Errorf("table %s holds a credential in clear", table)
					}
				}
			}
		}
		rows.Close()
	}
	if cells == 0 {
		t.Fatal("read no text from the database")
	}
	var hashes []string
	if err := db.R.Select(&hashes, `SELECT password_hash FROM users`); err != nil || len(hashes) != 3 {
		t.Fatalf("password hashes: %v %v", hashes, err)
	}
	for _, h := range hashes {
		if cost, err := bcrypt.Cost([]byte(h)); err != nil || cost < bcrypt.DefaultCost {
			t.Errorf("password hash %.7s…: bcrypt cost %d (%v), want ≥ %d", h, cost, err, bcrypt.DefaultCost)
		}
	}
	sum := sha256.Sum256([]byte(token))
	var n int
	if err := db.R.Get(&n, `SELECT COUNT(*) FROM api_tokens WHERE token_hash = ?`, hex.EncodeToString(sum[:])); err != nil || n != 1 {
		t.Errorf("the token is not stored as its SHA-256 (%d, %v)", n, err)
	}
	if err := db.R.Get(&n, `SELECT COUNT(*) FROM login_sessions`); err != nil || n < 2 {
		t.Errorf("login sessions: %d %v", n, err)
	}
	for _, secret := range secrets {
		if strings.Contains(logBuf.String(), secret) {
			t.Errorf("the log holds a credential in clear")
		}
	}
	if !strings.Contains(logBuf.String(), "signed in") {
		t.Errorf("the log was not captured")
	}
}

// TestForeignObjectsInRequests: an organizer who may change their own course cannot reach
// another organization's objects by naming them in the body, the query or the second
// parameter of an address of their own course: a trainee, a session, a module, an
// organization, another user's import file. Each is refused as if it did not exist (404),
// or as invalid input (422) where it is a field of a form, or 403 where a whole
// organization is named; nothing of the other organization changes.
func TestForeignObjectsInRequests(t *testing.T) {
	t.Parallel()
	sc := newSecScene(t)
	ctx := t.Context()
	org := sc.ids[idOrganizer]
	adminUpload, err := sc.a.srv.courses.SaveUpload(ctx, sc.course.ID, sc.ids[idAdmin].user.ID, "ds.csv",
		[]byte("Họ và tên,Số điện thoại\nTrần Văn Mới,0905000999\n"))
	if err != nil {
		t.Fatal(err)
	}
	sc.vars["admin-upload"] = adminUpload
	for _, r := range []struct {
		method, path string
		body         secBody
		want         int
	}{
		{"PUT", "/api/v1/sessions/{session}/attendance", jsonBody(`{"registration_id": {other-reg}, "status": "present"}`), 404},
		{"POST", "/staff/sessions/{session}/tickback", formBody("m{other-reg}", "present"), 404},
		{"POST", "/api/v1/sessions/{session}/checkin", jsonBody(`{"code": "{other-ticket}"}`), 409},
		{"PUT", "/api/v1/courses/{course}/eligibility/{other-reg}", jsonBody(`{"decision": "grant", "reason": "Đặc cách"}`), 404},
		{"POST", "/staff/courses/{course}/certificates/override", formBody("registration_id", "{other-reg}", "decision", "grant", "reason", "Đặc cách"), 404},
		{"GET", "/api/v1/courses/{course}/reports/signin.pdf?session={other-session}", secBody{}, 404},
		{"GET", "/api/v1/courses/{course}/reports/signin.xlsx?session={other-session}", secBody{}, 404},
		{"POST", "/api/v1/courses/{course}/sessions", jsonBody(`{"module_id": {other-module}, "starts_at": "2099-12-05T07:30:00+07:00", "ends_at": "2099-12-05T11:30:00+07:00"}`), 422},
		{"PATCH", "/api/v1/sessions/{session}", jsonBody(`{"module_id": {other-module}}`), 422},
		{"PUT", "/api/v1/courses/{course}/modules/order", jsonBody(`{"ids": [{module}, {other-module}]}`), 422},
		{"POST", "/api/v1/courses", jsonBody(`{"organization_id": {other-org}, "title": "Lớp gửi nhờ", "starts_on": "2024-03-04", "ends_on": "2024-03-05", "capacity": 10}`), 403},
		{"PATCH", "/api/v1/courses/{course}", jsonBody(`{"organization_id": {other-org}}`), 403},
		{"GET", "/api/v1/reports/statistics?organization_id={other-org}", secBody{}, 404},
		{"GET", "/staff/statistics?organization_id={other-org}", secBody{}, 404},
		{"GET", "/api/v1/organizations/{other-org}/certificate-settings", secBody{}, 404},
		{"GET", "/staff/certificate-settings?org={other-org}", secBody{}, 404},
		{"POST", "/staff/certificate-settings", formBody("org", "{other-org}", "number_format", "%d", "signer_title", "GIÁM ĐỐC", "wording", "Đã học"), 404},
		{"GET", "/staff/courses/{course}/sessions/{other-session}/edit", secBody{}, 404},
		{"POST", "/staff/courses/{course}/sessions/{other-session}/delete", secBody{}, 404},
		{"GET", "/staff/courses/{course}/modules/{other-module}/edit", secBody{}, 404},
		{"POST", "/staff/courses/{course}/modules/{other-module}/delete", secBody{}, 404},
		{"POST", "/staff/courses/{course}/registrations/import/{admin-upload}", secBody{}, 404},
	} {
		body := r.body
		if body.json != "" {
			body.json = sc.expand(t, body.json, org)
		}
		if body.form != nil {
			f := url.Values{}
			for k, vs := range body.form {
				f[sc.expand(t, k, org)] = []string{sc.expand(t, vs[0], org)}
			}
			body.form = f
		}
		resp := sc.request(t, org, r.method, sc.expand(t, r.path, org), body)
		if resp.status != r.want {
			t.Errorf("%s %s as the home organizer: %d, want %d (%.200s)", r.method, r.path, resp.status, r.want, resp.body)
		}
	}
	// Nothing of the other organization changed.
	var marks, overrides int
	if err := sc.a.db.R.Get(&marks, `SELECT COUNT(*) FROM attendance_marks WHERE registration_id = ?`, sc.otherReg.ID); err != nil || marks != 0 {
		t.Errorf("the other organization's trainee has %d marks (%v)", marks, err)
	}
	if err := sc.a.db.R.Get(&overrides, `SELECT COUNT(*) FROM eligibility_overrides WHERE registration_id = ?`, sc.otherReg.ID); err != nil || overrides != 0 {
		t.Errorf("the other organization's trainee has %d eligibility decisions (%v)", overrides, err)
	}
	if _, err := sc.a.srv.courses.FindSessionByID(ctx, sc.otherSession.ID); err != nil {
		t.Errorf("the other organization's session: %v", err)
	}
	if _, err := sc.a.srv.courses.FindModuleByID(ctx, sc.otherModule); err != nil {
		t.Errorf("the other organization's module: %v", err)
	}
	if st, err := sc.a.srv.certs.Settings(ctx, sc.other.ID); err != nil || !st.UpdatedAt.IsZero() {
		t.Errorf("the other organization's certificate settings were saved: %v", err)
	}
	if c, err := sc.a.srv.courses.FindCourseByID(ctx, sc.course.ID); err != nil || c.OrganizationID != sc.home.ID {
		t.Errorf("the home course moved: %v %v", c, err)
	}
	if _, _, err := sc.a.srv.courses.FindUpload(ctx, adminUpload, sc.course.ID, sc.ids[idAdmin].user.ID); err != nil {
		t.Errorf("the administrator's import file was used by another: %v", err)
	}
	if n := coursestest.Confirmed(t, sc.a.srv.courses, sc.course.ID); n != 2 {
		t.Errorf("confirmed in the home course: %d, want 2", n)
	}
	var courseCount int
	if err := sc.a.db.R.Get(&courseCount, `SELECT COUNT(*) FROM courses WHERE organization_id = ?`, sc.other.ID); err != nil || courseCount != 1 {
		t.Errorf("the other organization has %d courses (%v), want 1", courseCount, err)
	}
}

// TestNoOpenRedirect: the addresses a request asks to be sent back to (after signing in,
// after switching the language, after a roster action) stay on this site.
func TestNoOpenRedirect(t *testing.T) {
	t.Parallel()
	sc := newSecScene(t)
	org := sc.ids[idOrganizer]
	hostile := []string{"https://evil.example/", "//evil.example/", "/\\evil.example/", "\\\\evil.example", "https:evil.example",
		"/staff/courses/" + itoa(sc.course.ID) + "/registrations//evil.example",
		// Issue 10: browsers drop tabs and newlines and read a backslash as a slash.
		"/\t/evil.example", "/%09/evil.example", "/\n/evil.example", "/\r\n/evil.example", "/%5Cevil.example", "/%2F/evil.example",
		"/ /evil.example", "\t//evil.example", "/\u00a0/evil.example"}
	for _, next := range hostile {
		for _, r := range []struct {
			who          identity
			method, path string
			body         secBody
		}{
			{identity{}, "POST", "/login", formBody("email", sc.loginUser.Email, "password", testPassword, "next", next)},
			{org, "GET", "/login?next=" + url.QueryEscape(next), secBody{}},
			{identity{}, "GET", "/lang/en?next=" + url.QueryEscape(next), secBody{}},
			{org, "POST", "/staff/registrations/" + itoa(sc.cancelled.ID) + "/status", formBody("to", "approve", "back", next)},
			{org, "POST", "/staff/courses/" + itoa(sc.course.ID) + "/quotas", formBody("unit", "", "back", next)},
		} {
			resp := sc.request(t, r.who, r.method, r.path, r.body)
			// As a browser reads the Location: without tabs and newlines, "\\" as "/",
			// percent-encoded slashes and backslashes decoded.
			loc := strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/", "%09", "", "%0A", "", "%0D", "",
				"%5C", "/", "%5c", "/", "%2F", "/", "%2f", "/").Replace(resp.location)
			loc = strings.TrimLeft(loc, " \u00a0")
			u, err := url.Parse(loc)
			if resp.status != http.StatusSeeOther || err != nil || u.Host != "" || u.Scheme != "" ||
				!strings.HasPrefix(loc, "/") || strings.HasPrefix(strings.ReplaceAll(loc, " ", ""), "//") || strings.Contains(resp.location, "evil.example") && !strings.HasPrefix(resp.location, "/staff/") {
				t.Errorf("%s %s with %q: %d → %q, want a redirect on this site", r.method, r.path, next, resp.status, resp.location)
			}
		}
	}
}
