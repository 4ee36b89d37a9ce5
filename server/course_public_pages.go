package server

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"taphuan/accounts"
	"taphuan/courses"
	"taphuan/units"
)

// publicCourseData is what the public course page (/courses/{id}) shows: the course, its
// timetable and, while registration is open, the registration form (partial
// "registration-form", which reads Form and the view's Errors).
type publicCourseData struct {
	Course           *courses.Course
	Organization     *accounts.Organization
	Timetable        any  // []courses.TimetableDay: the sessions by day (morning / afternoon)
	RegistrationOpen bool // the course is open and inside its window
	Form             any  // the registration form's values, when re-shown with errors
	// Why registration is not open, when the course is open: the window is still ahead.
	NotYetOpen bool
	Modules    []courses.Module
	PublicURL  string
	Recovery   *recoveryView // the "Tìm lại vé" form (ticket_recovery_pages.go)
	Units      []string      // the units offered by the form's unit field (publicUnits, below)
}

// handleCoursePublic: GET /courses/{id}. Drafts are not public (404).
func (s *Server) handleCoursePublic(c *gin.Context) error {
	course, err := s.publicCourseParam(c)
	if err != nil {
		return err
	}
	return s.renderCoursePublic(c, http.StatusOK, course, nil, nil)
}

// renderCoursePublic draws the public course page; form and fieldErrs re-show a
// registration that was refused. The course was loaded with publicCourse (a draft is a
// preview for its organization only).
func (s *Server) renderCoursePublic(c *gin.Context, status int, course *courses.Course, form any, fieldErrs map[string]string) error {
	return s.renderCoursePublicWith(c, status, course, form, fieldErrs, nil)
}

// renderCoursePublicWith is renderCoursePublic with the ticket-recovery form as typed.
func (s *Server) renderCoursePublicWith(c *gin.Context, status int, course *courses.Course, form any, fieldErrs map[string]string, rv *recoveryView) error {
	ctx := c.Request.Context()
	org, err := s.accounts.FindOrganizationByID(ctx, course.OrganizationID)
	if err != nil {
		return err
	}
	sessions, err := s.courses.ListSessions(ctx, course.ID)
	if err != nil {
		return err
	}
	modules, err := s.courses.ListModules(ctx, course.ID)
	if err != nil {
		return err
	}
	now := time.Now()
	d := publicCourseData{Course: course, Organization: org, Form: form, Timetable: courses.Timetable(sessions),
		RegistrationOpen: course.RegistrationOpenAt(now), Modules: modules,
		NotYetOpen: course.Status == courses.StatusOpen && !course.RegistrationOpensAt.IsZero() && now.Before(course.RegistrationOpensAt.Time),
		PublicURL:  s.absURL(c, "/courses/"+itoa64(course.ID)), Recovery: rv}
	if d.Recovery == nil {
		d.Recovery = &recoveryView{}
	}
	if d.RegistrationOpen {
		if d.Units, err = s.publicUnits(c, course.ID); err != nil {
			return err
		}
	}
	return s.render(c, status, "course_public", view{Title: course.Title, Errors: fieldErrs, Data: d})
}

// maxPublicUnits bounds the units the public form offers.
const maxPublicUnits = 1000

// publicUnits lists the unit names the public registration form offers as a searchable
// choice (a datalist: the browser filters as one types; without JavaScript or datalist
// support it is a plain text field, and the server matches what was typed): the units the
// course gives seats first, then the rest of the directory.
func (s *Server) publicUnits(c *gin.Context, courseID int64) ([]string, error) {
	ctx := c.Request.Context()
	fill, err := s.courses.QuotaFill(ctx, courseID)
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	var out []string
	for _, f := range fill {
		if f.Seats != nil && !f.Unmatched() {
			seen[f.UnitID] = true
			out = append(out, f.Name)
		}
	}
	all, _, err := s.units.List(ctx, units.Filter{Limit: maxPublicUnits})
	if err != nil {
		return nil, err
	}
	for _, u := range all {
		if !seen[u.ID] {
			out = append(out, u.Name)
		}
	}
	return out, nil
}
