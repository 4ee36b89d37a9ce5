package server

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"taphuan/attendance"
	"taphuan/errs"
)

// markResponse answers a mark: the mark now, the one before, and the session's live count.
type markResponse struct {
	SessionID      int64  `json:"session_id"`
	RegistrationID int64  `json:"registration_id"`
	Status         string `json:"status"`
	Previous       string `json:"previous"`
	attendance.Counts
}

// handleMarkSet: PUT /api/v1/sessions/{id}/attendance {registration_id, status, source?}.
// source is tap, scan, paper or api (the default); self check-in has its own page.
func (s *Server) handleMarkSet(c *gin.Context) error {
	sess, _, err := s.sessionParam(c, false)
	if err != nil {
		return err
	}
	var in attendance.MarkInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	in.SessionID, in.UserID = sess.ID, currentUser(c).ID
	in.Normalize()
	if in.Source == attendance.SourceSelf || in.Source == attendance.SourceDemo {
		f := errs.Fields{}
		f.Add("source", "attendance.err.source")
		return f.Err()
	}
	prev, err := s.attend.SetMark(c.Request.Context(), in)
	if err != nil {
		return err
	}
	counts, err := s.attend.SessionCounts(c.Request.Context(), sess.ID)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, markResponse{SessionID: sess.ID, RegistrationID: in.RegistrationID, Status: in.Status,
		Previous: prev, Counts: counts})
	return nil
}

// checkinResponse is API.md's {registration_id, full_name, status} and the live count.
type checkinResponse struct {
	*attendance.CheckInResult
	attendance.Counts
}

// handleCheckIn: POST /api/v1/sessions/{id}/checkin {code} — a ticket code (or the ticket's
// address, or a phone number). 404 for an unknown code, 409 for a ticket of another course
// or a place that is not confirmed.
func (s *Server) handleCheckIn(c *gin.Context) error {
	sess, _, err := s.sessionParam(c, false)
	if err != nil {
		return err
	}
	var in attendance.CheckInInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	in.SessionID, in.UserID, in.Source = sess.ID, currentUser(c).ID, attendance.SourceScan
	res, err := s.attend.CheckIn(c.Request.Context(), in)
	if nc, ok := errors.AsType[*attendance.NotConfirmedError](err); ok {
		return s.notConfirmed(c, sess.ID, nc)
	}
	if err != nil {
		return err
	}
	counts, err := s.attend.SessionCounts(c.Request.Context(), sess.ID)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, checkinResponse{CheckInResult: res, Counts: counts})
	return nil
}

// handleSessionRoster: GET /api/v1/sessions/{id}/attendance — the session's confirmed
// trainees in Vietnamese order with their marks and the counts (the check-in page refreshes
// from it).
func (s *Server) handleSessionRoster(c *gin.Context) error {
	sess, _, err := s.sessionParam(c, false)
	if err != nil {
		return err
	}
	ro, err := s.attend.SessionRoster(c.Request.Context(), sess.ID)
	if err != nil {
		return err
	}
	type item struct {
		RegistrationID int64  `json:"registration_id"`
		FullName       string `json:"full_name"`
		Organization   string `json:"organization"`
		Position       string `json:"position"`
		Code           string `json:"code"`
		Status         string `json:"status"`
	}
	items := make([]item, len(ro.Entries))
	for i, e := range ro.Entries {
		items[i] = item{e.ID, e.FullName, e.Organization, e.Position, e.Code, e.Mark}
	}
	c.JSON(http.StatusOK, gin.H{"session": ro.Session, "items": items, "total": len(items), "expected": ro.Expected,
		"attended": ro.Attended, "counts": ro.Counts, "locked_at": ro.LockedAt, "locked": lockedFor(c, sess)})
	return nil
}

// handleCourseAttendance: GET /api/v1/courses/{id}/attendance — the matrix of API.md.
func (s *Server) handleCourseAttendance(c *gin.Context) error {
	course, err := s.courseParam(c, false)
	if err != nil {
		return err
	}
	mx, err := s.attend.Matrix(c.Request.Context(), course.ID)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"sessions": mx.Sessions, "items": mx.Rows, "total": len(mx.Rows)})
	return nil
}

// handleSessionLog: GET /api/v1/sessions/{id}/attendance/log — the edit log, newest first.
func (s *Server) handleSessionLog(c *gin.Context) error {
	sess, _, err := s.sessionParam(c, false)
	if err != nil {
		return err
	}
	limit, offset := listParams(c)
	items, total, err := s.attend.ListLog(c.Request.Context(), attendance.LogFilter{SessionID: sess.ID, Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	return list(c, items, total)
}

// handleCourseLog: GET /api/v1/courses/{id}/attendance/log — the edit log of every session.
func (s *Server) handleCourseLog(c *gin.Context) error {
	course, err := s.courseParam(c, false)
	if err != nil {
		return err
	}
	limit, offset := listParams(c)
	items, total, err := s.attend.ListLog(c.Request.Context(), attendance.LogFilter{CourseID: course.ID, Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	return list(c, items, total)
}
