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
	Started        bool // the course has begun: the trainee may no longer cancel
	HasCertificate bool // a valid certificate to download from the ticket
	CertNumber     string
	SurveyOpen     bool   // the course's survey takes answers now (evaluation)
	SurveyDone     bool   // … and this trainee has answered (they may correct it)
	TestPhase      string // the knowledge test open now: "pre", "post" or ""
	// After the course (completed): how the trainee did, for the certificate or why none.
	Finished   bool
	Attendance *ticketAttendance
}

// ticketAttendance is a trainee's record of a course that is over.
type ticketAttendance struct {
	Attended, Planned int
	Percent           string
	Missed            string // the sessions missed, in words
	Eligible          bool
	Reason            string // why there is no certificate, in words
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
	if cert, err := s.certs.FindValidByRegistration(c.Request.Context(), reg.ID); err == nil {
		d.HasCertificate, d.CertNumber = true, cert.Number
	} else if !errors.Is(err, certificates.ErrNotFound) {
		return nil, err
	}
	if err := s.ticketEvaluation(c, d); err != nil {
		return nil, err
	}
	d.Finished = course.Status == courses.StatusCompleted
	if d.Finished && reg.Status == courses.RegConfirmed && !d.HasCertificate {
		if d.Attendance, err = s.ticketAttendance(c, course, reg.ID); err != nil {
			return nil, err
		}
	}
	// The QR is for the door: only a confirmed seat of a course still to come or running
	// has one. A waitlisted or pending ticket shows its status only.
	if reg.Status == courses.RegConfirmed && !d.Finished && course.Status != courses.StatusCancelled {
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

// ticketAttendance is the trainee's attendance in a course that is over, with the verdict
// of the certificate rule.
func (s *Server) ticketAttendance(c *gin.Context, course *courses.Course, regID int64) (*ticketAttendance, error) {
	p, err := s.certs.Eligibility(c.Request.Context(), course.ID)
	if err != nil {
		return nil, err
	}
	lang := langOf(c)
	for i := range p.Rows {
		e := &p.Rows[i]
		if e.RegistrationID != regID {
			continue
		}
		return &ticketAttendance{Attended: e.Attended, Planned: e.Planned, Percent: certPercent(e.Percent),
			Missed: s.certSessionList(lang, e.Missed), Eligible: e.Eligible,
			Reason: s.certReason(lang, e, p.MinPercent)}, nil
	}
	return nil, nil
}
