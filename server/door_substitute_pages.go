package server

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"taphuan/attendance"
	"taphuan/courses"
)

// The door's substitute (người dự thay): a nominee who does not come is replaced by a
// person of the same unit who did, in one step — the nominee cancelled, the substitute
// confirmed in the seat and marked present for this session, both logged.

type doorSubstituteData struct {
	Course       *courses.Course
	Session      *courses.Session
	SessionLabel string
	Absent       []courses.Registration // confirmed, not present or late in this session
	For          int64
	Fields       personFields
}

// handleDoorSubstitutePage: GET /staff/sessions/{id}/substitute?for= — choose the absent
// nominee and type the substitute.
func (s *Server) handleDoorSubstitutePage(c *gin.Context) error {
	ss, course, err := s.sessionParam(c, false)
	if err != nil {
		return err
	}
	forID, _ := strconv.ParseInt(c.Query("for"), 10, 64)
	return s.renderDoorSubstitute(c, http.StatusOK, ss, course, forID, registrationForm{}, nil)
}

func (s *Server) renderDoorSubstitute(c *gin.Context, status int, ss *courses.Session, course *courses.Course, forID int64, form registrationForm, fe map[string]string) error {
	ctx := c.Request.Context()
	roster, err := s.attend.SessionRoster(ctx, ss.ID)
	if err != nil {
		return err
	}
	d := doorSubstituteData{Course: course, Session: ss, SessionLabel: s.sessionLabel(langOf(c), ss), For: forID,
		Fields: personFields{ID: "d", Form: form, Errors: fe}}
	for _, r := range roster.Entries {
		if r.Mark != attendance.Present && r.Mark != attendance.Late {
			d.Absent = append(d.Absent, r.Registration)
		}
	}
	return s.render(c, status, "checkin_substitute", view{Section: "courses", Tab: "attendance",
		Title: s.tr(langOf(c), "unit.door.title"), Errors: fe, Data: d})
}

// handleDoorSubstitute: POST /staff/sessions/{id}/substitute {for, the substitute's
// fields} — after the page's one confirmation.
func (s *Server) handleDoorSubstitute(c *gin.Context) error {
	ss, course, err := s.sessionParam(c, false)
	if err != nil {
		return err
	}
	if lockedFor(c, ss) {
		// The substitute is marked present: a session whose marks are locked for the user
		// takes no substitute either (checked before anything is written).
		return errForbidden
	}
	var form registrationForm
	if err := c.ShouldBind(&form); err != nil {
		return errBadJSON.Wrap(err)
	}
	forID, _ := strconv.ParseInt(c.PostForm("for"), 10, 64)
	nominee, err := s.courses.FindRegistrationByID(c.Request.Context(), forID)
	if err != nil || nominee.CourseID != course.ID {
		return s.renderDoorSubstitute(c, http.StatusUnprocessableEntity, ss, course, forID, form,
			map[string]string{"for": s.tr(langOf(c), "unit.err.choose_nominee")})
	}
	u := currentUser(c)
	sub, err := s.courses.Substitute(c.Request.Context(), courses.SubstituteInput{RegistrationID: nominee.ID,
		Person: form.input(course.ID), Reason: s.tr(langOf(c), "unit.door.reason", ss.ID), UserID: u.ID, AtDoor: true})
	if err != nil {
		return s.formFailed(c, err, func(status int, fe map[string]string) error {
			return s.renderDoorSubstitute(c, status, ss, course, forID, form, fe)
		})
	}
	if _, err := s.attend.SetMark(c.Request.Context(), attendance.MarkInput{SessionID: ss.ID, RegistrationID: sub.ID,
		Status: attendance.Present, Source: attendance.SourceTap, UserID: u.ID}); err != nil {
		return err
	}
	s.log.Info("door substitute", "by", u.ID, "session", ss.ID, "replaced", nominee.ID, "registration", sub.ID)
	s.flash(c, "unit.flash.substituted", nominee.FullName, sub.FullName)
	return redirect(c, fmt.Sprintf("/staff/sessions/%d/checkin", ss.ID))
}
