package server

import (
	"encoding/base64"
	"errors"
	"html/template"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/skip2/go-qrcode"

	"taphuan/accounts"
	"taphuan/certificates"
	"taphuan/courses"
)

// ticketData is what the public ticket page shows: the minimum (course, name, status) —
// never the phone, the birth date or the ethnicity.
type ticketData struct {
	Course         *courses.Course
	Organization   *accounts.Organization
	Reg            *courses.Registration
	QR             template.URL // data: URL of a PNG with the ticket code
	Position       int          // on the waiting list; 0 when not waiting
	CanCancel      bool
	Started        bool   // the course has begun: the trainee may no longer cancel
	HasCertificate bool   // a valid certificate to download from the ticket
	SurveyOpen     bool   // the course's survey takes answers now (evaluation)
	SurveyDone     bool   // … and this trainee has answered (they may correct it)
	TestPhase      string // the knowledge test open now: "pre", "post" or ""
}

func (s *Server) ticket(c *gin.Context) (*ticketData, error) {
	reg, err := s.courses.FindRegistrationByCode(c.Request.Context(), c.Param("code"))
	if err != nil {
		return nil, err
	}
	course, err := s.courses.FindCourseByID(c.Request.Context(), reg.CourseID)
	if err != nil {
		return nil, err
	}
	org, err := s.accounts.FindOrganizationByID(c.Request.Context(), course.OrganizationID)
	if err != nil {
		return nil, err
	}
	started, err := s.courses.HasStarted(c.Request.Context(), course.ID)
	if err != nil {
		return nil, err
	}
	d := &ticketData{Course: course, Organization: org, Reg: reg,
		CanCancel: reg.Status != courses.RegCancelled && reg.Status != courses.RegRejected &&
			course.Status != courses.StatusCompleted && course.Status != courses.StatusCancelled && !started,
		Started: started}
	if reg.WaitlistPosition != nil {
		d.Position = *reg.WaitlistPosition
	}
	if _, err := s.certs.FindValidByRegistration(c.Request.Context(), reg.ID); err == nil {
		d.HasCertificate = true
	} else if !errors.Is(err, certificates.ErrNotFound) {
		return nil, err
	}
	if err := s.ticketEvaluation(c, d); err != nil {
		return nil, err
	}
	if reg.Status != courses.RegCancelled && reg.Status != courses.RegRejected {
		png, err := qrcode.Encode(reg.Code, qrcode.Medium, 320)
		if err != nil {
			return nil, err
		}
		// The CSP allows data: images; template.URL because the value is built here.
		d.QR = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
	}
	return d, nil
}

// handleTicket: GET /tickets/{code} — the trainee's ticket with its QR code, printable.
func (s *Server) handleTicket(c *gin.Context) error {
	d, err := s.ticket(c)
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	return s.render(c, http.StatusOK, "ticket", view{Title: s.tr(langOf(c), "reg.ticket.title"), Data: d})
}

// handleTicketCancelForm: GET /tickets/{code}/cancel — asks the trainee to confirm.
func (s *Server) handleTicketCancelForm(c *gin.Context) error {
	d, err := s.ticket(c)
	if err != nil {
		return err
	}
	if !d.CanCancel && !d.Started {
		return redirect(c, "/tickets/"+d.Reg.Code)
	}
	// Once the course has begun the page says why there is nothing to cancel here.
	c.Header("Cache-Control", "no-store")
	return s.render(c, http.StatusOK, "ticket_cancel", view{Title: s.tr(langOf(c), "reg.cancel.title"), Data: d})
}

// handleTicketCancel: POST /tickets/{code}/cancel {reason} — the trainee gives up the
// seat, which goes to the first on the waiting list at once.
func (s *Server) handleTicketCancel(c *gin.Context) error {
	code := c.Param("code")
	_, _, err := s.courses.Cancel(c.Request.Context(), courses.CancelInput{Code: code, Reason: c.PostForm("reason")})
	if fe := s.fieldErrors(c, err); fe != nil {
		d, terr := s.ticket(c)
		if terr != nil {
			return terr
		}
		return s.render(c, http.StatusUnprocessableEntity, "ticket_cancel", view{Title: s.tr(langOf(c), "reg.cancel.title"), Errors: fe, Data: d})
	}
	switch {
	case errors.Is(err, courses.ErrBadTransition):
		s.flash(c, "reg.cancel.already")
	case errors.Is(err, courses.ErrCourseStarted):
		s.flash(c, "reg.err.started")
	case err != nil:
		return err
	default:
		s.flash(c, "reg.cancel.done")
	}
	return redirect(c, "/tickets/"+code)
}
