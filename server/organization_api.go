package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"taphuan/accounts"
)

// handleOrganizationCreate: POST /api/v1/organizations (admin).
func (s *Server) handleOrganizationCreate(c *gin.Context) error {
	var in accounts.OrganizationInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	org, err := s.accounts.CreateOrganization(c.Request.Context(), in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, org)
	return nil
}

// handleOrganizationList: GET /api/v1/organizations — admins see all, others their own.
func (s *Server) handleOrganizationList(c *gin.Context) error {
	u := currentUser(c)
	orgs, err := s.accounts.ListOrganizations(c.Request.Context())
	if err != nil {
		return err
	}
	visible := orgs[:0]
	for _, o := range orgs {
		if u.CanView(o.ID) {
			visible = append(visible, o)
		}
	}
	limit, offset := listParams(c)
	total := len(visible)
	visible = visible[min(offset, total):min(offset+limit, total)]
	return list(c, visible, total)
}

// handleOrganizationGet: GET /api/v1/organizations/{id}; another organization's is not found.
func (s *Server) handleOrganizationGet(c *gin.Context) error {
	org, err := s.orgNamed(c, c.Param("id"), false)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, org)
	return nil
}
