package server

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"taphuan/courses"
	"taphuan/notify"
)

// handleCourseCalendar: GET /courses/{id}/calendar.ics — the public timetable of a
// course as iCalendar (a draft is not public, as on the course page).
func (s *Server) handleCourseCalendar(c *gin.Context) error {
	course, err := s.publicCourseParam(c)
	if err != nil {
		return err
	}
	return s.sendCalendar(c, course, fmt.Sprintf("lop-%d.ics", course.ID))
}

// handleTicketCalendar: GET /tickets/{code}/calendar.ics — the timetable of the ticket's
// course, for the trainee's phone.
func (s *Server) handleTicketCalendar(c *gin.Context) error {
	reg, err := s.courses.FindRegistrationByCode(c.Request.Context(), c.Param("code"))
	if err != nil {
		return err
	}
	course, err := s.courses.FindCourseByID(c.Request.Context(), reg.CourseID)
	if err != nil {
		return err
	}
	return s.sendCalendar(c, course, fmt.Sprintf("lop-%d.ics", course.ID))
}

func (s *Server) sendCalendar(c *gin.Context, course *courses.Course, name string) error {
	ctx := c.Request.Context()
	org, err := s.accounts.FindOrganizationByID(ctx, course.OrganizationID)
	if err != nil {
		return err
	}
	sessions, err := s.courses.ListSessions(ctx, course.ID)
	if err != nil {
		return err
	}
	data, err := notify.CourseCalendar(course, org, sessions, langOf(c))
	if err != nil {
		return err
	}
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Data(http.StatusOK, "text/calendar; charset=utf-8", data)
	return nil
}
