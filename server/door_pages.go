package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"taphuan/attendance"
	"taphuan/courses"
)

// doorData is the door page of a session: the person a scan found (waitlisted or pending),
// a search of the waiting and pending lists, and the walk-in form.
type doorData struct {
	Course       *courses.Course
	Session      *courses.Session
	SessionLabel string
	Reg          *courses.Registration // the person to admit, or nil
	RegPosition  int                   // Reg's place on the waiting list, 0 when not on it
	Q            string
	Candidates   []doorCandidate
	Confirmed    int
	Free         int
	CanOverride  bool // an organizer of the course: may admit beyond the capacity
	Admissible   bool // Reg is waitlisted or pending
	Form         courses.RegisterInput
}

// walkInForm is the door's walk-in form as posted: the person's fields of a registration.
type walkInForm struct {
	personForm
	IDNumber string `form:"id_number"`
	SortName string `form:"sort_name"`
	UnitID   int64  `form:"unit_id"`
}

func (f walkInForm) input() courses.RegisterInput {
	in := f.personForm.input()
	in.IDNumber, in.SortName, in.UnitID = f.IDNumber, f.SortName, f.UnitID
	return in
}

// doorCandidate is a waitlisted or pending registration a search found.
type doorCandidate struct {
	courses.Registration
	Position int // on the waiting list, 0 when pending
}

// position dereferences a waiting-list position (0 for none).
func position(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

// doorBase is the door page's address.
func doorBase(sessionID int64) string {
	return "/staff/sessions/" + strconv.FormatInt(sessionID, 10) + "/door"
}

// doorPage gathers the door page; reg and q come from the query.
func (s *Server) doorPage(c *gin.Context, sess *courses.Session, course *courses.Course, regID int64, q string) (*doorData, error) {
	ctx := c.Request.Context()
	d := &doorData{Course: course, Session: sess, SessionLabel: s.sessionLabel(langOf(c), sess), Q: q,
		CanOverride: currentUser(c).CanManage(course.OrganizationID)}
	counts, err := s.courses.CountByStatus(ctx, course.ID)
	if err != nil {
		return nil, err
	}
	d.Confirmed = counts[courses.RegConfirmed]
	d.Free = max(0, course.Capacity-d.Confirmed)
	if regID > 0 {
		reg, err := s.courses.FindRegistrationByID(ctx, regID)
		if err == nil && reg.CourseID == course.ID {
			d.Reg, d.RegPosition = reg, position(reg.WaitlistPosition)
			d.Admissible = reg.Status == courses.RegWaitlisted || reg.Status == courses.RegPending
		} else if err != nil && !errors.Is(err, courses.ErrNotFound) {
			return nil, err
		}
	}
	if q != "" {
		found, _, err := s.courses.ListRegistrations(ctx, courses.RegistrationFilter{CourseID: course.ID, Query: q,
			Statuses: []string{courses.RegWaitlisted, courses.RegPending}, Limit: 20})
		if err != nil {
			return nil, err
		}
		for _, r := range found {
			d.Candidates = append(d.Candidates, doorCandidate{Registration: r, Position: position(r.WaitlistPosition)})
		}
	}
	return d, nil
}

func (s *Server) renderDoor(c *gin.Context, status int, d *doorData, fieldErrs map[string]string) error {
	return s.render(c, status, "checkin_door", view{Section: "courses", Tab: "attendance",
		Title: s.tr(langOf(c), "door.title") + " · " + d.SessionLabel, Errors: fieldErrs, Data: d})
}

// handleDoorPage: GET /staff/sessions/{id}/door?reg=&q= — at the door: admit someone
// waitlisted or pending (found by a scan, or searched by name or phone), or add a walk-in.
func (s *Server) handleDoorPage(c *gin.Context) error {
	sess, course, err := s.sessionParam(c, false)
	if err != nil {
		return err
	}
	regID, _ := strconv.ParseInt(c.Query("reg"), 10, 64)
	d, err := s.doorPage(c, sess, course, regID, strings.TrimSpace(c.Query("q")))
	if err != nil {
		return err
	}
	return s.renderDoor(c, http.StatusOK, d, nil)
}

// handleDoorAdmitForm: POST /staff/sessions/{id}/door/admit {registration_id} — confirm the
// place and check in, in one step; beyond the capacity only for organizers.
func (s *Server) handleDoorAdmitForm(c *gin.Context) error {
	sess, course, err := s.sessionParam(c, false)
	if err != nil {
		return err
	}
	regID, _ := strconv.ParseInt(c.PostForm("registration_id"), 10, 64)
	res, err := s.attend.AdmitAtDoor(c.Request.Context(), attendance.DoorInput{SessionID: sess.ID, RegistrationID: regID,
		Override: currentUser(c).CanManage(course.OrganizationID), UserID: currentUser(c).ID})
	if err != nil {
		msg, ok := s.refusal(c, err)
		if !ok {
			return err
		}
		s.flash(c, "door.flash.refused", msg)
		return redirect(c, doorBase(sess.ID)+"?reg="+strconv.FormatInt(regID, 10))
	}
	s.flash(c, "door.flash.admitted", res.FullName)
	return redirect(c, "/staff/sessions/"+strconv.FormatInt(sess.ID, 10)+"/checkin")
}

// handleDoorWalkInForm: POST /staff/sessions/{id}/door/walkin — register a walk-in,
// confirmed, and check them in. Bad data re-shows the form with the messages.
func (s *Server) handleDoorWalkInForm(c *gin.Context) error {
	sess, course, err := s.sessionParam(c, false)
	if err != nil {
		return err
	}
	var form walkInForm
	if err := c.ShouldBind(&form); err != nil {
		return errBadJSON.Wrap(err)
	}
	in := form.input()
	res, err := s.attend.WalkIn(c.Request.Context(), attendance.WalkInInput{SessionID: sess.ID, Person: in,
		Override: currentUser(c).CanManage(course.OrganizationID), UserID: currentUser(c).ID})
	var dup *courses.DuplicateError
	if errors.As(err, &dup) {
		// Already registered: admit that registration instead.
		s.flash(c, "door.flash.duplicate", dup.ExistingName)
		return redirect(c, doorBase(sess.ID)+"?reg="+strconv.FormatInt(dup.ExistingID, 10))
	}
	if fe := s.fieldErrors(c, err); fe != nil {
		d, derr := s.doorPage(c, sess, course, 0, "")
		if derr != nil {
			return derr
		}
		d.Form = in // as typed
		return s.renderDoor(c, http.StatusUnprocessableEntity, d, fe)
	}
	if err != nil {
		msg, ok := s.refusal(c, err)
		if !ok {
			return err
		}
		s.flash(c, "door.flash.refused", msg)
		return redirect(c, doorBase(sess.ID)+"#walkin")
	}
	s.flash(c, "door.flash.walked_in", res.FullName)
	return redirect(c, "/staff/sessions/"+strconv.FormatInt(sess.ID, 10)+"/checkin")
}

// doorLink is the door page for a registration a scan found unconfirmed.
func doorLink(sessionID, regID int64) string {
	return doorBase(sessionID) + "?" + url.Values{"reg": {strconv.FormatInt(regID, 10)}}.Encode()
}
