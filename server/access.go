package server

import (
	"time"

	"github.com/gin-gonic/gin"

	"taphuan/accounts"
	"taphuan/attendance"
	"taphuan/certificates"
	"taphuan/courses"
)

// Who may see and do what: the one place of the server's access rules, one function per
// question. Handlers ask these; they do not compare roles themselves.
//
//   - An administrator sees and changes everything.
//   - An organizer sees and changes the objects of their organization; staff only see them
//     (they check people in and mark attendance).
//   - An object of another organization is not found (404), so its existence does not
//     leak; one the user sees but may not change answers 403.
//   - A sending unit's focal point (role unit) sees only its own unit's seats and people, on
//     its own pages (/unit/…): unitFence keeps it off the staff pages and the API.
//   - The public sees the courses that are not drafts.

// courseScope is the filter of the courses u may see.
func courseScope(u *accounts.User) courses.CourseFilter {
	if u.IsAdmin() {
		return courses.CourseFilter{AllOrganizations: true}
	}
	if u == nil || u.OrganizationID == 0 {
		return courses.CourseFilter{}
	}
	return courses.CourseFilter{OrgIDs: []int64{u.OrganizationID}}
}

// orgScope is the organization whose people and users u lists: 0 (all of them) for an
// administrator, else u's own.
func orgScope(u *accounts.User) int64 {
	if u.IsAdmin() {
		return 0
	}
	return u.OrganizationID
}

// orgAccess is the rule for every object of an organization: another organization's is not
// found (its existence does not leak); one the user sees but may not change (manage) is
// forbidden.
func orgAccess(u *accounts.User, orgID int64, manage bool) error {
	if !u.CanView(orgID) {
		return errNotFound
	}
	if manage && !u.CanManage(orgID) {
		return errForbidden
	}
	return nil
}

// organizerOrAdmin reports whether u is an organizer (of any organization) or an
// administrator: they manage users (an organizer those of its own organization, the
// check-in staff of its courses), see the people directory (personal data and history)
// and maintain the shared directory of sending units; check-in staff only read it and work
// from a session's roster.
func organizerOrAdmin(u *accounts.User) bool {
	return u.IsAdmin() || (u != nil && u.Role == accounts.RoleOrganizer)
}

// canCreateCourses reports whether u may create courses at all (for orgID, or for any
// organization when orgID is 0).
func canCreateCourses(u *accounts.User, orgID int64) bool {
	if u.IsAdmin() {
		return true
	}
	return u != nil && u.Role == accounts.RoleOrganizer && (orgID == 0 || orgID == u.OrganizationID)
}

// loadCourse loads course id for the current user to read, or to change with manage.
func (s *Server) loadCourse(c *gin.Context, id int64, manage bool) (*courses.Course, error) {
	course, err := s.courses.FindCourseByID(c.Request.Context(), id)
	if err != nil {
		return nil, err
	}
	if err := orgAccess(currentUser(c), course.OrganizationID, manage); err != nil {
		return nil, err
	}
	return course, nil
}

// viewCourse loads course id for the current user to read.
func (s *Server) viewCourse(c *gin.Context, id int64) (*courses.Course, error) {
	return s.loadCourse(c, id, false)
}

// manageCourse loads course id for the current user to change.
func (s *Server) manageCourse(c *gin.Context, id int64) (*courses.Course, error) {
	return s.loadCourse(c, id, true)
}

// loadSession loads session id and its course to read or to change, with the course's rules.
func (s *Server) loadSession(c *gin.Context, id int64, manage bool) (*courses.Session, *courses.Course, error) {
	ss, err := s.courses.FindSessionByID(c.Request.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	course, err := s.loadCourse(c, ss.CourseID, manage)
	if err != nil {
		return nil, nil, err
	}
	return ss, course, nil
}

// publicCourse loads course id for its public pages (the course page, registration, the
// calendar, ticket recovery). A draft is shown only to those who see the course's
// organization (as a preview); to everyone else it does not exist.
func (s *Server) publicCourse(c *gin.Context, id int64) (*courses.Course, error) {
	course, err := s.courses.FindCourseByID(c.Request.Context(), id)
	if err != nil {
		return nil, err
	}
	if course.Status == courses.StatusDraft && !currentUser(c).CanView(course.OrganizationID) {
		return nil, errNotFound
	}
	return course, nil
}

// certByID returns the certificate with the given id under the course's rules.
func (s *Server) certByID(c *gin.Context, id int64, manage bool) (*certificates.Certificate, error) {
	cert, err := s.certs.FindByID(c.Request.Context(), id)
	if err != nil {
		return nil, err
	}
	if err := orgAccess(currentUser(c), cert.OrganizationID, manage); err != nil {
		return nil, err
	}
	return cert, nil
}

// lockedFor reports whether the signed-in user may no longer change the session's marks:
// staff, LockDays after the session ended.
func lockedFor(c *gin.Context, sess *courses.Session) bool {
	u := currentUser(c)
	return u != nil && u.Role == accounts.RoleStaff && attendance.Locked(sess, time.Now())
}

// A focal point sees nothing of the organizers' pages or API: every staff page and every
// API route answers 403 to it, whatever the route's own rule, except the few that any
// signed-in user has (the dashboard, which sends it to its page, and its account). This is
// the one place that decides it, so a new staff route cannot leak to focal points.
var unitOpenRoutes = map[string]bool{
	"GET /":                  true,
	"GET /account":           true,
	"POST /account/password": true,
	// The API of API.md's role unit: its own unit's people and quota, on courses that give
	// its unit seats (the handlers branch to unit_api.go for a focal point).
	"POST /api/v1/courses/:id/registrations": true,
	"GET /api/v1/courses/:id/registrations":  true,
	"GET /api/v1/courses/:id/quotas":         true,
}

// unitFence refuses a focal point on the staff pages and the API.
func unitFence(c *gin.Context) error {
	u := currentUser(c)
	if u == nil || u.Role != accounts.RoleUnit {
		return nil
	}
	if unitOpenRoutes[c.Request.Method+" "+c.FullPath()] {
		return nil
	}
	return errForbidden
}

// personParam loads the person of the path (":id") from the people directory with their
// training history in the courses the user sees (all for an administrator): a person with
// no registration the user may see is not found. For a user who is not an administrator,
// the directory's personal data (the latest given, maybe to another organization) is
// replaced by what the person gave to the user's organization in their latest registration
// there: personal data is seen only by the organization it was given to.
func (s *Server) personParam(c *gin.Context) (*courses.Person, []courses.HistoryEntry, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, nil, err
	}
	ctx := c.Request.Context()
	p, err := s.courses.FindPersonByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	u := currentUser(c)
	hist, err := s.courses.PersonHistory(ctx, p.ID, orgScope(u))
	if err != nil {
		return nil, nil, err
	}
	if u.IsAdmin() {
		return p, hist, nil
	}
	if len(hist) == 0 {
		return nil, nil, errNotFound
	}
	r, err := s.courses.FindRegistrationByID(ctx, hist[0].RegistrationID)
	if err != nil {
		return nil, nil, err
	}
	p.FullName, p.Gender, p.BirthDate, p.Ethnicity = r.FullName, r.Gender, r.BirthDate, r.Ethnicity
	p.Position, p.Organization, p.Locality = r.Position, r.Organization, r.Locality
	p.Phone, p.Email, p.IDNumber = r.Phone, r.Email, r.IDNumber
	p.Courses = len(hist)
	return p, hist, nil
}
