package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"taphuan/accounts"
)

// organizationForm is the new-organization form as posted.
type organizationForm struct {
	Name       string `form:"name"`
	ShortName  string `form:"short_name"`
	ParentName string `form:"parent_name"`
}

func (f organizationForm) input() accounts.OrganizationInput {
	return accounts.OrganizationInput{Name: f.Name, ShortName: f.ShortName, ParentName: f.ParentName}
}

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
	var form organizationForm
	if err := c.ShouldBind(&form); err != nil {
		return errBadJSON.Wrap(err)
	}
	in := form.input()
	org, err := s.accounts.CreateOrganization(c.Request.Context(), in)
	if err != nil {
		return s.formFailed(c, err, func(status int, fe map[string]string) error {
			return s.renderOrganizations(c, status, in, fe)
		})
	}
	s.flash(c, "orgs.created", org.Name)
	return redirect(c, "/admin/organizations")
}
