package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"taphuan/accounts"
)

type organizationsData struct {
	Items []accounts.Organization
	Form  accounts.OrganizationInput
}

func (s *Server) handleOrganizationsPage(c *gin.Context) error {
	return s.renderOrganizations(c, http.StatusOK, accounts.OrganizationInput{}, nil)
}

func (s *Server) renderOrganizations(c *gin.Context, status int, form accounts.OrganizationInput, fieldErrs map[string]string) error {
	orgs, err := s.accounts.ListOrganizations(c.Request.Context())
	if err != nil {
		return err
	}
	return s.render(c, status, "organizations", view{Section: "admin", Title: s.tr(langOf(c), "orgs.title"),
		Errors: fieldErrs, Data: organizationsData{Items: orgs, Form: form}})
}

func (s *Server) handleOrganizationCreateForm(c *gin.Context) error {
	var in accounts.OrganizationInput
	if err := c.ShouldBind(&in); err != nil {
		return errBadJSON.Wrap(err)
	}
	org, err := s.accounts.CreateOrganization(c.Request.Context(), in)
	if err != nil {
		return s.formFailed(c, err, func(status int, fe map[string]string) error {
			return s.renderOrganizations(c, status, in, fe)
		})
	}
	s.flash(c, "orgs.created", org.Name)
	return redirect(c, "/admin/organizations")
}
