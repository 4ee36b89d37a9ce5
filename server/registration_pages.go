package server

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"taphuan/courses"
)

// personForm is a person's fields of a registration as typed, shared by the public form,
// the door's walk-in and its substitute.
type personForm struct {
	Phone        string `form:"phone"`
	FullName     string `form:"full_name"`
	Gender       string `form:"gender"`
	BirthDate    string `form:"birth_date"`
	Ethnicity    string `form:"ethnicity"`
	Position     string `form:"position"`
	Organization string `form:"organization"`
	Locality     string `form:"locality"`
	Email        string `form:"email"`
}

func (f personForm) input() courses.RegisterInput {
	return courses.RegisterInput{FullName: f.FullName, Gender: f.Gender, BirthDate: f.BirthDate,
		Ethnicity: f.Ethnicity, Position: f.Position, Organization: f.Organization, Locality: f.Locality,
		Phone: f.Phone, Email: f.Email}
}

// registrationForm is the public registration form as typed (re-shown when refused).
type registrationForm struct {
	personForm
	Consent bool `form:"consent"`
	// Website is the honeypot: a field people never see (hidden by the style sheet and
	// from screen readers) that form-filling robots fill in.
	Website string `form:"website"`
}

func (f registrationForm) input(courseID int64) courses.RegisterInput {
	in := f.personForm.input()
	in.CourseID, in.Source = courseID, courses.SourceWeb
	return in
}

// handleRegistrationSubmit: POST /courses/{id}/register — a trainee registers from the
// public course page; on success 303 to the ticket. Refusals re-show the form with a
// message on each field; they never show anything of another person (a phone number
// already registered says so, not by whom).
func (s *Server) handleRegistrationSubmit(c *gin.Context) error {
	course, err := s.publicCourseParam(c)
	if err != nil {
		return err
	}
	var form registrationForm
	if err := c.ShouldBind(&form); err != nil {
		return errBadJSON.Wrap(err)
	}
	if form.Website != "" {
		s.log.Warn("registration honeypot filled", "course", course.ID, "ip", c.ClientIP())
		return s.renderCoursePublic(c, http.StatusUnprocessableEntity, course, form,
			map[string]string{"_": s.tr(langOf(c), "err.bot")})
	}
	// A burst on one course (a robot filling every seat in a second) is refused whatever
	// the addresses; the limit per address is the route's middleware.
	if err := s.limit(c, registerCourseRule, strconv.FormatInt(course.ID, 10)); err != nil {
		return err
	}
	in := form.input(course.ID)
	in.Lang = langOf(c) // the trainee's messages are written in the page's language
	in.SourceAddr = c.ClientIP()
	if !form.Consent {
		// Nothing is written without consent (Decree 13/2023); the other fields are still
		// checked so that the trainee sees every problem at once.
		fe := map[string]string{"consent": s.tr(langOf(c), "reg.err.consent")}
		check := in
		check.Normalize()
		for k, v := range s.fieldErrors(c, check.Validate()) {
			fe[k] = v
		}
		return s.renderCoursePublic(c, http.StatusUnprocessableEntity, course, form, fe)
	}
	reg, err := s.courses.Register(c.Request.Context(), in)
	if err != nil {
		// A phone already registered is said on the phone, not by whom; a window that
		// closed meanwhile on the form.
		return s.formFailed(c, err, func(status int, fe map[string]string) error {
			return s.renderCoursePublic(c, status, course, form, fe)
		})
	}
	return redirect(c, "/tickets/"+reg.Code)
}
