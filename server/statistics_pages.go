package server

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"taphuan/accounts"
	"taphuan/attendance"
)

// statisticsData is the statistics page across courses.
type statisticsData struct {
	Organizations []accounts.Organization // administrators choose; others see their own
	OrgID         int64
	From, To      string
	Stats         *attendance.Statistics
	Query         string // the filter, for the download links
}

// handleStatisticsPage: GET /staff/statistics?organization_id=&from=&to= — the numbers for
// program reporting across the courses of an organization starting in a date range (both
// dates optional), with the PDF and XLSX to download.
func (s *Server) handleStatisticsPage(c *gin.Context) error {
	u := currentUser(c)
	lang := langOf(c)
	d := statisticsData{From: c.Query("from"), To: c.Query("to")}
	if u.IsAdmin() {
		orgs, err := s.accounts.ListOrganizations(c.Request.Context())
		if err != nil {
			return err
		}
		d.Organizations = orgs
	}
	f, err := s.statsFilter(c, c.Query("organization_id"))
	if err != nil {
		return err
	}
	d.OrgID = f.OrganizationID
	// Date inputs take YYYY-MM-DD; a typed dd/mm/yyyy comes back in that form.
	f.Normalize()
	d.From, d.To = f.From, f.To
	q := url.Values{}
	if f.OrganizationID != 0 {
		q.Set("organization_id", strconv.FormatInt(f.OrganizationID, 10))
	}
	for k, v := range map[string]string{"from": d.From, "to": d.To} {
		if v != "" {
			q.Set(k, v)
		}
	}
	d.Query = q.Encode()
	st, err := s.attend.Statistics(c.Request.Context(), f)
	if fe := s.fieldErrors(c, err); fe != nil {
		return s.render(c, http.StatusUnprocessableEntity, "statistics", view{Section: "statistics",
			Title: s.tr(lang, "attendance.stats.title"), Errors: fe, Data: d})
	}
	if err != nil {
		return err
	}
	d.Stats = st
	return s.render(c, http.StatusOK, "statistics", view{Section: "statistics", Title: s.tr(lang, "attendance.stats.title"), Data: d})
}
