package server

import (
	"encoding/base64"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	qrcode "github.com/skip2/go-qrcode"

	"taphuan/attendance"
	"taphuan/courses"
)

// selfURL is the address a trainee opens from the projector's QR code.
func (s *Server) selfURL(c *gin.Context, sessionID int64, code string) string {
	u := s.absURL(c, "/self/"+strconv.FormatInt(sessionID, 10))
	if code != "" {
		u += "?k=" + url.QueryEscape(code)
	}
	return u
}

// selfCodeResponse is what the projector page refreshes every minute.
type selfCodeResponse struct {
	*attendance.SelfCheckin
	URL      string       `json:"url"`       // with the code, as in the QR
	ShortURL string       `json:"short_url"` // without, to type
	QR       template.URL `json:"qr"`        // data: URL of a PNG, which html/template would refuse as a string
	Seconds  int          `json:"seconds"`   // until the code changes
	attendance.Counts
}

func (s *Server) selfCode(c *gin.Context, sess *courses.Session) (*selfCodeResponse, error) {
	now := time.Now()
	sc, err := s.attend.SelfCheckinCode(c.Request.Context(), sess.ID, now)
	if err != nil {
		return nil, err
	}
	counts, err := s.attend.SessionCounts(c.Request.Context(), sess.ID)
	if err != nil {
		return nil, err
	}
	r := &selfCodeResponse{SelfCheckin: sc, URL: s.selfURL(c, sess.ID, sc.Code), ShortURL: s.selfURL(c, sess.ID, ""),
		Seconds: int(sc.NextAt.Sub(now).Seconds()) + 1, Counts: counts}
	png, err := qrcode.Encode(r.URL, qrcode.Medium, 480)
	if err != nil {
		return nil, err
	}
	r.QR = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
	return r, nil
}

// handleSelfCode: GET /api/v1/sessions/{id}/selfcheckin — the current self check-in code,
// its QR and the live count, for the projector page.
func (s *Server) handleSelfCode(c *gin.Context) error {
	sess, _, err := s.sessionParam(c, false)
	if err != nil {
		return err
	}
	r, err := s.selfCode(c, sess)
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, r)
	return nil
}

type projectorData struct {
	Course       *courses.Course
	Session      *courses.Session
	SessionLabel string
	Self         *selfCodeResponse
	PhoneAllowed bool // self check-in takes phone numbers too
	CanManage    bool // may change that
}

// handleSelfProjector: GET /staff/sessions/{id}/selfcheckin — the page to put on the
// projector: a QR code that changes every minute, the same code in figures, the address to
// type, and the count.
func (s *Server) handleSelfProjector(c *gin.Context) error {
	sess, course, err := s.sessionParam(c, false)
	if err != nil {
		return err
	}
	r, err := s.selfCode(c, sess)
	if err != nil {
		return err
	}
	phone, err := s.courses.SelfPhoneAllowed(c.Request.Context(), sess.ID)
	if err != nil {
		return err
	}
	label := s.sessionLabel(langOf(c), sess)
	return s.render(c, http.StatusOK, "checkin_projector", view{Section: "courses",
		Title: s.tr(langOf(c), "attendance.self.projector_title") + " · " + label,
		Data: projectorData{Course: course, Session: sess, SessionLabel: label, Self: r, PhoneAllowed: phone,
			CanManage: currentUser(c).CanManage(course.OrganizationID)}})
}

// handleSelfPhoneForm: POST /staff/sessions/{id}/selfcheckin/phone {allowed: 1|0} — the
// organizer lets the session's self check-in take phone numbers (or not: the default).
func (s *Server) handleSelfPhoneForm(c *gin.Context) error {
	sess, _, err := s.sessionParam(c, true)
	if err != nil {
		return err
	}
	allowed := c.PostForm("allowed") == "1"
	if err := s.courses.SetSelfPhoneAllowed(c.Request.Context(), sess.ID, allowed); err != nil {
		return err
	}
	s.log.Info("self check-in phone numbers", "by", currentUser(c).ID, "session", sess.ID, "allowed", allowed)
	return redirect(c, "/staff/sessions/"+strconv.FormatInt(sess.ID, 10)+"/selfcheckin")
}

// selfForm is the trainee's self check-in form.
type selfForm struct {
	Code, Ticket string
}

type selfData struct {
	Course       *courses.Course
	Session      *courses.Session
	SessionLabel string
	Open         bool
	Form         selfForm
	Result       *attendance.CheckInResult
	Message      string
}

// handleSelfForm: GET /self/{id}?k=CODE — public: the trainee's phone opens it from the
// QR code; they confirm with their ticket code or phone number.
func (s *Server) handleSelfForm(c *gin.Context) error {
	d, err := s.selfPage(c)
	if err != nil {
		return err
	}
	d.Form.Code = c.Query("k")
	return s.render(c, http.StatusOK, "checkin_self", view{Title: s.tr(langOf(c), "attendance.self.title"), Data: d})
}

func (s *Server) selfPage(c *gin.Context) (*selfData, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, err
	}
	sess, err := s.courses.FindSessionByID(c.Request.Context(), id)
	if err != nil {
		return nil, err
	}
	course, err := s.courses.FindCourseByID(c.Request.Context(), sess.CourseID)
	if err != nil {
		return nil, err
	}
	if course.Status == courses.StatusDraft || course.Status == courses.StatusCancelled {
		return nil, errNotFound
	}
	return &selfData{Course: course, Session: sess, SessionLabel: s.sessionLabel(langOf(c), sess),
		Open: attendance.SelfOpen(sess, time.Now())}, nil
}

// handleSelfSubmit: POST /self/{id} {code, ticket} — marks the trainee present (source
// self) while the session runs. A wrong code or ticket re-shows the form with the message
// on the field (422); outside the session's window the page says so (409).
func (s *Server) handleSelfSubmit(c *gin.Context) error {
	d, err := s.selfPage(c)
	if err != nil {
		return err
	}
	d.Form = selfForm{Code: c.PostForm("code"), Ticket: c.PostForm("ticket")}
	lang := langOf(c)
	title := s.tr(lang, "attendance.self.title")
	// Every attempt is counted first (per address, per session, per ticket), and given back
	// when it was right: only wrong guesses use up the limits, and 25 guesses sent at once
	// are counted as 25.
	ticketKey := strings.ToUpper(strings.Join(strings.Fields(d.Form.Ticket), ""))
	if len(ticketKey) > 64 {
		ticketKey = ticketKey[:64]
	}
	keyed := []keyedRule{{selfAddrRule, c.ClientIP()}, {selfSessionRule, strconv.FormatInt(d.Session.ID, 10)},
		{selfTicketRule, strconv.FormatInt(d.Session.ID, 10) + "|" + ticketKey}}
	if err := s.limitAll(c, keyed...); err != nil {
		if !isLimited(err) {
			return err
		}
		d.Message = s.tr(lang, "attendance.self.limited")
		return s.render(c, http.StatusTooManyRequests, "checkin_self", view{Title: title, Data: d})
	}
	res, err := s.attend.SelfCheckIn(c.Request.Context(), attendance.SelfCheckInInput{SessionID: d.Session.ID,
		Code: d.Form.Code, Ticket: d.Form.Ticket}, time.Now())
	if err == nil {
		if err := s.refund(c, keyed...); err != nil {
			return err
		}
	}
	if fe := s.fieldErrors(c, err); fe != nil {
		return s.render(c, http.StatusUnprocessableEntity, "checkin_self", view{Title: title, Errors: fe, Data: d})
	}
	switch {
	case errors.Is(err, attendance.ErrSelfClosed):
		d.Open = false
		return s.render(c, http.StatusConflict, "checkin_self", view{Title: title, Data: d})
	case errors.Is(err, attendance.ErrNotConfirmed):
		d.Message = s.tr(lang, "attendance.err.not_confirmed")
		if nc, ok := errors.AsType[*attendance.NotConfirmedError](err); ok {
			// No name on this public page; the status and where to go instead of a dead end.
			st := s.tr(lang, "reg.status."+nc.Status)
			if nc.WaitlistPosition != nil {
				st = s.tr(lang, "door.waitlist_at", *nc.WaitlistPosition)
			}
			d.Message = s.tr(lang, "door.self_go_desk", st)
		}
		return s.render(c, http.StatusConflict, "checkin_self", view{Title: title, Data: d})
	case err != nil:
		return err
	}
	d.Result = res
	return s.render(c, http.StatusOK, "checkin_self", view{Title: title, Data: d})
}
