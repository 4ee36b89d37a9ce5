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
	api.POST("/courses/:id/registrations", s.api(s.handleRegistrationCreate))
	api.GET("/courses/:id/registrations", s.api(s.handleRegistrationList))
	api.POST("/courses/:id/registrations/import", s.api(s.handleRegistrationImport))
	api.GET("/courses/:id/registrations.csv", s.api(s.handleRosterCSV))
	api.GET("/courses/:id/registrations.xlsx", s.api(s.handleRosterXLSX))
	api.GET("/courses/:id/quotas", s.api(s.handleQuotaList))
	api.PUT("/courses/:id/quotas", s.api(s.handleQuotaSet))
	api.GET("/registrations/:id", s.api(s.handleRegistrationGet))
	api.POST("/registrations/:id/cancel", s.api(s.handleRegistrationCancel))
	api.POST("/registrations/:id/approve", s.api(s.handleRegistrationApprove))
	api.POST("/registrations/:id/reject", s.api(s.handleRegistrationReject))
	api.POST("/registrations/:id/move", s.api(s.handleRegistrationMove))
	api.GET("/people", s.api(s.handlePeopleAPI))
	api.GET("/people/:id", s.api(s.handlePersonAPI))
	e.POST("/courses/:id/register", s.h(s.handleRegistrationSubmit))
	e.GET("/tickets/:code", s.h(s.handleTicket))
	e.GET("/tickets/:code/cancel", s.h(s.handleTicketCancelForm))
	e.POST("/tickets/:code/cancel", s.h(s.handleTicketCancel))
	e.GET("/staff/courses/:id/registrations", s.page(s.handleRosterPage))
	e.POST("/staff/courses/:id/quotas", s.page(s.handleQuotaForm))
	e.GET("/staff/courses/:id/registrations/import", s.page(s.handleImportPage))
	e.POST("/staff/courses/:id/registrations/import", s.page(s.handleImportPreview))
	e.POST("/staff/courses/:id/registrations/import/:token", s.page(s.handleImportConfirm))
	e.GET("/staff/courses/:id/registrations/import-template.csv", s.page(s.handleImportTemplate))
	e.POST("/staff/registrations/:id/status", s.page(s.handleRosterAction))
	e.GET("/staff/people", s.page(s.handlePeoplePage))
	e.GET("/staff/people/:id", s.page(s.handlePersonPage))

	// Attendance and reports.

	// Certificates.

	// Public pages.
	e.GET("/courses/:id", s.h(s.handleCoursePublic))
}
