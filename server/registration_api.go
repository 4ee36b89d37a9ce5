package server

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"taphuan/courses"
	"taphuan/errs"
)

// registrationFor loads the registration named by :id and its course, with the same rule
// as courseParam.
func (s *Server) registrationFor(c *gin.Context, manage bool) (*courses.Registration, *courses.Course, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, nil, err
	}
	reg, err := s.courses.FindRegistrationByID(c.Request.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	course, err := s.loadCourse(c, reg.CourseID, manage)
	if err != nil {
		return nil, nil, err
	}
	return reg, course, nil
}

// handleRegistrationCreate: POST /api/v1/courses/{id}/registrations — a portal or a script
// registers a trainee. 409 conflict names the registration that holds the phone number
// (registration_id); 409 closed when registration is not open.
func (s *Server) handleRegistrationCreate(c *gin.Context) error {
	if currentUser(c).IsUnit() {
		return s.handleUnitAPINominate(c) // a focal point names its unit's people (unit_api.go)
	}
	// Adding people to a course is the organizers' (staff add walk-ins at the door, which
	// is the check-in's business, not this general route).
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	var in courses.RegisterInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	in.CourseID, in.Source, in.UserID = course.ID, courses.SourceAPI, currentUser(c).ID
	reg, err := s.courses.Register(c.Request.Context(), in)
	if dup, ok := errors.AsType[*courses.DuplicateError](err); ok {
		return withDetails(err, gin.H{"registration_id": dup.ExistingID})
	}
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, reg)
	return nil
}

var registrationStatuses = []string{courses.RegConfirmed, courses.RegWaitlisted, courses.RegPending,
	courses.RegCancelled, courses.RegRejected}

// statusFilter reads status=a,b (or status=a&status=b); an unknown status is invalid.
func statusFilter(c *gin.Context) ([]string, error) { return statusList(c.QueryArray("status")) }

// statusList reads statuses given as a,b or as repeated values into the closed set.
func statusList(values []string) ([]string, error) {
	var out []string
	for _, v := range values {
		for _, st := range strings.Split(v, ",") {
			st = strings.TrimSpace(st)
			if st == "" {
				continue
			}
			ok := false
			for _, k := range registrationStatuses {
				ok = ok || k == st
			}
			if !ok {
				return nil, errs.Fields{"status": {Key: "reg.err.status_filter"}}.Err()
			}
			out = append(out, st)
		}
	}
	return out, nil
}

// handleRegistrationList: GET /api/v1/courses/{id}/registrations?status=&q=&unit= —
// Vietnamese order, q without diacritics, limit/offset.
func (s *Server) handleRegistrationList(c *gin.Context) error {
	if currentUser(c).IsUnit() {
		return s.handleUnitAPIList(c) // its unit's people only (unit_api.go)
	}
	course, err := s.courseParam(c, false)
	if err != nil {
		return err
	}
	statuses, err := statusFilter(c)
	if err != nil {
		return err
	}
	limit, offset := listParams(c)
	regs, total, err := s.courses.ListRegistrations(c.Request.Context(), courses.RegistrationFilter{
		CourseID: course.ID, Statuses: statuses, Query: c.Query("q"), Unit: c.Query("unit"),
		Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	if !currentUser(c).CanManage(course.OrganizationID) {
		return list(c, doorViews(regs), total)
	}
	return list(c, regs, total)
}

// handleRegistrationGet: GET /api/v1/registrations/{id} — the registration and its history.
func (s *Server) handleRegistrationGet(c *gin.Context) error {
	reg, course, err := s.registrationFor(c, false)
	if err != nil {
		return err
	}
	events, err := s.courses.RegistrationEvents(c.Request.Context(), reg.ID)
	if err != nil {
		return err
	}
	if !currentUser(c).CanManage(course.OrganizationID) {
		c.JSON(http.StatusOK, gin.H{"registration": doorViewOf(*reg), "events": events})
		return nil
	}
	c.JSON(http.StatusOK, gin.H{"registration": reg, "events": events})
	return nil
}

type reasonBody struct {
	Reason string `json:"reason"`
}

// handleRegistrationCancel: POST /api/v1/registrations/{id}/cancel {reason?} →
// {registration, promoted}: promoted is who took the seat, or null.
func (s *Server) handleRegistrationCancel(c *gin.Context) error {
	reg, _, err := s.registrationFor(c, true)
	if err != nil {
		return err
	}
	var body reasonBody
	if err := bindOptionalJSON(c, &body); err != nil {
		return err
	}
	got, promoted, err := s.courses.Cancel(c.Request.Context(), courses.CancelInput{ID: reg.ID, Reason: body.Reason, UserID: currentUser(c).ID})
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"registration": got, "promoted": promoted})
	return nil
}

// handleRegistrationApprove: POST /api/v1/registrations/{id}/approve — confirmed while
// seats are left, else waitlisted.
func (s *Server) handleRegistrationApprove(c *gin.Context) error {
	reg, _, err := s.registrationFor(c, true)
	if err != nil {
		return err
	}
	got, err := s.courses.Approve(c.Request.Context(), reg.ID, currentUser(c).ID)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, got)
	return nil
}

// handleRegistrationReject: POST /api/v1/registrations/{id}/reject {reason}.
func (s *Server) handleRegistrationReject(c *gin.Context) error {
	reg, _, err := s.registrationFor(c, true)
	if err != nil {
		return err
	}
	var body reasonBody
	if err := bindOptionalJSON(c, &body); err != nil {
		return err
	}
	got, err := s.courses.Reject(c.Request.Context(), courses.RejectInput{ID: reg.ID, Reason: body.Reason, UserID: currentUser(c).ID})
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, got)
	return nil
}

// handleRegistrationMove: POST /api/v1/registrations/{id}/move {status, reason} →
// {registration, promoted: [...]}.
func (s *Server) handleRegistrationMove(c *gin.Context) error {
	reg, _, err := s.registrationFor(c, true)
	if err != nil {
		return err
	}
	var in courses.MoveInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	in.ID, in.UserID = reg.ID, currentUser(c).ID
	got, promoted, err := s.courses.Move(c.Request.Context(), in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"registration": got, "promoted": promoted})
	return nil
}
