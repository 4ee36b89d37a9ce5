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
	e.GET("/staff/courses", s.page(s.handleCoursesPage))
	e.GET("/staff/courses/new", s.page(s.handleCourseNew))
	e.POST("/staff/courses", s.page(s.handleCourseCreateForm))
	e.GET("/staff/courses/:id", s.page(s.handleCourseDetail))
	e.GET("/staff/courses/:id/edit", s.page(s.handleCourseEdit))
	e.POST("/staff/courses/:id", s.page(s.handleCourseUpdateForm))
	e.POST("/staff/courses/:id/status", s.page(s.handleCourseStatusForm))
	e.POST("/staff/courses/:id/copy", s.page(s.handleCourseCopyForm))
	e.POST("/staff/courses/:id/delete", s.page(s.handleCourseDeleteForm))
	e.POST("/staff/courses/:id/modules", s.page(s.handleModuleCreateForm))
	e.GET("/staff/courses/:id/modules/:mid/edit", s.page(s.handleModuleEdit))
	e.POST("/staff/courses/:id/modules/:mid", s.page(s.handleModuleUpdateForm))
	e.POST("/staff/courses/:id/modules/:mid/move", s.page(s.handleModuleMoveForm))
	e.POST("/staff/courses/:id/modules/:mid/delete", s.page(s.handleModuleDeleteForm))
	e.POST("/staff/courses/:id/sessions", s.page(s.handleSessionCreateForm))
	e.GET("/staff/courses/:id/sessions/:sid/edit", s.page(s.handleSessionEdit))
	e.POST("/staff/courses/:id/sessions/:sid", s.page(s.handleSessionUpdateForm))
	e.POST("/staff/courses/:id/sessions/:sid/delete", s.page(s.handleSessionDeleteForm))
	e.GET("/admin/programs", s.page(s.handleProgramsPage))
	e.POST("/admin/programs", s.page(s.handleProgramCreateForm))
	e.POST("/admin/programs/:id", s.page(s.handleProgramUpdateForm))
	e.POST("/admin/programs/:id/delete", s.page(s.handleProgramDeleteForm))
	api.GET("/programs", s.api(s.handleProgramList))
	api.POST("/programs", s.api(s.handleProgramCreate))
	api.PATCH("/programs/:id", s.api(s.handleProgramUpdate))
	api.DELETE("/programs/:id", s.api(s.handleProgramDelete))
	api.POST("/courses", s.api(s.handleCourseCreate))
	api.GET("/courses", s.api(s.handleCourseList))
	api.GET("/courses/:id", s.api(s.handleCourseGet))
	api.PATCH("/courses/:id", s.api(s.handleCoursePatch))
	api.DELETE("/courses/:id", s.api(s.handleCourseDelete))
	api.POST("/courses/:id/copy", s.api(s.handleCourseCopy))
	api.GET("/courses/:id/modules", s.api(s.handleModuleList))
	api.POST("/courses/:id/modules", s.api(s.handleModuleCreate))
	api.PUT("/courses/:id/modules/order", s.api(s.handleModuleOrder))
	api.PATCH("/modules/:id", s.api(s.handleModulePatch))
	api.DELETE("/modules/:id", s.api(s.handleModuleDelete))
	api.GET("/courses/:id/sessions", s.api(s.handleSessionList))
	api.POST("/courses/:id/sessions", s.api(s.handleSessionCreate))
	api.PATCH("/sessions/:id", s.api(s.handleSessionPatch))
	api.DELETE("/sessions/:id", s.api(s.handleSessionDelete))

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

	// Bulk actions on the roster (issue 13, item 3).
	api.POST("/courses/:id/registrations/bulk", s.api(s.handleRegistrationBulk))
	e.POST("/staff/courses/:id/registrations/bulk", s.page(s.handleRosterBulkForm))

	// At the door: admit someone waitlisted or pending, add a walk-in (issue 13, item 6).
	api.POST("/sessions/:id/admit", s.api(s.handleDoorAdmit))
	api.POST("/sessions/:id/walkin", s.api(s.handleDoorWalkIn))
	e.GET("/staff/sessions/:id/door", s.page(s.handleDoorPage))
	e.POST("/staff/sessions/:id/door/admit", s.page(s.handleDoorAdmitForm))
	e.POST("/staff/sessions/:id/door/walkin", s.page(s.handleDoorWalkInForm))

	// A course's own certificate signers (issue 13, item 12).
	e.GET("/staff/courses/:id/certificates/signers", s.page(s.handleCertSignersPage))
	e.POST("/staff/courses/:id/certificates/signers", s.page(s.handleCertSignersForm))

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
