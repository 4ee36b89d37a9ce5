package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"taphuan/attendance"
	"taphuan/courses"
	"taphuan/errs"
	"taphuan/vn"
)

// sessionLabel names a session in the page's language: "Sáng, 04/12/2023 (07:30–11:30)".
func (s *Server) sessionLabel(lang string, sess *courses.Session) string {
	start, end := sess.StartsAt.In(vn.Location), sess.EndsAt.In(vn.Location)
	return s.tr(lang, "attendance.part."+partOfDay(start)) + ", " + vn.FormatDate(start) + " (" + start.Format("15:04") + "–" + end.Format("15:04") + ")"
}

// partOfDay is morning before noon, afternoon until six, evening after.
func partOfDay(t time.Time) string {
	switch {
	case t.Hour() >= 18:
		return "evening"
	case t.Hour() >= 12:
		return "afternoon"
	}
	return "morning"
}

// sessionLink is a session of the course in the pages' session lists.
type sessionLink struct {
	ID      int64
	Label   string
	Short   string // "16/11 Chiều", for matrix column heads
	Module  string
	Current bool
	Locked  bool
}

func (s *Server) sessionLinks(c *gin.Context, courseID, current int64) ([]sessionLink, error) {
	sessions, err := s.courses.ListSessions(c.Request.Context(), courseID)
	if err != nil {
		return nil, err
	}
	out := make([]sessionLink, len(sessions))
	for i := range sessions {
		start := sessions[i].StartsAt.In(vn.Location)
		out[i] = sessionLink{ID: sessions[i].ID, Label: s.sessionLabel(langOf(c), &sessions[i]),
			Short:  start.Format("02/01") + " " + s.tr(langOf(c), "attendance.part."+partOfDay(start)),
			Module: sessions[i].ModuleTitle, Current: sessions[i].ID == current, Locked: lockedFor(c, &sessions[i])}
	}
	return out, nil
}

// checkinRow is one trainee on the check-in and tick-back pages. Search is the folded
// text the page filters on (name, unit, phone, ticket code), so typing without
// diacritics finds "Đặng Văn Đức".
type checkinRow struct {
	N                                  int
	ID                                 int64
	Name, Unit, Position, Code, Search string
	Mark                               string
}

// checkinData is what the check-in, tick-back and self check-in pages show.
type checkinData struct {
	Course       *courses.Course
	Session      *courses.Session
	SessionLabel string
	Sessions     []sessionLink
	Rows         []checkinRow
	Counts       attendance.Counts
	ByStatus     map[string]int
	Locked       bool // for the signed-in user
	LockedAt     time.Time
	Statuses     []string
	Buttons      []markButton // the four mark buttons of a row, translated once per page
	NotSaved     string
	Camera       bool
}

// markButton is one status of a roster row: its short label (buttons, tick columns) and its
// full name (for screen readers).
type markButton struct{ Status, Label, Long string }

func (s *Server) checkinData(c *gin.Context) (*checkinData, error) {
	sess, course, err := s.sessionParam(c, false)
	if err != nil {
		return nil, err
	}
	ro, err := s.attend.SessionRoster(c.Request.Context(), sess.ID)
	if err != nil {
		return nil, err
	}
	links, err := s.sessionLinks(c, course.ID, sess.ID)
	if err != nil {
		return nil, err
	}
	d := &checkinData{Course: course, Session: sess, SessionLabel: s.sessionLabel(langOf(c), sess), Sessions: links,
		Rows: make([]checkinRow, len(ro.Entries)), Counts: attendance.Counts{Attended: ro.Attended, Expected: ro.Expected},
		ByStatus: ro.Counts, Locked: lockedFor(c, sess), LockedAt: ro.LockedAt, Statuses: attendance.Statuses(),
		NotSaved: s.tr(langOf(c), "attendance.checkin.not_saved")}
	// A roster of 2,000 rows has 8,000 buttons: their labels are looked up once, not per row.
	for _, st := range attendance.Statuses() {
		d.Buttons = append(d.Buttons, markButton{Status: st, Label: s.tr(langOf(c), "attendance.short."+st),
			Long: s.tr(langOf(c), "attendance.status."+st)})
	}
	for i, e := range ro.Entries {
		d.Rows[i] = checkinRow{N: i + 1, ID: e.ID, Name: e.FullName, Unit: e.Organization, Position: e.Position,
			Code: e.Code, Mark: e.Mark,
			Search: vn.Fold(strings.Join([]string{e.FullName, e.Organization, e.Phone, e.Code}, " "))}
	}
	return d, nil
}

// handleCheckinPage: GET /staff/sessions/{id}/checkin — the roster at the door.
func (s *Server) handleCheckinPage(c *gin.Context) error {
	d, err := s.checkinData(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "checkin", view{Section: "courses", Tab: "attendance",
		Title: s.tr(langOf(c), "attendance.checkin.title") + " · " + d.SessionLabel, Data: d})
}

// handleTickbackPage: GET /staff/sessions/{id}/tickback — the sign-in sheet's rows in the
// same order, to copy the signed paper into marks.
func (s *Server) handleTickbackPage(c *gin.Context) error {
	d, err := s.checkinData(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "checkin_tickback", view{Section: "courses", Tab: "attendance",
		Title: s.tr(langOf(c), "attendance.tickback.title") + " · " + d.SessionLabel, Data: d})
}

// handleTickbackSave: POST /staff/sessions/{id}/tickback — one post for the whole sheet:
// fields m{registration id} = status; rows left blank keep their mark. Logged as paper.
func (s *Server) handleTickbackSave(c *gin.Context) error {
	sess, _, err := s.sessionParam(c, false)
	if err != nil {
		return err
	}
	if err := c.Request.ParseForm(); err != nil {
		return errBadJSON.Wrap(err)
	}
	marks := map[int64]string{}
	for k, v := range c.Request.PostForm {
		id, err := strconv.ParseInt(strings.TrimPrefix(k, "m"), 10, 64)
		if !strings.HasPrefix(k, "m") || err != nil || len(v) == 0 || v[0] == "" {
			continue
		}
		marks[id] = v[0]
	}
	changed, err := s.attend.SetMarks(c.Request.Context(), sess.ID, currentUser(c).ID, attendance.SourcePaper, marks)
	if err != nil {
		return err
	}
	s.flash(c, "attendance.tickback.saved", changed)
	return redirect(c, "/staff/courses/"+strconv.FormatInt(sess.CourseID, 10)+"/attendance")
}

// logData is the edit log page.
type logData struct {
	Course       *courses.Course
	Session      *courses.Session
	SessionLabel string
	Items        []attendance.LogEntry
	Pager        Pager
}

// handleSessionLogPage: GET /staff/sessions/{id}/log — who changed which mark when.
func (s *Server) handleSessionLogPage(c *gin.Context) error {
	sess, course, err := s.sessionParam(c, false)
	if err != nil {
		return err
	}
	items, p, err := pageOf(c, 50, func(limit, offset int) ([]attendance.LogEntry, int, error) {
		return s.attend.ListLog(c.Request.Context(), attendance.LogFilter{SessionID: sess.ID, Limit: limit, Offset: offset})
	})
	if err != nil {
		return err
	}
	label := s.sessionLabel(langOf(c), sess)
	return s.render(c, http.StatusOK, "attendance_log", view{Section: "courses", Tab: "attendance",
		Title: s.tr(langOf(c), "attendance.log.title") + " · " + label,
		Data:  logData{Course: course, Session: sess, SessionLabel: label, Items: items, Pager: p}})
}

// handleCheckinForm: POST /staff/sessions/{id}/checkin — the scan box without JavaScript:
// checks the code in and says how it went on the page it came from.
func (s *Server) handleCheckinForm(c *gin.Context) error {
	sess, _, err := s.sessionParam(c, false)
	if err != nil {
		return err
	}
	back := "/staff/sessions/" + strconv.FormatInt(sess.ID, 10) + "/checkin"
	res, err := s.attend.CheckIn(c.Request.Context(), attendance.CheckInInput{SessionID: sess.ID, Code: c.PostForm("code"),
		UserID: currentUser(c).ID, Source: attendance.SourceScan})
	var e *errs.Error
	if nc, ok := errors.AsType[*attendance.NotConfirmedError](err); ok {
		// Not a dead end: the door page names the person and offers to admit them.
		return redirect(c, doorLink(sess.ID, nc.RegistrationID))
	}
	switch {
	case err == nil:
		s.flash(c, "attendance.checkin.flash_ok", res.FullName, s.tr(langOf(c), "attendance.status."+res.Status))
	case errors.As(err, &e) && e.Code != errs.Internal:
		s.flash(c, e.Msg.Key, e.Msg.Args...)
	default:
		return err
	}
	return redirect(c, back)
}
