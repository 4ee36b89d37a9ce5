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
	api.PUT("/sessions/:id/attendance", s.api(s.handleMarkSet))
	api.GET("/sessions/:id/attendance", s.api(s.handleSessionRoster))
	api.GET("/sessions/:id/attendance/log", s.api(s.handleSessionLog))
	api.POST("/sessions/:id/checkin", s.api(s.handleCheckIn))
	api.GET("/sessions/:id/selfcheckin", s.api(s.handleSelfCode))
	api.GET("/courses/:id/attendance", s.api(s.handleCourseAttendance))
	api.GET("/courses/:id/attendance/log", s.api(s.handleCourseLog))
	api.GET("/courses/:id/reports/signin.pdf", s.api(s.handleSignInReport(false)))
	api.GET("/courses/:id/reports/signin.xlsx", s.api(s.handleSignInReport(true)))
	for _, kind := range []string{"attendance.pdf", "attendance.xlsx", "payments.pdf", "payments.xlsx", "statistics.pdf", "statistics.xlsx"} {
		api.GET("/courses/:id/reports/"+kind, s.api(s.handleCourseReport(kind)))
	}
	api.GET("/courses/:id/reports/statistics", s.api(s.handleCourseStatistics))
	api.GET("/reports/statistics", s.api(s.handleOrgStatistics))
	api.GET("/reports/statistics.pdf", s.api(s.handleOrgStatisticsReport(false)))
	api.GET("/reports/statistics.xlsx", s.api(s.handleOrgStatisticsReport(true)))
	e.GET("/staff/courses/:id/attendance", s.page(s.handleAttendancePage))
	e.GET("/staff/courses/:id/reports", s.page(s.handleReportsPage))
	e.GET("/staff/sessions/:id/checkin", s.page(s.handleCheckinPage))
	e.POST("/staff/sessions/:id/checkin", s.page(s.handleCheckinForm))
	e.GET("/staff/sessions/:id/tickback", s.page(s.handleTickbackPage))
	e.POST("/staff/sessions/:id/tickback", s.page(s.handleTickbackSave))
	e.GET("/staff/sessions/:id/selfcheckin", s.page(s.handleSelfProjector))
	e.GET("/staff/sessions/:id/log", s.page(s.handleSessionLogPage))
	e.GET("/staff/statistics", s.page(s.handleStatisticsPage))
	e.GET("/self/:id", s.h(s.handleSelfForm))
	e.POST("/self/:id", s.h(s.handleSelfSubmit))

	// Certificates.

	// Public pages.
	e.GET("/courses/:id", s.h(s.handleCoursePublic))
}
