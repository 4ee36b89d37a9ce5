package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"taphuan/attendance"
	"taphuan/courses"
	"taphuan/errs"
)

// handleDoorAdmit: POST /api/v1/sessions/{id}/admit {registration_id} — confirm a waitlisted
// or pending trainee and check them in, in one transaction → {registration_id, full_name,
// status: "present", …counts}. 409 full when no seat is free (organizers may go beyond).
func (s *Server) handleDoorAdmit(c *gin.Context) error {
	sess, course, err := s.sessionParam(c, false)
	if err != nil {
		return err
	}
	var body struct {
		RegistrationID int64 `json:"registration_id"`
	}
	if err := bindJSON(c, &body); err != nil {
		return err
	}
	u := currentUser(c)
	res, err := s.attend.AdmitAtDoor(c.Request.Context(), attendance.DoorInput{SessionID: sess.ID,
		RegistrationID: body.RegistrationID, Override: u.CanManage(course.OrganizationID), UserID: u.ID})
	if err != nil {
		return err
	}
	counts, err := s.attend.SessionCounts(c.Request.Context(), sess.ID)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, checkinResponse{CheckInResult: res, Counts: counts})
	return nil
}

// handleDoorWalkIn: POST /api/v1/sessions/{id}/walkin {full_name, gender, birth_date, …} —
// register a walk-in, confirmed, and check them in → 201 {registration_id, full_name, status}.
func (s *Server) handleDoorWalkIn(c *gin.Context) error {
	sess, course, err := s.sessionParam(c, false)
	if err != nil {
		return err
	}
	var in courses.RegisterInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	u := currentUser(c)
	res, err := s.attend.WalkIn(c.Request.Context(), attendance.WalkInInput{SessionID: sess.ID, Person: in,
		Override: u.CanManage(course.OrganizationID), UserID: u.ID})
	if err != nil {
		return err
	}
	counts, err := s.attend.SessionCounts(c.Request.Context(), sess.ID)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, checkinResponse{CheckInResult: res, Counts: counts})
	return nil
}

// notConfirmed is the refusal of a check-in of a place that is not confirmed: 409 with who
// it is and the door page that can admit them.
func (s *Server) notConfirmed(c *gin.Context, sessionID int64, nc *attendance.NotConfirmedError) error {
	lang := langOf(c)
	st := s.tr(lang, "reg.status."+nc.Status)
	if nc.WaitlistPosition != nil {
		st = s.tr(lang, "door.waitlist_at", *nc.WaitlistPosition)
	}
	return withDetails(errs.New(errs.Conflict, "door.not_confirmed", nc.FullName, st).Wrap(nc), gin.H{
		"registration": gin.H{"id": nc.RegistrationID, "full_name": nc.FullName, "organization": nc.Organization,
			"status": nc.Status, "waitlist_position": nc.WaitlistPosition},
		"door_url": doorLink(sessionID, nc.RegistrationID)})
}

// doorView is what check-in staff see of a registration: what the door needs (the name,
// position and unit to recognise the trainee, the ticket code, the status) and nothing
// else — no phone, birth date, ethnicity, CCCD or e-mail, which are for organizers.
type doorView struct {
	ID               int64  `json:"id"`
	CourseID         int64  `json:"course_id"`
	Code             string `json:"code"`
	Status           string `json:"status"`
	WaitlistPosition *int   `json:"waitlist_position"`
	FullName         string `json:"full_name"`
	Position         string `json:"position"`
	Organization     string `json:"organization"`
}

func doorViewOf(r courses.Registration) doorView {
	return doorView{ID: r.ID, CourseID: r.CourseID, Code: r.Code, Status: r.Status, WaitlistPosition: r.WaitlistPosition,
		FullName: r.FullName, Position: r.Position, Organization: r.Organization}
}

func doorViews(regs []courses.Registration) []doorView {
	out := make([]doorView, len(regs))
	for i, r := range regs {
		out[i] = doorViewOf(r)
	}
	return out
}
