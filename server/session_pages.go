package server

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"taphuan/courses"
	"taphuan/database"
	"taphuan/errs"
	"taphuan/vn"
)

// sessionForm is the session form as typed: a day, two clock times in Vietnam time.
type sessionForm struct {
	Date, Start, End, Room, ModuleID string
	Mandatory                        bool
}

func readSessionForm(c *gin.Context, prefix string) sessionForm {
	return sessionForm{Date: c.PostForm(prefix + "date"), Start: c.PostForm(prefix + "start"),
		End: c.PostForm(prefix + "end"), Room: c.PostForm(prefix + "room"), ModuleID: c.PostForm(prefix + "module_id"),
		Mandatory: c.PostForm(prefix+"mandatory") != ""}
}

func formOfSession(ss *courses.Session) sessionForm {
	f := sessionForm{Date: ss.StartsAt.In(vn.Location).Format("2006-01-02"), Start: hhmm(ss.StartsAt.Time),
		End: hhmm(ss.EndsAt.Time), Room: ss.Room, Mandatory: ss.Mandatory}
	if ss.ModuleID.Valid {
		f.ModuleID = itoa64(ss.ModuleID.Int64)
	}
	return f
}

func hhmm(t time.Time) string { return t.In(vn.Location).Format("15:04") }

// input converts the form: the day and times become instants in Vietnam time.
func (fm sessionForm) input() (courses.SessionInput, errs.Fields) {
	f := errs.Fields{}
	in := courses.SessionInput{Room: fm.Room, Mandatory: fm.Mandatory}
	in.ModuleID = formInt(fm.ModuleID, "module_id", f)
	day, err := vn.ParseDate(fm.Date)
	if strings.TrimSpace(fm.Date) == "" {
		f.Add("date", "err.required")
	} else if err != nil {
		f.Add("date", "courses.err.date")
	}
	at := func(clock, field string) database.Time {
		clock = strings.TrimSpace(clock)
		if clock == "" {
			f.Add(field, "err.required")
			return database.Time{}
		}
		t, err := time.Parse("15:04", clock)
		if err != nil {
			f.Add(field, "courses.err.time")
			return database.Time{}
		}
		if day.IsZero() {
			return database.Time{}
		}
		return database.Time{Time: time.Date(day.Year(), day.Month(), day.Day(), t.Hour(), t.Minute(), 0, 0, vn.Location)}
	}
	in.StartsAt = at(fm.Start, "start")
	in.EndsAt = at(fm.End, "end")
	return in, f
}

// sessionFields names the fields of a refused session as the form's inputs: starts_at is
// the start time, or the day when the day is outside the course; ends_at the end time.
func sessionFields(err error) error {
	e, ok := asInvalid(err)
	if !ok || len(e.Fields) == 0 {
		return err
	}
	f := errs.Fields{}
	for k, m := range e.Fields {
		name := map[string]string{"starts_at": "start", "ends_at": "end"}[k]
		if k == "starts_at" && m.Key == "courses.err.session_outside" {
			name = "date"
		}
		if name == "" {
			name = k
		}
		f[name] = m
	}
	return &errs.Error{Code: errs.Invalid, Msg: e.Msg, Fields: f}
}

// handleSessionCreateForm: POST /staff/courses/{id}/sessions (fields session_*). A clash
// comes back on the form, naming the session that holds the room or the lecturer.
func (s *Server) handleSessionCreateForm(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	form := readSessionForm(c, "session_")
	in, f := form.input()
	if err = f.Err(); err == nil {
		if _, err = s.courses.CreateSession(c.Request.Context(), course.ID, in); err == nil {
			s.flash(c, "courses.flash.session_added")
			return redirect(c, "/staff/courses/"+itoa64(course.ID)+"#sessions")
		}
	}
	return s.formFailed(c, sessionFields(err), func(status int, fe map[string]string) error {
		d, derr := s.courseDetail(c, course)
		if derr != nil {
			return derr
		}
		d.SessionForm, d.Open = form, "session"
		return s.renderCourseDetail(c, status, d, panelErrors("session_", s.clashFields(c, err, fe)))
	})
}

type sessionEditData struct {
	Course        *courses.Course
	Session       *courses.Session
	Modules       []courses.Module
	ModuleOptions []option
	Form          sessionForm
}

func (s *Server) renderSessionEdit(c *gin.Context, status int, d sessionEditData, fieldErrs map[string]string) error {
	d.ModuleOptions = moduleOptions(d.Modules, d.Form.ModuleID, s.tr(langOf(c), "courses.session.no_module"))
	return s.render(c, status, "course_session", view{Section: "courses", Tab: "overview",
		Title: s.tr(langOf(c), "courses.session.edit"), Errors: fieldErrs, Data: d})
}

// sessionOfPath loads the session ":sid" of the course ":id" for a change, with the
// course's modules.
func (s *Server) sessionOfPath(c *gin.Context) (sessionEditData, error) {
	course, err := s.courseParam(c, true)
	if err != nil {
		return sessionEditData{}, err
	}
	sid, err := paramID(c, "sid")
	if err != nil {
		return sessionEditData{}, err
	}
	ss, err := s.courses.FindSessionByID(c.Request.Context(), sid)
	if err != nil {
		return sessionEditData{}, err
	}
	if ss.CourseID != course.ID {
		return sessionEditData{}, errNotFound
	}
	modules, err := s.courses.ListModules(c.Request.Context(), course.ID)
	if err != nil {
		return sessionEditData{}, err
	}
	return sessionEditData{Course: course, Session: ss, Modules: modules, Form: formOfSession(ss)}, nil
}

// handleSessionEdit: GET /staff/courses/{id}/sessions/{sid}/edit.
func (s *Server) handleSessionEdit(c *gin.Context) error {
	d, err := s.sessionOfPath(c)
	if err != nil {
		return err
	}
	return s.renderSessionEdit(c, http.StatusOK, d, nil)
}

// handleSessionUpdateForm: POST /staff/courses/{id}/sessions/{sid}.
func (s *Server) handleSessionUpdateForm(c *gin.Context) error {
	d, err := s.sessionOfPath(c)
	if err != nil {
		return err
	}
	d.Form = readSessionForm(c, "")
	in, f := d.Form.input()
	if err = f.Err(); err == nil {
		_, err = s.courses.UpdateSession(c.Request.Context(), d.Session.ID, courses.SessionPatch{ModuleID: &in.ModuleID,
			StartsAt: &in.StartsAt, EndsAt: &in.EndsAt, Room: &in.Room, Mandatory: &in.Mandatory})
		if err == nil {
			s.flash(c, "courses.flash.session_saved")
			return redirect(c, "/staff/courses/"+itoa64(d.Course.ID)+"#sessions")
		}
	}
	return s.formFailed(c, sessionFields(err), func(status int, fe map[string]string) error {
		return s.renderSessionEdit(c, status, d, panelErrors("", s.clashFields(c, err, fe)))
	})
}

// handleSessionDeleteForm: POST /staff/courses/{id}/sessions/{sid}/delete.
func (s *Server) handleSessionDeleteForm(c *gin.Context) error {
	d, err := s.sessionOfPath(c)
	if err != nil {
		return err
	}
	if err := s.courses.DeleteSession(c.Request.Context(), d.Session.ID); err != nil {
		return err
	}
	s.flash(c, "courses.flash.session_deleted")
	return redirect(c, "/staff/courses/"+itoa64(d.Course.ID)+"#sessions")
}

// clashFields adds to a refused session's messages the field to change when the refusal is
// a clash ("room" for a room taken, "start" for a lecturer who is elsewhere), so the error
// summary leads there; the message naming the clashing session is the form's.
func (s *Server) clashFields(c *gin.Context, err error, fe map[string]string) map[string]string {
	switch {
	case errors.Is(err, courses.ErrRoomTaken):
		fe["room"] = s.tr(langOf(c), "ux.err.clash_room")
	case errors.Is(err, courses.ErrLecturerBusy):
		fe["start"] = s.tr(langOf(c), "ux.err.clash_lecturer")
	}
	return fe
}
