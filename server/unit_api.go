package server

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"taphuan/courses"
	"taphuan/errs"
)

// The JSON API of a focal point (role unit), on the routes organizers use: a course that
// gives its unit no seats is not found; it registers only its own unit's people, within its
// quota; it lists only them.

// unitAPICourse loads the course of the path for the focal point (404 without a quota).
func (s *Server) unitAPICourse(c *gin.Context) (courses.UnitQuota, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return courses.UnitQuota{}, err
	}
	_, q, err := s.unitCourse(c, id)
	return q, err
}

// handleUnitAPINominate: POST /api/v1/courses/{id}/registrations as a focal point → 201,
// confirmed for its unit, or 409 full when its quota is used (never waitlisted).
func (s *Server) handleUnitAPINominate(c *gin.Context) error {
	q, err := s.unitAPICourse(c)
	if err != nil {
		return err
	}
	var in courses.RegisterInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	u := currentUser(c)
	in.CourseID, in.Source, in.UserID, in.UnitID = q.Course.ID, courses.SourceAPI, u.ID, u.UnitID
	in.Organization = "" // the unit's name: a focal point registers for its own unit only
	reg, err := s.courses.Nominate(c.Request.Context(), courses.NominateInput{RegisterInput: in, UnitID: u.UnitID})
	var dup *courses.DuplicateError
	if errors.As(err, &dup) {
		// Another unit's person may hold the phone: say so without naming them.
		return errs.New(errs.Conflict, "reg.err.phone_taken")
	}
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, reg)
	return nil
}

// handleUnitAPIList: GET /api/v1/courses/{id}/registrations as a focal point → its unit's
// people only.
func (s *Server) handleUnitAPIList(c *gin.Context) error {
	q, err := s.unitAPICourse(c)
	if err != nil {
		return err
	}
	statuses, err := statusFilter(c)
	if err != nil {
		return err
	}
	limit, offset := listParams(c)
	regs, total, err := s.courses.ListRegistrations(c.Request.Context(), courses.RegistrationFilter{CourseID: q.Course.ID,
		UnitID: currentUser(c).UnitID, Statuses: statuses, Query: c.Query("q"), Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	return list(c, regs, total)
}

// handleUnitAPIQuota: GET /api/v1/courses/{id}/quotas as a focal point → its own row.
func (s *Server) handleUnitAPIQuota(c *gin.Context) error {
	q, err := s.unitAPICourse(c)
	if err != nil {
		return err
	}
	fill, err := s.courses.QuotaFill(c.Request.Context(), q.Course.ID)
	if err != nil {
		return err
	}
	mine := []courses.UnitFill{}
	for _, f := range fill {
		if f.UnitID == currentUser(c).UnitID {
			mine = append(mine, f)
		}
	}
	return list(c, mine, len(mine))
}
