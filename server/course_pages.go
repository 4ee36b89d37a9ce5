package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"taphuan/courses"
	"taphuan/errs"
	"taphuan/vn"
)

const coursesPerPage = 20

// courseFilterForm is the filter form of the course list, as typed.
type courseFilterForm struct {
	Q, Status, ProgramID, From, To string
}

type courseListData struct {
	Items          []courses.Course
	Filter         courseFilterForm
	Filtered       bool
	StatusOptions  []option
	ProgramOptions []option
	Pager          Pager
	CanCreate      bool
}

// handleCoursesPage: GET /staff/courses — the courses the user may see, filtered by status,
// program, dates and words of the title, 20 a page.
func (s *Server) handleCoursesPage(c *gin.Context) error {
	ctx := c.Request.Context()
	u := currentUser(c)
	form := courseFilterForm{Q: c.Query("q"), Status: c.Query("status"), ProgramID: c.Query("program_id"),
		From: c.Query("from"), To: c.Query("to")}
	f, ferr := courseFilterOf(c)
	fieldErrs := s.fieldErrors(c, ferr)
	status := http.StatusOK
	if ferr != nil {
		if fieldErrs == nil {
			return ferr
		}
		status = http.StatusUnprocessableEntity
		f = courseScope(u) // show the list unfiltered by the dates that could not be read
		f.Status, f.Query = form.Status, form.Q
	}
	items, pager, err := pageOf(c, coursesPerPage, func(limit, offset int) ([]courses.Course, int, error) {
		f.Limit, f.Offset = limit, offset
		return s.courses.ListCourses(ctx, f)
	})
	if err != nil {
		return err
	}
	programs, err := s.courses.ListPrograms(ctx)
	if err != nil {
		return err
	}
	lang := langOf(c)
	d := courseListData{Items: items, Filter: form, Pager: pager,
		StatusOptions:  s.statusOptions(lang, form.Status, s.tr(lang, "courses.filter.all_statuses")),
		ProgramOptions: programOptions(programs, form.ProgramID, s.tr(lang, "courses.filter.all_programs")),
		CanCreate:      canCreateCourses(u, 0),
		Filtered:       form.Q != "" || form.Status != "" || form.ProgramID != "" || form.From != "" || form.To != ""}
	return s.render(c, status, "courses", view{Section: "courses", Title: s.tr(lang, "courses.list.title"),
		Errors: fieldErrs, Data: d})
}

// courseForm is the course form as typed, so that a refused form comes back unchanged.
type courseForm struct {
	OrganizationID, Title, CoOrganizer, ProgramID, Program, Venue, PlaceName, StartsOn, EndsOn string
	Capacity, RegistrationMode, RegistrationOpensAt, RegistrationClosesAt                      string
	MinAttendancePercent, SupportAmountPerDay, Description, TargetAudience                     string
}

func formOfCourse(in courses.CourseInput) courseForm {
	f := courseForm{Title: in.Title, CoOrganizer: in.CoOrganizer, Program: in.Program, Venue: in.Venue,
		PlaceName: in.PlaceName, StartsOn: in.StartsOn, EndsOn: in.EndsOn, RegistrationMode: in.RegistrationMode,
		Description: in.Description, TargetAudience: in.TargetAudience,
		MinAttendancePercent: strconv.Itoa(in.MinAttendancePercent),
		SupportAmountPerDay:  strconv.FormatInt(in.SupportAmountPerDay, 10)}
	if in.OrganizationID != 0 {
		f.OrganizationID = itoa64(in.OrganizationID)
	}
	if in.ProgramID != 0 {
		f.ProgramID = itoa64(in.ProgramID)
	}
	if in.Capacity != 0 {
		f.Capacity = strconv.Itoa(in.Capacity)
	}
	if !in.RegistrationOpensAt.IsZero() {
		f.RegistrationOpensAt = in.RegistrationOpensAt.In(vn.Location).Format(localInput)
	}
	if !in.RegistrationClosesAt.IsZero() {
		f.RegistrationClosesAt = in.RegistrationClosesAt.In(vn.Location).Format(localInput)
	}
	return f
}

func readCourseForm(c *gin.Context) courseForm {
	return courseForm{OrganizationID: c.PostForm("organization_id"), Title: c.PostForm("title"),
		CoOrganizer: c.PostForm("co_organizer"), ProgramID: c.PostForm("program_id"), Program: c.PostForm("program"),
		Venue: c.PostForm("venue"), PlaceName: c.PostForm("place_name"), StartsOn: c.PostForm("starts_on"),
		EndsOn: c.PostForm("ends_on"), Capacity: c.PostForm("capacity"), RegistrationMode: c.PostForm("registration_mode"),
		RegistrationOpensAt: c.PostForm("registration_opens_at"), RegistrationClosesAt: c.PostForm("registration_closes_at"),
		MinAttendancePercent: c.PostForm("min_attendance_percent"), SupportAmountPerDay: c.PostForm("support_amount_per_day"),
		Description: c.PostForm("description"), TargetAudience: c.PostForm("target_audience")}
}

// input converts the typed form; problems of form (not a number, not a time) are field
// messages, merged with the course's own validation.
func (fm courseForm) input() (courses.CourseInput, errs.Fields) {
	f := errs.Fields{}
	in := courses.CourseInput{Title: fm.Title, CoOrganizer: fm.CoOrganizer, Program: fm.Program, Venue: fm.Venue,
		PlaceName: fm.PlaceName, StartsOn: fm.StartsOn, EndsOn: fm.EndsOn, RegistrationMode: fm.RegistrationMode,
		Description: fm.Description, TargetAudience: fm.TargetAudience}
	in.OrganizationID = formInt(fm.OrganizationID, "organization_id", f)
	in.ProgramID = formInt(fm.ProgramID, "program_id", f)
	in.Capacity = int(formInt(fm.Capacity, "capacity", f))
	in.MinAttendancePercent = int(formInt(fm.MinAttendancePercent, "min_attendance_percent", f))
	in.SupportAmountPerDay = formInt(fm.SupportAmountPerDay, "support_amount_per_day", f)
	in.RegistrationOpensAt = formLocalTime(fm.RegistrationOpensAt, "registration_opens_at", f)
	in.RegistrationClosesAt = formLocalTime(fm.RegistrationClosesAt, "registration_closes_at", f)
	if strings.TrimSpace(fm.MinAttendancePercent) == "" {
		f.Add("min_attendance_percent", "err.required")
	}
	norm := in
	norm.Normalize()
	var e *errs.Error
	if err := norm.Validate(); errors.As(err, &e) {
		for k, m := range e.Fields {
			if _, taken := f[k]; !taken {
				f[k] = m
			}
		}
	}
	return in, f
}

type courseFormData struct {
	Course         *courses.Course // nil for a new course
	Form           courseForm
	OrgOptions     []option // administrators choose the organization; others create for theirs
	NoOrgs         bool     // a new install: no organization to file the course under yet
	ProgramOptions []option
	ModeOptions    []option
}

func (s *Server) renderCourseForm(c *gin.Context, status int, course *courses.Course, form courseForm, fieldErrs map[string]string) error {
	ctx := c.Request.Context()
	lang := langOf(c)
	d := courseFormData{Course: course, Form: form, ModeOptions: s.modeOptions(lang, form.RegistrationMode)}
	programs, err := s.courses.ListPrograms(ctx)
	if err != nil {
		return err
	}
	d.ProgramOptions = programOptions(programs, form.ProgramID, s.tr(lang, "courses.form.no_program"))
	if currentUser(c).IsAdmin() {
		orgs, err := s.accounts.ListOrganizations(ctx)
		if err != nil {
			return err
		}
		d.OrgOptions = orgOptions(orgs, form.OrganizationID, s.tr(lang, "courses.form.choose_org"))
		d.NoOrgs = len(orgs) == 0
	}
	title := s.tr(lang, "courses.new.title")
	if course != nil {
		title = s.tr(lang, "courses.edit.title")
	}
	return s.render(c, status, "course_form", view{Section: "courses", Tab: "overview", Title: title, Errors: fieldErrs, Data: d})
}

// handleCourseNew: GET /staff/courses/new.
func (s *Server) handleCourseNew(c *gin.Context) error {
	in := courses.NewCourseInput()
	in.OrganizationID = currentUser(c).OrganizationID
	return s.renderCourseForm(c, http.StatusOK, nil, formOfCourse(in), nil)
}

// handleCourseCreateForm: POST /staff/courses → the new draft course's page.
func (s *Server) handleCourseCreateForm(c *gin.Context) error {
	u := currentUser(c)
	form := readCourseForm(c)
	if !u.IsAdmin() {
		form.OrganizationID = itoa64(u.OrganizationID)
	}
	in, f := form.input()
	if !canCreateCourses(u, in.OrganizationID) {
		return errForbidden
	}
	show := func(status int, fe map[string]string) error { return s.renderCourseForm(c, status, nil, form, fe) }
	if err := f.Err(); err != nil {
		return s.formFailed(c, err, show)
	}
	course, err := s.courses.CreateCourse(c.Request.Context(), in)
	if err != nil {
		return s.formFailed(c, err, show)
	}
	s.flash(c, "courses.flash.created")
	return redirect(c, "/staff/courses/"+itoa64(course.ID))
}

// handleCourseEdit: GET /staff/courses/{id}/edit.
func (s *Server) handleCourseEdit(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	return s.renderCourseForm(c, http.StatusOK, course, formOfCourse(courses.InputOf(course)), nil)
}

// handleCourseUpdateForm: POST /staff/courses/{id} — the edit form.
func (s *Server) handleCourseUpdateForm(c *gin.Context) error {
	u := currentUser(c)
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	form := readCourseForm(c)
	if !u.IsAdmin() || form.OrganizationID == "" {
		form.OrganizationID = itoa64(course.OrganizationID)
	}
	in, f := form.input()
	if !u.CanManage(in.OrganizationID) {
		return errForbidden
	}
	show := func(status int, fe map[string]string) error { return s.renderCourseForm(c, status, course, form, fe) }
	if err := f.Err(); err != nil {
		return s.formFailed(c, err, show)
	}
	if _, err = s.courses.UpdateCourse(c.Request.Context(), course.ID, courses.PatchOf(in)); err != nil {
		return s.formFailed(c, err, show)
	}
	s.flash(c, "courses.flash.saved")
	return redirect(c, "/staff/courses/"+itoa64(course.ID))
}

// handleCourseStatusForm: POST /staff/courses/{id}/status (status=open|closed|completed|
// cancelled).
func (s *Server) handleCourseStatusForm(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	to := c.PostForm("status")
	if _, err := s.courses.SetStatus(c.Request.Context(), course.ID, to); err != nil {
		return err
	}
	s.flash(c, "courses.flash.status."+to)
	return redirect(c, "/staff/courses/"+itoa64(course.ID))
}

// handleCourseCopyForm: POST /staff/courses/{id}/copy (copy_starts_on, copy_title) → the
// new draft.
func (s *Server) handleCourseCopyForm(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	in := courses.CopyInput{StartsOn: c.PostForm("copy_starts_on"), Title: c.PostForm("copy_title")}
	cp, err := s.courses.CopyCourse(c.Request.Context(), course.ID, in)
	if err != nil {
		return s.formFailed(c, err, func(status int, fe map[string]string) error {
			d, err := s.courseDetail(c, course)
			if err != nil {
				return err
			}
			d.CopyForm, d.Open = in, "copy"
			return s.renderCourseDetail(c, status, d, panelErrors("copy_", fe))
		})
	}
	s.flash(c, "courses.flash.copied")
	return redirect(c, "/staff/courses/"+itoa64(cp.ID))
}

// handleCourseDeleteForm: POST /staff/courses/{id}/delete — drafts and cancelled courses
// without registrations.
func (s *Server) handleCourseDeleteForm(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	if err := s.courses.DeleteCourse(c.Request.Context(), course.ID); err != nil {
		return err
	}
	s.flash(c, "courses.flash.deleted", course.Title)
	return redirect(c, "/staff/courses")
}
