package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"taphuan/courses"
	"taphuan/errs"
)

const rosterPerPage = 50

// rosterData is the organizer's roster of a course.
type rosterData struct {
	Course      *courses.Course
	Items       []courses.Registration
	Pager       Pager
	Offset      int // of the page, for the row numbers
	Q           string
	Status      string
	Unit        string
	Statuses    []string
	Actions     []string // the bulk actions
	Counts      map[string]int
	Units       []courses.UnitFill
	HasQuotas   bool
	CanManage   bool
	Back        string          // this page, for the action forms to come back to
	ExportQuery string          // the filters, for the download links
	Bursts      []courses.Burst // many public registrations from one address (organizers)
	Print       bool            // ?print=1: every matching trainee on one page, printed at once
}

// rosterPrintMax bounds the printed roster (a course has a few hundred trainees).
const rosterPrintMax = 5000

// handleRosterPage: GET /staff/courses/{id}/registrations?q=&status=&unit=&page= — the
// roster in Vietnamese order, searched without diacritics, with the actions, the unit
// quotas and the downloads.
func (s *Server) handleRosterPage(c *gin.Context) error {
	course, err := s.courseParam(c, false)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	d := rosterData{Course: course, Q: strings.TrimSpace(c.Query("q")), Status: c.Query("status"),
		Unit: c.Query("unit"), Statuses: registrationStatuses, Actions: courses.BulkActions(),
		CanManage: currentUser(c).CanManage(course.OrganizationID), Back: c.Request.URL.RequestURI()}
	f := courses.RegistrationFilter{CourseID: course.ID, Query: d.Q}
	switch id, err := strconv.ParseInt(d.Unit, 10, 64); {
	case d.Unit == "none":
		f.UnitID = -1
	case err == nil && id > 0:
		f.UnitID = id
	default:
		d.Unit = ""
	}
	if d.Status != "" {
		statuses, err := statusFilter(c)
		if err != nil {
			return err
		}
		f.Statuses = statuses
		// The waiting list is read in its order: who is next.
		f.ByPosition = len(statuses) == 1 && statuses[0] == courses.RegWaitlisted
	}
	perPage := rosterPerPage
	if d.Print = c.Query("print") == "1"; d.Print {
		perPage = rosterPrintMax
	}
	items, pager, err := pageOf(c, perPage, func(limit, offset int) ([]courses.Registration, int, error) {
		f.Limit, f.Offset = limit, offset
		return s.courses.ListRegistrations(ctx, f)
	})
	if err != nil {
		return err
	}
	d.Items, d.Pager, d.Offset = items, pager, pager.Offset()
	if d.Counts, err = s.courses.CountByStatus(ctx, course.ID); err != nil {
		return err
	}
	if d.Units, err = s.courses.QuotaFill(ctx, course.ID); err != nil {
		return err
	}
	for _, u := range d.Units {
		d.HasQuotas = d.HasQuotas || u.Seats != nil
	}
	if d.CanManage {
		if d.Bursts, err = s.courses.RegistrationBursts(ctx, course.ID); err != nil {
			return err
		}
	}
	q := url.Values{}
	for k, v := range map[string]string{"q": d.Q, "status": d.Status, "unit": d.Unit} {
		if v != "" {
			q.Set(k, v)
		}
	}
	d.ExportQuery = q.Encode()
	return s.render(c, http.StatusOK, "roster", view{Section: "courses", Tab: "registrations",
		Title: s.tr(langOf(c), "reg.roster.title") + " · " + course.Title, Data: d})
}

// backTo returns the roster address the action form came from, or the course's roster:
// only a path of this site's roster is followed (no open redirect).
func backTo(back string, courseID int64) string {
	roster := "/staff/courses/" + strconv.FormatInt(courseID, 10) + "/registrations"
	if strings.HasPrefix(back, roster) && !strings.Contains(back, "//") {
		return back
	}
	return roster
}

// refusal is the message of an action refused for a reason the user can act on (not a
// server fault), for a flash.
func (s *Server) refusal(c *gin.Context, err error) (string, bool) {
	var e *errs.Error
	if !errors.As(err, &e) || statusOf(e.Code) >= 500 {
		return "", false
	}
	return s.errText(c, err), true
}

// handleRosterAction: POST /staff/registrations/{id}/status {to, reason, back} — approve,
// reject, cancel or move one registration; the result (and who was promoted) is flashed.
func (s *Server) handleRosterAction(c *gin.Context) error {
	reg, course, err := s.registrationFor(c, true)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	lang := langOf(c)
	uid := currentUser(c).ID
	to, reason := c.PostForm("to"), c.PostForm("reason")
	back := backTo(c.PostForm("back"), course.ID)
	var got *courses.Registration
	var promoted []courses.Registration
	// The staff pages ask a reason for every change but an approval (the API does not).
	switch {
	case to == "approve":
		got, err = s.courses.Approve(ctx, reg.ID, uid)
	case to == courses.RegRejected:
		got, err = s.courses.Reject(ctx, courses.RejectInput{ID: reg.ID, Reason: reason, UserID: uid, ReasonRequired: true})
	case to == courses.RegCancelled:
		var p *courses.Registration
		got, p, err = s.courses.Cancel(ctx, courses.CancelInput{ID: reg.ID, Reason: reason, UserID: uid, ReasonRequired: true})
		if p != nil {
			promoted = append(promoted, *p)
		}
	case to == courses.RegConfirmed || to == courses.RegWaitlisted:
		got, promoted, err = s.courses.Move(ctx, courses.MoveInput{ID: reg.ID, To: to, Reason: reason, UserID: uid, ReasonRequired: true})
	default:
		err = errs.Fields{"to": {Key: "reg.err.move_to"}}.Err()
	}
	if err != nil {
		msg, ok := s.refusal(c, err)
		if !ok {
			return err
		}
		s.flash(c, "reg.flash.refused", reg.FullName, msg)
		return redirect(c, back)
	}
	msg := s.tr(lang, "reg.flash.moved", got.FullName, s.tr(lang, "reg.status."+got.Status))
	for _, p := range promoted {
		msg += " " + s.tr(lang, "reg.flash.promoted", p.FullName)
	}
	s.flash(c, "reg.flash.text", msg)
	return redirect(c, back)
}
