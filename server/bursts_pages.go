package server

import (
	"fmt"

	"github.com/gin-gonic/gin"

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
	reason := c.PostForm("reason")
	if len([]rune(reason)) < 3 {
		s.flash(c, "reg.burst.reason_required")
		return redirect(c, fmt.Sprintf("/staff/courses/%d/registrations", course.ID))
	}
	n, err := s.courses.CancelBurst(c.Request.Context(), course.ID, c.Param("addr"), reason, currentUser(c).ID)
	if err != nil && errs.CodeOf(err) != errs.Invalid {
		return err
	}
	s.log.Info("burst cancelled", "by", currentUser(c).ID, "course", course.ID, "count", n)
	s.flash(c, "reg.burst.cancelled", n)
	return redirect(c, fmt.Sprintf("/staff/courses/%d/registrations", course.ID))
}
