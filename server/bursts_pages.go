package server

import (
	"fmt"

	"github.com/gin-gonic/gin"

	"taphuan/courses"
	"taphuan/errs"
)

// handleBurstCancelForm: POST /staff/courses/{id}/registrations/bursts/{addr}/cancel
// {reason} — an organizer removes a burst of public registrations from one address (the
// roster lists them); each is cancelled with the reason, and the waiting list moves up.
func (s *Server) handleBurstCancelForm(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	n, err := s.courses.CancelBurst(c.Request.Context(), courses.BurstCancelInput{CourseID: course.ID,
		Addr: c.Param("addr"), Reason: c.PostForm("reason"), UserID: currentUser(c).ID})
	if errs.CodeOf(err) == errs.Invalid {
		s.flash(c, "reg.burst.reason_required")
		return redirect(c, fmt.Sprintf("/staff/courses/%d/registrations", course.ID))
	}
	if err != nil {
		return err
	}
	s.log.Info("burst cancelled", "by", currentUser(c).ID, "course", course.ID, "count", n)
	s.flash(c, "reg.burst.cancelled", n)
	return redirect(c, fmt.Sprintf("/staff/courses/%d/registrations", course.ID))
}
