package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"taphuan/courses"
)

// moduleParam loads the module of the path (":id") and its course, to read or to change.
func (s *Server) moduleParam(c *gin.Context, manage bool) (*courses.Module, *courses.Course, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, nil, err
	}
	m, err := s.courses.FindModuleByID(c.Request.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	var course *courses.Course
	if manage {
		course, err = s.manageCourse(c, m.CourseID)
	} else {
		course, err = s.viewCourse(c, m.CourseID)
	}
	if err != nil {
		return nil, nil, err
	}
	return m, course, nil
}

// handleModuleList: GET /api/v1/courses/{id}/modules → items in their order.
func (s *Server) handleModuleList(c *gin.Context) error {
	course, err := s.courseParam(c, false)
	if err != nil {
		return err
	}
	items, err := s.courses.ListModules(c.Request.Context(), course.ID)
	if err != nil {
		return err
	}
	return list(c, items, len(items))
}

// handleModuleCreate: POST /api/v1/courses/{id}/modules {title, lecturer, position,
// duration_minutes} → 201 module.
func (s *Server) handleModuleCreate(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	var in courses.ModuleInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	m, err := s.courses.CreateModule(c.Request.Context(), course.ID, in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, m)
	return nil
}

// handleModulePatch: PATCH /api/v1/modules/{id} — any of title, lecturer, position,
// duration_minutes. 409 when a new lecturer is busy at one of the module's sessions.
func (s *Server) handleModulePatch(c *gin.Context) error {
	m, _, err := s.moduleParam(c, true)
	if err != nil {
		return err
	}
	var p courses.ModulePatch
	if _, err := decodePatch(c, &p); err != nil {
		return err
	}
	updated, err := s.courses.UpdateModule(c.Request.Context(), m.ID, p)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, updated)
	return nil
}

// handleModuleDelete: DELETE /api/v1/modules/{id} → 204; its sessions stay, without a module.
func (s *Server) handleModuleDelete(c *gin.Context) error {
	m, _, err := s.moduleParam(c, true)
	if err != nil {
		return err
	}
	if err := s.courses.DeleteModule(c.Request.Context(), m.ID); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

// handleModuleOrder: PUT /api/v1/courses/{id}/modules/order {ids: [...]} → the modules in
// the new order; ids must list every module of the course once (else 422).
func (s *Server) handleModuleOrder(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	var in struct {
		IDs []int64 `json:"ids"`
	}
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	items, err := s.courses.ReorderModules(c.Request.Context(), course.ID, in.IDs)
	if err != nil {
		return err
	}
	return list(c, items, len(items))
}
