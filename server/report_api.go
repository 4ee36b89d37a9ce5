package server

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"taphuan/attendance"
	"taphuan/errs"
)

// sendReport answers with a report file to download.
func sendReport(c *gin.Context, r *attendance.Report) error {
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename=%q`, r.Name))
	c.Header("Cache-Control", "private, no-store")
	c.Data(http.StatusOK, r.ContentType, r.Data)
	return nil
}

// handleSignInReport: GET /api/v1/courses/{id}/reports/signin.pdf|.xlsx?session={sid}.
func (s *Server) handleSignInReport(xlsx bool) handler {
	return func(c *gin.Context) error {
		course, err := s.courseParam(c, false)
		if err != nil {
			return err
		}
		sid, err := strconv.ParseInt(c.Query("session"), 10, 64)
		if err != nil || sid <= 0 {
			f := errs.Fields{}
			f.Add("session", "attendance.err.session_param")
			return f.Err()
		}
		sess, _, err := s.loadSession(c, sid, false)
		if err != nil {
			return err
		}
		if sess.CourseID != course.ID {
			return errNotFound
		}
		iss, err := s.issuer(c, course.OrganizationID)
		if err != nil {
			return err
		}
		var r *attendance.Report
		if xlsx {
			r, err = s.attend.SignInXLSX(c.Request.Context(), iss, sess.ID)
		} else {
			r, err = s.attend.SignInPDF(c.Request.Context(), iss, sess.ID)
		}
		if err != nil {
			return err
		}
		return sendReport(c, r)
	}
}

// handleCourseReport serves one of the course reports: attendance.pdf|.xlsx,
// statistics.pdf|.xlsx (payments.pdf|.xlsx is the support list of package finance).
func (s *Server) handleCourseReport(kind string) handler {
	return func(c *gin.Context) error {
		// The payment list (who is paid what) is the organizers'.
		course, err := s.courseParam(c, strings.HasPrefix(kind, "payments"))
		if err != nil {
			return err
		}
		iss, err := s.issuer(c, course.OrganizationID)
		if err != nil {
			return err
		}
		ctx := c.Request.Context()
		var r *attendance.Report
		switch kind {
		case "attendance.pdf":
			r, err = s.attend.MatrixPDF(ctx, iss, course.ID)
		case "attendance.xlsx":
			r, err = s.attend.MatrixXLSX(ctx, iss, course.ID)
		case "statistics.pdf", "statistics.xlsx":
			var st *attendance.Statistics
			if st, err = s.attend.Statistics(ctx, attendance.StatsFilter{CourseID: course.ID}); err == nil {
				if kind == "statistics.pdf" {
					r, err = s.attend.StatisticsPDF(ctx, iss, st)
				} else {
					r, err = s.attend.StatisticsXLSX(ctx, iss, st)
				}
			}
		default:
			return errNotFound
		}
		if err != nil {
			return err
		}
		return sendReport(c, r)
	}
}

// handleCourseStatistics: GET /api/v1/courses/{id}/reports/statistics — counts by gender,
// ethnicity, unit, locality, distinct persons and person-times.
func (s *Server) handleCourseStatistics(c *gin.Context) error {
	course, err := s.courseParam(c, false)
	if err != nil {
		return err
	}
	st, err := s.attend.Statistics(c.Request.Context(), attendance.StatsFilter{CourseID: course.ID})
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, st)
	return nil
}

// statsFilter reads organization_id, from and to. Others than administrators count their
// own organization's courses only; naming another organization is not found. An
// administrator without organization_id counts every organization.
func (s *Server) statsFilter(c *gin.Context, orgID string) (attendance.StatsFilter, error) {
	u := currentUser(c)
	f := attendance.StatsFilter{From: c.Query("from"), To: c.Query("to")}
	if orgID != "" {
		org, err := s.orgNamed(c, orgID, false)
		if err != nil {
			return f, err
		}
		f.OrganizationID = org.ID
	} else if !u.IsAdmin() {
		f.OrganizationID = u.OrganizationID
	}
	if v := c.Query("program_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return f, errNotFound
		}
		f.ProgramID = id
	}
	return f, nil
}

// orgStatistics computes the statistics across courses of the request's filter, and the
// issuer to print them for (the organization, or nothing for all).
func (s *Server) orgStatistics(c *gin.Context) (*attendance.Statistics, attendance.Issuer, error) {
	f, err := s.statsFilter(c, c.Query("organization_id"))
	if err != nil {
		return nil, attendance.Issuer{}, err
	}
	st, err := s.attend.Statistics(c.Request.Context(), f)
	if err != nil {
		return nil, attendance.Issuer{}, err
	}
	var iss attendance.Issuer
	if f.OrganizationID != 0 {
		if iss, err = s.issuer(c, f.OrganizationID); err != nil {
			return nil, iss, err
		}
	}
	return st, iss, nil
}

// handleOrgStatistics: GET /api/v1/reports/statistics?organization_id=&from=&to= — the
// statistics across the courses of an organization starting in a date range.
func (s *Server) handleOrgStatistics(c *gin.Context) error {
	st, _, err := s.orgStatistics(c)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, st)
	return nil
}

// handleOrgStatisticsReport: GET /api/v1/reports/statistics.pdf|.xlsx with the same query.
func (s *Server) handleOrgStatisticsReport(xlsx bool) handler {
	return func(c *gin.Context) error {
		st, iss, err := s.orgStatistics(c)
		if err != nil {
			return err
		}
		var r *attendance.Report
		if xlsx {
			r, err = s.attend.StatisticsXLSX(c.Request.Context(), iss, st)
		} else {
			r, err = s.attend.StatisticsPDF(c.Request.Context(), iss, st)
		}
		if err != nil {
			return err
		}
		return sendReport(c, r)
	}
}

// issuer is the organization printed in the header block of a report.
func (s *Server) issuer(c *gin.Context, orgID int64) (attendance.Issuer, error) {
	org, err := s.accounts.FindOrganizationByID(c.Request.Context(), orgID)
	if err != nil {
		return attendance.Issuer{}, err
	}
	return attendance.Issuer{ParentName: org.ParentName, Name: org.Name}, nil
}
