package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"taphuan/courses"
)

// programJSON is a node of the program tree as the API shows it.
type programJSON struct {
	*courses.Program
	ParentID *int64 `json:"parent_id"`
}

func programOut(p *courses.Program) programJSON {
	out := programJSON{Program: p}
	if p.ParentID.Valid {
		out.ParentID = &p.ParentID.Int64
	}
	return out
}

// handleProgramList: GET /api/v1/programs → the whole tree, depth first (every signed-in
// user: organizers file courses under it).
func (s *Server) handleProgramList(c *gin.Context) error {
	all, err := s.courses.ListPrograms(c.Request.Context())
	if err != nil {
		return err
	}
	out := make([]programJSON, len(all))
	for i := range all {
		out[i] = programOut(&all[i])
	}
	return list(c, out, len(out))
}

// handleProgramCreate: POST /api/v1/programs {parent_id, name, position} → 201 (admin).
func (s *Server) handleProgramCreate(c *gin.Context) error {
	var in courses.ProgramInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	p, err := s.courses.CreateProgram(c.Request.Context(), in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, programOut(p))
	return nil
}

// handleProgramUpdate: PATCH /api/v1/programs/{id} {parent_id, name, position} — rename or
// move (admin). Courses keep the path they were filed with.
func (s *Server) handleProgramUpdate(c *gin.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	old, err := s.courses.FindProgramByID(c.Request.Context(), id)
	if err != nil {
		return err
	}
	in := courses.ProgramInput{ParentID: old.Parent(), Name: old.Name, Position: old.Position}
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	p, err := s.courses.UpdateProgram(c.Request.Context(), id, in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, programOut(p))
	return nil
}

// handleProgramDelete: DELETE /api/v1/programs/{id} → 204 (admin); 409 while it has
// children or courses.
func (s *Server) handleProgramDelete(c *gin.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := s.courses.DeleteProgram(c.Request.Context(), id); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}
