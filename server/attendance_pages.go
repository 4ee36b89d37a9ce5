package server

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"taphuan/attendance"
	"taphuan/courses"
	"taphuan/finance"
	"taphuan/vn"
)

// matrixCell is one mark of the matrix page.
type matrixCell struct {
	Status string
	Self   bool // marked by the trainee's own self check-in: for the organizers to review
}

type matrixRow struct {
	N       int
	Name    string
	Unit    string
	Cells   []matrixCell
	Percent string // "75%", "66,7%"
	Below   bool   // under the course's minimum attendance
}

// attendanceData is the course's attendance page: its sessions with their actions, and
// the matrix a page at a time.
type attendanceData struct {
	Course   *courses.Course
	Sessions []sessionLink
	Counts   map[int64]int // attended per session
	Rows     []matrixRow
	Query    string
	Total    int // trainees in the course
	Pager    Pager
	Statuses []string
}

// handleAttendancePage: GET /staff/courses/{id}/attendance?q=&page= — the matrix.
func (s *Server) handleAttendancePage(c *gin.Context) error {
	course, err := s.courseParam(c, false)
	if err != nil {
		return err
	}
	mx, err := s.attend.Matrix(c.Request.Context(), course.ID)
	if err != nil {
		return err
	}
	links, err := s.sessionLinks(c, course.ID, 0)
	if err != nil {
		return err
	}
	d := attendanceData{Course: course, Sessions: links, Counts: mx.AttendedCount(), Total: len(mx.Rows),
		Query: strings.TrimSpace(c.Query("q")), Statuses: attendance.Statuses()}
	q := vn.Fold(d.Query)
	var rows []matrixRow
	for i, r := range mx.Rows {
		if q != "" && !strings.Contains(vn.Fold(r.Registration.FullName+" "+r.Registration.Organization), q) {
			continue
		}
		row := matrixRow{N: i + 1, Name: r.Registration.FullName, Unit: r.Registration.Organization,
			Percent: attendance.PercentText(r.Percent),
			Below:   len(mx.Sessions) > 0 && r.Percent < float64(course.MinAttendancePercent)}
		for _, sess := range mx.Sessions {
			row.Cells = append(row.Cells, matrixCell{Status: r.Marks[sess.ID], Self: r.Self[sess.ID]})
		}
		rows = append(rows, row)
	}
	d.Pager = newPager(c, len(rows), 100)
	d.Rows = rows[min(d.Pager.Offset(), len(rows)):min(d.Pager.Offset()+d.Pager.PerPage, len(rows))]
	return s.render(c, http.StatusOK, "attendance", view{Section: "courses", Tab: "attendance",
		Title: s.tr(langOf(c), "attendance.matrix.title") + " · " + course.Title, Data: d})
}

// reportsData is the course's reports page.
type reportsData struct {
	Course    *courses.Course
	Sessions  []sessionLink
	Stats     *attendance.Statistics
	Support   *finance.Support // the payments list is the support list of package finance
	CanManage bool             // payments are shown to organizers only
}

// handleReportsPage: GET /staff/courses/{id}/reports — every report to download, and the
// numbers at a glance.
func (s *Server) handleReportsPage(c *gin.Context) error {
	course, err := s.courseParam(c, false)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	links, err := s.sessionLinks(c, course.ID, 0)
	if err != nil {
		return err
	}
	st, err := s.attend.Statistics(ctx, attendance.StatsFilter{CourseID: course.ID})
	if err != nil {
		return err
	}
	sp, err := s.finance.Support(ctx, course.ID)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "report", view{Section: "courses", Tab: "reports",
		Title: s.tr(langOf(c), "attendance.reports.title") + " · " + course.Title,
		Data: reportsData{Course: course, Sessions: links, Stats: st, Support: sp,
			CanManage: currentUser(c).CanManage(course.OrganizationID)}})
}
