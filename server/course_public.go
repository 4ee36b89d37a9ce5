package server

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"taphuan/accounts"
	"taphuan/courses"
)

// publicCourseData is what the public course page (/courses/{id}) shows: the course, its
// timetable and, while registration is open, the registration form (partial
// "registration-form", which reads Form and the view's Errors).
type publicCourseData struct {
	Course           *courses.Course
	Organization     *accounts.Organization
	Timetable        any  // the sessions grouped by day (morning / afternoon)
	RegistrationOpen bool // the course is open and inside its window
	Form             any  // the registration form's values, when re-shown with errors
}

// handleCoursePublic: GET /courses/{id}. Drafts are not public (404).
func (s *Server) handleCoursePublic(c *gin.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	course, err := s.courses.FindCourseByID(c.Request.Context(), id)
	if err != nil {
		return err
	}
	return s.renderCoursePublic(c, http.StatusOK, course, nil, nil)
}

// renderCoursePublic draws the public course page; form and fieldErrs re-show a
// registration that was refused.
func (s *Server) renderCoursePublic(c *gin.Context, status int, course *courses.Course, form any, fieldErrs map[string]string) error {
	if course.Status == courses.StatusDraft && !currentUser(c).CanView(course.OrganizationID) {
		return errNotFound
	}
	org, err := s.accounts.FindOrganizationByID(c.Request.Context(), course.OrganizationID)
	if err != nil {
		return err
	}
	d := publicCourseData{Course: course, Organization: org, Form: form,
		RegistrationOpen: course.RegistrationOpenAt(time.Now())}
	return s.render(c, status, "course_public", view{Title: course.Title, Errors: fieldErrs, Data: d})
}
