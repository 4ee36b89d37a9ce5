package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"taphuan/templates"
)

// routes lists every route. Each area keeps its own block; handlers live one action (or a
// small group of actions on one thing) per file.
func (s *Server) routes() {
	e := s.engine
	e.GET("/healthz", func(c *gin.Context) { c.String(http.StatusOK, "ok") })
	e.StaticFS("/static", http.FS(templates.Static()))

	// Sign-in, language, dashboard.
	e.GET("/login", s.h(s.handleLoginForm))
	e.POST("/login", s.h(s.handleLogin))
	e.POST("/logout", s.h(s.handleLogout))
	e.GET("/lang/:lang", s.h(s.handleLanguage))
	e.GET("/", s.page(s.handleDashboard))

	// Administration.
	e.GET("/admin/organizations", s.page(s.handleOrganizationsPage))
	e.POST("/admin/organizations", s.page(s.handleOrganizationCreateForm))
	e.GET("/admin/users", s.page(s.handleUsersPage))
	e.POST("/admin/users", s.page(s.handleUserCreateForm))
	e.GET("/account", s.page(s.handleAccountPage))
	e.POST("/account/password", s.page(s.handlePasswordChange))

	api := e.Group("/api/v1")

	// Organizations.
	api.POST("/organizations", s.api(s.handleOrganizationCreate))
	api.GET("/organizations", s.api(s.handleOrganizationList))
	api.GET("/organizations/:id", s.api(s.handleOrganizationGet))

	// Courses, modules, sessions (planning).

	// Registrations and the roster.

	// Attendance and reports.

	// Certificates.

	// Public pages.
	e.GET("/courses/:id", s.h(s.handleCoursePublic))
}
