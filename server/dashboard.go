package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"taphuan/accounts"
)

type tile struct{ Title, Text, URL string }

type dashboardData struct {
	Organization *accounts.Organization
	Tiles        []tile
}

func (s *Server) handleDashboard(c *gin.Context) error {
	u := currentUser(c)
	lang := langOf(c)
	d := dashboardData{}
	if u.OrganizationID != 0 {
		org, err := s.accounts.FindOrganizationByID(c.Request.Context(), u.OrganizationID)
		if err != nil {
			return err
		}
		d.Organization = org
	}
	if u.IsAdmin() {
		d.Tiles = append(d.Tiles, tile{Title: s.tr(lang, "dashboard.orgs_tile"), Text: s.tr(lang, "dashboard.orgs_text"), URL: "/admin/organizations"})
	}
	return s.render(c, http.StatusOK, "dashboard", view{Section: "dashboard", Title: s.tr(lang, "dashboard.title"), Data: d})
}
