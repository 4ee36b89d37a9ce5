package server

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"taphuan/accounts"
	"taphuan/courses"
	"taphuan/vn"
)

type tile struct{ Title, Text, URL string }

type dashboardData struct {
	Organization *accounts.Organization
	Tiles        []tile
	Upcoming     []courses.Course // the user's courses that are planned, open or running, soonest first
	CanCreate    bool
	Today        []todayRow // today's sessions of the user's courses, the running ones marked
}

// todayRow is a session of today on the home page, one tap from its check-in.
type todayRow struct {
	*courses.DaySession
	Running, Over bool
}

func (s *Server) handleDashboard(c *gin.Context) error {
	ctx := c.Request.Context()
	u := currentUser(c)
	if u.IsUnit() {
		return redirect(c, "/unit") // a focal point's home is its unit's page
	}
	lang := langOf(c)
	d := dashboardData{CanCreate: canCreateCourses(u, 0)}
	if u.OrganizationID != 0 {
		org, err := s.accounts.FindOrganizationByID(ctx, u.OrganizationID)
		if err != nil {
			return err
		}
		d.Organization = org
	}
	now := time.Now().In(vn.Location)
	dayStart := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, vn.Location)
	todays, err := s.courses.SessionsBetween(ctx, courseScope(u), dayStart, dayStart.AddDate(0, 0, 1))
	if err != nil {
		return err
	}
	for i := range todays {
		ss := &todays[i]
		d.Today = append(d.Today, todayRow{DaySession: ss, Running: ss.RunningAt(now), Over: !now.Before(ss.EndsAt.Time)})
	}
	f := courseScope(u)
	f.Statuses = []string{courses.StatusDraft, courses.StatusOpen, courses.StatusClosed}
	f.From, f.Ascending, f.Limit = today(), true, 8
	upcoming, _, err := s.courses.ListCourses(ctx, f)
	if err != nil {
		return err
	}
	d.Upcoming = upcoming
	if u.IsAdmin() {
		d.Tiles = append(d.Tiles,
			tile{Title: s.tr(lang, "dashboard.orgs_tile"), Text: s.tr(lang, "dashboard.orgs_text"), URL: "/admin/organizations"},
			tile{Title: s.tr(lang, "courses.programs.title"), Text: s.tr(lang, "courses.programs.tile"), URL: "/admin/programs"})
	}
	return s.render(c, http.StatusOK, "dashboard", view{Section: "dashboard", Title: s.tr(lang, "dashboard.title"), Data: d})
}
