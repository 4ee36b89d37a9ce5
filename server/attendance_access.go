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
