package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"taphuan/accounts"
	"taphuan/courses"
	"taphuan/vn"
)

// courseDetailData is the staff page of one course: its facts, modules, timetable and the
// forms that change them (shown to those who may).
type courseDetailData struct {
	Course        *courses.Course
	Organization  *accounts.Organization
	Modules       []courses.Module
	Timetable     []courses.TimetableDay
	Sessions      int
	CanManage     bool
	CanDelete     bool
	Next          []string // statuses the course may move to
	PublicURL     string
	ModuleForm    moduleForm
	SessionForm   sessionForm
	ModuleOptions []option // for the session form
	// LecturerOptions are the organization's lecturer records, for the module form.
	LecturerOptions []option
	CopyForm        courses.CopyInput
	Open            string // the form to show unfolded: "module", "session" or "copy"
}

// courseDetail gathers the page of course with empty forms (the session form proposes the
// next usual slot).
func (s *Server) courseDetail(c *gin.Context, course *courses.Course) (*courseDetailData, error) {
	ctx := c.Request.Context()
	org, err := s.accounts.FindOrganizationByID(ctx, course.OrganizationID)
	if err != nil {
		return nil, err
	}
	modules, err := s.courses.ListModules(ctx, course.ID)
	if err != nil {
		return nil, err
	}
	sessions, err := s.courses.ListSessions(ctx, course.ID)
	if err != nil {
		return nil, err
	}
	u := currentUser(c)
	d := &courseDetailData{Course: course, Organization: org, Modules: modules,
		Timetable: courses.Timetable(sessions), CanManage: u.CanManage(course.OrganizationID),
		CanDelete: course.Status == courses.StatusDraft || course.Status == courses.StatusCancelled,
		Next:      course.NextStatusesAt(time.Now()), PublicURL: s.absURL(c, "/courses/"+itoa64(course.ID)),
		SessionForm: nextSlot(course, sessions, modules)}
	d.CopyForm.StartsOn = course.StartDate().AddDate(1, 0, 0).Format("2006-01-02")
	d.ModuleOptions = moduleOptions(modules, d.SessionForm.ModuleID, s.tr(langOf(c), "courses.session.no_module"))
	return d, nil
}

// nextSlot proposes the session an organizer most likely adds next: the afternoon after a
// morning, else the next day's morning (07:30–11:30, 13:30–17:00), in the same room, with
// the module after the last one used.
func nextSlot(course *courses.Course, sessions []courses.Session, modules []courses.Module) sessionForm {
	f := sessionForm{Date: course.StartsOn, Start: "07:30", End: "11:30"}
	if len(sessions) > 0 {
		last := sessions[len(sessions)-1]
		local := last.StartsAt.In(vn.Location)
		f.Room = last.Room
		if courses.PartOfDay(local) == courses.PartMorning {
			f.Date, f.Start, f.End = local.Format("2006-01-02"), "13:30", "17:00"
		} else if next := local.AddDate(0, 0, 1).Format("2006-01-02"); next <= course.EndsOn {
			f.Date = next
		} else {
			f.Date = local.Format("2006-01-02")
		}
		for i, m := range modules {
			if last.ModuleID.Valid && m.ID == last.ModuleID.Int64 && i+1 < len(modules) {
				f.ModuleID = itoa64(modules[i+1].ID)
			}
		}
	} else if len(modules) > 0 {
		f.ModuleID = itoa64(modules[0].ID)
	}
	return f
}

func (s *Server) renderCourseDetail(c *gin.Context, status int, d *courseDetailData, fieldErrs map[string]string) error {
	d.ModuleOptions = moduleOptions(d.Modules, d.SessionForm.ModuleID, s.tr(langOf(c), "courses.session.no_module"))
	sel, _ := strconv.ParseInt(d.ModuleForm.LecturerID, 10, 64)
	opts, err := s.lecturerOptions(c, d.Course.OrganizationID, sel)
	if err != nil {
		return err
	}
	d.LecturerOptions = opts
	return s.render(c, status, "course", view{Section: "courses", Tab: "overview", Title: d.Course.Title,
		Errors: fieldErrs, Data: d})
}

// handleCourseDetail: GET /staff/courses/{id}.
func (s *Server) handleCourseDetail(c *gin.Context) error {
	course, err := s.courseParam(c, false)
	if err != nil {
		return err
	}
	d, err := s.courseDetail(c, course)
	if err != nil {
		return err
	}
	if c.Query("open") == "module" { // after adding a module: ready for the next one
		d.Open = "module"
	}
	return s.renderCourseDetail(c, http.StatusOK, d, nil)
}

// today is the current Vietnamese calendar day as YYYY-MM-DD.
func today() string { return time.Now().In(vn.Location).Format("2006-01-02") }
