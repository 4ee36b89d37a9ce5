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

	api := e.Group("/api/v1")

	// Organizations.
	api.POST("/organizations", s.api(s.handleOrganizationCreate))
	api.GET("/organizations", s.api(s.handleOrganizationList))
	api.GET("/organizations/:id", s.api(s.handleOrganizationGet))

	// Courses, modules, sessions (planning).

	// Registrations and the roster.

	// Attendance and reports.

	// Certificates.
	api.POST("/courses/:id/certificates/issue", s.api(s.handleCertificatesIssue))
	api.GET("/courses/:id/certificates", s.api(s.handleCertificatesList))
	api.GET("/courses/:id/certificates.pdf", s.api(s.handleCertificatesCombined))
	api.GET("/courses/:id/certificates.zip", s.api(s.handleCertificatesZIP))
	api.GET("/courses/:id/eligibility", s.api(s.handleEligibility))
	api.PUT("/courses/:id/eligibility/:rid", s.api(s.handleEligibilityOverride))
	api.GET("/certificates/:id", s.api(s.handleCertificateGet)) // also /certificates/{id}.pdf
	api.POST("/certificates/:id/revoke", s.api(s.handleCertificateRevoke))
	api.POST("/certificates/:id/reissue", s.api(s.handleCertificateReissue))
	api.GET("/organizations/:id/certificate-settings", s.api(s.handleCertificateSettingsGet))
	api.PUT("/organizations/:id/certificate-settings", s.api(s.handleCertificateSettingsPut))
	api.GET("/verify/:code", s.h(s.handleVerifyJSON))
	e.GET("/staff/courses/:id/certificates", s.page(s.handleCertificatesPage))
	e.POST("/staff/courses/:id/certificates/issue", s.page(s.handleCertificatesIssueForm))
	e.POST("/staff/courses/:id/certificates/override", s.page(s.handleCertificateOverrideForm))
	e.POST("/staff/certificates/:id/revoke", s.page(s.handleCertificateRevokeForm))
	e.POST("/staff/certificates/:id/reissue", s.page(s.handleCertificateReissueForm))
	e.GET("/staff/certificate-settings", s.page(s.handleCertificateSettingsPage))
	e.POST("/staff/certificate-settings", s.page(s.handleCertificateSettingsForm))
	e.GET("/staff/certificate-settings/logo.png", s.page(s.handleCertificateSettingsLogo))
	e.GET("/staff/certificate-settings/sample.pdf", s.page(s.handleCertificateSettingsSample))
	e.GET("/verify/:code", s.h(s.handleVerifyPage))
	e.GET("/tickets/:code/certificate.pdf", s.h(s.handleTicketCertificate))

	// Public pages.
	e.GET("/courses/:id", s.h(s.handleCoursePublic))
}
