package server

import (
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"taphuan/courses"
)

// maxBulkNames is how many names a bulk flash lists before "…".
const maxBulkNames = 5

// handleRosterBulkForm: POST /staff/courses/{id}/registrations/bulk {action, reason,
// ids…, all, q, status, unit, back} — one action with one reason on the ticked rows or, with
// all=1, on every registration the roster's filter selects (every page, not only the one on
// screen). The outcome is flashed on the roster.
func (s *Server) handleRosterBulkForm(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	lang := langOf(c)
	back := backTo(c.PostForm("back"), course.ID)
	in := courses.BulkInput{CourseID: course.ID, Action: c.PostForm("action"), Reason: c.PostForm("reason"),
		All: c.PostForm("all") == "1", UserID: currentUser(c).ID}
	if in.All {
		statuses, err := statusList(c.PostFormArray("status"))
		if err != nil {
			return err
		}
		in.Filter = courses.RegistrationFilter{Statuses: statuses, Query: c.PostForm("q"), Unit: c.PostForm("unit")}
	} else {
		for _, v := range c.PostFormArray("ids") {
			id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			if err == nil && id > 0 && len(in.IDs) <= courses.MaxBulk {
				in.IDs = append(in.IDs, id)
			}
		}
	}
	res, err := s.courses.Bulk(c.Request.Context(), in)
	if err != nil {
		msg, ok := s.refusal(c, err)
		if !ok {
			return err
		}
		s.flash(c, "bulk.flash.refused", msg)
		return redirect(c, back)
	}
	msg := s.tr(lang, "bulk.flash.done", s.tr(lang, "bulk.action."+res.Action), len(res.Changed))
	var parts []string
	for _, to := range []string{courses.RegConfirmed, courses.RegWaitlisted, courses.RegRejected, courses.RegCancelled} {
		if n := res.Count(to); n > 0 {
			parts = append(parts, s.tr(lang, "bulk.flash.count", n, s.tr(lang, "reg.status."+to)))
		}
	}
	if len(parts) > 0 {
		msg += " (" + strings.Join(parts, ", ") + ")."
	}
	if n := len(res.Skipped); n > 0 {
		msg += " " + s.tr(lang, "bulk.flash.skipped", n, bulkNames(res.Skipped))
	}
	if n := len(res.Promoted); n > 0 {
		msg += " " + s.tr(lang, "bulk.flash.promoted", n, bulkNames(res.Promoted))
	}
	s.flash(c, "reg.flash.text", msg)
	return redirect(c, back)
}

// bulkNames lists the first names of items, then "…".
func bulkNames(items []courses.BulkItem) string {
	var names []string
	for i, it := range items {
		if i == maxBulkNames {
			names = append(names, "…")
			break
		}
		names = append(names, it.FullName)
	}
	return strings.Join(names, ", ")
}
