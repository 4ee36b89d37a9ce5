package server

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"taphuan/certificates"
	"taphuan/courses"
)

// certSignersForm is the course's signers form as posted.
type certSignersForm struct {
	SignerTitle    string `form:"signer_title"`
	SignerSubtitle string `form:"signer_subtitle"`
	SignerName     string `form:"signer_name"`
	CoAgency       string `form:"co_agency"`
	CoTitle        string `form:"co_title"`
	CoSubtitle     string `form:"co_subtitle"`
	CoName         string `form:"co_name"`
}

func (f certSignersForm) input(courseID int64) certificates.CourseSigners {
	return certificates.CourseSigners{CourseID: courseID, SignerTitle: f.SignerTitle, SignerSubtitle: f.SignerSubtitle,
		SignerName: f.SignerName, CoAgency: f.CoAgency, CoTitle: f.CoTitle, CoSubtitle: f.CoSubtitle, CoName: f.CoName}
}

// certSignersData is the page of a course's own signers.
type certSignersData struct {
	Course   *courses.Course
	Form     certificates.CourseSigners
	Settings *certificates.Settings // the organization's signer, shown as the default
}

func (s *Server) renderCertSigners(c *gin.Context, status int, course *courses.Course, form certificates.CourseSigners, fe map[string]string) error {
	st, err := s.certs.Settings(c.Request.Context(), course.OrganizationID)
	if err != nil {
		return err
	}
	return s.render(c, status, "cert_signers", view{Section: "courses", Tab: "certificates",
		Title: s.tr(langOf(c), "signers.title") + " · " + course.Title, Errors: fe,
		Data: certSignersData{Course: course, Form: form, Settings: st}})
}

// handleCertSignersPage: GET /staff/courses/{id}/certificates/signers — who signs this
// course's certificates (instead of the organization's signer), and a co-organizer's block.
func (s *Server) handleCertSignersPage(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	cs, err := s.certs.CourseSigners(c.Request.Context(), course.ID)
	if err != nil {
		return err
	}
	return s.renderCertSigners(c, http.StatusOK, course, *cs, nil)
}

// handleCertSignersForm: POST /staff/courses/{id}/certificates/signers — saves them;
// certificates issued from now on carry them.
func (s *Server) handleCertSignersForm(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	var form certSignersForm
	if err := c.ShouldBind(&form); err != nil {
		return errBadJSON.Wrap(err)
	}
	in := form.input(course.ID)
	if _, err := s.certs.SaveCourseSigners(c.Request.Context(), in); err != nil {
		return s.formFailed(c, err, func(status int, fe map[string]string) error {
			return s.renderCertSigners(c, status, course, in, fe)
		})
	}
	s.flash(c, "signers.saved")
	return redirect(c, "/staff/courses/"+strconv.FormatInt(course.ID, 10)+"/certificates")
}
