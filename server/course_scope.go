package server

import (
	"github.com/gin-gonic/gin"

	"taphuan/accounts"
	"taphuan/courses"
)

// Who may do what with a course: an administrator everything; an organizer sees and changes
// the courses of their organization; staff only see them. A course of another organization
// is not found (404), so its existence does not leak; a course the user sees but may not
// change answers 403.

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

// canSeeCourse and canChangeCourse answer for one course.
func canSeeCourse(u *accounts.User, c *courses.Course) bool    { return u.CanView(c.OrganizationID) }
func canChangeCourse(u *accounts.User, c *courses.Course) bool { return u.CanManage(c.OrganizationID) }

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

// orgParam reads the organization of the path (":id") for the current user to read, or to
// change with manage, and makes sure it exists.
func (s *Server) orgParam(c *gin.Context, manage bool) (int64, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return 0, err
	}
	if err := orgAccess(currentUser(c), id, manage); err != nil {
		return 0, err
	}
	if _, err := s.accounts.FindOrganizationByID(c.Request.Context(), id); err != nil {
		return 0, err
	}
	return id, nil
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

// courseParam reads the course id of the path (":id") and loads it to read or to change.
func (s *Server) courseParam(c *gin.Context, manage bool) (*courses.Course, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, err
	}
	return s.loadCourse(c, id, manage)
}

// sessionParam loads the session of the path (":id") and its course, to read or to change.
func (s *Server) sessionParam(c *gin.Context, manage bool) (*courses.Session, *courses.Course, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, nil, err
	}
	return s.loadSession(c, id, manage)
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

// canCreateCourses reports whether u may create courses at all (for orgID, or for any
// organization when orgID is 0).
func canCreateCourses(u *accounts.User, orgID int64) bool {
	if u.IsAdmin() {
		return true
	}
	return u != nil && u.Role == accounts.RoleOrganizer && (orgID == 0 || orgID == u.OrganizationID)
}
