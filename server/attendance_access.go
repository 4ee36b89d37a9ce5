package server

import (
	"time"

	"github.com/gin-gonic/gin"

	"taphuan/accounts"
	"taphuan/attendance"
	"taphuan/courses"
)

// Attendance, check-in and reports are for the staff and organizers of the course's
// organization and for administrators: everyone else gets 404 for the course or session,
// as if it did not exist.

// attendanceCourse loads course id for the signed-in user.
func (s *Server) attendanceCourse(c *gin.Context, id int64) (*courses.Course, error) {
	course, err := s.courses.FindCourseByID(c.Request.Context(), id)
	if err != nil {
		return nil, err
	}
	if !currentUser(c).CanView(course.OrganizationID) {
		return nil, errNotFound
	}
	return course, nil
}

// attendanceSession loads session id and its course for the signed-in user.
func (s *Server) attendanceSession(c *gin.Context, id int64) (*courses.Session, *courses.Course, error) {
	sess, err := s.courses.FindSessionByID(c.Request.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	course, err := s.attendanceCourse(c, sess.CourseID)
	if err != nil {
		return nil, nil, err
	}
	return sess, course, nil
}

// courseParam reads the course of the path parameter "id".
func (s *Server) courseParam(c *gin.Context) (*courses.Course, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, err
	}
	return s.attendanceCourse(c, id)
}

// sessionParam reads the session of the path parameter "id".
func (s *Server) sessionParam(c *gin.Context) (*courses.Session, *courses.Course, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, nil, err
	}
	return s.attendanceSession(c, id)
}

// issuer is the organization printed in the header block of a report.
func (s *Server) issuer(c *gin.Context, orgID int64) (attendance.Issuer, error) {
	org, err := s.accounts.FindOrganizationByID(c.Request.Context(), orgID)
	if err != nil {
		return attendance.Issuer{}, err
	}
	return attendance.Issuer{ParentName: org.ParentName, Name: org.Name}, nil
}

// lockedFor reports whether the signed-in user may no longer change the session's marks:
// staff, LockDays after the session ended.
func lockedFor(c *gin.Context, sess *courses.Session) bool {
	u := currentUser(c)
	return u != nil && u.Role == accounts.RoleStaff && attendance.Locked(sess, time.Now())
}
