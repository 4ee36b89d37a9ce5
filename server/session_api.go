package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"taphuan/courses"
)

// sessionJSON is a session as the API shows it, with its module's id (null: none).
type sessionJSON struct {
	*courses.Session
	ModuleID *int64 `json:"module_id"`
}

func sessionOut(ss *courses.Session) sessionJSON {
	out := sessionJSON{Session: ss}
	if ss.ModuleID.Valid {
		out.ModuleID = &ss.ModuleID.Int64
	}
	return out
}

// handleSessionList: GET /api/v1/courses/{id}/sessions → items ordered by starts_at.
func (s *Server) handleSessionList(c *gin.Context) error {
	course, err := s.courseParam(c, false)
	if err != nil {
		return err
	}
	items, err := s.courses.ListSessions(c.Request.Context(), course.ID)
	if err != nil {
		return err
	}
	out := make([]sessionJSON, len(items))
	for i := range items {
		out[i] = sessionOut(&items[i])
	}
	return list(c, out, len(out))
}

// handleSessionCreate: POST /api/v1/courses/{id}/sessions {module_id, starts_at, ends_at,
// room, mandatory} → 201 session; 409 conflict naming the session that holds the room or
// the lecturer at that time.
func (s *Server) handleSessionCreate(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	var in courses.SessionInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	ss, err := s.courses.CreateSession(c.Request.Context(), course.ID, in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, sessionOut(ss))
	return nil
}

// handleSessionPatch: PATCH /api/v1/sessions/{id} — any of module_id (null or 0: none),
// starts_at, ends_at, room, mandatory; the checks of create.
func (s *Server) handleSessionPatch(c *gin.Context) error {
	ss, _, err := s.sessionParam(c, true)
	if err != nil {
		return err
	}
	var p courses.SessionPatch
	nulls, err := decodePatch(c, &p)
	if err != nil {
		return err
	}
	if nulls["module_id"] {
		p.ModuleID = new(int64(0))
	}
	updated, err := s.courses.UpdateSession(c.Request.Context(), ss.ID, p)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, sessionOut(updated))
	return nil
}

// handleSessionDelete: DELETE /api/v1/sessions/{id} → 204; 409 once attendance is marked.
func (s *Server) handleSessionDelete(c *gin.Context) error {
	ss, _, err := s.sessionParam(c, true)
	if err != nil {
		return err
	}
	if err := s.courses.DeleteSession(c.Request.Context(), ss.ID); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}
