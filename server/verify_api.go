package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// handleVerifyJSON: GET /api/v1/verify/{code} — public:
// {status, number, full_name, course_title, issued_on, organization, revoked_at, replaced_by}.
func (s *Server) handleVerifyJSON(c *gin.Context) error {
	v, err := s.certs.Verify(c.Request.Context(), c.Param("code"))
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, v)
	return nil
}
