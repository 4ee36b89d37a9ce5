package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"taphuan/courses"
)

// bulkBody is the JSON of a bulk action: the ids, or all that match the filter.
type bulkBody struct {
	Action string  `json:"action"`
	Reason string  `json:"reason"`
	IDs    []int64 `json:"ids"`
	All    bool    `json:"all"`
	Filter struct {
		Status []string `json:"status"`
		Q      string   `json:"q"`
		Unit   string   `json:"unit"`
	} `json:"filter"`
}

// handleRegistrationBulk: POST /api/v1/courses/{id}/registrations/bulk
// {action: approve|reject|waitlist|cancel, reason, ids: [..]} or {…, all: true, filter: {status, q, unit}}
// → {action, changed: [{id, full_name, from, to}], skipped: [...], promoted: [...]}, all in one
// transaction.
func (s *Server) handleRegistrationBulk(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	var body bulkBody
	if err := bindJSON(c, &body); err != nil {
		return err
	}
	statuses, err := statusList(body.Filter.Status)
	if err != nil {
		return err
	}
	res, err := s.courses.Bulk(c.Request.Context(), courses.BulkInput{CourseID: course.ID, Action: body.Action,
		Reason: body.Reason, IDs: body.IDs, All: body.All, UserID: currentUser(c).ID,
		Filter: courses.RegistrationFilter{Statuses: statuses, Query: body.Filter.Q, Unit: body.Filter.Unit}})
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, res)
	return nil
}
