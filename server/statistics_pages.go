package server

import (
	"encoding/base64"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"taphuan/accounts"
	"taphuan/attendance"
	"taphuan/vn"
)

// statisticsData is the statistics page across courses.
type statisticsData struct {
	Organizations []accounts.Organization // administrators choose; others see their own
	OrgID         int64
	From, To      string
	Programs      []programOption
	ProgramID     int64
	Periods       []periodLink
	Stats         *attendance.Statistics
	Charts        []chartView
	Query         string // the filter, for the download links
}

// programOption is a node of the program tree in the filter, indented by its depth.
type programOption struct {
	ID    int64
	Label string
}

// periodLink is a quick choice of period (this year, last year, this quarter).
type periodLink struct {
	Label, URL string
}

// chartView is a chart on the page: an SVG drawn by the server, as an image.
type chartView struct {
	Kind, Title string
	Src         template.URL
	Empty       bool
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
	d.ProgramID = f.ProgramID
	if f.ProgramID != 0 {
		q.Set("program_id", strconv.FormatInt(f.ProgramID, 10))
	}
	d.Query = q.Encode()
	programs, err := s.courses.ListPrograms(c.Request.Context())
	if err != nil {
		return err
	}
	for _, p := range programs {
		d.Programs = append(d.Programs, programOption{ID: p.ID, Label: strings.Repeat("— ", p.Depth) + p.Name})
	}
	d.Periods = s.periodLinks(c, f)
	st, err := s.attend.Statistics(c.Request.Context(), f)
	if fe := s.fieldErrors(c, err); fe != nil {
		return s.render(c, http.StatusUnprocessableEntity, "statistics", view{Section: "statistics",
			Title: s.tr(lang, "attendance.stats.title"), Errors: fe, Data: d})
	}
	if err != nil {
		return err
	}
	d.Stats = st
	if d.Charts, err = s.chartViews(lang, st); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "statistics", view{Section: "statistics", Title: s.tr(lang, "attendance.stats.title"), Data: d})
}

// chartViews renders the statistics' charts as SVG images, their few words translated.
func (s *Server) chartViews(lang string, st *attendance.Statistics) ([]chartView, error) {
	labels := map[string]string{}
	for _, k := range []string{"attended", "expected", "registrations"} {
		labels[k] = s.tr(lang, "stats13.chart."+k)
	}
	for _, k := range []string{"Nam", "Nữ", attendance.EthnicKinh, attendance.EthnicMinority, attendance.EthnicUnknown, ""} {
		labels["group:"+k] = s.tr(lang, "stats13.group."+k)
	}
	list, err := st.Charts(true, labels)
	if err != nil {
		return nil, err
	}
	out := make([]chartView, 0, len(list))
	for _, ch := range list {
		v := chartView{Kind: ch.Kind, Title: s.tr(lang, "stats13.chart_title."+ch.Kind), Empty: ch.Empty}
		if !ch.Empty {
			// A data: image (the CSP allows data: for img): the page needs no second request.
			v.Src = template.URL("data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString(ch.Data))
		}
		out = append(out, v)
	}
	return out, nil
}

// periodLinks are the quick periods: this year, last year, this quarter, with the other
// filters kept.
func (s *Server) periodLinks(c *gin.Context, f attendance.StatsFilter) []periodLink {
	now := time.Now().In(vn.Location)
	y := now.Year()
	qStart := time.Date(y, time.Month((int(now.Month())-1)/3*3+1), 1, 0, 0, 0, 0, vn.Location)
	qEnd := qStart.AddDate(0, 3, -1)
	link := func(label string, from, to time.Time) periodLink {
		q := url.Values{"from": {from.Format("2006-01-02")}, "to": {to.Format("2006-01-02")}}
		if f.OrganizationID != 0 && c.Query("organization_id") != "" {
			q.Set("organization_id", strconv.FormatInt(f.OrganizationID, 10))
		}
		if f.ProgramID != 0 {
			q.Set("program_id", strconv.FormatInt(f.ProgramID, 10))
		}
		return periodLink{Label: label, URL: "/staff/statistics?" + q.Encode()}
	}
	lang := langOf(c)
	return []periodLink{
		link(s.tr(lang, "stats13.period.year", y), time.Date(y, 1, 1, 0, 0, 0, 0, vn.Location), time.Date(y, 12, 31, 0, 0, 0, 0, vn.Location)),
		link(s.tr(lang, "stats13.period.year", y-1), time.Date(y-1, 1, 1, 0, 0, 0, 0, vn.Location), time.Date(y-1, 12, 31, 0, 0, 0, 0, vn.Location)),
		link(s.tr(lang, "stats13.period.quarter", (int(now.Month())-1)/3+1, y), qStart, qEnd),
	}
}
