package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"taphuan/courses"
)

// handlePeopleAPI: GET /api/v1/people?q= — the directory as JSON (same scope).
func (s *Server) handlePeopleAPI(c *gin.Context) error {
	limit, offset := listParams(c)
	items, total, err := s.courses.ListPeople(c.Request.Context(), courses.PeopleFilter{Query: c.Query("q"),
		OrganizationID: orgScope(currentUser(c)), Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	return list(c, items, total)
}

// handlePersonAPI: GET /api/v1/people/{id} → {person, history}.
func (s *Server) handlePersonAPI(c *gin.Context) error {
	p, hist, err := s.personParam(c)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"person": p, "history": hist})
	return nil
}
