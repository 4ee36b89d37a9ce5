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
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if !currentUser(c).CanView(id) {
		return errNotFound
	}
	org, err := s.accounts.FindOrganizationByID(c.Request.Context(), id)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, org)
	return nil
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
